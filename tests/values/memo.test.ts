import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/values/memo.js';

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
