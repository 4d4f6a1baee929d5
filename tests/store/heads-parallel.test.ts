import { cp, mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeadsInParallel, toRow } from '../../src/store/heads-parallel.js';
import { readHead } from '../../src/store/head.js';
import { readStore } from '../../src/store/read.js';
import { ensureStore } from '../../bench/synth.js';
import { repoRoot, tempDir } from '../helpers.js';

/** A synthetic newsroom store plus every broken fixture and a few odd files, so issues come from both threads. */
async function mixedStore(dir: string): Promise<string> {
  const { dir: store } = ensureStore(dir, 400);
  await cp(join(repoRoot, 'tests/store/fixtures'), join(store, 'fixtures'), { recursive: true });
  await mkdir(join(store, 'odd'));
  await writeFile(join(store, 'odd/binary.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]));
  await writeFile(join(store, 'odd/latin1.md'), Buffer.from('---\ntitle: caf\xe9\ndate: 2020-01-01\n---\n', 'latin1'));
  await writeFile(join(store, 'odd/unknown-key.md'), '---\ntitle: T\ndate: 2020-01-01\nslug: t\n---\nBody\n');
  // Old enough to be cached by both reads, so their stamps can be compared.
  const past = new Date('2021-01-01T00:00:00Z');
  for (const entry of await readdir(store, { recursive: true, withFileTypes: true })) if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), past, past);
  return store;
}

describe('reading a store without a cache on several threads', () => {
  it('gives the same heads, issues, order and stamps as one thread', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = await mixedStore(dir);
      const one = await readStore(store, { parallelHeadFiles: Infinity });
      const many = await readStore(store, { parallelHeadFiles: 1 });
      expect(many.stats).toEqual(one.stats);
      expect(many.columns).toEqual(one.columns);
      // The rows carry what the feed set chooses by: language, tags and author names.
      expect(one.columns.rows.filter((r) => r[8] !== '' && r[9] !== '' && r[10] !== '').length).toBeGreaterThan(100);
      expect(many.issues).toEqual(one.issues);
      expect(many.issues.map((i) => i.rule)).toEqual(expect.arrayContaining(['store-binary', 'store-not-utf8', 'store-unknown-key', 'store-bad-yaml']));
      expect(one.columns.files.map((_, i) => many.stampAt(i))).toEqual(one.columns.files.map((_, i) => one.stampAt(i)));
    } finally {
      await cleanup();
    }
  });

  it('lets worker threads read chunks while the main thread is busy, each head as readHead reads it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = await mixedStore(dir);
      const files = (await readStore(store, { parallelHeadFiles: Infinity })).columns.files.slice();
      let mainThread = 0;
      const slow = (rel: string, abs: string, size: number): ReturnType<typeof toRow> => {
        mainThread++;
        // Slow enough that a worker starts and takes chunks before the main thread is done.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        return toRow(readHead(rel, abs, size), true);
      };
      const read = await readHeadsInParallel(`${store}/`, files, 5 * 1024 * 1024, true, slow);
      expect(read).toBeDefined();
      expect(mainThread).toBeLessThan(files.length);
      files.forEach((rel, i) => {
        expect(read!.stats[i * 4]).toBeGreaterThan(0);
        expect(read!.head(i)).toEqual(toRow(readHead(rel, join(store, rel), read!.stats[i * 4]!), true));
      });
    } finally {
      await cleanup();
    }
  });
});
