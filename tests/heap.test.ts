import { describe, expect, it } from 'vitest';
import { leanWhile } from '../src/heap.js';

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
