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
import { dirname, relative, sep } from 'node:path';
import type { Issue } from '../issue.js';
import { headOf, type ArticleHead, type HeadColumns, type HeadRow } from '../model/records.js';
import { VERSION } from '../version.js';
import { CACHE_FORMAT, loadCache, type CacheFile } from './cache.js';
import { DEFAULT_MAX_BYTES, isReadFailure, unreadable } from './files.js';
import { readHead } from './head.js';
import { own, readHeadsInParallel, toRow, withoutHeadlines, type ReadRow } from './heads-parallel.js';
import { RACY_MS, type Probe } from './probe.js';
import { startStats, yieldNow } from './stat-parallel.js';
import { writeState } from './state.js';
import { walkStore } from './walk.js';

export type StoreStats = { files: number; cached: number; read: number };
export type ReadOptions = {
  cacheFile?: string;
  maxBytes?: number;
  /** Stores of at least this many files are statted by a worker thread too when rebuilt (default 20 000; tests lower it). */
  parallelStatFiles?: number;
  /** Stores of at least this many files read without a cache are read by several threads (default 2 000; tests lower it). */
  parallelHeadFiles?: number;
  /** The store as probeStore just walked and statted it: not walked or statted again. */
  probed?: Probe;
  /** Keep each head's title, url and summary (default true): only archive pages use them (model/feed-set.ts `hasArchivePages`). */
  headlines?: boolean;
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
  /**
   * Rows of files that are broken now, holding the head they had when last read correctly: they keep
   * their place in archive pages, and no body is read from them.
   */
  kept: ReadonlySet<number>;
  /** Rows of files the last build did not see (it left a cache that does not list them): newcomers. Empty without a cache. */
  arrived: ReadonlySet<number>;
};

/** From this many files on, a rebuild has a worker thread stat them while the cache loads (starting it costs ~40 ms). */
const PARALLEL_STAT_FILES = 20_000;
/** From this many files on, a store read without a cache has its heads read by worker threads too. */
const PARALLEL_HEAD_FILES = 2_000;

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

/**
 * Reads the heads of every article in the store. Broken files become issues and the rest
 * go on; the result is in path order, so everything downstream is deterministic.
 */
export async function readStore(dir: string, opts: ReadOptions = {}): Promise<StoreRead> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const headlines = opts.headlines ?? true;
  const { probed } = opts;
  const scanStart = probed?.scanStart ?? Date.now();
  const walked = probed?.walked ?? walkStore(dir);
  const issues = [...walked.issues];
  const stats: StoreStats = { files: walked.files.length, cached: 0, read: 0 };
  const files: string[] = [];
  const rows: HeadRow[] = [];
  const columns: HeadColumns = { files, rows };
  const kept = new Set<number>();
  if (!walked.realRoot) return storeRead(columns, issues, stats, [], [], kept, new Set());
  const root = walked.realRoot;
  const prefix = root.endsWith(sep) ? root : root + sep;
  // A rebuild of a large store has a worker stat it while the cache loads.
  const early = !probed && opts.cacheFile && walked.files.length >= (opts.parallelStatFiles ?? PARALLEL_STAT_FILES) && existsSync(opts.cacheFile) ? startStats(prefix, walked.files) : undefined;
  // The store named from the cache's folder: a site moved or restored whole keeps its cache, and with it the last good
  // heads that hold broken articles' places on the archive pages; another store (`--articles`) is another cache.
  const place = opts.cacheFile ? relative(dirname(opts.cacheFile), root) || '.' : root;
  const cache = loadCache(opts.cacheFile, [place, root], headlines);
  const next: CacheFile = { format: CACHE_FORMAT, version: VERSION, root: place, files: [], stats: [], heads: [], issues: [], ...(headlines ? {} : { headlines: false as const }) };
  const nextKept: number[] = [];
  const arrived = new Set<number>();
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
  const seen = new Map<string, string>();
  // A copy of its own for each distinct value, made once (see `own`), whichever path the row came by.
  const shared = (cell: string): string => {
    let known = seen.get(cell);
    if (known === undefined) seen.set(cell, (known = own(cell)));
    return known;
  };
  const toAbs = (rel: string): string => prefix + (sep === '/' ? rel : rel.split('/').join(sep));
  const visit = (rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, pre?: ReadRow): void => {
    const i = cachedAt(rel);
    let row: HeadRow | 0;
    let fileIssues: Issue[] | undefined;
    let keep = false;
    // A read failure cached by an earlier release is read again all the same.
    const hit = i !== undefined && cs![i * 4] === size && cs![i * 4 + 1] === mtimeMs && cs![i * 4 + 2] === ctimeMs && cs![i * 4 + 3] === ino
      && !cache!.issues.get(i)?.some(isReadFailure);
    if (hit) {
      const cached = cache!.data.heads[i]!;
      row = headlines || cached === 0 ? cached : withoutHeadlines(cached);
      fileIssues = cache!.issues.get(i);
      // Kept for archive pages alone: with none now, the file is what it is, broken.
      if (cache!.kept.has(i)) {
        if (headlines) keep = true;
        else row = 0;
      }
      stats.cached++;
    } else {
      const result = pre ?? toRow(readHead(rel, toAbs(rel), size, maxBytes), headlines);
      row = result.row;
      if (result.issues.length) fileIssues = result.issues;
      stats.read++;
      // An article broken by an edit (a stray quote, a file caught half-saved) keeps the head it had
      // when last read correctly: dropped, it would shift every later archive page, which clients
      // cache for a year. Only archive pages use it; no body is read from the broken file.
      // A draft was published nowhere: nothing to keep.
      const last = i !== undefined && headlines && row === 0 ? cache!.data.heads[i] : undefined;
      if (last && last[4] !== 1) {
        row = last;
        keep = true;
      }
    }
    if (keep && row) {
      fileIssues = [...(fileIssues ?? []), keptIssue(rel, row)];
    }
    if (fileIssues) issues.push(...fileIssues);
    let stamp = -1;
    // A file too fresh to trust its identity is remembered with one that never matches: it is read
    // again next time, and its head is there to keep should that read find it broken.
    const trusted = mtimeMs < scanStart - RACY_MS && !fileIssues?.some(isReadFailure);
    const n = next.files.push(rel) - 1;
    const at = trusted ? next.stats.push(size, mtimeMs, ctimeMs, ino) - 4 : next.stats.push(-1, -1, -1, -1) - 4;
    if (trusted) stamp = at;
    next.heads.push(row);
    if (fileIssues) next.issues.push([n, fileIssues.filter((x) => x.rule !== KEPT_RULE)]);
    if (keep) nextKept.push(n);
    if (!hit) changed++;
    if (row) {
      if (keep) kept.add(rows.length);
      if (cache && i === undefined) arrived.add(rows.length);
      // Few distinct languages, tag lists and author lists among many articles: one string each.
      row[8] = shared(row[8]);
      row[9] = shared(row[9]);
      row[10] = shared(row[10]);
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
  // Without a cache every head is read: a large store is read by several threads, then visited in path order as usual.
  if (!cache) early?.cancel();
  const cold = !cache && walked.files.length >= (opts.parallelHeadFiles ?? PARALLEL_HEAD_FILES) ? await readHeadsInParallel(prefix, walked.files, maxBytes, headlines, (rel, abs, size) => toRow(readHead(rel, abs, size, maxBytes), headlines)) : undefined;
  const read = cold ?? probed?.stats ?? (cache && early ? await early.finish() : undefined);
  if (read) {
    const st = read.stats;
    await sliced(walked.files, (rel, k) => {
      if (Number.isNaN(st[k * 4])) issues.push(unreadable(rel, { code: read.errors.get(k) }));
      else visit(rel, st[k * 4]!, st[k * 4 + 1]!, st[k * 4 + 2]!, st[k * 4 + 3]!, cold?.head(k));
    });
  } else {
    await sliced(walked.files, statHere);
  }
  // Rewritten only when what it would hold differs (a deleted file disappears from it too).
  if (nextKept.length > 0) next.kept = nextKept;
  if (opts.cacheFile && (changed > 0 || next.files.length !== (cache?.data.files.length ?? 0))) {
    try {
      writeState(opts.cacheFile, next);
    } catch (err) {
      issues.push({ rule: 'store-cache-unwritable', level: 'warning', file: opts.cacheFile, message: `cannot write the cache (${(err as NodeJS.ErrnoException).code ?? 'error'}): the next build reads every file again` });
    }
  }
  return storeRead(columns, issues, stats, stampIndex, next.stats, kept, arrived);
}

const KEPT_RULE = 'store-kept-last-good';

function keptIssue(file: string, row: HeadRow): Issue {
  return {
    rule: KEPT_RULE, level: 'warning', file,
    message: row[11]
      ? `this retracted article is kept as it was last read correctly ("${row[12]}", ${row[1]}): its retraction stays announced until the file is fixed`
      : `the archive pages that carried this article keep it as it was last read correctly ("${row[12]}", ${row[1]}), so that later pages do not shift; it is out of the subscription feeds until the file is fixed`,
  };
}

/**
 * The result's closures are made here, apart: made in readStore, they would keep everything its
 * own closures hold (the cache read, the cache written, the walk) alive as long as the store.
 */
function storeRead(columns: HeadColumns, issues: Issue[], stats: StoreStats, stampIndex: readonly number[], identities: readonly number[], kept: ReadonlySet<number>, arrived: ReadonlySet<number>): StoreRead {
  const stampAt = (row: number): string | undefined => {
    const at = stampIndex[row];
    return at === undefined || at < 0 ? undefined : identities.slice(at, at + 4).join(':');
  };
  return { columns, get heads() { return columns.files.map((file, i) => headOf(file, columns.rows[i]!)); }, issues, stats, stampAt, kept, arrived };
}
