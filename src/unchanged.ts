/**
 * A build that would change nothing, recognised before the store is read. A build's output is
 * a function of the configuration, the release, the store's files, the media folder, the live
 * publication and `now`; `now` matters only when it crosses an embargo, a dated retraction or
 * the end of a tombstone's period. A build that published nothing new records those inputs
 * (digested) and the window of `now` over which they give the same result; the next build
 * whose inputs match and whose `now` is inside that window repeats its report instead of
 * reading heads, selecting, rendering and validating the same bytes again.
 */
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import { STATE_DIR, type Manifest } from './publish/manifest.js';
import type { BuildReport } from './pipeline.js';
import { readState, writeState } from './store/state.js';
import { VERSION } from './version.js';

export const LAST_BUILD_FILE = `${STATE_DIR}/last-build.json`;
const FORMAT = 'kiosque-last-build/1';

type LastBuild = {
  format: string;
  version: string;
  /** Configuration and generator version. */
  key: string;
  /** The store's and media folder's digest (store/probe.ts). */
  inputs: string;
  /** How many article files the store had: the next probe starts its stat worker before the walk when that is many. */
  files: number;
  /** The publication the build found live, and left live. */
  manifest: string;
  /** The build's `now`, and the first instant after it at which the same inputs give another result. */
  from: string;
  until?: string;
  report: BuildReport;
};

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export const configKey = (config: Config, version: string): string => sha(`${version}\n${JSON.stringify(config)}`);
export const manifestKey = (manifest: Manifest | undefined): string => sha(JSON.stringify(manifest ?? null));

export const readLastBuild = (path: string): LastBuild | undefined => readState<LastBuild>(path, FORMAT);

export type Inputs = { key: string; inputs: string; files: number; manifest: string; now: Date };

/** The report of the recorded build, as a build with the same inputs now would give it; undefined when anything differs. */
export function unchangedReport(last: LastBuild | undefined, at: Inputs): BuildReport | undefined {
  if (!last || last.key !== at.key || last.inputs !== at.inputs || last.manifest !== at.manifest) return undefined;
  const now = at.now.getTime();
  if (now < Date.parse(last.from) || (last.until !== undefined && now >= Date.parse(last.until))) return undefined;
  const { report } = last;
  return {
    ...report,
    feeds: report.feeds.map(({ added: _added, ...f }) => ({ ...f, changed: false })),
    ...(report.archives ? { archives: report.archives.map((a) => ({ ...a, written: 0 })) } : {}),
    hubs: [],
    unchanged: true,
  };
}

/**
 * Records a build that published nothing new. Its run-specific parts are left out: hub pings and
 * the publisher's own warnings (a sweep that failed) belong to that run, not to its inputs.
 * A record that cannot be written only costs the next build a full run.
 */
export function recordLastBuild(path: string, at: Inputs, until: Date | undefined, report: BuildReport): void {
  const kept: BuildReport = { ...report, hubs: [], issues: report.issues.filter((i) => !i.rule.startsWith('publish-')) };
  delete kept.unchanged;
  const record: LastBuild = {
    format: FORMAT, version: VERSION, key: at.key, inputs: at.inputs, files: at.files, manifest: at.manifest, from: at.now.toISOString(),
    ...(until ? { until: until.toISOString() } : {}), report: kept,
  };
  try {
    writeState(path, record);
  } catch {
    // Nothing lost: the next build reads the store.
  }
}
