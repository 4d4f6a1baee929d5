import { Feed as FeedLib } from 'feed';
import { describe, expect, test } from 'vitest';
import { asUri, feedLibHead, feedLibWithItems, rfc3339, rfc822 } from '../../src/render/feed-lib.js';
import { basicFeed, seedEntry, site } from './fixtures/feed.js';

// The defects of feed 6.0.0 the renderers correct. If an upgrade fixes one, this fails and the
// matching correction in rss.ts, atom.ts or json.ts can be reconsidered.
describe('feed 6.0.0 as wrapped', () => {
  test('still writes JSON Feed 1.0 with a single author and no language', () => {
    const legacy = JSON.parse(feedLibWithItems(basicFeed).json1()) as Record<string, any>;
    expect(legacy.version).toBe('https://jsonfeed.org/version/1');
    expect(legacy).not.toHaveProperty('language');
    expect(legacy.items[1].author).toEqual({ name: 'Sputnik' });
  });

  test('still throws on an Atom entry id that is not a URL', () => {
    const lib = new FeedLib({ title: 't', updated: new Date(0) });
    lib.addItem({ title: 't', id: 'not a url', link: 'https://kiosque.example/', date: new Date(0) });
    expect(() => lib.atom1()).toThrow(/Invalid URL/);
  });

  test('still writes a bare name in RSS <author> and a zero-length enclosure', () => {
    const rss = feedLibWithItems(basicFeed).rss2();
    expect(rss).toContain('<author>Sputnik</author>');
    expect(rss).toContain('length="0" type="image/jpg"');
  });

  test('uses the model date for updated instead of the clock', () => {
    expect(feedLibHead(site, basicFeed.updated).rss2()).toContain('<lastBuildDate>Thu, 05 Mar 2020 21:00:00 GMT</lastBuildDate>');
  });
});

describe('date formats', () => {
  test('RFC 822 in GMT with English names and two-digit day and hours', () => {
    expect(rfc822(new Date('2020-02-01T03:04:05Z'))).toBe('Sat, 01 Feb 2020 03:04:05 GMT');
  });

  test('RFC 3339 in UTC with Z', () => {
    expect(rfc3339(seedEntry.published)).toBe('2020-02-28T16:30:00.000Z');
  });
});

describe('asUri', () => {
  test('percent-encodes a non-ASCII path and punycodes the host', () => {
    expect(asUri('https://kiosqué.example/dépêche')).toBe('https://xn--kiosqu-gva.example/d%C3%A9p%C3%AAche');
  });

  test('passes a value that is not a URL through unchanged', () => {
    expect(asUri('not a url')).toBe('not a url');
  });
});
