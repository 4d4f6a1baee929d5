/**
 * A cold read of a large store (no usable cache: every head must be read) shared between the
 * main thread and worker threads. Parsing front matter is most of a cold build, and it is
 * CPU work that one thread cannot overlap with anything else.
 *
 * Files are taken in chunks from one shared counter, so a thread slowed by other work on the
 * machine simply takes fewer chunks. Each thread stats a file, then reads its head with the
 * same `readHead` the single-threaded path uses; results are kept by file index, so the
 * caller visits them in path order exactly as if it had read them itself.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Issue, Result } from '../issue.js';
import { rowOf, type ArticleHead, type HeadRow } from '../model/records.js';
import { compiledWorker } from '../workers.js';
import { absolute, statErrors, statInto, yieldNow } from './stat-parallel.js';

/** One file's head as a row (0 when the file was rejected), and the issues met reading it. */
export type ReadRow = { row: HeadRow | 0; issues: Issue[] };

export type ParallelRead = {
  /** size, mtimeMs, ctimeMs, ino of file `i` at `4 * i`; size is NaN when the stat failed. */
  stats: Float64Array;
  /** Error code of each failed stat, by file index. */
  errors: Map<number, string>;
  /** Head of file `i`, for every file whose stat succeeded. */
  head(i: number): ReadRow;
};

export type HeadJob = {
  prefix: string;
  files: string[];
  maxBytes: number;
  /** Rows keep their title, url and summary (see toRow). */
  headlines: boolean;
  chunk: number;
  /** One Int32: the next chunk to take. */
  counter: SharedArrayBuffer;
  /** `stats` of ParallelRead, written in place by whichever thread reads the file. */
  stats: SharedArrayBuffer;
};

/** What a worker posts after each chunk, then `{ done: true }` once the counter runs out. */
export type ChunkReply = { chunk: number; rows: (HeadRow | 0)[]; issues: [index: number, issues: Issue[]][] };

/** Files per chunk: small enough that the main thread yields to the event loop every few ms. */
const CHUNK = 64;
/** Worker threads beyond this add start-up cost and memory for little gain on file-bound work. */
const MAX_WORKERS = 3;

/**
 * A string of its own: values parsed from a head are slices of the whole head's text, and
 * 100k rows held for the rest of the build would keep 100k heads (~35 MB) alive through them.
 * V8 copies slices shorter than 13 characters; longer ones are copied through JSON, which
 * gives a flat string (a slice of a fresh copy would cost ~32 bytes more a cell) and is faster.
 */
export const own = (text: string): string => (text.length < 13 ? text : JSON.parse(JSON.stringify(text)) as string);

/** Empties a row's title, url and summary: only archive pages read them, and they are a fifth of 100k rows' memory. */
export function withoutHeadlines(row: HeadRow): HeadRow {
  row[12] = '';
  row[13] = '';
  row[14] = '';
  return row;
}

/**
 * `headlines`: keep the title, url and summary (some feed has archive pages). `copy`: give the
 * cells strings of their own; a worker's rows need not, postMessage copies them anyway. The
 * language, tags and authors are left to the store, which keeps one copy of each distinct value.
 */
export function toRow(result: Result<ArticleHead | undefined>, headlines: boolean, copy = true): ReadRow {
  if (!result.value) return { row: 0, issues: result.issues };
  const row = rowOf(result.value);
  if (!headlines) withoutHeadlines(row);
  if (copy) for (const k of [1, 2, 3, 12, 13, 14] as const) row[k] = own(row[k]);
  return { row, issues: result.issues };
}

/** Stats file `i` into `stats`, then reads its head (undefined when the stat failed); shared by the main thread and the workers. */
export function readOne(job: Pick<HeadJob, 'prefix' | 'files'>, i: number, stats: Float64Array, read: (rel: string, abs: string, size: number) => ReadRow): ReadRow | undefined {
  const abs = absolute(job.prefix, job.files[i]!);
  const size = statInto(abs, stats, i);
  return Number.isNaN(size) ? undefined : read(job.files[i]!, abs, size);
}

/**
 * Stats and reads the heads of `files` (store paths, `/`-separated) with the main thread and
 * up to `availableParallelism() - 1` workers. Undefined when no worker can run here: the
 * caller then reads them itself. `read` is the main thread's own head reader.
 */
export async function readHeadsInParallel(prefix: string, files: string[], maxBytes: number, headlines: boolean, read: (rel: string, abs: string, size: number) => ReadRow): Promise<ParallelRead | undefined> {
  const url = compiledWorker('head-worker.js', import.meta.url);
  const count = Math.min(MAX_WORKERS, availableParallelism() - 1);
  if (!url || count < 1) return undefined;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const stats = new Float64Array(new SharedArrayBuffer(8 * 4 * files.length));
  const job: HeadJob = { prefix, files, maxBytes, headlines, chunk: CHUNK, counter: counter.buffer as SharedArrayBuffer, stats: stats.buffer as SharedArrayBuffer };
  const chunks = Math.ceil(files.length / CHUNK);
  const done = new Uint8Array(chunks);
  // Rows and the few files' issues apart: no object per file stays alive while the caller visits them.
  const rows = new Array<HeadRow | 0>(files.length).fill(0);
  const issues = new Map<number, Issue[]>();
  const finished: Promise<void>[] = [];
  for (let w = 0; w < count; w++) {
    finished.push(new Promise<void>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(url, { workerData: job });
      } catch {
        resolve();
        return;
      }
      worker.on('message', (reply: ChunkReply | { done: true }) => {
        if ('done' in reply) return resolve();
        if (done[reply.chunk]) return;
        const start = reply.chunk * CHUNK;
        for (let k = 0; k < reply.rows.length; k++) rows[start + k] = reply.rows[k]!;
        for (const [i, list] of reply.issues) issues.set(i, list);
        done[reply.chunk] = 1;
      });
      // A worker that fails leaves its chunks undone; the main thread reads them below.
      worker.once('error', () => resolve());
      worker.once('exit', () => resolve());
    }));
  }
  const readChunk = (c: number): void => {
    for (let i = c * CHUNK; i < Math.min(files.length, (c + 1) * CHUNK); i++) {
      const got = readOne(job, i, stats, read);
      if (!got) continue;
      rows[i] = got.row;
      if (got.issues.length) issues.set(i, got.issues);
    }
    done[c] = 1;
  };
  for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
    readChunk(c);
    await yieldNow();
  }
  await Promise.all(finished);
  for (let c = 0; c < chunks; c++) if (!done[c]) readChunk(c);
  const none: Issue[] = [];
  return { stats, errors: statErrors(stats), head: (i) => ({ row: rows[i]!, issues: issues.get(i) ?? none }) };
}
