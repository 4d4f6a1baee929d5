import { describe, expect, it } from 'vitest';
import { pool } from '../src/pool.js';

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('pool', () => {
  it('keeps at most the limit in flight and starts the items in order', async () => {
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    await pool([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, async (n) => {
      started.push(n);
      most = Math.max(most, ++inFlight);
      await pause(5 + (n % 3) * 5);
      inFlight--;
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('gives each item its index, so results can be kept in order whichever finishes first', async () => {
    const results: string[] = [];
    await pool(['c', 'a', 'b'], 2, async (item, k) => {
      await pause(item === 'c' ? 15 : 1);
      results[k] = item.toUpperCase();
    });
    expect(results).toEqual(['C', 'A', 'B']);
  });

  it('after a failure starts nothing new, and rethrows it only once the work in flight has finished', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const failure = new Error('ENOSPC');
    const run = pool([0, 1, 2, 3, 4, 5], 3, async (n) => {
      started.push(n);
      if (n === 1) throw failure;
      await pause(30);
      finished.push(n);
    });
    await expect(run).rejects.toBe(failure);
    // 0 and 2 were in flight when 1 failed: a caller removing their directory must find them done.
    expect(finished.sort()).toEqual([0, 2]);
    expect(started).toEqual([0, 1, 2]);
  });
});
