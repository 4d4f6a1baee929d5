import { describe, expect, test } from 'vitest';
import { renderRss } from '../../src/render/rss.js';
import {
  anonymousFeed,
  basicFeed,
  emptyFeed,
  englishEntry,
  entityTextFeed,
  hubsFeed,
  SEED_HTML,
  SEED_TITLE,
  seedEntry,
  site,
  TRAP_HTML,
} from './fixtures/feed.js';
import { escapeHtml, expectGolden, ILLEGAL_XML_CHAR, NON_XML_ENTITY, outsideCdata, parseXml, textOf } from './support.js';

const RFC822_GMT = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const channelOf = (xml: string) => parseXml(xml, 'rss').rss.channel;

describe('renderRss', () => {
  const xml = renderRss(basicFeed);
  const channel = channelOf(xml);
  const [english, seed] = channel.item;

  test('matches the golden file byte for byte', () => {
    expectGolden('basic.rss.xml', xml);
  });

  test('starts with the UTF-8 declaration then the relative browser stylesheet, and ends with a newline', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="feed.xsl"?>\n<rss ')).toBe(true);
    expect(xml.endsWith('</rss>\n')).toBe(true);
  });

  test('is RSS 2.0 with exactly one channel and every prefix declared with its exact URI', () => {
    const rss = parseXml(xml, 'rss').rss;
    expect(rss['@version']).toBe('2.0');
    expect(Array.isArray(rss.channel)).toBe(false);
    expect(rss['@xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
    expect(rss['@xmlns:content']).toBe('http://purl.org/rss/1.0/modules/content/');
    expect(rss['@xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/');
    expect(rss['@xmlns:media']).toBe('http://search.yahoo.com/mrss/');
    expect(rss['@xmlns']).toBeUndefined();
  });

  test('carries the channel metadata from the site', () => {
    expect(channel.title).toBe(site.title);
    expect(channel.link).toBe(site.url);
    expect(channel.description).toBe(site.description);
    expect(channel.language).toBe('fr');
    expect(channel.copyright).toBe(site.copyright);
    expect(channel.generator).toBe('kiosque 0.1.0');
    expect(channel.ttl).toBe('15');
    expect(channel.docs).toBe('https://www.rssboard.org/rss-specification');
    expect(channel.managingEditor).toBe('redaction@kiosque.example (La rédaction de Kiosque)');
  });

  test('dates the channel with the feed content date, not the build time', () => {
    expect(channel.lastBuildDate).toBe('Thu, 05 Mar 2020 21:00:00 GMT');
    expect(channel.pubDate).toBe(channel.lastBuildDate);
    expect(new Date(channel.lastBuildDate).getTime()).toBe(basicFeed.updated.getTime());
  });

  test('links to itself with an atom:link rel=self', () => {
    expect(channel['atom:link']).toEqual([{ '@href': site.links.rss, '@rel': 'self', '@type': 'application/rss+xml' }]);
  });

  test('advertises every WebSub hub beside the self link', () => {
    const links = channelOf(renderRss(hubsFeed))['atom:link'];
    expect(links.map((l: Record<string, string>) => [l['@rel'], l['@href']])).toEqual([
      ['self', site.links.rss],
      ['hub', 'https://hub.example/'],
      ['hub', 'https://pubsubhubbub.example/hub'],
    ]);
  });

  test('puts every item after all other channel children, newest first as given', () => {
    expect(xml.indexOf('<item>')).toBeGreaterThan(xml.lastIndexOf('<atom:link'));
    expect(xml.lastIndexOf('</item>')).toBe(xml.indexOf('</channel>') - '</item>\n  '.length);
    expect(channel.item.map((i: Record<string, any>) => i.guid['#text'])).toEqual([englishEntry.id, seedEntry.id]);
  });

  test('keeps tag: ids verbatim in a guid marked isPermaLink="false"', () => {
    expect(seed.guid).toEqual({ '#text': seedEntry.id, '@isPermaLink': 'false' });
  });

  test('decodes the title to the exact text, & and < included', () => {
    expect(seed.title).toBe(SEED_TITLE);
    expect(xml).toContain('<title>Poutine &#x26; Erdogan &#x3C;en direct&#x3E; :');
  });

  test('gives pubDate as RFC 822 GMT at the true instant', () => {
    expect(seed.pubDate).toMatch(RFC822_GMT);
    expect(seed.pubDate).toBe('Fri, 28 Feb 2020 16:30:00 GMT');
    expect(new Date(seed.pubDate).getTime()).toBe(seedEntry.published.getTime());
  });

  test('credits authors with dc:creator and never a bare-name <author>', () => {
    expect(seed['dc:creator']).toEqual(['Sputnik', 'Jean Dupont']);
    expect(xml).not.toMatch(/<author>/);
  });

  test('leaves managingEditor out when the site author has no e-mail', () => {
    expect(channelOf(renderRss(anonymousFeed)).managingEditor).toBeUndefined();
  });

  test('lists tags as categories', () => {
    expect(seed.category).toEqual(seedEntry.tags);
    expect(english.category).toBeUndefined();
  });

  test('holds the summary as HTML in description, before the full content in content:encoded', () => {
    expect(seed.description).toBe(escapeHtml(seedEntry.summary));
    expect(Object.keys(seed).indexOf('description')).toBeLessThan(Object.keys(seed).indexOf('content:encoded'));
  });

  test('puts the full text in description alone when there is no summary', () => {
    expect(english.description).toBe(englishEntry.contentHtml);
    expect(english['content:encoded']).toBeUndefined();
  });

  test('keeps the seed text byte-exact and every ]]> intact after parsing', () => {
    expect(seed['content:encoded'].startsWith(`${SEED_HTML}\n`)).toBe(true);
    expect(seed['content:encoded']).toBe(`${SEED_HTML}\n${TRAP_HTML.replace('\u0008', '')}`);
    expect(seed['content:encoded'].split(']]>').length - 1).toBe(3);
  });

  test('contains no XML-illegal character and no named entity outside CDATA', () => {
    expect(xml).not.toMatch(ILLEGAL_XML_CHAR);
    expect(outsideCdata(xml)).not.toMatch(NON_XML_ENTITY);
  });

  test('gives the image as media:content, not an enclosure of unknown length', () => {
    expect(seed['media:content']).toEqual([{ '@url': seedEntry.image, '@medium': 'image' }]);
    expect(xml).not.toContain('<enclosure');
    expect(english['media:content']).toBeUndefined();
  });

  test('keeps literal entity text as text instead of decoding it', () => {
    const ch = channelOf(renderRss(entityTextFeed));
    expect(ch.title).toBe('AT&amp;T &lt;news&gt;');
    expect(ch.description).toBe('Say &amp; mean it');
    expect(ch.copyright).toBe('&copy; 2020');
    expect(ch.item[0].title).toBe('Write &amp; to get &');
    expect(ch.item[0].category).toEqual(['R&amp;D', 'a<b']);
  });

  test('renders an empty store as a valid channel without items', () => {
    const ch = channelOf(renderRss(emptyFeed));
    expect(ch.item).toBeUndefined();
    expect(ch.lastBuildDate).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  test('gives no element that holds text any surrounding whitespace', () => {
    expect(textOf(seed.link)).toBe(seedEntry.url);
    expect(outsideCdata(xml)).not.toMatch(/>[ \t\n]+[^< \t\n]|[^> \t\n][ \t\n]+</);
  });
});
