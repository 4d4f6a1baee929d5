import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { archiveOf, archivePages, hasHeadline, headlineEntry, headlineKey, pageFeed, pageFilePath, parsePagePath } from '../../src/model/archive.js';
import { rowOf } from '../../src/model/records.js';
import { parseFeedSpecs } from '../../src/model/feed-spec.js';
import type { Candidate } from '../../src/model/select.js';
import { siteFromConfig } from '../../src/model/to-feed.js';
import type { Entry } from '../../src/model/types.js';

const config = resolveConfig({ title: 'Kiosque', url: 'https://kiosque.example/', feedBaseUrl: 'https://kiosque.example/feeds/', idPrefix: 'tag:kiosque.example,2020:', author: { name: 'Rédaction', email: 'r@kiosque.example' } }, '/', 't').value!;
const site = siteFromConfig(config, '0.0.0');

/** `n` entries, newest first, one a day. */
function entries(n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(Date.UTC(2020, 0, 1 + (n - 1 - i)));
    return { id: `tag:kiosque.example,2020:a${n - 1 - i}`, url: `https://kiosque.example/a${n - 1 - i}/`, title: `A ${n - 1 - i}`, published: day, updated: day, authors: [], contentHtml: '', summary: '', tags: [], headline: true, source: { file: `a${n - 1 - i}.md` } };
  });
}

describe('archivePages', () => {
  it('numbers pages from the oldest: page 1 holds the oldest pageSize entries, only the newest page is partial', () => {
    const pages = archivePages(entries(25), 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages[0]!.map((e) => e.title)).toEqual(['A 9', 'A 8', 'A 7', 'A 6', 'A 5', 'A 4', 'A 3', 'A 2', 'A 1', 'A 0']);
    expect(pages[2]!.map((e) => e.title)).toEqual(['A 24', 'A 23', 'A 22', 'A 21', 'A 20']);
  });

  it('partitions the entries: every one on exactly one page', () => {
    const all = entries(1001);
    const ids = archivePages(all, 100).flat().map((e) => e.id);
    expect(ids.length).toBe(1001);
    expect(new Set(ids)).toEqual(new Set(all.map((e) => e.id)));
  });

  it('leaves full pages as they were when a newer entry is added', () => {
    const before = archivePages(entries(30), 10);
    const after = archivePages(entries(31), 10);
    expect(after.slice(0, 3)).toEqual(before);
    expect(after[3]!.map((e) => e.title)).toEqual(['A 30']);
  });

  it('has no page for an empty feed and refuses a page size below 1', () => {
    expect(archivePages([], 100)).toEqual([]);
    expect(() => archivePages(entries(3), 0)).toThrow();
  });
});

describe('archiveOf', () => {
  it('links the subscription document to the newest page and each page to its neighbours and to the subscription document', () => {
    const { paging, pages } = archiveOf(site, 25, 10, config.feedBaseUrl);
    expect(paging).toEqual({ prevArchive: { rss: 'https://kiosque.example/feeds/archive/3.xml', atom: 'https://kiosque.example/feeds/archive/3.atom', json: 'https://kiosque.example/feeds/archive/3.json' } });
    const [p1, p2, p3] = pages;
    expect(p1!.paging).toMatchObject({ archive: true, current: { rss: site.links.rss }, nextArchive: { atom: 'https://kiosque.example/feeds/archive/2.atom' } });
    expect(p1!.paging.prevArchive).toBeUndefined();
    expect(p2!.paging).toMatchObject({ prevArchive: { json: 'https://kiosque.example/feeds/archive/1.json' }, nextArchive: { rss: 'https://kiosque.example/feeds/archive/3.xml' } });
    expect(p3!.paging.nextArchive).toBeUndefined();
    expect(p3!.site.links.atom).toBe('https://kiosque.example/feeds/archive/3.atom');
    expect(p3!.site.hubs).toEqual([]);
  });

  it('marks immutable only full pages that a newer page follows', () => {
    expect(archiveOf(site, 25, 10, config.feedBaseUrl).pages.map((p) => p.immutable)).toEqual([true, true, false]);
    // A newest page that is full still gains a next-archive link when the next page starts.
    expect(archiveOf(site, 20, 10, config.feedBaseUrl).pages.map((p) => p.immutable)).toEqual([true, false]);
  });

  it('dates a page by its newest entry and carries its paging', () => {
    const { pages } = archiveOf(site, 25, 10, config.feedBaseUrl);
    const feed = pageFeed(pages[0]!, archivePages(entries(25), 10)[0]!);
    expect(feed.updated.toISOString()).toBe('2020-01-10T00:00:00.000Z');
    expect(feed.paging).toBe(pages[0]!.paging);
  });

  it('places a feed of the set under its own folder, percent-encoded in URLs', () => {
    const tag = { ...site, folder: 'tags/économie/' };
    const { pages } = archiveOf(tag, 3, 10, config.feedBaseUrl);
    expect(pages[0]!.paths).toEqual({ rss: 'tags/économie/archive/1.xml', atom: 'tags/économie/archive/1.atom', json: 'tags/économie/archive/1.json' });
    expect(pages[0]!.site.links.rss).toBe('https://kiosque.example/feeds/tags/%C3%A9conomie/archive/1.xml');
  });
});

describe('page paths', () => {
  it('reads back the page number and format of a path, and nothing else', () => {
    expect(parsePagePath('tags/x/', pageFilePath('tags/x/', 12, 'atom'))).toEqual({ n: 12, format: 'atom' });
    expect(parsePagePath('', 'archive/3.json')).toEqual({ n: 3, format: 'json' });
    expect(parsePagePath('', 'archive/03.json')).toBeUndefined();
    expect(parsePagePath('', 'tags/x/archive/1.xml')).toBeUndefined();
    expect(parsePagePath('', 'rss.xml')).toBeUndefined();
  });
});

describe('headlineEntry', () => {
  const candidate = (head: Partial<Candidate['head']>): Candidate => ({
    head: { file: '2021/a.md', format: 'md', draft: false, tags: [], authors: [], lines: {}, ...head },
    id: 'tag:kiosque.example,2020:2021/a',
    published: new Date('2021-01-01T00:00:00Z'),
    updated: new Date('2021-01-02T00:00:00Z'),
  });

  it('takes id, link, title, summary, authors, tags and language from the front matter, and no content', () => {
    const entry = headlineEntry(candidate({ title: ' Un  titre ', summary: 'Court.', authors: ['Ana'], tags: ['a', ' a ', 'b'], lang: 'en' }), config);
    expect(entry).toMatchObject({ id: 'tag:kiosque.example,2020:2021/a', url: 'https://kiosque.example/2021/a/', title: 'Un titre', summary: 'Court.', authors: [{ name: 'Ana' }], tags: ['a', 'b'], lang: 'en', contentHtml: '', headline: true });
  });

  it("falls back to the site author's name and an explicit url, and makes no entry without a title or with an unusable url", () => {
    expect(headlineEntry(candidate({ title: 'T', url: '/ailleurs/' }), config)).toMatchObject({ url: 'https://kiosque.example/ailleurs/', authors: [{ name: 'Rédaction' }] });
    expect(headlineEntry(candidate({}), config)).toBeUndefined();
    expect(headlineEntry(candidate({ title: 'T', url: 'javascript:x' }), config)).toBeUndefined();
  });

  it('has a key from the head row exactly when it makes an entry, and the key changes with any field of the head', () => {
    for (const head of [{ title: 'T' }, { title: 'T', url: '/ailleurs/' }, {}, { title: ' \u0001 ' }, { title: 'T', url: 'javascript:x' }]) {
      const c = candidate(head);
      expect(headlineKey(c.head.file, rowOf(c.head), config) === undefined, JSON.stringify(head)).toBe(headlineEntry(c, config) === undefined);
      expect(hasHeadline(c.head.file, rowOf(c.head), config), JSON.stringify(head)).toBe(headlineEntry(c, config) !== undefined);
    }
    const key = (head: Partial<Candidate['head']>): string | undefined => headlineKey('2021/a.md', rowOf(candidate({ title: 'T', ...head }).head), config);
    expect(new Set([key({}), key({ summary: 'S' }), key({ tags: ['x'] }), key({ authors: ['A'] }), key({ lang: 'en' }), key({ date: '2021-01-01' })]).size).toBe(6);
  });
});

describe('the archive option of a feed spec', () => {
  const parse = (archive: unknown) => parseFeedSpecs([{ path: '', archive }], 'kiosque.config.json');
  it('takes false, a page size or complete', () => {
    expect(parse(false).value![0]!.archive).toBe(false);
    expect(parse({ pageSize: 50 }).value![0]!.archive).toEqual({ pageSize: 50 });
    expect(parse({ complete: true }).value![0]!.archive).toEqual({ complete: true });
  });

  it('refuses anything else with its JSON pointer', () => {
    for (const bad of [true, { pageSize: 0 }, { pageSize: 2.5 }, { complete: false }, { pageSize: 10, complete: true }, 'complete']) {
      const { value, issues } = parse(bad);
      expect(value, JSON.stringify(bad)).toBeUndefined();
      expect(issues[0]).toMatchObject({ rule: 'config-invalid', pointer: expect.stringMatching(/^\/feeds\/0\/archive/) });
    }
  });
});
