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
 * Where: a few files go through Node's asynchronous zlib, in the thread pool. Thousands (a
 * large set, an archive) go to worker threads calling the synchronous functions: on the 2,934
 * archive documents of a 100k store (189 MB, 2 CPUs), asynchronous brotli took 3.3 s one at a
 * time and 4.9-5.3 s four at a time, with twice the CPU, half of the extra in the kernel;
 * synchronous brotli in two worker threads, 1.7 s.
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
  /** Worker threads compressing; 0 when the thread pool does. */
  readonly threads: number;
  compress(path: string, data: Uint8Array): Promise<Compressed>;
  /** Ends the worker threads, if any. */
  close(): Promise<void>;
};

/** From this many files, worker threads (~30 ms each to start) cost less than they save. */
const WORKERS_FROM = 64;
/**
 * Bytes per worker thread: ~250 archive pages, about 0.5 s of work. Counted in bytes, not files:
 * the ~120 full-content documents of a feed set (~40 MB) kept one thread busy for 2.4 s.
 */
const BYTES_PER_WORKER = 16 * 1024 * 1024;

/**
 * A compressor for files of these `sizes`. Top-level files (brotli 10, 9-18 MB an encoder) are
 * compressed one at a time either way: four at once were the peak of a 100k main feed's build.
 */
export function openCompressor(sizes: readonly number[]): Compressor {
  const url = sizes.length >= WORKERS_FROM ? compiledWorker('compress-worker.js', import.meta.url) : undefined;
  const bytes = sizes.reduce((sum, n) => sum + n, 0);
  return url ? inWorkers(url, Math.max(1, Math.min(availableParallelism(), 4, Math.ceil(bytes / BYTES_PER_WORKER)))) : inThreadPool();
}

function inThreadPool(): Compressor {
  let topLevel: Promise<unknown> = Promise.resolve();
  const both = async (path: string, data: Uint8Array): Promise<Compressed> => {
    const [gz, br] = await Promise.all([gzipAsync(data, { level: gzipLevel(path) }), brotliAsync(data, brotliOptions(path, data))]);
    return { gzip: gz, br };
  };
  return {
    threads: 0,
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
type Lane = { thread: Worker; waiting: Map<number, { resolve: (c: Compressed) => void; reject: (e: Error) => void }>; broken?: Error };

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Each file goes to the lane with the fewest waiting, top-level files always to the first, which takes them in turn. */
function inWorkers(url: URL, count: number): Compressor {
  let seq = 0;
  const lanes: Lane[] = Array.from({ length: count }, () => {
    const lane: Lane = { thread: new Worker(url), waiting: new Map() };
    lane.thread.unref();
    const fail = (err: Error): void => {
      lane.broken = err;
      for (const job of lane.waiting.values()) job.reject(err);
      lane.waiting.clear();
    };
    lane.thread.on('message', (answer: Answer) => {
      const job = lane.waiting.get(answer.id);
      if (!job) return;
      lane.waiting.delete(answer.id);
      if (answer.error !== undefined || !answer.gzip || !answer.br) job.reject(new Error(answer.error ?? 'compression failed'));
      else job.resolve({ gzip: asBuffer(answer.gzip), br: asBuffer(answer.br) });
    });
    lane.thread.on('error', fail);
    lane.thread.on('exit', (code) => fail(new Error(`the compression thread stopped (exit code ${code})`)));
    return lane;
  });
  return {
    threads: count,
    compress(path, data) {
      const lane = brotliQuality(path) === TOP_QUALITY ? lanes[0]! : lanes.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
      if (lane.broken) return Promise.reject(lane.broken);
      const id = ++seq;
      return new Promise<Compressed>((resolve, reject) => {
        lane.waiting.set(id, { resolve, reject });
        lane.thread.postMessage({ id, path, data });
      });
    },
    async close() {
      await Promise.all(lanes.map((lane) => lane.thread.terminate()));
    },
  };
}
