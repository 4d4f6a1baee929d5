import { mkdir, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStats } from '../../src/store/stat-parallel.js';
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
});
