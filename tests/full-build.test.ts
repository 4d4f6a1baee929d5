import { describe, expect, it } from 'vitest';
import { namingArticle } from '../src/full-build.js';
import { renderAll } from '../src/render/budget.js';
import { FORMATS, type Feed } from '../src/model/types.js';
import { seedEntry, site } from './render/fixtures/feed.js';

describe('a finding inside an item of a feed document', () => {
  const entries = ['a', 'b', 'c'].map((k, i) => ({ ...seedEntry, id: `urn:x:${k}`, url: `https://kiosque.example/${k}`, title: `Article ${k}`, source: { file: `2026/${k}.md` }, published: new Date(Date.UTC(2026, 0, 3 - i)), updated: new Date(Date.UTC(2026, 0, 3 - i)) }));
  const feed: Feed = { site, entries, updated: entries[0]!.updated };
  const bytes = renderAll(feed);
  const docs = FORMATS.map((format) => ({ format, file: { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[format], bytes: bytes[format], changed: true }));
  const issue = { rule: 'X', level: 'warning' as const, message: 'something' };

  it('names the article of the item its line falls in (RSS, Atom)', () => {
    for (const [format, file] of [['rss', 'rss.xml'], ['atom', 'atom.xml']] as const) {
      const lines = bytes[format].toString().split('\n');
      const second = lines.findIndex((l) => l.includes('https://kiosque.example/b')) + 1;
      expect(namingArticle({ ...issue, file, line: second }, feed, docs).message, format).toBe('something (article 2026/b.md)');
      // The channel's own lines, before any item, name none.
      expect(namingArticle({ ...issue, file, line: 2 }, feed, docs).message, format).toBe('something');
    }
  });

  it('names the article of the item its JSON pointer is in', () => {
    expect(namingArticle({ ...issue, file: 'feed.json', pointer: '/items/2/summary' }, feed, docs).message).toBe('something (article 2026/c.md)');
    expect(namingArticle({ ...issue, file: 'feed.json', pointer: '/title' }, feed, docs).message).toBe('something');
  });
});
