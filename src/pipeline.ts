/**
 * The whole job, spelled out once:
 *   collectFeed (store -> model) -> render x3 -> validate (each, cross-format, against the
 *   previous publication) -> publish atomically -> ping WebSub hubs.
 * Nothing is published unless every feed passes; the lock keeps runs from overlapping.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import { isError, type Issue } from './issue.js';
import { FILE_NAMES, FORMATS, MEDIA_TYPES, type Feed, type Format } from './model/types.js';
import { acquireRunLock } from './coordinate/lease.js';
import type { LockOwner } from './publish/lock.js';
import { STATE_DIR } from './publish/manifest.js';
import { sha256, type OutputFile } from './publish/publish.js';
import { openTarget } from './publish/target.js';
import { pingHubs, type PingResult } from './publish/websub.js';
import { renderAtom } from './render/atom.js';
import { renderIndexHtml } from './render/html.js';
import { renderJson } from './render/json.js';
import { renderRss } from './render/rss.js';
import { renderFeedXsl } from './render/xsl.js';
import { collectFeed } from './store/collect.js';
import { comparePrevious, crossCheck } from './validate/gate.js';
import { validateDocument } from './validate/validate.js';

export const LOCK_FILE = `${STATE_DIR}/lock`;
export const CACHE_FILE = `${STATE_DIR}/store-cache.json`;

export type FeedReport = {
  format: Format;
  path: string;
  items: number;
  bytes: number;
  sha256: string;
  changed: boolean;
  errors: number;
  warnings: number;
};

export type Rejection = { file: string; line?: number; reason: string; rule: string };

export type BuildReport = {
  published: boolean;
  /** Why nothing was published, in one line, when `published` is false. */
  failure?: string;
  /** Set when the run did not happen: another build held the lock or lease, the tick was done, the lease database was unreachable. */
  skipped?: { owner?: LockOwner; reason?: string };
  /** Lease mode: the run's fencing token and the tick it ran for. */
  lease?: { token: number; slot?: string };
  feeds: FeedReport[];
  accepted: number;
  drafts: number;
  scheduled: number;
  nextEmbargo?: string;
  rejected: Rejection[];
  /** Validator findings and store warnings (rejections are listed in `rejected`). */
  issues: Issue[];
  hubs: PingResult[];
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
  /**
   * Runs after a publication, before hubs are pinged: hubs fetch the topic at once, so a
   * server in the same process must be serving the new bytes by then (POLL-WS-008).
   */
  onPublished?: () => Promise<void>;
};

const emptyReport = (started: number): BuildReport => ({
  published: false, feeds: [], accepted: 0, drafts: 0, scheduled: 0, rejected: [], issues: [], hubs: [], durationMs: Date.now() - started,
});

function renderAll(feed: Feed): Record<Format, string> {
  return { rss: renderRss(feed), atom: renderAtom(feed), json: renderJson(feed) };
}

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
  try {
    // 1. Store -> model.
    const collected = await collectFeed(config, options.now, { cacheFile: join(config.out, CACHE_FILE) });
    const { feed } = collected;
    report.accepted = collected.accepted;
    report.drafts = collected.drafts;
    report.scheduled = collected.scheduled;
    if (collected.nextEmbargo) report.nextEmbargo = collected.nextEmbargo.toISOString();
    for (const issue of collected.issues) {
      if (isError(issue)) {
        const rejection: Rejection = { file: issue.file, reason: issue.message, rule: issue.rule };
        if (issue.line !== undefined) rejection.line = issue.line;
        report.rejected.push(rejection);
      } else report.issues.push(issue);
    }
    if (signal?.aborted) {
      report.failure = 'stopped before publishing';
      return finish();
    }

    // 2. Render.
    const texts = renderAll(feed);
    const bytes = Object.fromEntries(FORMATS.map((f) => [f, Buffer.from(texts[f], 'utf8')])) as Record<Format, Buffer>;

    // 3. Validate: each document, the three together, and each against what readers already have.
    // Bytes identical to the current publication passed this same gate when they were published,
    // so a rebuild that changes nothing skips re-parsing them.
    const target = await openTarget(config);
    const previousManifest = await target.readManifest();
    let allUnchanged = true;
    for (const format of FORMATS) {
      const file = FILE_NAMES[format];
      const hash = sha256(bytes[format]);
      const previous = await target.readPublished(previousManifest, file);
      const unchanged = previous !== undefined && sha256(previous) === hash;
      allUnchanged &&= unchanged;
      const issues = unchanged ? [] : validateDocument(bytes[format], file).issues;
      if (previous && !unchanged) issues.push(...comparePrevious(format, previous, bytes[format], file));
      report.issues.push(...issues);
      report.feeds.push({
        format,
        path: join(config.out, file),
        items: feed.entries.length,
        bytes: bytes[format].byteLength,
        sha256: hash,
        changed: false,
        errors: issues.filter((i) => i.level === 'error').length,
        warnings: issues.filter((i) => i.level === 'warning').length,
      });
    }
    if (!allUnchanged) {
      report.issues.push(...crossCheck(FORMATS.map((format) => ({ format, file: FILE_NAMES[format], bytes: bytes[format] }))));
    }
    const errors = report.issues.filter(isError);
    if (errors.length > 0) {
      report.failure = `${errors.length} validation error${errors.length === 1 ? '' : 's'}; the previous publication stays`;
      return finish();
    }
    if (signal?.aborted) {
      report.failure = 'stopped before publishing';
      return finish();
    }

    // 4. Publish.
    const outputs: OutputFile[] = [
      ...FORMATS.map((format) => ({
        path: FILE_NAMES[format], mediaType: MEDIA_TYPES[format], data: bytes[format], selfUrl: feed.site.links[format],
      })),
      { path: 'index.html', mediaType: 'text/html; charset=utf-8', data: Buffer.from(renderIndexHtml(feed), 'utf8'), selfUrl: feed.site.links.html },
      { path: 'feed.xsl', mediaType: 'text/xsl; charset=utf-8', data: Buffer.from(renderFeedXsl(feed), 'utf8'), selfUrl: feed.site.links.xsl },
    ];
    if (!(await lock.stillHeld())) {
      report.failure = 'the lease was lost before publishing; another instance takes over';
      return finish();
    }
    const published = await target.publish(outputs, {
      maxAge: config.ttlMinutes * 60, hubs: config.hubs, now: options.now,
      ...(lock.fence !== undefined ? { fence: lock.fence } : {}), ...(signal ? { signal } : {}),
    });
    if (!published.value) {
      report.issues.push(...published.issues);
      report.failure = published.issues[0]?.message ?? 'publishing failed';
      return finish();
    }
    report.published = true;
    report.issues.push(...published.issues);
    const changed = new Set(published.value.changed);
    for (const f of report.feeds) f.changed = changed.has(FILE_NAMES[f.format]);

    await options.onPublished?.();

    // 5. Tell the hubs, only about feeds whose bytes changed; a hub failure never fails the build.
    const topics = FORMATS.filter((f) => changed.has(FILE_NAMES[f])).map((f) => feed.site.links[f]);
    if (config.hubs.length > 0 && topics.length > 0) {
      report.hubs = await pingHubs({ hubs: config.hubs, topics, ...(signal ? { signal } : {}) });
    }
    return finish();
  } finally {
    await lock.release(!signal?.aborted);
  }
}

/** Exit code contract: 0 published and nothing rejected; 2 published with rejections; 1 nothing published. */
export function exitCodeFor(report: BuildReport): 0 | 1 | 2 {
  if (!report.published) return 1;
  return report.rejected.length > 0 ? 2 : 0;
}
