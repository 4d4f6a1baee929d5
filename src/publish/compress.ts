/**
 * The .gz and .br bodies of published files: their levels, and where the work runs.
 *
 * Levels: the documents at the top of out/ (the main feed, which the most pollers fetch, and
 * its companions) at brotli 10 and gzip 9; everything below (section, tag, language and author
 * feeds, archive pages) at brotli 6 and gzip 6. Measured here:
 * - a 269 KB full-content feed: brotli q10 168 ms for 51.6 KB, holding 9 MB; q9 107 ms for
 *   53.7 KB, holding 26 MB (its hash tables do not shrink with the input); q6 26 ms for 58.3 KB.
 *   q11 took 466 ms on a 314 KB feed: every build would wait for it.
 * - a 69 KB archive page: brotli q9 56 ms, q6 2 ms for 1 % more bytes.
 * - the 294 archive pages of a 10k store (19.5 MB): gzip 9 1.04 s for 2.92 MB, gzip 6 0.43 s
 *   for 2.93 MB.
 *
 * Where: a few files go through Node's asynchronous zlib, in the thread pool. More go to
 * threads calling the synchronous functions: a few hundred to the main thread and worker
 * threads, thousands (an archive) to worker threads, and a build's feed documents to one worker
 * thread while the gate validates them (`openAsideCompressor`). On the 2,934 archive documents of a
 * 100k store (189 MB, 2 CPUs), asynchronous brotli took 3.3 s one at a time and 4.9-5.3 s four
 * at a time, with twice the CPU, half of the extra in the kernel; synchronous brotli in two
 * worker threads, 1.7 s.
 */
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { brotliCompress, brotliCompressSync, constants as zlib, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import { compiledWorker } from '../workers.js';

const TOP_QUALITY = 10;
const brotliQuality = (path: string): number => (path.includes('/') ? 6 : TOP_QUALITY);
const gzipLevel = (path: string): number => (path.includes('/') ? 6 : 9);
const brotliOptions = (path: string, data: Uint8Array): BrotliOptions => ({
  params: {
    [zlib.BROTLI_PARAM_QUALITY]: brotliQuality(path),
    [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
    [zlib.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
  },
});

export type Compressed = { gzip: Buffer; br: Buffer };

/** Both encodings of one file, on the calling thread (the worker's side). */
export function compressHere(path: string, data: Uint8Array): Compressed {
  return { gzip: gzipSync(data, { level: gzipLevel(path) }), br: brotliCompressSync(data, brotliOptions(path, data)) };
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type Compressor = {
  /** Worker threads compressing besides the main thread; 0 also when the thread pool does (`lanes` 0). */
  readonly threads: number;
  /** Threads compressing, the main thread included when it is one; 0 when the thread pool does. */
  readonly lanes: number;
  compress(path: string, data: Uint8Array): Promise<Compressed>;
  /** Ends the worker threads, if any. */
  close(): Promise<void>;
};

/** From this many files, threads calling the synchronous functions (~30 ms each to start) cost less than the thread pool. */
const LANES_FROM = 64;
/**
 * Bytes per thread: ~250 archive pages, about 0.5 s of work. Counted in bytes, not files:
 * the ~120 full-content documents of a feed set (~40 MB) kept one thread busy for 2.4 s.
 */
const BYTES_PER_LANE = 16 * 1024 * 1024;
/**
 * Up to this many files the main thread compresses too. Beyond, it has the spool to read and
 * thousands of files to write: the 8,800 files of a 100k store's archive took 9.0 s to publish
 * with it as a lane, 6.9 s with two worker threads.
 */
const MAIN_LANE_UP_TO = 1000;

/**
 * A compressor for files of these `sizes`. Top-level files (brotli 10, 9-18 MB an encoder) are
 * compressed one at a time either way: four at once were the peak of a 100k main feed's build.
 * For a few hundred files the main thread is one of the threads: it only waits on the disk
 * meanwhile, and a worker thread costs memory of its own. The feed set of a 100k store, when
 * its 117 documents were still compressed here, peaked at 306-331 MB while publishing with two
 * workers, 271-276 MB with the main thread and one; they are now compressed while the gate
 * validates them (`openAsideCompressor`), unless the gate has worker threads of its own.
 */
export function openCompressor(sizes: readonly number[]): Compressor {
  const url = sizes.length >= LANES_FROM ? compiledWorker('compress-worker.js', import.meta.url) : undefined;
  const bytes = sizes.reduce((sum, n) => sum + n, 0);
  const lanes = Math.max(1, Math.min(availableParallelism(), 4, Math.ceil(bytes / BYTES_PER_LANE)));
  if (!url) return inThreadPool();
  return sizes.length <= MAIN_LANE_UP_TO ? inLanes(url, true, lanes - 1) : inLanes(url, false, lanes);
}

/**
 * A compressor for `count` documents made one at a time while the main thread has other work: a
 * build's feed documents, compressed while the gate validates them, so that the publication only
 * writes them. From LANES_FROM documents one worker thread (never the main thread, busy
 * validating), fewer in the thread pool. Nothing starts before the first document.
 */
export function openAsideCompressor(count: number): Compressor {
  let opened: Compressor | undefined;
  const open = (): Compressor => {
    const url = count >= LANES_FROM ? compiledWorker('compress-worker.js', import.meta.url) : undefined;
    return (opened ??= url ? inLanes(url, false, 1) : inThreadPool());
  };
  return {
    get threads() {
      return opened?.threads ?? 0;
    },
    get lanes() {
      return opened?.lanes ?? 0;
    },
    compress: (path, data) => open().compress(path, data),
    async close() {
      await opened?.close();
    },
  };
}

function inThreadPool(): Compressor {
  let topLevel: Promise<unknown> = Promise.resolve();
  const both = async (path: string, data: Uint8Array): Promise<Compressed> => {
    const [gz, br] = await Promise.all([gzipAsync(data, { level: gzipLevel(path) }), brotliAsync(data, brotliOptions(path, data))]);
    return { gzip: gz, br };
  };
  return {
    threads: 0,
    lanes: 0,
    compress(path, data) {
      if (brotliQuality(path) !== TOP_QUALITY) return both(path, data);
      const job = topLevel.then(() => both(path, data));
      topLevel = job.catch(() => undefined);
      return job;
    },
    async close() {},
  };
}

type Answer = { id: number; gzip?: Uint8Array; br?: Uint8Array; error?: string };
type Job = { resolve: (c: Compressed) => void; reject: (e: Error) => void };
type Lane = { waiting: number; run(path: string, data: Uint8Array): Promise<Compressed>; close(): Promise<void> };

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The main thread as a lane: one file per turn of the event loop, so the writes of compressed files go on between two. */
function mainLane(): Lane {
  let queue: Promise<unknown> = Promise.resolve();
  const lane: Lane = {
    waiting: 0,
    run(path, data) {
      lane.waiting++;
      const job = queue
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .then(() => compressHere(path, data))
        .finally(() => lane.waiting--);
      queue = job.catch(() => undefined);
      return job;
    },
    async close() {
      await queue;
    },
  };
  return lane;
}

function workerLane(url: URL): Lane {
  const thread = new Worker(url);
  thread.unref();
  const waiting = new Map<number, Job>();
  let seq = 0;
  let broken: Error | undefined;
  const fail = (err: Error): void => {
    broken = err;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  thread.on('message', (answer: Answer) => {
    const job = waiting.get(answer.id);
    if (!job) return;
    waiting.delete(answer.id);
    if (answer.error !== undefined || !answer.gzip || !answer.br) job.reject(new Error(answer.error ?? 'compression failed'));
    else job.resolve({ gzip: asBuffer(answer.gzip), br: asBuffer(answer.br) });
  });
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`the compression thread stopped (exit code ${code})`)));
  return {
    get waiting() {
      return waiting.size;
    },
    run(path, data) {
      if (broken) return Promise.reject(broken);
      const id = ++seq;
      return new Promise<Compressed>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({ id, path, data });
      });
    },
    async close() {
      await thread.terminate();
    },
  };
}

/**
 * The main thread, if `main`, and `workers` worker threads. Each file goes to the lane with the
 * fewest waiting; top-level files always to the last lane, which takes them in turn: a worker
 * thread when there is one, since the main thread, ~170 ms on each, held up the writes meanwhile
 * (the feed set's publication took 2.2-2.5 s instead of 1.9-2.1 s).
 */
function inLanes(url: URL, main: boolean, workers: number): Compressor {
  const lanes: Lane[] = [...(main ? [mainLane()] : []), ...Array.from({ length: workers }, () => workerLane(url))];
  let closed: Error | undefined;
  return {
    threads: workers,
    lanes: lanes.length,
    compress(path, data) {
      if (closed) return Promise.reject(closed);
      const lane = brotliQuality(path) === TOP_QUALITY ? lanes[lanes.length - 1]! : lanes.reduce((a, b) => (b.waiting < a.waiting ? b : a));
      return lane.run(path, data);
    },
    async close() {
      closed = new Error('the compressor is closed');
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
