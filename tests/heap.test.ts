import { describe, expect, it } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { collectNow, collectWhenGrown, leanWhile } from '../src/heap.js';

describe('collecting in the memory-saving mode', () => {
  it('hands back what the collection returned', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ row: i, title: `article ${i}` }));
    expect(await leanWhile(async () => rows)).toBe(rows);
  });

  it('passes a failed collection on unchanged, and a later build collects normally', async () => {
    const failure = new Error('the store cannot be read');
    await expect(leanWhile(async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await leanWhile(async () => 'second build')).toBe('second build');
  });
});

describe('after the collection', () => {
  /** The young generation a new worker thread reaches after churning short-lived objects (what a gate worker does). */
  async function youngGenerationOfNewWorker(): Promise<number> {
    const { Worker } = await import('node:worker_threads');
    const code = `
      const { parentPort } = require('node:worker_threads');
      const v8 = require('node:v8');
      let keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, text: 'x' + i }); if (keep.length > 1000) keep = []; }
      parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`;
    const worker = new Worker(code, { eval: true });
    try {
      return await new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    } finally {
      await worker.terminate();
    }
  }

  it('ends the mode when the collection says so: a worker thread started before the collection returns grows its young generation', async () => {
    const size = await leanWhile(async (endLean) => {
      endLean();
      return youngGenerationOfNewWorker();
    });
    expect(size).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  });

  it('lets worker threads started afterwards grow their young generation past the 1 MB the memory-saving mode sets', async () => {
    await leanWhile(async () => 'collected');
    // V8 grows it to 16 MB semi-spaces (32 MB) under this churn; the memory-saving mode caps it at 1 MB (2 MB).
    expect(await youngGenerationOfNewWorker()).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  });
});

describe('a full collection between phases', () => {
  it('frees what nothing holds any more, and leaves no gc() to other contexts', () => {
    collectNow();
    const before = process.memoryUsage().heapUsed;
    const holder: { rows?: { n: number; text: string }[] } = { rows: Array.from({ length: 300_000 }, (_, n) => ({ n, text: `article ${n}` })) };
    expect(process.memoryUsage().heapUsed - before).toBeGreaterThan(10 * 1024 * 1024);
    delete holder.rows;
    collectNow();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 1024 * 1024);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});

describe('collections while a thread makes large garbage', () => {
  const used = (): number => getHeapStatistics().used_heap_size;
  /** Arrays of 1 MB each, which V8 puts in its large-object space, outside the semi-spaces, dropped at once. */
  const garbage = (megabytes: number): void => {
    let made: number[][] | undefined = Array.from({ length: megabytes }, (_, i) => new Array(1 << 17).fill(i));
    made = undefined;
    void made;
  };

  it('collects once the heap holds half as much again as was alive after the last collection, and 8 MB more, not before', () => {
    collectNow();
    const alive = used();
    garbage(4);
    const small = used();
    collectWhenGrown();
    // Below the threshold the garbage waits for V8's own collection.
    expect(used()).toBeGreaterThan(small - 1024 * 1024);
    garbage(Math.ceil((alive * 0.5) / (1024 * 1024)) + 12);
    expect(used()).toBeGreaterThan(1.5 * alive + 8 * 1024 * 1024);
    collectWhenGrown();
    expect(used()).toBeLessThan(alive + 2 * 1024 * 1024);
  });

  it('compacts on request: what one collection leaves committed on half-emptied pages is given back', async () => {
    /** Heap committed in a fresh thread after three rows in four are dropped and `collectNow(options)` runs (the built module: workers run dist/). */
    const committedAfter = async (options: string): Promise<number> => {
      const { Worker } = await import('node:worker_threads');
      const heap = new URL('../dist/src/heap.js', import.meta.url).href;
      const worker = new Worker(`
        import('${heap}').then(({ collectNow }) => {
          const { parentPort } = require('node:worker_threads');
          const kept = [];
          let dropped = [];
          for (let n = 0; n < 400000; n++) (n % 4 === 0 ? kept : dropped).push({ n, text: 'row ' + n });
          dropped = [];
          collectNow(${options});
          parentPort.postMessage([require('node:v8').getHeapStatistics().total_heap_size, kept.length]);
        });`, { eval: true });
      try {
        const [total, kept] = await new Promise<[number, number]>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        expect(kept).toBe(100_000);
        return total;
      } finally {
        await worker.terminate();
      }
    };
    const once = await committedAfter('');
    expect(await committedAfter('{ compact: true }')).toBeLessThan(once - 1024 * 1024);
  });
});
