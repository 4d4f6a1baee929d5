import { describe, expect, it } from 'vitest';
import { podcastGuid } from '../../src/model/podcast.js';
import type { Entry, Feed } from '../../src/model/types.js';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { validateDocument } from '../../src/validate/validate.js';
import { basicFeed, englishEntry, seedEntry, site } from './fixtures/feed.js';
import { parseXml } from './support.js';

const episode: Entry = {
  ...englishEntry,
  id: 'tag:kiosque.example,2020:2025/12/episode-1',
  enclosures: [
    { url: 'https://kiosque.example/2025/12/episode-1/audio.mp3', type: 'audio/mpeg', length: 4032, duration: 61, title: 'Episode 1' },
    { url: 'https://cdn.example/episode-1.mp4', type: 'video/mp4', length: 123456 },
  ],
  image: 'https://kiosque.example/media/lead.png',
  imageSize: { width: 640, height: 360 },
  episode: 1,
  season: 2,
  explicit: false,
};
const feed: Feed = { ...basicFeed, entries: [episode, seedEntry] };
const podcast: Feed = {
  ...feed,
  site: {
    ...site,
    podcast: {
      categories: [{ text: 'News', sub: 'Daily News' }, { text: 'Technology' }],
      explicit: false,
      type: 'episodic',
      image: 'https://kiosque.example/media/cover.png',
      author: 'La rédaction',
      owner: { name: 'La rédaction', email: 'redaction@kiosque.example' },
      guid: podcastGuid(site.links.rss),
    },
  },
};

const errors = (bytes: string, file: string): string[] => validateDocument(Buffer.from(bytes), file).issues.filter((i) => i.level === 'error').map((i) => `${i.rule} ${i.message}`);

describe('enclosures in the three formats', () => {
  it('RSS: the first as <enclosure url length type>, the others as media:content with size, type and duration', () => {
    const xml = renderRss(feed);
    expect(xml).toContain('<enclosure url="https://kiosque.example/2025/12/episode-1/audio.mp3" length="4032" type="audio/mpeg"/>');
    expect(xml).toContain('<media:content url="https://cdn.example/episode-1.mp4" fileSize="123456" type="video/mp4" medium="video"/>');
    expect(xml.match(/<enclosure /g)).toHaveLength(1);
    expect(errors(xml, 'rss.xml')).toEqual([]);
  });

  it('Atom: every enclosure as a rel="enclosure" link with type, length and title', () => {
    const xml = renderAtom(feed);
    const entry = parseXml(xml, 'atom').feed.entry[0];
    const links = entry.link.filter((l: Record<string, string>) => l['@rel'] === 'enclosure');
    expect(links).toEqual([
      { '@rel': 'enclosure', '@type': 'audio/mpeg', '@length': '4032', '@href': 'https://kiosque.example/2025/12/episode-1/audio.mp3', '@title': 'Episode 1' },
      { '@rel': 'enclosure', '@type': 'video/mp4', '@length': '123456', '@href': 'https://cdn.example/episode-1.mp4' },
    ]);
    expect(errors(xml, 'atom.xml')).toEqual([]);
  });

  it('JSON Feed: attachments with mime_type, size_in_bytes and duration_in_seconds as numbers', () => {
    const json = renderJson(feed);
    const item = (JSON.parse(json) as { items: Record<string, unknown>[] }).items[0]!;
    expect(item.attachments).toEqual([
      { url: 'https://kiosque.example/2025/12/episode-1/audio.mp3', mime_type: 'audio/mpeg', title: 'Episode 1', size_in_bytes: 4032, duration_in_seconds: 61 },
      { url: 'https://cdn.example/episode-1.mp4', mime_type: 'video/mp4', size_in_bytes: 123456 },
    ]);
    expect(item.image).toBe('https://kiosque.example/media/lead.png');
    expect(errors(json, 'feed.json')).toEqual([]);
  });

  it('writes the pixel size of a lead image read from its file, and leaves a remote one as it was', () => {
    expect(renderRss(feed)).toContain('<media:content url="https://kiosque.example/media/lead.png" medium="image" width="640" height="360"/>');
    expect(renderAtom(feed)).toContain('<media:content url="https://kiosque.example/media/lead.png" medium="image" width="640" height="360"/>');
    expect(renderRss(feed)).toContain('<media:content url="https://kiosque.example/images/2020/idlib.jpg" medium="image"/>');
  });

  it('writes no iTunes or Podcasting 2.0 markup in a feed that is not a podcast', () => {
    expect(renderRss(feed)).not.toMatch(/itunes|podcastindex/);
  });
});

describe('a podcast feed', () => {
  const xml = renderRss(podcast);

  it('declares both namespaces and carries the channel fields Apple documents, and podcast:guid', () => {
    expect(xml).toContain('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"');
    const channel = parseXml(xml, 'rss').rss.channel;
    expect(channel['itunes:author']).toBe('La rédaction');
    expect(channel['itunes:image']).toEqual({ '@href': 'https://kiosque.example/media/cover.png' });
    expect(xml).toMatch(/<itunes:category text="News">\s*<itunes:category text="Daily News"\/>\s*<\/itunes:category>\s*<itunes:category text="Technology"\/>/);
    expect(channel['itunes:explicit']).toBe('false');
    expect(channel['itunes:type']).toBe('episodic');
    expect(xml).toMatch(/<itunes:owner>\s*<itunes:name>La rédaction<\/itunes:name>\s*<itunes:email>redaction@kiosque.example<\/itunes:email>\s*<\/itunes:owner>/);
    expect(channel['podcast:guid']).toBe(podcastGuid('https://kiosque.example/feeds/rss.xml'));
  });

  it('gives each episode its duration, season, number and advisory', () => {
    const item = parseXml(xml, 'rss').rss.channel.item[0];
    expect([item['itunes:duration'], item['itunes:season'], item['itunes:episode'], item['itunes:explicit']]).toEqual(['61', '2', '1', 'false']);
    expect(item['itunes:episodeType']).toBeUndefined();
  });

  it('marks a trailer or a bonus with itunes:episodeType', () => {
    const trailer = renderRss({ ...podcast, entries: podcast.entries.map((e) => ({ ...e, episodeType: 'trailer' as const })) });
    expect(parseXml(trailer, 'rss').rss.channel.item[0]['itunes:episodeType']).toBe('trailer');
    expect(errors(trailer, 'rss.xml')).toEqual([]);
  });

  it('is valid RSS, and Atom and JSON Feed stay free of podcast markup', () => {
    expect(errors(xml, 'rss.xml')).toEqual([]);
    expect(renderAtom(podcast)).toBe(renderAtom(feed));
    expect(renderJson(podcast)).toBe(renderJson(feed));
  });
});
