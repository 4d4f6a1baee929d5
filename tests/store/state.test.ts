import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, readState, writeState } from '../../src/store/state.js';
import { VERSION } from '../../src/version.js';
import { tempDir } from '../helpers.js';

/** A head cache's shape: long top-level arrays of rows and numbers, with what JSON.stringify treats specially. */
function bigRecord(): Record<string, unknown> {
  const rows = Array.from({ length: 2_500 }, (_, i) => ['md', `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, `« Dépêche ${i} » — l’été`, i % 7 === 0 ? 0 : i, [`tag-${i % 5}`, 'économie']]);
  return {
    format: 'kiosque-test/1',
    version: VERSION,
    skipped: undefined,
    root: '/store',
    files: rows.map((_, i) => `2024/01/dépêche-${i}.md`),
    stats: Array.from({ length: 10_000 }, (_, i) => (i % 4 === 1 ? 1_700_000_000_000.5 + i : i % 13 === 0 ? NaN : i)),
    heads: rows,
    holes: Array.from({ length: 1_001 }, (_, i) => (i % 2 ? undefined : { n: i, gone: undefined })),
    issues: [[3, [{ rule: 'x', message: 'a "quoted" \u2028 line' }]]],
    // The page cache's shape: one large object, keyed by path, with integer-like keys JSON orders first.
    pages: Object.fromEntries(Array.from({ length: 2_345 }, (_, i) => [i % 9 === 0 ? String(i) : `archive/${i}.atom`, i % 11 === 0 ? undefined : { n: i, ids: [`tag:x,2020:${i}`] }])),
    allSkipped: Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`k${i}`, undefined])),
  };
}

describe('state files', () => {
  it('writes exactly the bytes JSON.stringify gives, a slice of each long array at a time, and reads them back', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const record = bigRecord();
      const path = join(dir, 'state', 'cache.json');
      writeState(path, record as { format: string; version: string });
      expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(record));
      expect(readState(path, 'kiosque-test/1')).toEqual(JSON.parse(JSON.stringify(record)));
      expect(readdirSync(join(dir, 'state'))).toEqual(['cache.json']);
    } finally {
      await cleanup();
    }
  });

  it('leaves the previous file and no temp file behind when writing fails half-way', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 'cache.json');
      writeState(path, { format: 'kiosque-test/1', version: VERSION });
      const before = readFileSync(path, 'utf8');
      const record = bigRecord();
      // A row that cannot be serialised, well past the first slice already written.
      (record.heads as unknown[])[2_200] = { toJSON: () => { throw new Error('cannot serialise'); } };
      expect(() => writeState(path, record as { format: string; version: string })).toThrow('cannot serialise');
      expect(readFileSync(path, 'utf8')).toBe(before);
      expect(readdirSync(dir)).toEqual(['cache.json']);
    } finally {
      await cleanup();
    }
  });

  /** JSON.parse's verdict on `text`: its value, or that it refuses it. */
  const parsed = (text: string): unknown => {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return 'refused';
    }
  };
  const streamed = (path: string, chunk: number): unknown => {
    try {
      return { value: readJson(path, chunk) };
    } catch {
      return 'refused';
    }
  };

  it('reads a state file piece by piece into exactly what JSON.parse gives, whatever falls on a read boundary', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const tricky = ['a ] b', 'c , d', 'e } f', '"quoted"', 'back\\slash\\', '\\"', 'l’été « x »', '\u2028', '[{,}]', ''];
      const record = {
        format: 'kiosque-test/1',
        version: VERSION,
        root: 'a ] } , "',
        empty: [],
        nested: { a: [1, [2, [3]], { b: '}]' }], c: null },
        rows: Array.from({ length: 300 }, (_, i) => [tricky[i % tricky.length], i, i % 3 ? { t: tricky[(i + 3) % tricky.length] } : [], -i / 7, i % 5 === 0]),
        last: 12.5e-3,
      };
      // JSON.parse makes "__proto__" an own property, never the prototype.
      const text = JSON.stringify(record).replace('"root":', '"__proto__":{"polluted":true},"root":');
      const path = join(dir, 'state.json');
      writeFileSync(path, `  ${text.replace(/,"rows"/, ' ,\n "rows"')}\n`);
      const expected = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      for (const chunk of [1, 2, 3, 7, 64, 1000, 1 << 20]) expect(readJson(path, chunk), `chunk ${chunk}`).toEqual(expected);
      const back = readJson(path, 5) as Record<string, unknown>;
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.hasOwn(back, '__proto__')).toBe(true);
      expect((back as { polluted?: boolean }).polluted).toBeUndefined();
    } finally {
      await cleanup();
    }
  });

  it('refuses every file JSON.parse refuses: each truncation, and damaged bytes anywhere', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const text = JSON.stringify({ format: 'f', rows: [['a ] ,', 1, { b: [2, '}'] }], [], 'c'], n: -1.5, o: { p: [true, null] } });
      const path = join(dir, 'state.json');
      const cases = [
        ...Array.from({ length: text.length }, (_, i) => text.slice(0, i)),
        ...Array.from({ length: text.length }, (_, i) => `${text.slice(0, i)}${text.slice(i + 1)}`),
        ...Array.from({ length: text.length }, (_, i) => `${text.slice(0, i)},${text.slice(i)}`),
        ...Array.from({ length: text.length }, (_, i) => `${text.slice(0, i)}]${text.slice(i + 1)}`),
        `${text} x`, `${text}}`, '[1]', '"s"', '{"a":1,}', '{"a":[1,]}', '{"a":[,1]}', '{"a" 1}', '{"a":1 "b":2}',
      ];
      for (const variant of cases) {
        writeFileSync(path, variant);
        const verdict = parsed(variant);
        // The top level of a state file is an object; JSON.parse accepts other values, which kiosque never writes.
        const value = verdict === 'refused' ? undefined : (verdict as { value: unknown }).value;
        const expected = verdict !== 'refused' && (value === null || typeof value !== 'object' || Array.isArray(value)) ? 'refused' : verdict;
        for (const chunk of [3, 1 << 20]) expect(streamed(path, chunk), `${variant} (chunk ${chunk})`).toEqual(expected);
      }
    } finally {
      await cleanup();
    }
  });
});
