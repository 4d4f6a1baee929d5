import { availableParallelism } from 'node:os';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openCompressor } from '../../src/publish/compress.js';

/** A distinct archive-page-like document: accents, repeated markup, a number of its own. */
const page = (n: number): Buffer => Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<feed>${Array.from({ length: 40 }, (_, i) => `<entry><id>tag:example.org,2026:${n}-${i}</id><title>Économie n°${n}, « dépêche » ${i}</title></entry>`).join('\n')}</feed>\n`);

describe('compressing published files', () => {
  it('compresses a few files in the thread pool, each .gz and .br decoding to its own bytes', async () => {
    const compressor = openCompressor([1, 2, 3].map((n) => page(n).byteLength));
    try {
      expect(compressor.threads).toBe(0);
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

  it('compresses hundreds of files in worker threads, each answer matched to its own file, top-level ones included', async () => {
    const docs = Array.from({ length: 300 }, (_, n) => page(n));
    const compressor = openCompressor(docs.map((d) => d.byteLength));
    try {
      expect(compressor.threads).toBeGreaterThanOrEqual(1);
      // Many in flight at once, across the threads, answered in whatever order they finish.
      const paths = docs.map((_, n) => (n % 100 === 0 ? `top-${n}.xml` : `archive/${n}.xml`));
      const out = await Promise.all(docs.map((d, n) => compressor.compress(paths[n]!, d)));
      out.forEach(({ gzip, br }, n) => {
        expect(Buffer.isBuffer(gzip) && Buffer.isBuffer(br)).toBe(true);
        expect(gunzipSync(gzip)).toEqual(docs[n]);
        expect(brotliDecompressSync(br)).toEqual(docs[n]);
      });
    } finally {
      await compressor.close();
    }
  });

  it('gives large files as many threads as their bytes need, not as their count suggests', async () => {
    // ~120 full-content feeds of a feed set: few files, ~36 MB.
    const compressor = openCompressor(Array.from({ length: 120 }, () => 300_000));
    try {
      expect(compressor.threads).toBe(Math.min(availableParallelism(), 3));
    } finally {
      await compressor.close();
    }
    const small = openCompressor(Array.from({ length: 120 }, () => 5_000));
    try {
      expect(small.threads).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('fails the files of a thread that stopped, instead of waiting for ever', async () => {
    const compressor = openCompressor(Array.from({ length: 300 }, () => 70_000));
    await compressor.close();
    await expect(compressor.compress('archive/1.xml', page(1))).rejects.toThrow(/compression thread stopped/);
  });
});
