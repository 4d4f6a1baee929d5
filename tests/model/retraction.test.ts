import { describe, expect, it } from 'vitest';
import { rowOf, type ArticleHead } from '../../src/model/records.js';
import { retractionIssues, tombstonesFor, type Retraction } from '../../src/model/retraction.js';
import { selectArticles } from '../../src/model/select.js';
import type { Entry } from '../../src/model/types.js';

const config = { idPrefix: 'tag:t.example,2020:', timezone: 'Europe/Paris' };
const now = new Date('2021-06-01T12:00:00Z');
const head = (file: string, date: string, extra: Partial<ArticleHead> = {}): ArticleHead => ({ file, format: 'md', date, draft: false, tags: [], authors: [], lines: { date: 3 }, ...extra });

describe('retractions at selection', () => {
  it('leaves a retracted article out of the candidates and keeps its id from being reused', () => {
    const result = selectArticles([
      head('a.md', '2021-05-01', { id: 'x', retraction: { date: '2021-05-20T10:00:00+02:00', notice: 'Faux.' }, lines: { retracted: 5 } }),
      head('b.md', '2021-05-02', { id: 'x' }),
      head('c.md', '2021-05-03'),
    ], config, now);
    expect(result.candidates.map((c) => c.head.file)).toEqual(['c.md']);
    expect(result.retractions).toEqual([expect.objectContaining({ file: 'a.md', id: 'tag:t.example,2020:x', when: new Date('2021-05-20T08:00:00Z'), dated: true, notice: 'Faux.', line: 5 })]);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-duplicate-id', file: 'b.md' })]);
  });

  it('counts an undated retraction from "updated", else from "date"', () => {
    const result = selectArticles([
      head('a.md', '2021-05-01T00:00:00Z', { updated: '2021-05-10T00:00:00Z', retraction: {} }),
      head('b.md', '2021-05-02T00:00:00Z', { retraction: {} }),
    ], config, now);
    expect(result.retractions.map((r) => [r.file, r.when.toISOString(), r.dated])).toEqual([
      ['a.md', '2021-05-10T00:00:00.000Z', false],
      ['b.md', '2021-05-02T00:00:00.000Z', false],
    ]);
  });

  it('keeps publishing an article retracted later, and wakes the scheduler at the retraction', () => {
    const result = selectArticles([head('a.md', '2021-05-01', { retraction: { date: '2021-06-02T00:00:00Z' } }), head('b.md', '2030-01-01')], config, now);
    expect(result.candidates.map((c) => c.head.file)).toEqual(['a.md']);
    expect(result.retractions).toEqual([]);
    expect(result.nextEmbargo?.toISOString()).toBe('2021-06-02T00:00:00.000Z');
  });

  it('announces nothing for an article retracted before it was ever published', () => {
    const result = selectArticles([head('a.md', '2021-07-01', { retraction: { date: '2021-05-01' } })], config, now);
    expect(result.candidates).toEqual([]);
    expect(result.retractions).toEqual([]);
    expect(result.scheduled).toBe(0);
  });

  it('rejects an impossible retraction date at its line', () => {
    const result = selectArticles([head('a.md', '2021-05-01', { retraction: { date: '2021-02-30' }, lines: { retracted: 6 } })], config, now);
    expect(result.retractions).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-invalid-date', file: 'a.md', line: 6 })]);
    expect(result.issues[0]!.message).toMatch(/^"retracted.date"/);
  });

  it('round-trips a retraction through the flat row the cache stores', () => {
    const h = head('a.md', '2021-05-01', { retraction: { notice: 'Une “erreur”, ici.' }, lines: { date: 3, retracted: 7 } });
    const row = rowOf(h);
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
    expect(selectArticles([h], config, now).retractions[0]).toMatchObject({ notice: 'Une “erreur”, ici.', line: 7 });
  });
});

const retraction = (id: string, published: string, when: string, row = 0, extra: Partial<Retraction> = {}): Retraction =>
  ({ row, file: `${id}.md`, id, published: new Date(published), when: new Date(when), dated: true, ...extra });
const entry = (id: string, published: string): Entry => ({
  id, url: `https://t.example/${id}`, title: id, published: new Date(published), updated: new Date(published), authors: [], contentHtml: '', summary: '', tags: [], source: { file: `${id}.md` },
});
const every = { matches: () => true, limit: 3 };

describe('tombstonesFor', () => {
  it('announces a retraction for the period after it, judged against now', () => {
    // Thirty days after 2021-05-02T12:00:01Z is one second after now; thirty days after 12:00:00 is now itself, and over.
    const r = [retraction('a', '2021-05-01T00:00:00Z', '2021-05-02T12:00:01Z', 0, { notice: 'Faux.' })];
    expect(tombstonesFor(r, every, [], now, 30)).toEqual([{ ref: 'a', when: new Date('2021-05-02T12:00:01Z'), comment: 'Faux.' }]);
    expect(tombstonesFor([{ ...r[0]!, when: new Date('2021-05-02T12:00:00Z') }], every, [], now, 30)).toEqual([]);
    expect(tombstonesFor(r, every, [], now, 29)).toEqual([]);
    expect(tombstonesFor(r, every, [], now, 0)).toEqual([]);
  });

  it('announces only in the feeds that select the article', () => {
    const r = [retraction('a', '2021-05-01T00:00:00Z', '2021-05-30T00:00:00Z', 7)];
    expect(tombstonesFor(r, { matches: (row) => row === 7, limit: 3 }, [], now, 30)).toHaveLength(1);
    expect(tombstonesFor(r, { matches: (row) => row !== 7, limit: 3 }, [], now, 30)).toEqual([]);
  });

  it('announces in a full feed only what would sort among its newest entries', () => {
    const entries = [entry('e1', '2021-05-20T00:00:00Z'), entry('e2', '2021-05-10T00:00:00Z'), entry('e3', '2021-05-05T00:00:00Z')];
    const r = [
      retraction('newer', '2021-05-06T00:00:00Z', '2021-05-30T00:00:00Z'),
      retraction('older', '2021-05-04T00:00:00Z', '2021-05-30T00:00:00Z'),
      retraction('e2b', '2021-05-05T00:00:00Z', '2021-05-30T00:00:00Z'),
    ];
    expect(tombstonesFor(r, every, entries, now, 30).map((t) => t.ref)).toEqual(['e2b', 'newer']);
    expect(tombstonesFor(r, { ...every, limit: 4 }, entries, now, 30).map((t) => t.ref)).toEqual(['e2b', 'newer', 'older']);
  });

  it('announces in a feed with archive pages what it carried on a page too, however old', () => {
    const entries = [entry('e1', '2021-05-20T00:00:00Z'), entry('e2', '2021-05-10T00:00:00Z'), entry('e3', '2021-05-05T00:00:00Z')];
    const r = [retraction('newer', '2021-05-06T00:00:00Z', '2021-05-30T00:00:00Z'), retraction('ancient', '2010-01-01T00:00:00Z', '2021-05-30T00:00:00Z')];
    expect(tombstonesFor(r, { ...every, archive: { pageSize: 100 } }, entries, now, 30).map((t) => t.ref)).toEqual(['ancient', 'newer']);
    expect(tombstonesFor(r, every, entries, now, 30).map((t) => t.ref)).toEqual(['newer']);
  });

  it('orders tombstones by retraction, newest first, then by id', () => {
    const r = [retraction('b', '2021-05-01T00:00:00Z', '2021-05-20T00:00:00Z'), retraction('c', '2021-05-01T00:00:00Z', '2021-05-25T00:00:00Z'), retraction('a', '2021-05-01T00:00:00Z', '2021-05-20T00:00:00Z')];
    expect(tombstonesFor(r, every, [], now, 30).map((t) => t.ref)).toEqual(['c', 'a', 'b']);
  });
});

describe('retractionIssues', () => {
  it('warns about an undated retraction whose period is already over, and only that one', () => {
    const issues = retractionIssues([
      retraction('old', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 0, { dated: false, line: 4 }),
      retraction('dated-old', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 0, { dated: true }),
      retraction('recent', '2021-05-30T00:00:00Z', '2021-05-30T00:00:00Z', 0, { dated: false }),
    ], now, 30);
    expect(issues).toEqual([expect.objectContaining({ rule: 'store-retraction-unannounced', level: 'warning', file: 'old.md', line: 4 })]);
    expect(issues[0]!.message).toContain('retracted: { date:');
  });
});
