import { describe, expect, it } from 'vitest';
import { compareCandidates, keepersOf, retractedKeepers, selectArticles, selectColumns } from '../../src/model/select.js';
import { rowOf, type ArticleHead } from '../../src/model/records.js';

const config = { idPrefix: 'tag:t.example,2020:', timezone: 'Europe/Paris' };
const site = { timezone: config.timezone, url: 'https://t.example/' };
const head = (file: string, date: string, extra: Partial<ArticleHead> = {}): ArticleHead => ({ file, format: 'md', date, draft: false, tags: [], authors: [], lines: { date: 3 }, ...extra });
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

  it('says when two files sharing an id have names that differ only in NFC and NFD, which print alike', () => {
    const result = selectArticles([head('caf\u00e9.md', '2021-01-01'), head('cafe\u0301.md', '2021-01-02')], config, now);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-duplicate-id', message: expect.stringContaining('differ only in how their accents are encoded, NFC and NFD') })]);
    const plain = selectArticles([head('z.md', '2021-01-01', { id: 'a' }), head('a.md', '2021-01-01')], config, now);
    expect(plain.issues[0]!.message).not.toContain('NFC');
  });

  it('warns of an explicit id holding an invisible or direction-changing character, and publishes it as written', () => {
    const result = selectArticles([head('a.md', '2021-01-01', { id: 'news-\u202egnp.exe', lines: { id: 3 } }), head('b.md', '2021-01-02', { id: 'plain-id' })], config, now);
    expect(result.candidates.map((c) => c.id)).toHaveLength(2);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-id-invisible', level: 'warning', file: 'a.md', line: 3, message: expect.stringContaining('U+202E, which reorder how the id shows') })]);
    // Every such character is named, once.
    const several = selectArticles([head('c.md', '2021-01-01', { id: 'x\u200dy\u061cz\u200ew\u200d' })], config, now);
    expect(several.issues[0]!.message).toContain('the invisible characters U+200D, U+061C, U+200E, which reorder');
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
  it('warns of an update dated later than now, uses the date until then, and wakes the scheduler for it', () => {
    const typo = head('typo.md', '2021-05-01T00:00:00Z', { updated: '2022-05-03T00:00:00Z', lines: { date: 3, updated: 4 } });
    const result = selectArticles([typo, head('later.md', '2030-01-01')], config, now);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-updated-in-future', level: 'warning', file: 'typo.md', line: 4 })]);
    expect(result.issues[0]!.message).toContain('"updated" (2022-05-03T00:00:00.000Z) is later than now');
    expect(result.candidates[0]!.updated.toISOString()).toBe('2021-05-01T00:00:00.000Z');
    expect(result.nextEmbargo?.toISOString()).toBe('2022-05-03T00:00:00.000Z');
    // Once its time has come, it is the article's update, with no warning.
    const later = selectArticles([typo], config, new Date('2022-05-03T00:00:00Z'));
    expect(later.issues).toEqual([]);
    expect(later.candidates[0]!.updated.toISOString()).toBe('2022-05-03T00:00:00.000Z');
  });
});

describe('selectColumns', () => {
  const columns = (heads: ArticleHead[]) => ({ files: heads.map((h) => h.file), rows: heads.map(rowOf) });
  // 300 articles over 40 distinct dates, so many share a date and rank by id.
  const many = Array.from({ length: 300 }, (_, i) => head(`${String(i % 7)}/a-${i}.md`, `2021-01-${String(1 + (i * 13) % 20).padStart(2, '0')}T${String(i % 2).padStart(2, '0')}:00:00Z`));

  it('gives any first ranks exactly as the full ordering does, ties at the cut included', () => {
    const selection = selectColumns(columns(many), config, now);
    const all = selectArticles(many, config, now).candidates.map((c) => c.id);
    expect(all).toHaveLength(300);
    for (const k of [1, 7, 50, 64, 65, 129, 299, 300]) {
      const fresh = selectColumns(columns(many), config, now);
      expect(fresh.slice(0, k).map((c) => c.id)).toEqual(all.slice(0, k));
    }
    // Asked batch after batch, as the store stage does when bodies turn out broken.
    expect([...selection.slice(0, 50), ...selection.slice(50, 120), ...selection.slice(120, 400)].map((c) => c.id)).toEqual(all);
    expect(selection.count).toBe(300);
  });

  it('ranks a date shared by many articles by id, explicit ids and ids from paths alike, as compareCandidates does', () => {
    // Explicit ids that sort against their paths, so a rank taken from path order would fail.
    const mixed = many.map((h, i) => (i % 3 === 0 ? { ...h, id: `z-${300 - i}` } : h));
    const ranked = selectColumns(columns(mixed), config, now).candidates;
    expect(ranked).toHaveLength(300);
    expect(ranked.map((c) => c.id)).toEqual([...ranked].sort(compareCandidates).map((c) => c.id));
    expect(new Set(ranked.map((c) => c.published.getTime())).size).toBeLessThan(100);
  });

  it('keeps the first of two equal ids by path even when the rows come in another order', () => {
    const heads = [head('b/x.md', '2021-01-01', { id: 'same' }), head('a/x.md', '2021-01-02', { id: 'same' })];
    const selection = selectColumns(columns(heads), config, now);
    expect(selection.candidates.map((c) => c.head.file)).toEqual(['a/x.md']);
    expect(selection.issues).toEqual([expect.objectContaining({ rule: 'store-duplicate-id', file: 'b/x.md' })]);
  });

  it('leaves an id to the file the last publication carried under it, even when a newcomer sorts first', () => {
    const published = head('budget.md', '2021-01-01T10:00:00Z', { title: 'Article publié' });
    const newcomer = head('budget.json', '2021-01-02T10:00:00Z', { format: 'json', title: 'Autre article' });
    const heads = columns([newcomer, published]);
    const first = selectColumns(heads, config, now);
    const id = `${config.idPrefix}budget`;
    expect(first.shared).toEqual(new Map([[id, [0, 1]]]));
    const keepers = keepersOf(first.shared, heads, new Map([[id, { title: 'Article publié', published: Date.parse('2021-01-01T10:00:00Z') }]]), site);
    expect(keepers).toEqual(new Map([[id, 1]]));
    const again = selectColumns(heads, config, now, keepers);
    expect(again.candidates.map((c) => c.head.file)).toEqual(['budget.md']);
    expect(again.issues).toEqual([expect.objectContaining({ rule: 'store-duplicate-id', file: 'budget.json' })]);
    expect(again.issues[0]!.message).toContain('the id of budget.md, the article the last publication carried under it');
  });

  it('keeps path order when the last publication did not carry the id, or both files look like what it carried', () => {
    const heads = columns([head('a.md', '2021-01-01T10:00:00Z', { id: 'x', title: 'Même titre' }), head('b.md', '2021-01-01T10:00:00Z', { id: 'x', title: 'Même titre' })]);
    const { shared } = selectColumns(heads, config, now);
    const id = `${config.idPrefix}x`;
    expect(keepersOf(shared, heads, new Map(), site).size).toBe(0);
    expect(keepersOf(shared, heads, new Map([[id, { title: 'Même titre', published: Date.parse('2021-01-01T10:00:00Z') }]]), site).size).toBe(0);
    // A copy made as a template keeps the title and date; the link, from the path, tells them apart.
    expect(keepersOf(shared, heads, new Map([[id, { title: 'Même titre', published: Date.parse('2021-01-01T10:00:00Z'), link: 'https://t.example/b/' }]]), site)).toEqual(new Map([[id, 1]]));
    // The title alone is enough when the dates tell nothing apart, whitespace and Unicode form aside.
    const retitled = columns([head('a.md', '2021-01-01T10:00:00Z', { id: 'x', title: 'Autre' }), head('b.md', '2021-01-01T10:00:00Z', { id: 'x', title: ' Me\u0302me  titre' })]);
    expect(keepersOf(selectColumns(retitled, config, now).shared, retitled, new Map([[id, { title: 'Même titre' }]]), site)).toEqual(new Map([[id, 1]]));
  });

  it('leaves a tie, or an id nothing published tells about, to the file the last build already had rather than a newcomer', () => {
    const heads = columns([head('a.json', '2021-01-01T10:00:00Z', { id: 'x', title: 'Même' }), head('a.md', '2021-01-01T10:00:00Z', { id: 'x', title: 'Même' })]);
    const { shared } = selectColumns(heads, config, now);
    const id = `${config.idPrefix}x`;
    const item = { title: 'Même', published: Date.parse('2021-01-01T10:00:00Z') };
    expect(keepersOf(shared, heads, new Map([[id, item]]), site, new Set([0]))).toEqual(new Map([[id, 1]]));
    expect(keepersOf(shared, heads, new Map(), site, new Set([0]))).toEqual(new Map([[id, 1]]));
    // Both new, or both known: path order.
    expect(keepersOf(shared, heads, new Map([[id, item]]), site, new Set([0, 1])).size).toBe(0);
    expect(keepersOf(shared, heads, new Map(), site).size).toBe(0);
  });

  it('leaves the id of a retracted article to it, whatever file sorts first', () => {
    const heads = columns([head('aaa.md', '2021-01-02T10:00:00Z', { id: 'x' }), head('old.md', '2021-01-01T10:00:00Z', { id: 'x', retraction: { date: '2021-02-01T00:00:00Z' } })]);
    const { shared } = selectColumns(heads, config, now);
    expect(retractedKeepers(shared, heads.rows)).toEqual(new Map([[`${config.idPrefix}x`, 1]]));
    const again = selectColumns(heads, config, now, retractedKeepers(shared, heads.rows));
    expect(again.candidates).toEqual([]);
    expect(again.retractions.map((r) => r.file)).toEqual(['old.md']);
    expect(again.issues[0]!.message).toContain('the id of old.md, retracted: the id of a retracted article stays taken');
  });

  it('refuses a present but empty id, as the row keeps it apart from an absent one', () => {
    const selection = selectColumns(columns([head('a.md', '2021-01-01', { id: '', lines: { id: 5 } })]), config, now);
    expect(selection.count).toBe(0);
    expect(selection.issues).toEqual([expect.objectContaining({ rule: 'store-bad-field-type', file: 'a.md', line: 5 })]);
  });

  it('publishes an article whose id has spaces, under that id percent-encoded, instead of refusing it', () => {
    const selection = selectColumns(columns([head('a.md', '2021-01-01', { id: ' numéro 12 ' })]), config, now);
    expect(selection.issues).toEqual([]);
    expect(selection.candidates.map((c) => c.id)).toEqual([`${config.idPrefix}numéro%2012`]);
  });
});
