import { describe, expect, it } from 'vitest';
import { collectNow } from '../../src/heap.js';
import { boundedMemo, detached } from '../../src/values/memo.js';

describe('boundedMemo', () => {
  it('computes each key once, undefined results included', () => {
    const made: string[] = [];
    const read = boundedMemo((key) => {
      made.push(key);
      return key === 'none' ? undefined : key.length;
    });
    expect([read('2026-01-01T00:00:00Z'), read('none'), read('2026-01-01T00:00:00Z'), read('none')]).toEqual([20, undefined, 20, undefined]);
    expect(made).toEqual(['2026-01-01T00:00:00Z', 'none']);
  });

  it('forgets what it knew once it holds its maximum, so distinct values cannot pile up', () => {
    let calls = 0;
    const read = boundedMemo((key) => (calls++, key.toUpperCase()), 3);
    for (const key of ['a', 'b', 'c', 'a']) read(key);
    expect(calls).toBe(3);
    read('d'); // the fourth distinct key clears the three before it
    read('a');
    expect(calls).toBe(5);
  });
});

describe('keys cut from a large text', () => {
  /** A date at the end of a 500 KB document, as a rule reads it: a slice of the document's text. */
  const dateIn = (n: number): string => {
    const doc = `${'é'.repeat(500_000)}<updated>2026-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:${String(n % 60).padStart(2, '0')}Z</updated>`;
    return doc.slice(500_009, -10);
  };

  it('keeps the same characters, detached from the text they were cut from', () => {
    const key = dateIn(7);
    expect(detached(key)).toBe(key);
    expect(detached('short')).toBe('short');
  });

  it('are kept without the documents they were read in', () => {
    collectNow();
    const before = process.memoryUsage().heapUsed;
    const read = boundedMemo((key) => key.length);
    for (let n = 0; n < 40; n++) expect(read(dateIn(n))).toBe(20);
    collectNow();
    // Held by their keys, the 40 documents would be 20 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
  });
});
