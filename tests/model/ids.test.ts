import { describe, expect, it } from 'vitest';
import { entryId, entryUrl, feedId, iriId, slugOf } from '../../src/model/ids.js';

const prefix = 'tag:kiosque.example,2020:';

describe('ids and permalinks', () => {
  it('derives the id from the store path without extension, so the title or the content never change it', () => {
    expect(entryId(prefix, '2020/02/poutine-erdogan-idlib.md')).toBe('tag:kiosque.example,2020:2020/02/poutine-erdogan-idlib');
    expect(entryId(prefix, '2020/02/poutine-erdogan-idlib.json')).toBe(entryId(prefix, '2020/02/poutine-erdogan-idlib.md'));
    expect(entryId(prefix, '2020/02/renamed.md')).not.toBe(entryId(prefix, '2020/02/poutine-erdogan-idlib.md'));
  });

  it('keeps an explicit URI id and appends any other explicit id to the prefix', () => {
    expect(entryId(prefix, 'a.md', 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe('urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(entryId(prefix, 'a.md', 'legacy/42')).toBe('tag:kiosque.example,2020:legacy/42');
  });

  it('gives one id for NFC and NFD spellings of a name and percent-encodes odd characters', () => {
    expect(slugOf('e\u0301te\u0301.md')).toBe('\u00e9t\u00e9');
    expect(entryId(prefix, 'e\u0301te\u0301.md')).toBe(entryId(prefix, '\u00e9t\u00e9.md'));
    expect(entryUrl('https://kiosque.example/', 'a b/#1?.md')).toBe('https://kiosque.example/a%20b/%231%3F/');
  });

  it('resolves explicit urls against the site and refuses other schemes', () => {
    expect(entryUrl('https://kiosque.example/', 'x.md', '/special/')).toBe('https://kiosque.example/special/');
    expect(entryUrl('https://kiosque.example/', 'x.md', 'https://other.example/p')).toBe('https://other.example/p');
    expect(entryUrl('https://kiosque.example/', 'x.md', 'javascript:alert(1)')).toBeUndefined();
  });

  it('refuses an explicit url with a mistyped scheme instead of making it a path on the site', () => {
    expect(entryUrl('https://kiosque.example/', 'x.md', 'ht tp://other.example/p')).toBeUndefined();
    expect(entryUrl('https://kiosque.example/', 'x.md', 'https ://other.example/p')).toBeUndefined();
    // A colon after the first segment is an ordinary path character.
    expect(entryUrl('https://kiosque.example/', 'x.md', 'dossiers/12:30-le-direct/')).toBe('https://kiosque.example/dossiers/12:30-le-direct/');
    expect(entryUrl('https://kiosque.example/', 'x.md', './12:30/')).toBe('https://kiosque.example/12:30/');
  });

  it('mints a feed id under the prefix that no article path can take', () => {
    expect(feedId(prefix)).toBe('tag:kiosque.example,2020:#feed');
    expect(entryId(prefix, '#feed.md')).not.toBe(feedId(prefix));
  });

  it('gives each feed of a set its own id from its folder, percent-encoded, and the main feed today\'s', () => {
    expect(feedId(prefix, '')).toBe('tag:kiosque.example,2020:#feed');
    expect(feedId(prefix, 'tags/économie/')).toBe('tag:kiosque.example,2020:#feed/tags/%C3%A9conomie');
    expect(feedId(prefix, 'tags/経済/')).toBe('tag:kiosque.example,2020:#feed/tags/%E7%B5%8C%E6%B8%88');
  });

  it('encodes what an IRI cannot hold in an explicit id and keeps every id that was already valid as written', () => {
    expect(entryId(prefix, 'a.md', 'dépêche 12')).toBe('tag:kiosque.example,2020:dépêche%2012');
    expect(entryId(prefix, 'a.md', 'urn:x:a\tb\u3000c')).toBe('urn:x:a%09b%E3%80%80c');
    expect(entryId(prefix, 'a.md', '<50%> "x"')).toBe('tag:kiosque.example,2020:%3C50%25%3E%20%22x%22');
    for (const valid of ['économie/1', '経済/記事', 'οικονομία', 'اقتصاد', 'a%20b', 'legacy/42?x=1#y']) {
      expect(entryId(prefix, 'a.md', valid)).toBe(prefix + valid);
    }
    expect(iriId('\ud800x')).toBe('%EF%BF%BDx');
  });
});
