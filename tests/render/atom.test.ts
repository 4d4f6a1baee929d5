import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
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
import { expectGolden, ILLEGAL_XML_CHAR, NON_XML_ENTITY, outsideCdata, parseXml } from './support.js';

const feedOf = (xml: string) => parseXml(xml, 'atom').feed;
const linksOf = (node: Record<string, any>) =>
  node.link.map((l: Record<string, string>) => [l['@rel'], l['@type'], l['@href']]);
// Person constructs keep their indentation as a text node; compare the child elements only.
const peopleOf = (node: Record<string, any>) =>
  node.author.map((a: Record<string, string>) => ({ name: a.name, email: a.email, uri: a.uri }));

describe('renderAtom', () => {
  const xml = renderAtom(basicFeed);
  const feed = feedOf(xml);
  const [english, seed] = feed.entry;

  test('matches the golden file byte for byte', () => {
    expectGolden('basic.atom.xml', xml);
  });

  test('starts with the UTF-8 declaration then the relative browser stylesheet, and ends with a newline', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="feed.xsl"?>\n<feed ')).toBe(true);
    expect(xml.endsWith('</feed>\n')).toBe(true);
  });

  test('is an Atom feed in the default namespace with the site language', () => {
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xml:lang']).toBe('fr');
    expect(feed['@xmlns:media']).toBe('http://search.yahoo.com/mrss/');
  });

  test('carries the feed metadata: id, plain-text title and subtitle, rights, updated, generator', () => {
    expect(feed.id).toBe(site.id);
    expect(feed.title).toEqual({ '#text': site.title, '@type': 'text' });
    expect(feed.subtitle).toEqual({ '#text': site.description, '@type': 'text' });
    expect(feed.rights).toEqual({ '#text': site.copyright, '@type': 'text' });
    expect(feed.updated).toBe('2020-03-05T21:00:00.000Z');
    expect(feed.generator).toEqual({ '#text': 'kiosque', '@uri': site.generator.uri, '@version': '0.1.0' });
  });

  test('links to the site and to itself with their media types', () => {
    expect(linksOf(feed)).toEqual([
      ['alternate', 'text/html', site.url],
      ['self', 'application/atom+xml', site.links.atom],
    ]);
  });

  test('advertises every WebSub hub beside the self link', () => {
    expect(linksOf(feedOf(renderAtom(hubsFeed)))).toEqual([
      ['alternate', 'text/html', site.url],
      ['self', 'application/atom+xml', site.links.atom],
      ['hub', undefined, 'https://hub.example/'],
      ['hub', undefined, 'https://pubsubhubbub.example/hub'],
    ]);
  });

  test('names the site author at feed level, with e-mail', () => {
    expect(peopleOf(feed)).toEqual([{ name: site.author?.name, email: site.author?.email }]);
  });

  test('keeps a feed-level author when the site has none, so every entry has one', () => {
    const anonymous = feedOf(renderAtom(anonymousFeed));
    expect(peopleOf(anonymous)).toEqual([{ name: site.title }]);
    expect(anonymous.subtitle).toBeUndefined();
    expect(anonymous.rights).toBeUndefined();
  });

  test('gives the site icon when configured', () => {
    expect(feedOf(renderAtom(iconFeed)).icon).toBe('https://kiosque.example/icon-512.png');
    expect(feed.icon).toBeUndefined();
  });

  test('puts every metadata element before the first entry', () => {
    const ordered = new XMLParser({ preserveOrder: true }).parse(xml) as Record<string, any>[];
    const root = ordered.find((node) => 'feed' in node) as { feed: Record<string, unknown>[] };
    const names = root.feed.map((node) => Object.keys(node)[0]);
    const firstEntry = names.indexOf('entry');
    expect(firstEntry).toBeGreaterThan(0);
    expect(names.slice(firstEntry).every((name) => name === 'entry')).toBe(true);
  });

  test('keeps tag: ids verbatim, newest entry first as given', () => {
    expect(feed.entry.map((e: Record<string, unknown>) => e.id)).toEqual([englishEntry.id, seedEntry.id]);
    expect(xml).toContain(`<id>${seedEntry.id}</id>`);
  });

  test('writes titles as type="text" that decode to the exact text, & and < included', () => {
    expect(seed.title).toEqual({ '#text': SEED_TITLE, '@type': 'text' });
  });

  test('gives published and updated as RFC 3339 UTC at the true instants', () => {
    expect(seed.published).toBe('2020-02-28T16:30:00.000Z');
    expect(seed.updated).toBe('2020-02-29T08:05:09.000Z');
    expect(new Date(seed.published).getTime()).toBe(seedEntry.published.getTime());
    expect(new Date(seed.updated).getTime()).toBe(seedEntry.updated.getTime());
  });

  test('links each entry to its page as the text/html alternate', () => {
    expect(linksOf(seed)).toEqual([['alternate', 'text/html', seedEntry.url]]);
  });

  test('lists every author with name, and e-mail and uri when known', () => {
    expect(peopleOf(seed)).toEqual([
      { name: 'Sputnik' },
      { name: 'Jean Dupont', email: 'jean.dupont@kiosque.example', uri: 'https://kiosque.example/auteurs/jean-dupont' },
    ]);
  });

  test('gives every category a term', () => {
    expect(seed.category.map((c: Record<string, string>) => c['@term'])).toEqual(seedEntry.tags);
  });

  test('holds the summary as text and the full content as html', () => {
    expect(seed.summary).toEqual({ '#text': seedEntry.summary, '@type': 'text' });
    expect(seed.content['@type']).toBe('html');
    expect(english.summary).toBeUndefined();
  });

  test('keeps the seed text byte-exact and every ]]> intact after parsing', () => {
    expect(seed.content['#text']).toBe(`${SEED_HTML}\n${TRAP_HTML.replace('\u0008', '')}`);
    expect(seed.content['#text'].split(']]>').length - 1).toBe(3);
  });

  test('marks an entry whose language differs from the site with xml:lang', () => {
    expect(english['@xml:lang']).toBe('en');
    expect(seed['@xml:lang']).toBeUndefined();
  });

  test('marks an entry that names no language with the site\'s, in a feed written mostly in another', () => {
    const { lang: _, ...unnamed } = seedEntry;
    const tag = { ...basicFeed, site: { ...basicFeed.site, language: 'ar', articleLanguage: 'fr' }, entries: [{ ...seedEntry, lang: 'ar' }, unnamed] };
    const [arabic, french] = feedOf(renderAtom(tag)).entry;
    expect(arabic['@xml:lang']).toBeUndefined();
    expect(french['@xml:lang']).toBe('fr');
    const items = (JSON.parse(renderJson(tag)) as { items: { language?: string }[] }).items;
    expect(items.map((i) => i.language)).toEqual(['ar', 'fr']);
  });

  test('gives the image as media:content, not an enclosure without length', () => {
    expect(seed['media:content']).toEqual([{ '@url': seedEntry.image, '@medium': 'image' }]);
    expect(xml).not.toContain('rel="enclosure"');
  });

  test('contains no XML-illegal character and no named entity outside CDATA', () => {
    expect(xml).not.toMatch(ILLEGAL_XML_CHAR);
    expect(outsideCdata(xml)).not.toMatch(NON_XML_ENTITY);
  });

  test('keeps literal entity text as text instead of decoding it', () => {
    const f = feedOf(renderAtom(entityTextFeed));
    expect(f.title['#text']).toBe('AT&amp;T &lt;news&gt;');
    expect(f.rights['#text']).toBe('&copy; 2020');
    expect(f.entry[0].title['#text']).toBe('Write &amp; to get &');
    expect(f.entry[0].summary['#text']).toBe('Escape & then &amp;');
    expect(f.entry[0].category.map((c: Record<string, string>) => c['@term'])).toEqual(['R&amp;D', 'a<b']);
  });

  test('renders an empty store as a valid feed without entries', () => {
    const f = feedOf(renderAtom(emptyFeed));
    expect(f.entry).toBeUndefined();
    expect(f.updated).toBe('1970-01-01T00:00:00.000Z');
  });

  test('puts no whitespace inside ids and dates', () => {
    expect(outsideCdata(xml)).not.toMatch(/<(id|updated|published)>\s|\s<\/(id|updated|published)>/);
  });
});
