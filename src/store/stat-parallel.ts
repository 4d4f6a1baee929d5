/**
 * Stats for a rebuild of a large store on a worker thread beside the main thread. The worker is
 * started before its job is known (while the store is walked, or the cache loaded), then both
 * threads take chunks of files from one shared counter, and results land in one shared array
 * by file index, so the caller visits them in path order as before.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import { getSystemErrorName } from 'node:util';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../workers.js';

export type StatJob = {
  prefix: string;
  /** Store paths, `/`-separated, joined by NUL (no file name holds one): one string is cloned to the worker far faster than an array. */
  paths: string;
  count: number;
  chunk: number;
  /** One Int32: the next chunk to take. */
  counter: SharedArrayBuffer;
  /** size, mtimeMs, ctimeMs, ino per file; size NaN and the errno in place of mtimeMs when the stat failed. */
  stats: SharedArrayBuffer;
  /** One byte per chunk, set once all its files are statted. */
  done: SharedArrayBuffer;
};

/** What the main thread posts to the worker: one job, or a stream of batches found by a walk still going on. */
export type StatMessage =
  | ({ kind: 'job' } & StatJob)
  | { kind: 'stream'; stats: SharedArrayBuffer; claims: SharedArrayBuffer }
  /** Files `from..from+count` of the walk, joined by NUL. */
  | { kind: 'batch'; batch: number; prefix: string; from: number; count: number; paths: string }
  | { kind: 'end' };

/** A batch's claim: taken by whichever thread swaps it from free first, then done. */
export const FREE = 0;
export const TAKEN = 1;
export const DONE = 2;

export type StoreStats = {
  /** size, mtimeMs, ctimeMs, ino of file `i` at `4 * i`; size is NaN when the stat failed. */
  stats: Float64Array;
  /** Error code of each failed stat, by file index. */
  errors: Map<number, string>;
  /** Chunks the main thread statted itself (the rest were the worker's). */
  mainChunks: number;
};

/** A stat worker started ahead of its job, so that its start-up overlaps what comes before. */
export type StatWorker = {
  /** Hands it `files` (store paths under `prefix`): both threads stat them from now. */
  stat(prefix: string, files: string[]): PendingStats;
  /** Has it stat files while the walk finds them; room is made for about `expected` files, the rest is statted at the end. */
  stream(expected: number): StatStream;
  /** Stops the worker: it is not needed after all. */
  cancel(): void;
};

export type StatStream = {
  /** The walk found files `from..from+count` (store paths under `prefix`, `joined` by NUL; at most STAT_BATCH): the worker may stat them while it goes on. */
  add(prefix: string, from: number, count: number, joined: string): void;
  /** The walk is over and found `files`, in the order `add` saw them: both threads stat what the worker has not taken. */
  finish(prefix: string, files: readonly string[]): Promise<StoreStats>;
  /** Stops the worker: the walk's files are statted otherwise. */
  cancel(): void;
};

export type PendingStats = {
  /** The main thread takes the chunks left, waits for the worker, and returns every file's stat. */
  finish(): Promise<StoreStats>;
  /** Stops the worker: the stats are not needed after all. */
  cancel(): void;
};

const CHUNK = 256;
/** The most files a streamed batch should hold: small enough for the two threads to share the last ones evenly. */
export const STAT_BATCH = CHUNK;

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
export function statChunk(job: { prefix: string; files: readonly string[]; chunk: number }, c: number, stats: Float64Array): void {
  for (let i = c * job.chunk; i < Math.min(job.files.length, (c + 1) * job.chunk); i++) statInto(absolute(job.prefix, job.files[i]!), stats, i);
}

export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts a stat worker that waits for its job; undefined when no worker can run here. */
export function spawnStatWorker(): StatWorker | undefined {
  const url = compiledWorker('stat-worker.js', import.meta.url);
  if (!url || availableParallelism() < 2) return undefined;
  let worker: Worker | undefined;
  let ended: Promise<void>;
  try {
    // A young generation big enough for the Stats objects of a whole run: with the default one, scavenges took as long as the stats.
    const thread = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    worker = thread;
    ended = new Promise<void>((resolve) => {
      thread.once('exit', () => resolve());
      thread.once('error', () => resolve());
    });
  } catch {
    ended = Promise.resolve();
  }
  const post = (message: StatMessage): void => worker?.postMessage(message);
  return {
    stat(prefix, files) {
      const chunks = Math.ceil(files.length / CHUNK);
      const job: StatJob = {
        prefix, paths: files.join('\0'), count: files.length, chunk: CHUNK,
        counter: new SharedArrayBuffer(4), stats: new SharedArrayBuffer(8 * 4 * files.length), done: new SharedArrayBuffer(chunks),
      };
      const mine = { prefix, files, chunk: CHUNK };
      const counter = new Int32Array(job.counter);
      const stats = new Float64Array(job.stats);
      const done = new Uint8Array(job.done);
      post({ kind: 'job', ...job });
      return {
        async finish() {
          let mainChunks = 0;
          for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
            statChunk(mine, c, stats);
            Atomics.store(done, c, 1);
            mainChunks++;
            await yieldNow();
          }
          await ended;
          // Chunks a failed worker took but did not finish.
          for (let c = 0; c < chunks; c++) {
            if (Atomics.load(done, c)) continue;
            statChunk(mine, c, stats);
            mainChunks++;
          }
          return { stats, errors: statErrors(stats), mainChunks };
        },
        cancel() {
          void worker?.terminate();
        },
      };
    },
    stream(expected) {
      // Room for the store as it was, and some growth; batches past it are the main thread's.
      const capacity = Math.ceil(expected * 1.25) + 4 * CHUNK;
      const maxBatches = Math.ceil(capacity / CHUNK);
      const shared = new Float64Array(new SharedArrayBuffer(8 * 4 * capacity));
      const claims = new Int32Array(new SharedArrayBuffer(4 * maxBatches));
      const batches: { from: number; count: number }[] = [];
      /** Files from here on were never offered to the worker. */
      let offered = 0;
      post({ kind: 'stream', stats: shared.buffer as SharedArrayBuffer, claims: claims.buffer as SharedArrayBuffer });
      const statRange = (prefix: string, files: readonly string[], from: number, count: number, into: Float64Array): void => {
        for (let i = from; i < from + count; i++) statInto(absolute(prefix, files[i]!), into, i);
      };
      return {
        add(prefix, from, count, joined) {
          if (from !== offered || from + count > capacity || batches.length === maxBatches) return;
          post({ kind: 'batch', batch: batches.length, prefix, from, count, paths: joined });
          batches.push({ from, count });
          offered = from + count;
        },
        async finish(prefix, files) {
          const done = new Promise<void>((resolve) => {
            worker?.once('message', () => resolve());
            void ended.then(resolve);
          });
          post({ kind: 'end' });
          const stats = files.length <= capacity ? new Float64Array(shared.buffer, 0, 4 * files.length) : new Float64Array(4 * files.length);
          let mainChunks = 0;
          // From the end, while the worker goes on from the start.
          for (let b = batches.length - 1; b >= 0; b--) {
            if (Atomics.compareExchange(claims, b, FREE, TAKEN) !== FREE) continue;
            statRange(prefix, files, batches[b]!.from, batches[b]!.count, shared);
            Atomics.store(claims, b, DONE);
            mainChunks++;
          }
          statRange(prefix, files, offered, files.length - offered, stats);
          await done;
          // Batches a failed worker took but did not finish.
          for (const [b, { from, count }] of batches.entries()) if (Atomics.load(claims, b) !== DONE) statRange(prefix, files, from, count, shared);
          if (stats.buffer !== shared.buffer) stats.set(shared.subarray(0, 4 * offered));
          return { stats, errors: statErrors(stats), mainChunks };
        },
        cancel() {
          void worker?.terminate();
        },
      };
    },
    cancel() {
      void worker?.terminate();
    },
  };
}

/** Starts statting `files` (store paths under `prefix`) on a worker thread; undefined when no worker can run here. */
export function startStats(prefix: string, files: string[]): PendingStats | undefined {
  return spawnStatWorker()?.stat(prefix, files);
}
