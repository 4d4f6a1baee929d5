import { describe, expect, it } from 'vitest';
import { localRef, mediaUrls, parseDuration, toEnclosures, type MediaFile } from '../../src/model/media.js';

const ROOTS = { siteUrl: 'https://news.example/', mediaUrl: 'https://cdn.news.example/media/' };
const ARTICLE = 'https://news.example/2025/12/episode-1/';
const at = { file: '2025/12/episode-1.md', line: 4 };

describe('localRef', () => {
  it('maps a URL under the media URL to the media folder, and one under the site to the store', () => {
    expect(localRef('https://cdn.news.example/media/shows/ep%201.mp3', ROOTS)).toEqual({ root: 'media', path: 'shows/ep 1.mp3' });
    expect(localRef('https://news.example/2025/12/episode-1/audio.mp3', ROOTS)).toEqual({ root: 'store', path: '2025/12/episode-1/audio.mp3' });
  });

  it('leaves remote URLs, queries, hidden files and escapes out of the roots alone', () => {
    expect(localRef('https://other.example/a.mp3', ROOTS)).toBeUndefined();
    expect(localRef('https://news.example/a.mp3?v=2', ROOTS)).toBeUndefined();
    expect(localRef('https://news.example/.kiosque/lock', ROOTS)).toBeUndefined();
    expect(localRef('https://news.example/a/%2E%2E/%2E%2E/etc/passwd', ROOTS)).toBeUndefined();
    expect(localRef('https://news.example/a%5C..%5Cb.mp3', ROOTS)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it.each([['3600', 3600], ['1:02:03', 3723], ['62:03', 3723], ['0:59', 59]])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  // No time at all, and a number past 2^53 that would be written back as another one.
  it.each(['1:60', '1:61:00', '1.5', '-3', 'one hour', '1:2', '0', '00:00', '0:00:00', '99999999999999999999'])('refuses %s', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('toEnclosures', () => {
  const local = new Map<string, MediaFile>([['https://news.example/2025/12/episode-1/audio.mp3', { file: '2025/12/episode-1/audio.mp3', size: 4032 }]]);

  it('takes the length of a local file from the file and its type from the MIME database', () => {
    const r = toEnclosures({ enclosures: [{ url: 'audio.mp3', duration: '1' }] }, ARTICLE, local, at);
    expect(r.issues).toEqual([]);
    expect(r.value).toEqual([{ url: 'https://news.example/2025/12/episode-1/audio.mp3', type: 'audio/mpeg', length: 4032, duration: 1 }]);
  });

  it('keeps the length and type written for a remote URL, and a title', () => {
    const r = toEnclosures({ media: [{ url: 'https://cdn.example/v.mp4', length: '123456', type: 'video/mp4', title: ' Le  reportage ' }] }, ARTICLE, local, at);
    expect(r.value).toEqual([{ url: 'https://cdn.example/v.mp4', type: 'video/mp4', length: 123456, title: 'Le reportage' }]);
  });

  it('rejects a remote URL without a length, naming the field, rather than writing length 0', () => {
    const r = toEnclosures({ enclosures: [{ url: 'audio.mp3' }, { url: 'https://cdn.example/ep.mp3' }] }, ARTICLE, local, at);
    expect(r.value).toHaveLength(1);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ rule: 'store-bad-enclosure', level: 'error', file: at.file, line: 4 });
    expect(r.issues[0]!.message).toMatch(/^enclosures\[2\]\.length is missing: https:\/\/cdn\.example\/ep\.mp3 is no file in the store or the media folder \(check its name\)/);
  });

  it('says where a media file is served when the address written misses it (a site under a path, /media/… written)', () => {
    const files = new Map([['https://news.example/site/media/shows/jingle.mp3', { file: 'media:shows/jingle.mp3', size: 5000 }]]);
    const r = toEnclosures({ enclosures: [{ url: '/media/shows/jingle.mp3' }] }, 'https://news.example/site/2025/11/point/', files, at);
    expect(r.issues[0]!.message).toContain('https://news.example/media/shows/jingle.mp3 is no file in the store or the media folder (the file of that name there is served at https://news.example/site/media/shows/jingle.mp3');
  });

  it('names the field under the name the article used', () => {
    const r = toEnclosures({ media: [{ url: 'https://cdn.example/ep.mp3', length: '0' }] }, ARTICLE, local, at);
    expect(r.issues[0]!.message).toMatch(/^media\[1\]\.length must be the size in bytes/);
  });

  it.each([
    [{ url: 'https://cdn.example/ep.mp3', length: '10', type: 'audio' }, /^enclosures\[1\]\.type must be a MIME type/],
    [{ url: 'https://cdn.example/ep', length: '10' }, /^enclosures\[1\]\.type is missing/],
    [{ url: 'ftp://cdn.example/ep.mp3', length: '10' }, /^enclosures\[1\]\.url must be an http\(s\) URL/],
    [{ url: 'https://cdn.example/ep.mp3', length: '10', duration: '1h' }, /^enclosures\[1\]\.duration must be whole seconds from 1/],
    [{ url: 'https://cdn.example/ep.mp3', length: '1.5' }, /^enclosures\[1\]\.length must be the size in bytes/],
  ])('rejects %j', (item, message) => {
    const r = toEnclosures({ enclosures: [item] }, ARTICLE, local, at);
    expect(r.value).toEqual([]);
    expect(r.issues[0]!.message).toMatch(message);
  });

  it('lets a written type win over the one the file name implies', () => {
    const r = toEnclosures({ enclosures: [{ url: 'audio.mp3', type: 'audio/x-m4a' }] }, ARTICLE, local, at);
    expect(r.value[0]!.type).toBe('audio/x-m4a');
  });
});

describe('mediaUrls', () => {
  it('lists the lead image and every enclosure once, made absolute against the article', () => {
    expect(mediaUrls({ image: 'cover.png', enclosures: [{ url: 'audio.mp3' }, { url: '/media/a.mp3' }, { url: 'audio.mp3' }] }, ARTICLE)).toEqual([
      'https://news.example/2025/12/episode-1/cover.png',
      'https://news.example/2025/12/episode-1/audio.mp3',
      'https://news.example/media/a.mp3',
    ]);
  });
});
