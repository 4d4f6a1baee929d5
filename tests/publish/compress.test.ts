import { availableParallelism } from 'node:os';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressHere, openAsideCompressor, openCompressor } from '../../src/publish/compress.js';

/** A distinct archive-page-like document: accents, repeated markup, a number of its own. */
const page = (n: number): Buffer => Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<feed>${Array.from({ length: 40 }, (_, i) => `<entry><id>tag:example.org,2026:${n}-${i}</id><title>Économie n°${n}, « dépêche » ${i}</title></entry>`).join('\n')}</feed>\n`);

describe('compressing published files', () => {
  it('compresses a few files in the thread pool, each .gz and .br decoding to its own bytes', async () => {
    const compressor = openCompressor([1, 2, 3].map((n) => page(n).byteLength));
    try {
      expect(compressor.lanes).toBe(0);
      const docs = [page(1), page(2), page(3)];
      const out = await Promise.all(docs.map((d, i) => compressor.compress(i === 0 ? 'rss.xml' : `archive/${i}.xml`, d)));
      out.forEach(({ gzip, br }, i) => {
        expect(gunzipSync(gzip)).toEqual(docs[i]);
        expect(brotliDecompressSync(br)).toEqual(docs[i]);
      });
    } finally {
      await compressor.close();
    }
  });

  it('compresses hundreds of files on the main thread and worker threads, each answer matched to its own file, top-level ones included', async () => {
    // ~60 KB each, ~18 MB in all: two threads' worth of bytes.
    const docs = Array.from({ length: 300 }, (_, n) => Buffer.concat([page(n), Buffer.from(`<!-- ${'é'.repeat(27_000)} -->`)]));
    const compressor = openCompressor(docs.map((d) => d.byteLength));
    try {
      expect(compressor.lanes).toBe(Math.min(availableParallelism(), 2));
      expect(compressor.threads).toBe(compressor.lanes - 1);
      // Many in flight at once, across the threads, answered in whatever order they finish.
      const paths = docs.map((_, n) => (n % 100 === 0 ? `top-${n}.xml` : `archive/${n}.xml`));
      const out = await Promise.all(docs.map((d, n) => compressor.compress(paths[n]!, d)));
      out.forEach(({ gzip, br }, n) => {
        expect(Buffer.isBuffer(gzip) && Buffer.isBuffer(br)).toBe(true);
        // Buffer.equals: a deep comparison of 300 documents of 60 KB takes vitest minutes.
        expect(gunzipSync(gzip).equals(docs[n]!)).toBe(true);
        expect(brotliDecompressSync(br).equals(docs[n]!)).toBe(true);
      });
    } finally {
      await compressor.close();
    }
  });

  it('gives large files as many threads as their bytes need, not as their count suggests, the main thread among them unless there are thousands', async () => {
    // ~120 full-content feeds of a feed set: few files, ~36 MB.
    const compressor = openCompressor(Array.from({ length: 120 }, () => 300_000));
    try {
      expect(compressor.lanes).toBe(Math.min(availableParallelism(), 3));
      expect(compressor.threads).toBe(compressor.lanes - 1);
    } finally {
      await compressor.close();
    }
    // Thousands of files: the main thread has the writing to do, worker threads compress.
    const archive = openCompressor(Array.from({ length: 3000 }, () => 65_000));
    try {
      expect(archive.lanes).toBe(Math.min(availableParallelism(), 4));
      expect(archive.threads).toBe(archive.lanes);
    } finally {
      await archive.close();
    }
    const small = openCompressor(Array.from({ length: 120 }, () => 5_000));
    try {
      expect(small.lanes).toBe(1);
      expect(small.threads).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('compresses a build\'s feed documents aside on one worker thread, started by the first, into the bytes the publication would write', async () => {
    const docs = Array.from({ length: 70 }, (_, n) => page(n));
    const paths = docs.map((_, n) => (n < 3 ? ['rss.xml', 'atom.xml', 'feed.json'][n]! : `tags/t${n}/atom.xml`));
    const aside = openAsideCompressor(117);
    try {
      expect([aside.threads, aside.lanes]).toEqual([0, 0]);
      const out = await Promise.all(docs.map((d, n) => aside.compress(paths[n]!, d)));
      // A worker thread, never the main thread: it validates meanwhile.
      expect([aside.threads, aside.lanes]).toEqual([1, 1]);
      out.forEach(({ gzip, br }, n) => {
        const here = compressHere(paths[n]!, docs[n]!);
        expect(gzip.equals(here.gzip) && br.equals(here.br)).toBe(true);
      });
    } finally {
      await aside.close();
    }
    // The main feed alone: its three documents in the thread pool.
    const few = openAsideCompressor(3);
    try {
      const { br } = await few.compress('rss.xml', page(1));
      expect(few.lanes).toBe(0);
      expect(br.equals(compressHere('rss.xml', page(1)).br)).toBe(true);
    } finally {
      await few.close();
    }
  });

  it('settles every file when closed, the ones a stopped thread held failing instead of waiting for ever', async () => {
    const docs = Array.from({ length: 20 }, (_, n) => page(n));
    const compressor = openCompressor(Array.from({ length: 300 }, () => 70_000));
    const jobs = docs.map((d, n) => compressor.compress(`archive/${n}.xml`, d));
    await compressor.close();
    const settled = await Promise.allSettled(jobs);
    settled.forEach((result, n) => {
      if (result.status === 'fulfilled') expect(gunzipSync(result.value.gzip)).toEqual(docs[n]);
      else expect(String(result.reason)).toMatch(/compression thread stopped/);
    });
    // The main thread's share is compressed whatever becomes of the worker's.
    expect(settled.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(docs.length / compressor.lanes - 1);
    await expect(compressor.compress('archive/1.xml', page(1))).rejects.toThrow(/closed/);
  });
});
