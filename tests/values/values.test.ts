import { describe, expect, it } from 'vitest';
import { checkAbsoluteUrl } from '../../src/values/uri.js';
import { containsEmail, isCanonicalContact } from '../../src/values/email.js';
import { isLanguageTag, isRssLanguage } from '../../src/values/language.js';
import { isMimeType } from '../../src/values/mime.js';

describe('checkAbsoluteUrl', () => {
  it.each(['https://example.org/', 'http://example.org:8080/a?b=c#d', 'http://[::1]/', 'tag:example.org,2024:x', 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a', 'mailto:a@example.org', 'ftp://example.org/f', 'http://xn--8ws00zhy3a.com/', 'http://example.org/a%20b'])(
    'accepts %s',
    (url) => {
      expect(checkAbsoluteUrl(url).ok).toBe(true);
    },
  );

  it.each([
    ['/relative', 'relative'],
    ['example.org/page', 'relative'],
    ['', 'empty'],
    ['htp://example.org/', 'scheme'],
    ['http://example.org/a b', 'syntax'],
    ['http://example.org/%zz', 'syntax'],
    ['http:/example.org', 'syntax'],
    ['http://example.org:port/', 'syntax'],
    ['http://www.詹姆斯.com/', 'non-ascii'],
  ])('rejects %j (%s)', (url, problem) => {
    expect(checkAbsoluteUrl(url)).toMatchObject({ ok: false, problem });
  });

  it('accepts IRIs when asked, and notes whitespace and non-http schemes', () => {
    expect(checkAbsoluteUrl('http://www.詹姆斯.com/', { allowIri: true }).ok).toBe(true);
    expect(checkAbsoluteUrl(' https://example.org/ ')).toMatchObject({ ok: true, notes: ['whitespace'] });
    expect(checkAbsoluteUrl('ftp://example.org/')).toMatchObject({ ok: true, notes: ['not-http'] });
  });
});

describe('contacts, MIME types and languages', () => {
  it('finds an e-mail address in RSS contacts, including percent-encoded mailto: URLs', () => {
    expect(containsEmail('jane@example.org (Jane Doe)')).toBe(true);
    expect(containsEmail('Jane Doe <jane@example.org>')).toBe(true);
    expect(containsEmail('mailto:jane%40example.org')).toBe(true);
    expect(containsEmail('Jane Doe')).toBe(false);
    expect(isCanonicalContact('jane@example.org (Jane Doe)')).toBe(true);
    expect(isCanonicalContact('Jane Doe, jane@example.org')).toBe(false);
  });

  it('recognises MIME types with parameters', () => {
    expect(['audio/mpeg', 'application/rss+xml', 'text/html; charset=utf-8', 'audio/mp4; codecs="mp4a.40.2"'].every(isMimeType)).toBe(true);
    expect(['mp3', 'audio/', '/mpeg', 'audio mpeg'].some(isMimeType)).toBe(false);
  });

  it('accepts RSS language codes and ISO 639 primaries only', () => {
    expect(['en', 'en-us', 'EN-US', 'fr-CA', 'und', 'zh-Hant-TW', 'x-klingon', 'i-default'].every(isRssLanguage)).toBe(true);
    expect(['English', 'xx', 'e', 'en_US', ''].some(isRssLanguage)).toBe(false);
    expect(isLanguageTag('de-CH-1996')).toBe(true);
  });
});
