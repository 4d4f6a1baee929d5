/**
 * Renders article bodies in a worker thread with a time limit. Markdown parsers have
 * super-linear corners (micromark takes minutes on some pathological nestings of a few
 * hundred KB), and one article must not be able to stall the build or the server sharing
 * the process: past the limit the worker is ended and the article rejected.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderBody, type BodyKind } from '../model/content.js';
import { compiledWorker } from '../workers.js';

export type Rendered = { ok: true; html: string } | { ok: false; reason: 'timeout' | 'error'; message: string };

export type Renderer = {
  render(text: string, kind: BodyKind, base: string): Promise<Rendered>;
  close(): Promise<void>;
};

export const DEFAULT_RENDER_TIMEOUT_MS = 10_000;
/**
 * A renderer's young generation, in MB. Under V8's default (up to 48 MB), rendering a feed
 * set's ~2,000 bodies of a 100k store in two renderers took the build from ~160 MB to a peak of
 * 330-350 MB; capped, 270-310 MB, in the same time (a body's garbage dies young).
 */
const YOUNG_GENERATION_MB = 8;

/** A queue this deep starts another worker: loading one costs about as much as rendering ~50 bodies. */
const GROW_AT = 64;

/**
 * One worker, started at once so that its module loading overlaps with whatever its caller does
 * before the first job, and restarted after a timeout. Jobs run one at a time in submission order.
 */
function createSingle(opts: { timeoutMs?: number } = {}): Renderer & { pending(): number } {
  let pending = 0;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const url = compiledWorker('render-worker.js', import.meta.url);
  let worker: { thread: Worker; ready: Promise<void> } | undefined;
  let seq = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const start = (): { thread: Worker; ready: Promise<void> } => {
    const thread = new Worker(url!, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    thread.unref();
    const ready = new Promise<void>((resolve) => {
      const onReady = (msg: { ready?: boolean }): void => {
        if (!msg.ready) return;
        thread.off('message', onReady);
        resolve();
      };
      thread.on('message', onReady);
      // A worker that dies while starting: jobs then fail through the 'error' handler.
      thread.once('error', () => resolve());
      thread.once('exit', () => resolve());
    });
    return { thread, ready };
  };
  if (url) worker = start();

  const runOne = async (text: string, kind: BodyKind, base: string): Promise<Rendered> => {
    if (!url) {
      // No compiled worker (running from source without a build): render inline, without a time limit.
      try {
        return { ok: true, html: renderBody(text, kind, base) };
      } catch (err) {
        return { ok: false, reason: 'error', message: (err as Error).message };
      }
    }
    const current = (worker ??= start());
    await current.ready;
    const w = current.thread;
    const id = ++seq;
    return new Promise<Rendered>((resolve) => {
      const done = (result: Rendered): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        resolve(result);
      };
      const onMessage = (msg: { seq: number; html?: string; error?: string }): void => {
        if (msg.seq !== id) return;
        done(msg.html !== undefined ? { ok: true, html: msg.html } : { ok: false, reason: 'error', message: msg.error ?? 'render failed' });
      };
      const onError = (err: Error): void => {
        worker = undefined;
        done({ ok: false, reason: 'error', message: err.message });
      };
      const timer = setTimeout(() => {
        worker = undefined;
        void w.terminate();
        done({ ok: false, reason: 'timeout', message: `rendering took over ${timeoutMs} ms` });
      }, timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage({ seq: id, text, kind, base });
    });
  };

  return {
    pending: () => pending,
    render(text, kind, base) {
      pending++;
      const next = queue.then(() => runOne(text, kind, base)).finally(() => pending--);
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      const w = worker;
      worker = undefined;
      if (w) await w.thread.terminate();
    },
  };
}

/**
 * A pool of up to `workers` renderers (default: one per CPU, at most 4); each job goes to the
 * least busy one. One worker starts on the first job, or at once with `eager` so its module
 * loading overlaps with reading the first bodies; more start only when many jobs queue up (a
 * feed set can need thousands of bodies).
 */
export function createRenderer(opts: { timeoutMs?: number; workers?: number; eager?: boolean } = {}): Renderer {
  const size = Math.max(1, opts.workers ?? Math.min(4, availableParallelism()));
  const pool: ReturnType<typeof createSingle>[] = [];
  if (opts.eager) pool.push(createSingle(opts));
  return {
    render(text, kind, base) {
      let best = pool[0];
      for (const r of pool) if (r.pending() < best!.pending()) best = r;
      if (!best || (best.pending() >= GROW_AT && pool.length < size)) {
        best = createSingle(opts);
        pool.push(best);
      }
      return best.render(text, kind, base);
    },
    async close() {
      await Promise.all(pool.map((r) => r.close()));
    },
  };
}
