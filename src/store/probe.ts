/**
 * The store's identity without reading it: every article's and every other store file's
 * identity (size, mtime, ctime, inode, the same the head cache trusts), and those of the media
 * folder, digested into one hash. Two builds whose stores have the same digest read the same
 * bytes. The walk and the stats are handed on to readStore, so a build that goes on to read the
 * store does not walk or stat it twice.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { spawnStatWorker, STAT_BATCH, startStats, statChunk, statErrors, type StoreStats } from './stat-parallel.js';
import { walkStore, type Walked } from './walk.js';

export type Probe = {
  walked: Walked;
  stats: StoreStats;
  /** When the walk started: files modified within the racy window before it are not trusted as unchanged. */
  scanStart: number;
  /** sha256 over the paths and identities of the store's and the media folder's files. */
  digest: string;
  /** True when a file changed so recently that a same-size edit within one clock tick could go unseen. */
  racy: boolean;
};

/** As in read.ts: entries modified this close to the scan are not trusted. */
export const RACY_MS = 2000;

function identities(prefix: string, files: readonly string[]): Float64Array {
  const stats = new Float64Array(files.length * 4);
  statChunk({ prefix, files, chunk: files.length }, 0, stats);
  return stats;
}

/** Every file under `dir` (recursively, hidden ones too: media can be anything), sorted. */
function filesUnder(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath?: string; path?: string; isFile(): boolean }[])
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? e.path ?? dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** From this many files the stats are shared with a worker thread. */
const PARALLEL_FILES = 20_000;

/**
 * `expectedFiles`: how many articles the last probe found. A big store has its stat worker
 * started before the walk, and stat files as the walk finds them.
 */
export async function probeStore(articles: string, mediaDir: string | undefined, expectedFiles = 0): Promise<Probe> {
  const scanStart = Date.now();
  const stream = expectedFiles >= PARALLEL_FILES ? spawnStatWorker()?.stream(expectedFiles) : undefined;
  // The articles' paths, each ended by NUL: digested a batch at a time as a streaming walk finds them.
  let paths = createHash('sha256');
  // Files before this one are digested and offered to the worker; a store of one folder per article
  // finds them one by one, so they are offered in full batches only.
  let offered = 0;
  const walked = walkStore(articles, stream && ((prefix, files) => {
    for (; offered + STAT_BATCH <= files.length; offered += STAT_BATCH) {
      const joined = files.slice(offered, offered + STAT_BATCH).join('\0');
      paths.update(`${joined}\0`);
      stream.add(prefix, offered, STAT_BATCH, joined);
    }
  }));
  // A walk that sorted linked articles in after streaming the rest (rare) left the worker's indexes off, and the paths' digest.
  const streaming = stream !== undefined && walked.realRoot !== undefined && !walked.reordered;
  // The last files, fewer than a batch, are the main thread's.
  if (streaming && offered < walked.files.length) paths.update(`${walked.files.slice(offered).join('\0')}\0`);
  if (!streaming) {
    stream?.cancel();
    paths = createHash('sha256');
    if (walked.files.length > 0) paths.update(`${walked.files.join('\0')}\0`);
  }
  const hash = createHash('sha256');
  hash.update(`${walked.realRoot ?? ''}\n${walked.issues.map((i) => `${i.rule} ${i.file}`).join('\n')}\n`);
  let racy = false;
  const add = (files: readonly string[], stats: Float64Array, pathsDigest?: Buffer): void => {
    hash.update(pathsDigest ?? `${files.join('\0')}\0`);
    hash.update(`${files.length}\0`);
    hash.update(new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
    for (let i = 1; i < stats.length; i += 4) if (stats[i]! >= scanStart - RACY_MS) racy = true;
  };
  let stats: StoreStats = { stats: new Float64Array(0), errors: new Map(), mainChunks: 0 };
  if (walked.realRoot) {
    const prefix = walked.realRoot.endsWith(sep) ? walked.realRoot : walked.realRoot + sep;
    const pending = streaming || walked.files.length < PARALLEL_FILES ? undefined : startStats(prefix, walked.files);
    if (streaming) stats = await stream.finish(prefix, walked.files);
    else if (pending) stats = await pending.finish();
    else {
      const all = identities(prefix, walked.files);
      stats = { stats: all, errors: statErrors(all), mainChunks: 1 };
    }
    add(walked.files, stats.stats, paths.digest());
    add(walked.others, identities(prefix, walked.others));
  }
  if (mediaDir !== undefined) {
    const media = filesUnder(mediaDir);
    add(media, identities('', media));
  }
  return { walked, stats, scanStart, digest: hash.digest('hex'), racy };
}
