import { describe, expect, it } from 'vitest';
import { isLanguageTag, isPublishableLanguage, isRfc3066Tag, isRssLanguage, languageTagProblem } from '../../src/values/language.js';

describe('language tags', () => {
  it.each(['en', 'fr-CA', 'en-US', 'zh-Hant-TW', 'sr-Latn-RS', 'es-419', 'de-CH-1901', 'x-private', 'i-klingon', 'en-GB-oed', 'art-lojban'])('accepts the BCP 47 tag %s', (tag) => {
    expect(isLanguageTag(tag)).toBe(true);
    expect(languageTagProblem(tag)).toBeUndefined();
  });
  it.each([
    ['en_US', /use - not _ \(en-US\)/],
    [' en', /surrounding spaces/],
    ['toolongtag', /not a well-formed/],
    ['e', /not a well-formed/],
    ['en--us', /not a well-formed/],
    ['', /not a well-formed/],
  ])('rejects %j with the reason', (tag, reason) => {
    expect(isLanguageTag(tag)).toBe(false);
    expect(languageTagProblem(tag)).toMatch(reason);
  });
  it('reads Atom and xml:lang tags with the looser RFC 3066 grammar', () => {
    expect(isRfc3066Tag('english')).toBe(true);
    expect(isRfc3066Tag('abcdefgh-12345678')).toBe(true);
    expect(isRfc3066Tag('en_US')).toBe(false);
    expect(isRfc3066Tag('toolongtag')).toBe(false);
  });
  it('publishes as an article\'s or a site\'s language only tags whose primary subtag is an ISO 639 language, which every format takes', () => {
    for (const ok of ['fr', 'en-GB', ' de-CH ', 'haw', 'zh-Hant-TW', 'es-419']) expect(isPublishableLanguage(ok), ok).toBe(true);
    // Well-formed, yet RSS-DT-040 refuses them or they name no language: one typo must not stop every feed.
    for (const bad of ['english', 'French', 'fe', 'x-klingon', 'i-klingon', 'en_GB', '']) expect(isPublishableLanguage(bad), bad).toBe(false);
  });
  it('accepts RSS language codes with a known ISO 639 primary subtag only', () => {
    for (const ok of ['en-us', 'fr', 'fr-CA', 'haw', ' en ']) expect(isRssLanguage(ok), ok).toBe(true);
    for (const bad of ['english', 'qq', 'en_us']) expect(isRssLanguage(bad), bad).toBe(false);
  });
});
