/**
 * The store's identity without reading it: every article's and every other store file's
 * identity (size, mtime, ctime, inode, the same the head cache trusts), and those of the media
 * folder, digested into one hash. Two builds whose stores have the same digest read the same
 * bytes. The walk and the stats are handed on to readStore, so a build that goes on to read the
 * store does not walk or stat it twice.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { startStats, statChunk, statErrors, type StoreStats } from './stat-parallel.js';
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
  statChunk({ prefix, files: [...files], chunk: files.length }, 0, stats);
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

export async function probeStore(articles: string, mediaDir: string | undefined): Promise<Probe> {
  const scanStart = Date.now();
  const walked = walkStore(articles);
  const hash = createHash('sha256');
  let racy = false;
  const add = (files: readonly string[], stats: Float64Array): void => {
    hash.update(`${files.length}\n${files.join('\n')}\n`);
    hash.update(new Uint8Array(stats.buffer, stats.byteOffset, stats.byteLength));
    for (let i = 1; i < stats.length; i += 4) if (stats[i]! >= scanStart - RACY_MS) racy = true;
  };
  let stats: StoreStats = { stats: new Float64Array(0), errors: new Map(), mainChunks: 0 };
  hash.update(`${walked.realRoot ?? ''}\n${walked.issues.map((i) => `${i.rule} ${i.file}`).join('\n')}\n`);
  if (walked.realRoot) {
    const prefix = walked.realRoot.endsWith(sep) ? walked.realRoot : walked.realRoot + sep;
    const pending = walked.files.length >= 20_000 ? startStats(prefix, walked.files) : undefined;
    if (pending) stats = await pending.finish();
    else {
      const all = identities(prefix, walked.files);
      stats = { stats: all, errors: statErrors(all), mainChunks: 1 };
    }
    add(walked.files, stats.stats);
    add(walked.others, identities(prefix, walked.others));
  }
  if (mediaDir !== undefined) {
    const media = filesUnder(mediaDir);
    add(media, identities('', media));
  }
  return { walked, stats, scanStart, digest: hash.digest('hex'), racy };
}
