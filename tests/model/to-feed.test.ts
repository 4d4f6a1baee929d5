import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import type { Candidate } from '../../src/model/select.js';
import { publishedTwice, siteFromConfig, toEntry, toFeed } from '../../src/model/to-feed.js';
import type { Entry } from '../../src/model/types.js';
import type { ArticleBody } from '../../src/model/records.js';

const config = resolveConfig({ title: ' Kiosque ', url: 'https://kiosque.example', feedBaseUrl: 'https://kiosque.example/feeds/', idPrefix: 'tag:kiosque.example,2020:', author: { name: 'Rédaction' }, ttl: 30 }, '/', 't').value!;
const candidate: Candidate = {
  head: { file: '2021/a.md', format: 'md', draft: false, tags: [], authors: [], lines: {} },
  id: 'tag:kiosque.example,2020:2021/a',
  published: new Date('2021-01-01T00:00:00Z'),
  updated: new Date('2021-01-02T00:00:00Z'),
};
const body = (fields: ArticleBody['fields']): ArticleBody => ({ fields, lines: { title: 2, image: 5 }, kind: 'markdown', text: '' });

describe('toEntry', () => {
  it('normalises the title, falls back to the configured author and to the first paragraph for the summary', () => {
    const { value, issues } = toEntry(candidate, body({ title: '  Un\n titre\u0001  ', tags: ['a', ' a ', 'b'] }), '<p>Premier paragraphe.</p>', config);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ title: 'Un titre', authors: [{ name: 'Rédaction' }], summary: 'Premier paragraphe.', tags: ['a', 'b'], url: 'https://kiosque.example/2021/a/' });
  });

  it('makes the image absolute against the article and warns about an unusable one', () => {
    expect(toEntry(candidate, body({ title: 'T', image: 'img/x.png' }), '', config).value?.image).toBe('https://kiosque.example/2021/a/img/x.png');
    const bad = toEntry(candidate, body({ title: 'T', image: 'javascript:x' }), '', config);
    expect(bad.value?.image).toBeUndefined();
    expect(bad.issues).toEqual([expect.objectContaining({ rule: 'store-bad-image', level: 'warning', line: 5 })]);
  });

  it('rejects an article whose title is only whitespace', () => {
    expect(toEntry(candidate, body({ title: ' \n ' }), '', config)).toMatchObject({ value: undefined, issues: [{ rule: 'store-missing-title', line: 2 }] });
  });
});

describe('siteFromConfig and toFeed', () => {
  it('derives links, a permanent id and the generator from the configuration', () => {
    const site = siteFromConfig(config, '1.2.3');
    expect(site.links).toEqual({
      rss: 'https://kiosque.example/feeds/rss.xml', atom: 'https://kiosque.example/feeds/atom.xml', json: 'https://kiosque.example/feeds/feed.json',
      html: 'https://kiosque.example/feeds/index.html', xsl: 'https://kiosque.example/feeds/feed.xsl',
    });
    expect(site.id).toBe('tag:kiosque.example,2020:#feed');
    expect(site.ttlMinutes).toBe(30);
    expect(site.generator).toEqual({ name: 'kiosque', version: '1.2.3', uri: 'https://kiosque.example/' });
  });

  it('dates the feed by its newest entry update, and an empty feed at the epoch', () => {
    const site = siteFromConfig(config, '1');
    const entry = toEntry(candidate, body({ title: 'T' }), '', config).value!;
    expect(toFeed(site, [entry]).updated.toISOString()).toBe('2021-01-02T00:00:00.000Z');
    expect(toFeed(site, []).updated.getTime()).toBe(0);
  });
});

describe('publishedTwice', () => {
  const entry = (file: string, title: string, iso: string): Entry => ({
    id: `urn:x:${file}`, url: `https://e.org/${file}`, title, published: new Date(iso), updated: new Date(iso), authors: [], contentHtml: '', summary: '', tags: [], source: { file, line: 1 },
  });
  it('names each later copy of an article with the file it copies: same title, same instant', () => {
    const issues = publishedTwice([
      entry('2026/11/budget.md', 'Budget voté', '2026-11-24T17:05:00Z'),
      entry('2026/11/budget copy.md', 'Budget voté', '2026-11-24T17:05:00Z'),
      entry('2026/11/other.md', 'Budget voté', '2026-11-24T17:05:01Z'),
      entry('2026/11/same-time.md', 'Autre titre', '2026-11-24T17:05:00Z'),
    ]);
    expect(issues).toEqual([expect.objectContaining({ rule: 'store-published-twice', level: 'warning', file: '2026/11/budget copy.md', line: 1 })]);
    expect(issues[0]!.message).toContain('is also published from 2026/11/budget.md');
  });
});

