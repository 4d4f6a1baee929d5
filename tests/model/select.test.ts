import { describe, expect, it } from 'vitest';
import { selectArticles } from '../../src/model/select.js';
import type { ArticleHead } from '../../src/store/schema.js';

const config = { idPrefix: 'tag:t.example,2020:', timezone: 'Europe/Paris' };
const head = (file: string, date: string, extra: Partial<ArticleHead> = {}): ArticleHead => ({ file, format: 'md', date, draft: false, lines: { date: 3 }, ...extra });
const now = new Date('2021-06-01T12:00:00Z');

describe('selectArticles', () => {
  it('orders newest first and equal dates by id, whatever the input order', () => {
    const heads = [head('b.md', '2021-01-01T00:00:00Z'), head('c.md', '2021-02-01T00:00:00Z'), head('a.md', '2021-01-01T00:00:00Z')];
    const ids = (h: ArticleHead[]): string[] => selectArticles(h, config, now).candidates.map((c) => c.head.file);
    expect(ids(heads)).toEqual(['c.md', 'a.md', 'b.md']);
    expect(ids([...heads].reverse())).toEqual(['c.md', 'a.md', 'b.md']);
  });

  it('publishes an article dated exactly now, holds back a later one, and counts drafts without reporting them', () => {
    const result = selectArticles([
      head('now.md', '2021-06-01T12:00:00Z'),
      head('later.md', '2021-06-01T12:00:01Z'),
      head('much-later.md', '2030-01-01'),
      head('draft.md', '2021-01-01', { draft: true }),
      head('undated-draft.md', '', { draft: true }),
    ], config, now);
    expect(result.candidates.map((c) => c.head.file)).toEqual(['now.md']);
    expect(result.scheduled).toBe(2);
    expect(result.drafts).toBe(2);
    expect(result.nextEmbargo?.toISOString()).toBe('2021-06-01T12:00:01.000Z');
    expect(result.issues).toEqual([]);
  });

  it('keeps the first of two articles sharing an id by path and names both files', () => {
    const result = selectArticles([head('z.md', '2021-01-01', { id: 'a', lines: { id: 4 } }), head('a.md', '2021-01-01')], config, now);
    expect(result.candidates.map((c) => c.head.file)).toEqual(['a.md']);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-duplicate-id', file: 'z.md', line: 4 })]);
    expect(result.issues[0]!.message).toContain('a.md');
  });

  it('rejects impossible dates at their line and warns when updated precedes date', () => {
    const result = selectArticles([
      head('bad.md', '2020-02-30'),
      head('early.md', '2021-01-02T00:00:00Z', { updated: '2021-01-01T00:00:00Z', lines: { date: 3, updated: 4 } }),
      head('ok.md', '2021-01-01T00:00:00Z', { updated: '2021-03-01T00:00:00Z' }),
    ], config, now);
    expect(result.issues).toEqual([
      expect.objectContaining({ rule: 'store-invalid-date', level: 'error', file: 'bad.md', line: 3 }),
      expect.objectContaining({ rule: 'store-updated-before-date', level: 'warning', file: 'early.md', line: 4 }),
    ]);
    const early = result.candidates.find((c) => c.head.file === 'early.md')!;
    expect(early.updated).toEqual(early.published);
    expect(result.candidates.find((c) => c.head.file === 'ok.md')!.updated.toISOString()).toBe('2021-03-01T00:00:00.000Z');
  });
});
