/**
 * The head cache: the heads of the last build, keyed by each file's identity (path, size,
 * mtime, ctime, inode), so an unchanged store is rebuilt without opening any article.
 */
import type { Issue } from '../issue.js';
import type { HeadRow } from '../model/records.js';
import { readState, sweepStateTemps } from './state.js';

// /5: heads gained the retraction cell, then title, url and summary for archive pages; older rows would silently lack them.
// /6: a new warning on heads (store-tags-one-string), which /5 files' cached issues would lack until they changed.
// /7: more warnings on heads (store-content-and-html, store-duplicate-key).
// /8: `episodeType` became a field (/7 files warn that it is unknown), and a title of zero-width characters alone is missing (/7 files accepted it).
// /9: other tools' keys (`published: false` rejected, store-foreign-date) and a value a comment cut short (store-yaml-comment): /8 files' cached verdicts lack them.
// /11: a `!!timestamp` date is read as written (/10 files rejected it), and a date alone on a day whose midnight was skipped warns.
export const CACHE_FORMAT = 'kiosque-store-cache/11';

/**
 * Columns rather than one object per file: 100k entries parse and collect as a few large
 * arrays instead of a million small objects, which is most of a no-change rebuild's time.
 */
export type CacheFile = {
  format: string;
  version: string;
  /** The store's folder, relative to the cache's (absolute in caches written before). */
  root: string;
  files: string[];
  /** size, mtimeMs, ctimeMs, ino for each file, in order. */
  stats: number[];
  heads: (HeadRow | 0)[];
  /** [file index, issues] for the files that had any. */
  issues: [number, Issue[]][];
  /** Set when the rows were kept without title, url and summary (no feed had archive pages): a build that needs them reads every head again. */
  headlines?: false;
  /** Files that are broken now, whose row is the head they had when last read correctly (store/read.ts). Absent in files written before it: none kept. */
  kept?: number[];
};

export type LoadedCache = { data: CacheFile; issues: Map<number, Issue[]>; kept: Set<number> };

/** `roots`: the names the store may be recorded under (relative to the cache's folder; absolute in caches written before). */
export function loadCache(path: string | undefined, roots: readonly string[], headlines: boolean): LoadedCache | undefined {
  if (!path) return undefined;
  sweepStateTemps(path);
  const data = readState<CacheFile>(path, CACHE_FORMAT);
  // Another format, release or store, or columns that do not line up: start afresh rather than trust it.
  if (!data || !roots.includes(data.root) || !Array.isArray(data.files) || !Array.isArray(data.stats) || !Array.isArray(data.heads) || !Array.isArray(data.issues)) return undefined;
  if (data.stats.length !== data.files.length * 4 || data.heads.length !== data.files.length) return undefined;
  if (headlines && data.headlines === false) return undefined;
  if (data.kept !== undefined && !Array.isArray(data.kept)) return undefined;
  return { data, issues: new Map(data.issues), kept: new Set(data.kept) };
}
