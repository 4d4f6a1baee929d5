/**
 * The whole job, spelled out once:
 *   collect the store once -> select per feed of the set -> render each feed x3 -> validate
 *   (each document, each feed's three together, each against its previous publication) ->
 *   publish the whole set atomically -> ping WebSub hubs for the feeds that changed.
 * Nothing is published unless every feed passes; the lock keeps runs from overlapping.
 * A rebuild whose inputs are those of a build that published nothing new repeats that build's
 * report (unchanged.ts) and stops here: the build proper (full-build.ts), with its renderers
 * and validators, is loaded only when there is something to build.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Issue } from './issue.js';
import type { Group } from './model/feed-set.js';
import type { Format } from './model/types.js';
import { acquireRunLock, type RunLock } from './coordinate/lease.js';
import { recordBuilt } from './publish/built.js';
import type { LockOwner } from './publish/lock.js';
import { STATE_DIR, type Manifest } from './publish/manifest.js';
import { openTarget, type PublishTarget } from './publish/target.js';
import { pingHubs, type PingResult } from './publish/websub.js';
import { stillOwed, type OwedPings } from './publish/pings.js';
import { probeStore, type Probe } from './store/probe.js';
import { configKey, LAST_BUILD_FILE, manifestKey, readLastBuild, unchangedReport, type Inputs } from './unchanged.js';

export const LOCK_FILE = `${STATE_DIR}/lock`;
export const CACHE_FILE = `${STATE_DIR}/store-cache.json`;
export const DOCUMENT_CACHE_FILE = `${STATE_DIR}/documents.json`;
export const PAGE_CACHE_FILE = `${STATE_DIR}/pages.json`;
export const KEPT_IDS_FILE = `${STATE_DIR}/kept-ids.json`;
export const TOMBSTONED_FILE = `${STATE_DIR}/tombstoned.json`;

export type FeedReport = {
  /** The feed's folder under out/: '' for the main feed, `tags/économie/` for a tag's. */
  feed: string;
  group: Group;
  format: Format;
  path: string;
  items: number;
  bytes: number;
  sha256: string;
  changed: boolean;
  /** Written again with the bytes it was published with, found damaged on disk: nothing new for readers, no ping. */
  repaired?: true;
  /** A document the last publication did not have (a new tag's feed); unset on a first publication. */
  added?: true;
  errors: number;
  warnings: number;
};

export type Rejection = { file: string; line?: number; column?: number; reason: string; rule: string };

export type BuildReport = {
  published: boolean;
  /** Why nothing was published, in one line, when `published` is false. */
  failure?: string;
  /** Set when the run did not happen: another build held the lock or lease, the tick was done, the lease database was unreachable. */
  skipped?: { owner?: LockOwner; reason?: string };
  /** Lease mode: the run's fencing token and the tick it ran for. */
  lease?: { token: number; slot?: string };
  feeds: FeedReport[];
  /** Set once the article store was read: before that (no lock, no output dir), the counts below say nothing. */
  storeRead?: true;
  accepted: number;
  drafts: number;
  scheduled: number;
  nextEmbargo?: string;
  rejected: Rejection[];
  /** Per feed with RFC 5005 archive pages: how many it has, and how many page documents this publication wrote. */
  archives?: { feed: string; pages: number; written: number }[];
  /** Validator findings and store warnings (rejections are listed in `rejected`). */
  issues: Issue[];
  hubs: PingResult[];
  /** Set when nothing had changed since the last build (store, media, configuration, publication, and no embargo or tombstone period ended): its report is repeated, the store is not read. */
  unchanged?: true;
  durationMs: number;
};

export type BuildOptions = {
  now: Date;
  /** How long to wait for another build holding the lock; 0 = skip at once. */
  lockWaitMs: number;
  signal?: AbortSignal;
  /** The scheduled tick this run is for (lease mode: each tick runs once across instances). */
  slot?: Date;
  /** Version string for the generator element. */
  version: string;
  /** Publish even when the store yields no article while the last publication carried some (store-emptied). */
  allowEmpty?: boolean;
  /**
   * Runs after a publication, before hubs are pinged: hubs fetch the topic at once, so a
   * server in the same process must be serving the new bytes by then (POLL-WS-008).
   */
  onPublished?: () => Promise<void>;
  /** How long one article's body may take to render (default 10 s); a test sets it short to make a timeout. */
  renderTimeoutMs?: number;
};

/** One run, as the build proper takes it over once the lock is held and the shortcut did not apply. */
export type Run = {
  config: Config;
  options: BuildOptions;
  report: BuildReport;
  /** The report with its duration, to return. */
  finish: () => BuildReport;
  /** True (and the report says so) once the run was asked to stop. */
  stopped: () => boolean;
  signal: AbortSignal | undefined;
  lock: Extract<RunLock, { ok: true }>;
  target: PublishTarget;
  previousManifest: Manifest | undefined;
  probed: Probe | undefined;
  /** What the next build compares with, when this one's inputs could be taken (unchanged.ts). */
  inputs: Inputs | undefined;
  lastBuildFile: string;
  owedBefore: OwedPings | undefined;
  /** Records the pings owed to the hubs beside the publication (a failure is a warning in the report). */
  recordOwed: (owed: OwedPings | undefined) => Promise<void>;
  /** Pings `first` and everything owed; what a hub did not take stays owed. */
  pingOwed: (owed: OwedPings | undefined, first?: readonly string[]) => Promise<void>;
  /**
   * The run refused to publish for what the store and the configuration are (validation errors, an emptied store): any
   * instance would refuse the same, so its tick needs no other run. A failure of the target, the disk or the process is
   * no verdict: another instance runs the tick.
   */
  refused: () => void;
};

const emptyReport = (started: number): BuildReport => ({
  published: false, feeds: [], archives: [], accepted: 0, drafts: 0, scheduled: 0, rejected: [], issues: [], hubs: [], durationMs: Date.now() - started,
});

export async function build(config: Config, options: BuildOptions): Promise<BuildReport> {
  const started = Date.now();
  const report = emptyReport(started);
  const finish = (): BuildReport => ({ ...report, durationMs: Date.now() - started });

  const lock = await acquireRunLock(config, { lockFile: join(config.out, LOCK_FILE), waitMs: options.lockWaitMs, ...(options.slot ? { slot: options.slot } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  if (!lock.ok) {
    if (lock.skipped) report.skipped = lock.skipped;
    report.failure = lock.failure;
    return finish();
  }
  if (lock.fence !== undefined) report.lease = { token: lock.fence, ...(options.slot ? { slot: options.slot.toISOString() } : {}) };
  // A lost lease stops the run like a shutdown does: at the next safe point, before anything is made visible.
  const signal = lock.lost && options.signal ? AbortSignal.any([options.signal, lock.lost]) : (lock.lost ?? options.signal);
  const stopped = (): boolean => {
    if (signal?.aborted) report.failure = lock.lost?.aborted ? 'the lease was lost before publishing; another instance takes over' : 'stopped before publishing';
    return signal?.aborted === true;
  };
  let verdict = false;
  try {
    // What readers have now is what the target says: with several instances, another may have published last.
    const target = await openTarget(config);
    const previousManifest = await target.readManifest();
    // 0. Nothing changed since a build that published nothing new: its report stands, and the store is not read. Only
    // rebuilds are probed (a first build has nothing to compare with), and not under a lease, whose report is its own.
    const lastBuildFile = join(config.out, LAST_BUILD_FILE);
    const probing = lock.fence === undefined && existsSync(join(config.out, CACHE_FILE));
    const last = probing && existsSync(lastBuildFile) ? readLastBuild(lastBuildFile) : undefined;
    // Whether the publication is as published, asked while the store is probed (its stats run on the thread pool, the
    // probe's on a worker): ~9,000 stats for a 100k store's archive, which alone took ~0.1 s of a no-change rebuild.
    const intact = last && previousManifest && target.intact ? target.intact(previousManifest) : undefined;
    intact?.catch(() => undefined);
    const probed = probing ? await probeStore(config.articles, config.media?.dir, last?.files) : undefined;
    const inputs: Inputs | undefined = probed && !probed.racy
      ? { key: configKey(config, options.version), inputs: probed.digest, files: probed.walked.files.length, manifest: manifestKey(previousManifest), now: options.now }
      : undefined;
    // A publication damaged since (a file truncated or edited in place) is repaired by a full build, not vouched for.
    let same = inputs ? unchangedReport(last, inputs) : undefined;
    if (same && !(await (intact ?? Promise.resolve(true)).catch(() => false))) same = undefined;
    // WebSub pings owed by earlier runs (publish/pings.ts), and how this run records and sends what it owes.
    const owedBefore = config.hubs.length > 0 ? await target.readOwedPings() : undefined;
    let recorded = owedBefore;
    const recordOwed = async (owed: OwedPings | undefined): Promise<void> => {
      if (JSON.stringify(owed) === JSON.stringify(recorded)) return;
      try {
        await target.writeOwedPings(owed);
        recorded = owed;
      } catch (err) {
        report.issues.push({ rule: 'publish-pings-unrecorded', level: 'warning', file: target.name, message: `cannot record the WebSub pings owed to the hubs: ${(err as Error).message}; if this run stops before pinging, hubs hear of the change only with the next one` });
      }
    };
    /** Pings `first` (this run's changed topics, in feed order) and everything owed; what a hub did not take stays owed. */
    const pingOwed = async (owed: OwedPings | undefined, first: readonly string[] = []): Promise<void> => {
      if (config.hubs.length === 0 || !owed) return;
      report.hubs = await pingHubs({ hubs: config.hubs, topics: [...new Set([...first, ...owed.topics])], ...(signal ? { signal } : {}) });
      await recordOwed(stillOwed(owed, config.hubs, report.hubs));
    };
    if (same) {
      verdict = true;
      Object.assign(report, same);
      await options.onPublished?.();
      // What an earlier run still owes the hubs is owed all the same.
      await pingOwed(owedBefore);
      return finish();
    }
    const { fullBuild } = await import('./full-build.js');
    return await fullBuild({ config, options, report, finish, stopped, signal, lock, target, previousManifest, probed, inputs, lastBuildFile, owedBefore, recordOwed, pingOwed, refused: () => { verdict = true; } });
  } finally {
    // The out dir is now current with the store: `kiosque publish` compares this time with the bucket's.
    if (report.published) recordBuilt(config.out, new Date());
    // The tick is done when it published or refused on the store's own account; otherwise a waiting instance runs it.
    await lock.release(!signal?.aborted && (verdict || report.published));
  }
}

/** Exit code contract: 0 published and nothing rejected; 2 published with rejections; 1 nothing published. */
export function exitCodeFor(report: BuildReport): 0 | 1 | 2 {
  if (!report.published) return 1;
  return report.rejected.length > 0 ? 2 : 0;
}
