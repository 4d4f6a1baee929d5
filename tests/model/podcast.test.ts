import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/issue.js';
import { appleCategory, episodesOf, parsePodcastSpec, podcastGuid, toPodcast, uuidV5 } from '../../src/model/podcast.js';
import type { Entry } from '../../src/model/types.js';

describe('podcast:guid', () => {
  // The two examples of the Podcasting 2.0 namespace, docs/tags/guid.md.
  it.each([
    ['https://mp3s.nashownotes.com/pc20rss.xml', '917393e3-1b1e-5cef-ace4-edaa54e1f810'],
    ['https://podnews.net/rss', '9b024349-ccf0-5f69-a609-6b82873eab3c'],
    ['http://podnews.net/rss//', '9b024349-ccf0-5f69-a609-6b82873eab3c'],
  ])('is the UUIDv5 of %s without its scheme and trailing slashes', (url, guid) => {
    expect(podcastGuid(url)).toBe(guid);
  });

  it('computes RFC 9562 name-based UUIDs (the DNS namespace example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('Apple categories', () => {
  it("takes Apple's spelling for a category and subcategory written in any case", () => {
    expect(appleCategory('news', 'daily news')).toEqual({ text: 'News', sub: 'Daily News' });
    expect(appleCategory('TV & Film')).toEqual({ text: 'TV & Film' });
  });
  it('refuses names Apple does not list, and subcategories of another parent', () => {
    expect(appleCategory('Podcasts')).toBeUndefined();
    expect(appleCategory('Arts', 'Daily News')).toBeUndefined();
  });
});

describe('the podcast option of a feed', () => {
  const parse = (raw: unknown): { spec: ReturnType<typeof parsePodcastSpec>; issues: Issue[] } => {
    const issues: Issue[] = [];
    const push = (level: Issue['level']) => (pointer: string, message: string): void => void issues.push({ rule: 'config-invalid', level, message, file: 'k.json', pointer });
    return { spec: parsePodcastSpec(raw, '/feeds/1/podcast', push('error'), push('warning')), issues };
  };

  it('fills the defaults and keeps the categories in order', () => {
    const { spec, issues } = parse({ category: ['News/Daily News', 'Technology'], image: 'media/cover.png' });
    expect(issues).toEqual([]);
    expect(spec).toEqual({ categories: [{ text: 'News', sub: 'Daily News' }, { text: 'Technology' }], explicit: false, type: 'episodic', image: 'media/cover.png' });
    const podcast = toPodcast(spec!, { url: 'https://news.example/', title: 'News', author: { name: 'Desk', email: 'desk@news.example' } }, 'https://news.example/feeds/podcast/rss.xml');
    expect(podcast).toMatchObject({ image: 'https://news.example/media/cover.png', author: 'Desk', owner: { name: 'Desk', email: 'desk@news.example' } });
    expect(podcast.guid).toBe(podcastGuid('https://news.example/feeds/podcast/rss.xml'));
  });

  it('keeps a guid given once the podcast has one, whatever its feed URL becomes', () => {
    const { spec } = parse({ category: 'News', image: 'c.png', guid: '917393E3-1B1E-5CEF-ACE4-EDAA54E1F810' });
    expect(toPodcast(spec!, { url: 'https://a.example/', title: 't' }, 'https://b.example/rss.xml').guid).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
  });

  it('reports every problem with its pointer', () => {
    const { spec, issues } = parse({ category: ['News/Daily News', 'Podcasts'], explicit: 'no', type: 'daily', owner: { email: 'nope' }, guid: 'x', colour: 'red' });
    expect(spec).toBeUndefined();
    expect(issues.map((i) => `${i.level} ${i.pointer}`).sort()).toEqual([
      'error /feeds/1/podcast/category/1',
      'error /feeds/1/podcast/explicit',
      'error /feeds/1/podcast/guid',
      'error /feeds/1/podcast/image',
      'error /feeds/1/podcast/owner',
      'error /feeds/1/podcast/type',
      'warning /feeds/1/podcast/colour',
    ]);
  });
});

describe('the episodes of a podcast feed', () => {
  const entry = (file: string, extra: Partial<Entry> = {}): Entry => ({
    id: `urn:x:${file}`, url: `https://e.org/${file}`, title: file, published: new Date(0), updated: new Date(0), authors: [], contentHtml: '', summary: '', tags: [],
    enclosures: [{ url: `https://e.org/${file}.mp3`, type: 'audio/mpeg', length: 10 }], source: { file, line: 1 }, ...extra,
  });
  const entries = [
    entry('numbered', { episode: 1 }),
    entry('plain'),
    entry('wav', { enclosures: [{ url: 'https://e.org/a.wav', type: 'audio/wav', length: 10 }, { url: 'https://e.org/a.mp3', type: 'audio/mpeg', length: 10 }] }),
    entry('m4a; codecs', { episode: 2, enclosures: [{ url: 'https://e.org/a.m4a', type: 'audio/mp4; codecs="mp4a.40.2"', length: 10 }] }),
    entry('trailer', { episodeType: 'trailer' }),
    entry('bonus', { episodeType: 'bonus' }),
    entry('no audio', { enclosures: undefined }),
  ];

  it('leaves out, with a warning each, an article without audio and one whose first enclosure Apple does not play', () => {
    const { value, issues } = episodesOf(entries, { folder: 'show/', rss: 'show/rss.xml' });
    expect(value.map((e) => e.source.file)).toEqual(['numbered', 'plain', 'm4a; codecs', 'trailer', 'bonus']);
    expect(issues.map((i) => [i.rule, i.file, i.level])).toEqual([['feed-podcast-unplayable', 'wav', 'warning'], ['feed-podcast-no-enclosure', 'no audio', 'warning']]);
    expect(issues[0]!.message).toContain('first enclosure is audio/wav, which Apple Podcasts does not play');
  });

  it('in a serial show, also leaves out a full episode without a number, but not a trailer or a bonus', () => {
    const { value, issues } = episodesOf(entries, { folder: 'show/', rss: 'show/rss.xml', type: 'serial' });
    expect(value.map((e) => e.source.file)).toEqual(['numbered', 'm4a; codecs', 'trailer', 'bonus']);
    expect(issues.map((i) => [i.rule, i.file])).toEqual([['feed-podcast-unnumbered', 'plain'], ['feed-podcast-unplayable', 'wav'], ['feed-podcast-no-enclosure', 'no audio']]);
  });

  it('warns of a podcast left with no episode at all, which Apple does not list', () => {
    const none = episodesOf([entries[2]!, entries[6]!], { folder: 'show/', rss: 'show/rss.xml' });
    expect(none.value).toEqual([]);
    expect(none.issues.map((i) => [i.rule, i.file])).toEqual([['feed-podcast-unplayable', 'wav'], ['feed-podcast-no-enclosure', 'no audio'], ['feed-podcast-empty', 'show/rss.xml']]);
  });
});
