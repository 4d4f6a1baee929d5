/**
 * Stats for a rebuild of a large store, started on a worker thread before the cache is
 * loaded: the worker stats while the main thread parses the cache, then the main thread
 * joins in. Files are taken in chunks from one shared counter, and results land in one
 * shared array by file index, so the caller visits them in path order as before.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { getSystemErrorName } from 'node:util';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../workers.js';

export type StatJob = {
  prefix: string;
  /** Store paths, `/`-separated. */
  files: string[];
  chunk: number;
  /** One Int32: the next chunk to take. */
  counter: SharedArrayBuffer;
  /** size, mtimeMs, ctimeMs, ino per file; size NaN and the errno in place of mtimeMs when the stat failed. */
  stats: SharedArrayBuffer;
  /** One byte per chunk, set once all its files are statted. */
  done: SharedArrayBuffer;
};

export type StoreStats = {
  /** size, mtimeMs, ctimeMs, ino of file `i` at `4 * i`; size is NaN when the stat failed. */
  stats: Float64Array;
  /** Error code of each failed stat, by file index. */
  errors: Map<number, string>;
  /** Chunks the main thread statted itself (the rest were the worker's). */
  mainChunks: number;
};

export type PendingStats = {
  /** The main thread takes the chunks left, waits for the worker, and returns every file's stat. */
  finish(): Promise<StoreStats>;
  /** Stops the worker: the stats are not needed after all. */
  cancel(): void;
};

const CHUNK = 256;

export const absolute = (prefix: string, rel: string): string => prefix + (sep === '/' ? rel : rel.split('/').join(sep));

/** Stats `abs` into `stats` at `4 * i` (size NaN and the errno next to it when it fails); the size, or NaN. */
export function statInto(abs: string, stats: Float64Array, i: number): number {
  try {
    const st = statSync(abs);
    stats[i * 4] = st.size;
    stats[i * 4 + 1] = st.mtimeMs;
    stats[i * 4 + 2] = st.ctimeMs;
    stats[i * 4 + 3] = st.ino;
    return st.size;
  } catch (err) {
    stats[i * 4] = NaN;
    stats[i * 4 + 1] = (err as NodeJS.ErrnoException).errno ?? 0;
    return NaN;
  }
}

/** The error code of each failed stat in `stats`, by file index. */
export function statErrors(stats: Float64Array): Map<number, string> {
  const errors = new Map<number, string>();
  for (let i = 0; i < stats.length; i += 4) {
    if (!Number.isNaN(stats[i])) continue;
    let code = 'error';
    try {
      if (stats[i + 1]) code = getSystemErrorName(stats[i + 1]!);
    } catch {
      // An errno this platform cannot name.
    }
    errors.set(i / 4, code);
  }
  return errors;
}

/** Stats the files of chunk `c` into `stats` (shared by the main thread and the worker). */
export function statChunk(job: Pick<StatJob, 'prefix' | 'files' | 'chunk'>, c: number, stats: Float64Array): void {
  for (let i = c * job.chunk; i < Math.min(job.files.length, (c + 1) * job.chunk); i++) statInto(absolute(job.prefix, job.files[i]!), stats, i);
}

export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts statting `files` (store paths under `prefix`) on a worker thread; undefined when no worker can run here. */
export function startStats(prefix: string, files: string[]): PendingStats | undefined {
  const url = compiledWorker('stat-worker.js', import.meta.url);
  if (!url || availableParallelism() < 2) return undefined;
  const chunks = Math.ceil(files.length / CHUNK);
  const job: StatJob = { prefix, files, chunk: CHUNK, counter: new SharedArrayBuffer(4), stats: new SharedArrayBuffer(8 * 4 * files.length), done: new SharedArrayBuffer(chunks) };
  const counter = new Int32Array(job.counter);
  const stats = new Float64Array(job.stats);
  const done = new Uint8Array(job.done);
  let worker: Worker | undefined;
  let ended: Promise<void>;
  try {
    // A young generation big enough for the Stats objects of a whole run: with the default one, scavenges took as long as the stats.
    const thread = new Worker(url, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    worker = thread;
    ended = new Promise<void>((resolve) => {
      thread.once('exit', () => resolve());
      thread.once('error', () => resolve());
    });
  } catch {
    ended = Promise.resolve();
  }
  return {
    async finish() {
      let mainChunks = 0;
      for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
        statChunk(job, c, stats);
        Atomics.store(done, c, 1);
        mainChunks++;
        await yieldNow();
      }
      await ended;
      // Chunks a failed worker took but did not finish.
      for (let c = 0; c < chunks; c++) {
        if (Atomics.load(done, c)) continue;
        statChunk(job, c, stats);
        mainChunks++;
      }
      return { stats, errors: statErrors(stats), mainChunks };
    },
    cancel() {
      void worker?.terminate();
    },
  };
}
