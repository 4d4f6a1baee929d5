import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readState, writeState } from '../../src/store/state.js';
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
});
