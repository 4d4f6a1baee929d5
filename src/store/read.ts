/**
 * The store's IO edge, as the pipeline calls it: walks `articles/` (store/walk.ts), stats every
 * file, and takes each head from the cache (store/cache.ts) when the file is unchanged, or reads
 * it (store/head.ts). Bodies are read later, only for the articles about to be published.
 *
 * File system calls are synchronous on purpose: on a warm page cache they are 3-4 times
 * cheaper than the thread-pool versions, and the work is cut into slices that yield to
 * the event loop, so a server sharing the process stays responsive.
 */
import { existsSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Issue } from '../issue.js';
import { headOf, rowOf, type ArticleHead, type HeadColumns, type HeadRow } from '../model/records.js';
import { VERSION } from '../version.js';
import { CACHE_FORMAT, loadCache, type CacheFile } from './cache.js';
import { DEFAULT_MAX_BYTES, unreadable } from './files.js';
import { readHead } from './head.js';
import { writeState } from './state.js';
import type { StatJob, StatReply } from './stat-worker.js';
import { walkStore } from './walk.js';

export type StoreStats = { files: number; cached: number; read: number };
export type ReadOptions = {
  cacheFile?: string;
  maxBytes?: number;
  /** Stores of at least this many files are statted by two threads (default 20 000; tests lower it). */
  parallelStatFiles?: number;
};
export type StoreRead = {
  /** Valid heads as columns, in walk order (what selection reads). */
  columns: HeadColumns;
  /** The same heads as objects, made on demand (for small stores and tests). */
  readonly heads: ArticleHead[];
  issues: Issue[];
  stats: StoreStats;
  /** Identity (size, mtime, ctime, inode) of the file of row `i` when old enough to be cached; undefined otherwise. */
  stampAt(row: number): string | undefined;
};

/** From this many files on, a worker thread stats half of them (starting it costs ~40 ms). */
const PARALLEL_STAT_FILES = 20_000;
/** Entries modified this close to the scan are not cached: a same-size edit within one clock tick would go unseen. */
const RACY_MS = 2000;

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Calls `work` over `items`, giving the event loop a turn every ~15 ms. */
async function sliced<T>(items: readonly T[], work: (item: T, index: number) => void): Promise<void> {
  let since = performance.now();
  for (let i = 0; i < items.length; i++) {
    work(items[i]!, i);
    if ((i & 255) === 255 && performance.now() - since > 15) {
      await yieldNow();
      since = performance.now();
    }
  }
}

/** The compiled stat worker: beside this module when built, or under dist/ when this module runs from source (tests). */
function statWorkerUrl(): URL | undefined {
  const here = new URL('./stat-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/src/store/stat-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : undefined;
}

/** Stats `files` (absolute once `prefix` is put before them) in a worker; undefined if it cannot, and the caller stats them itself. */
function statElsewhere(prefix: string, files: string[]): Promise<StatReply | undefined> {
  const url = statWorkerUrl();
  if (!url || availableParallelism() < 2) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      const job: StatJob = { prefix, files };
      worker = new Worker(url, { workerData: job });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (reply: StatReply) => resolve(reply));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}

/**
 * Reads the heads of every article in the store. Broken files become issues and the rest
 * go on; the result is in path order, so everything downstream is deterministic.
 */
export async function readStore(dir: string, opts: ReadOptions = {}): Promise<StoreRead> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const scanStart = Date.now();
  const walked = walkStore(dir);
  const issues = [...walked.issues];
  const stats: StoreStats = { files: walked.files.length, cached: 0, read: 0 };
  const files: string[] = [];
  const rows: HeadRow[] = [];
  const columns: HeadColumns = { files, rows };
  const heads = (): ArticleHead[] => files.map((file, i) => headOf(file, rows[i]!));
  if (!walked.realRoot) return { columns, get heads() { return heads(); }, issues, stats, stampAt: () => undefined };
  const root = walked.realRoot;
  const prefix = root.endsWith(sep) ? root : root + sep;
  const cache = loadCache(opts.cacheFile, root);
  const next: CacheFile = { format: CACHE_FORMAT, version: VERSION, root, files: [], stats: [], heads: [], issues: [] };
  // Where each row's identity sits in `next.stats`, or -1 when the file was too fresh to cache.
  const stampIndex: number[] = [];
  let changed = 0;
  // Both lists are in walk order, so a cursor finds nearly every file; a map is built only if the store moved around.
  let cursor = 0;
  let index: Map<string, number> | undefined;
  const cachedAt = (rel: string): number | undefined => {
    if (!cache) return undefined;
    const cf = cache.data.files;
    if (cf[cursor] === rel) return cursor++;
    if (!index) {
      index = new Map();
      for (let i = 0; i < cf.length; i++) index.set(cf[i]!, i);
    }
    const i = index.get(rel);
    if (i !== undefined) cursor = i + 1;
    return i;
  };
  const cs = cache?.data.stats;
  const toAbs = (rel: string): string => prefix + (sep === '/' ? rel : rel.split('/').join(sep));
  const visit = (rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number): void => {
    const i = cachedAt(rel);
    let row: HeadRow | 0;
    let fileIssues: Issue[] | undefined;
    const hit = i !== undefined && cs![i * 4] === size && cs![i * 4 + 1] === mtimeMs && cs![i * 4 + 2] === ctimeMs && cs![i * 4 + 3] === ino;
    if (hit) {
      row = cache!.data.heads[i]!;
      fileIssues = cache!.issues.get(i);
      stats.cached++;
    } else {
      const result = readHead(rel, toAbs(rel), size, maxBytes);
      row = result.value ? rowOf(result.value) : 0;
      if (result.issues.length) fileIssues = result.issues;
      stats.read++;
    }
    if (fileIssues) issues.push(...fileIssues);
    let stamp = -1;
    if (mtimeMs < scanStart - RACY_MS) {
      const n = next.files.push(rel) - 1;
      stamp = next.stats.push(size, mtimeMs, ctimeMs, ino) - 4;
      next.heads.push(row);
      if (fileIssues) next.issues.push([n, fileIssues]);
      if (!hit) changed++;
    }
    if (row) {
      files.push(rel);
      rows.push(row);
      stampIndex.push(stamp);
    }
  };
  const statHere = (rel: string): void => {
    let st;
    try {
      st = statSync(toAbs(rel));
    } catch (err) {
      issues.push(unreadable(rel, err));
      return;
    }
    visit(rel, st.size, st.mtimeMs, st.ctimeMs, st.ino);
  };
  // A large store is statted by two threads at once, a share each; the results are visited in path order all the same.
  const split = walked.files.length >= (opts.parallelStatFiles ?? PARALLEL_STAT_FILES) ? walked.files.length >> 1 : walked.files.length;
  const helper = split < walked.files.length ? statElsewhere(prefix, walked.files.slice(split).map((rel) => (sep === '/' ? rel : rel.split('/').join(sep)))) : undefined;
  await sliced(split === walked.files.length ? walked.files : walked.files.slice(0, split), statHere);
  if (helper) {
    const rest = walked.files.slice(split);
    const reply = await helper;
    if (!reply) {
      await sliced(rest, statHere);
    } else {
      const failed = new Map(reply.errors);
      const st = reply.stats;
      await sliced(rest, (rel, k) => {
        if (Number.isNaN(st[k * 4])) issues.push(unreadable(rel, { code: failed.get(k) }));
        else visit(rel, st[k * 4]!, st[k * 4 + 1]!, st[k * 4 + 2]!, st[k * 4 + 3]!);
      });
    }
  }
  // Rewritten only when what it would hold differs (a deleted file disappears from it too).
  if (opts.cacheFile && (changed > 0 || next.files.length !== (cache?.data.files.length ?? 0))) {
    try {
      writeState(opts.cacheFile, next);
    } catch (err) {
      issues.push({ rule: 'store-cache-unwritable', level: 'warning', file: opts.cacheFile, message: `cannot write the cache (${(err as NodeJS.ErrnoException).code ?? 'error'}): the next build reads every file again` });
    }
  }
  const stampAt = (row: number): string | undefined => {
    const at = stampIndex[row];
    return at === undefined || at < 0 ? undefined : next.stats.slice(at, at + 4).join(':');
  };
  return { columns, get heads() { return heads(); }, issues, stats, stampAt };
}
