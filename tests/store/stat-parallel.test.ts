import { mkdir, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnStatWorker, STAT_BATCH, startStats } from '../../src/store/stat-parallel.js';
import { tempDir } from '../helpers.js';

describe('statting a store on a worker thread', () => {
  it('stats every file as statSync does while the main thread is busy, and names the stat that failed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const files: string[] = [];
      for (let d = 0; d < 10; d++) {
        await mkdir(join(dir, `d${d}`));
        for (let f = 0; f < 200; f++) {
          files.push(`d${d}/f${f}.md`);
          await writeFile(join(dir, `d${d}/f${f}.md`), 'x'.repeat(f));
        }
      }
      await rm(join(dir, 'd3/f7.md'));
      const pending = startStats(`${dir}/`, files);
      expect(pending).toBeDefined();
      // The main thread loads the cache meanwhile; here it just waits, so the worker takes chunks first.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const got = await pending!.finish();
      expect(got.mainChunks).toBeLessThan(Math.ceil(files.length / 256));
      expect(got.errors).toEqual(new Map([[files.indexOf('d3/f7.md'), 'ENOENT']]));
      files.forEach((rel, i) => {
        if (rel === 'd3/f7.md') return;
        const st = statSync(join(dir, rel));
        expect([...got.stats.subarray(i * 4, i * 4 + 4)], rel).toEqual([st.size, st.mtimeMs, st.ctimeMs, st.ino]);
      });
    } finally {
      await cleanup();
    }
  });

  it('stats files handed over while the walk goes on, whichever thread takes each batch, and those past the room it made', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const files: string[] = [];
      for (let f = 0; f < 1500; f++) {
        files.push(`f${String(f).padStart(4, '0')}.md`);
        await writeFile(join(dir, files.at(-1)!), 'y'.repeat(f % 300));
      }
      await rm(join(dir, 'f0042.md'));
      // Room for about 100 files: the worker is offered the first batches only, the rest is the main thread's.
      const stream = spawnStatWorker()!.stream(100);
      for (let at = 0; at < files.length; at += STAT_BATCH) {
        const count = Math.min(STAT_BATCH, files.length - at);
        stream.add(`${dir}/`, at, count, files.slice(at, at + count).join('\0'));
        // A walk takes a while between directories: the worker gets to some batches first.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      const got = await stream.finish(`${dir}/`, files);
      expect(got.stats.length).toBe(files.length * 4);
      expect(got.errors).toEqual(new Map([[42, 'ENOENT']]));
      files.forEach((rel, i) => {
        if (i === 42) return;
        const st = statSync(join(dir, rel));
        expect([...got.stats.subarray(i * 4, i * 4 + 4)], rel).toEqual([st.size, st.mtimeMs, st.ctimeMs, st.ino]);
      });
    } finally {
      await cleanup();
    }
  });
});
