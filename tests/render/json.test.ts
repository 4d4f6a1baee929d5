import { describe, expect, test } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import {
  anonymousFeed,
  basicFeed,
  emptyFeed,
  englishEntry,
  entityTextFeed,
  hubsFeed,
  iconFeed,
  SEED_HTML,
  SEED_TITLE,
  seedEntry,
  site,
  TRAP_HTML,
} from './fixtures/feed.js';
import { expectGolden } from './support.js';

// JSON Feed 1.1 keys, for the top level and for items; anything else would be an unknown key.
const TOP_KEYS = ['version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'authors', 'language', 'expired', 'hubs', 'items'];
const ITEM_KEYS = ['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments'];

const parse = (json: string) => JSON.parse(json) as Record<string, any>;

describe('renderJson', () => {
  const json = renderJson(basicFeed);
  const doc = parse(json);
  const [english, seed] = doc.items;

  test('matches the golden file byte for byte', () => {
    expectGolden('basic.feed.json', json);
  });

  test('is JSON Feed 1.1 with version as the first key, ending with a newline', () => {
    expect(Object.keys(doc)[0]).toBe('version');
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.charCodeAt(0)).not.toBe(0xfeff);
  });

  test('uses only keys JSON Feed 1.1 defines, and not the deprecated author', () => {
    for (const d of [doc, parse(renderJson(hubsFeed)), parse(renderJson(iconFeed))]) {
      expect(Object.keys(d).filter((k) => !TOP_KEYS.includes(k))).toEqual([]);
      for (const item of d.items) expect(Object.keys(item).filter((k) => !ITEM_KEYS.includes(k))).toEqual([]);
    }
    expect(json).not.toContain('"author"');
  });

  test('carries the feed metadata from the site', () => {
    expect(doc.title).toBe(site.title);
    expect(doc.home_page_url).toBe(site.url);
    expect(doc.feed_url).toBe(site.links.json);
    expect(doc.description).toBe(site.description);
    expect(doc.language).toBe('fr');
    expect(doc.authors).toEqual([{ name: 'La rédaction de Kiosque' }]);
  });

  test('leaves authors out rather than empty when the site has none', () => {
    expect(parse(renderJson(anonymousFeed))).not.toHaveProperty('authors');
  });

  test('gives icon and favicon when the site has an icon, and neither otherwise', () => {
    const withIcon = parse(renderJson(iconFeed));
    expect([withIcon.icon, withIcon.favicon]).toEqual([iconFeed.site.icon, iconFeed.site.icon]);
    expect(doc).not.toHaveProperty('icon');
    expect(doc).not.toHaveProperty('favicon');
  });

  test('lists WebSub hubs when configured, and no hubs key otherwise', () => {
    expect(parse(renderJson(hubsFeed)).hubs).toEqual([
      { type: 'WebSub', url: 'https://hub.example/' },
      { type: 'WebSub', url: 'https://pubsubhubbub.example/hub' },
    ]);
    expect(doc).not.toHaveProperty('hubs');
  });

  test('keeps ids verbatim and items in the order given', () => {
    expect(doc.items.map((i: Record<string, unknown>) => i.id)).toEqual([englishEntry.id, seedEntry.id]);
  });

  test('gives each item its permalink, exact title, summary and image', () => {
    expect(seed.url).toBe(seedEntry.url);
    expect(seed.title).toBe(SEED_TITLE);
    expect(seed.summary).toBe(seedEntry.summary);
    expect(seed.image).toBe(seedEntry.image);
    expect(english).not.toHaveProperty('summary');
    expect(english).not.toHaveProperty('image');
  });

  test('keeps the seed text byte-exact, without the control character', () => {
    expect(seed.content_html).toBe(`${SEED_HTML}\n${TRAP_HTML.replace('\u0008', '')}`);
  });

  test('dates items in RFC 3339 UTC at their true instants', () => {
    expect(seed.date_published).toBe('2020-02-28T16:30:00.000Z');
    expect(seed.date_modified).toBe('2020-02-29T08:05:09.000Z');
    expect(new Date(seed.date_published).getTime()).toBe(seedEntry.published.getTime());
  });

  test('lists every author as an object with name, and url when known', () => {
    expect(seed.authors).toEqual([{ name: 'Sputnik' }, { name: 'Jean Dupont', url: 'https://kiosque.example/auteurs/jean-dupont' }]);
  });

  test('gives tags when there are some and leaves the key out otherwise', () => {
    expect(seed.tags).toEqual(seedEntry.tags);
    expect(english).not.toHaveProperty('tags');
  });

  test('gives each item its language', () => {
    expect(english.language).toBe('en');
    expect(seed.language).toBe('fr');
  });

  test('keeps literal entity text as text', () => {
    const d = parse(renderJson(entityTextFeed));
    expect(d.title).toBe('AT&amp;T &lt;news&gt;');
    expect(d.items[0].title).toBe('Write &amp; to get &');
    expect(d.items[0].tags).toEqual(['R&amp;D', 'a<b']);
  });

  test('renders an empty store with an empty items array', () => {
    expect(parse(renderJson(emptyFeed)).items).toEqual([]);
  });
});
