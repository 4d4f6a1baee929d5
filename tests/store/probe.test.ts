import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeStore } from '../../src/store/probe.js';
import { spawnStatWorker } from '../../src/store/stat-parallel.js';
import { tempDir } from '../helpers.js';

/** A store in a few directories, as old as the racy window allows, with an image beside the articles. */
async function makeStore(dir: string): Promise<void> {
  const old = new Date(Date.now() - 3_600_000);
  for (let d = 0; d < 4; d++) {
    await mkdir(join(dir, `2024/0${d + 1}`), { recursive: true });
    for (let f = 0; f < 300; f++) {
      const path = join(dir, `2024/0${d + 1}/article-${f}.md`);
      await writeFile(path, `---\ntitle: A ${f}\n---\n\nBody ${f}.\n`);
      await utimes(path, old, old);
    }
  }
  await writeFile(join(dir, '2024/01/photo.jpg'), 'jpeg');
  await utimes(join(dir, '2024/01/photo.jpg'), old, old);
}

// A big store's probe streams its walk to a stat worker (the expected count says so); a small one stats on the main thread.
const STREAMED = 50_000;

/** The streamed probes below are only that if a stat worker can run here. */
function workerRuns(): boolean {
  const worker = spawnStatWorker();
  worker?.cancel();
  return worker !== undefined;
}

describe('probing the store without reading it', () => {
  it('gives the same digest whether the stats were streamed to a worker during the walk or taken afterwards', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeStore(dir);
      expect(workerRuns()).toBe(true);
      const plain = await probeStore(dir, undefined, 0);
      const streamed = await probeStore(dir, undefined, STREAMED);
      expect(plain.racy).toBe(false);
      expect(streamed.walked.files).toHaveLength(1200);
      expect(streamed.digest).toBe(plain.digest);
      expect([...streamed.stats.stats]).toEqual([...plain.stats.stats]);
    } finally {
      await cleanup();
    }
  });

  it('sees an article edited in place, an article added and a file beside the articles changed, streamed or not', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeStore(dir);
      const before = (await probeStore(dir, undefined, STREAMED)).digest;
      const edits = [
        () => writeFile(join(dir, '2024/03/article-7.md'), '---\ntitle: A 7\n---\n\nBody 8.\n'),
        () => writeFile(join(dir, '2024/04/article-new.md'), '---\ntitle: New\n---\n'),
        () => writeFile(join(dir, '2024/01/photo.jpg'), 'jpeg2'),
      ];
      const seen = new Set([before]);
      for (const edit of edits) {
        await edit();
        const plain = await probeStore(dir, undefined, 0);
        const streamed = await probeStore(dir, undefined, STREAMED);
        expect(streamed.digest).toBe(plain.digest);
        expect(seen.has(streamed.digest)).toBe(false);
        seen.add(streamed.digest);
      }
    } finally {
      await cleanup();
    }
  });

  it('digests a walk that sorted a linked article in after streaming the rest as a plain probe does', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await makeStore(dir);
      await writeFile(join(dir, '_drafts.md'), '---\ntitle: Hidden\n---\n');
      // A link to a file the walk skips (its name starts with "_"): published under the link's name, sorted in at the end.
      await symlink(join(dir, '_drafts.md'), join(dir, '2024/02/linked.md'));
      const plain = await probeStore(dir, undefined, 0);
      const streamed = await probeStore(dir, undefined, STREAMED);
      expect(streamed.walked.reordered).toBe(true);
      expect(streamed.walked.files).toContain('2024/02/linked.md');
      expect(streamed.digest).toBe(plain.digest);
    } finally {
      await cleanup();
    }
  });

  it('digests a store of one folder per article, found one file at a time, as a plain probe does', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const old = new Date(Date.now() - 3_600_000);
      for (let i = 0; i < 700; i++) {
        await mkdir(join(dir, 'posts', `post-${String(i).padStart(3, '0')}`), { recursive: true });
        const path = join(dir, 'posts', `post-${String(i).padStart(3, '0')}`, 'index.md');
        await writeFile(path, `---\ntitle: Post ${i}\n---\n`);
        await utimes(path, old, old);
      }
      const plain = await probeStore(dir, undefined, 0);
      const streamed = await probeStore(dir, undefined, STREAMED);
      expect(streamed.walked.files).toHaveLength(700);
      expect(streamed.digest).toBe(plain.digest);
      expect([...streamed.stats.stats]).toEqual([...plain.stats.stats]);
    } finally {
      await cleanup();
    }
  });
});
