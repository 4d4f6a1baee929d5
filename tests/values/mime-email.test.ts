import { describe, expect, it } from 'vitest';
import { isCompositeMime, isMimeType, isTextMime, isXmlMime, mimeEssence } from '../../src/values/mime.js';
import { containsEmail, isAddrSpec, isCanonicalContact } from '../../src/values/email.js';

describe('media types', () => {
  it.each(['text/html', 'audio/mpeg', 'application/atom+xml', 'text/html; charset=UTF-8', 'application/x-foo;a="b;c"', 'image/svg+xml'])('accepts %s', (t) => expect(isMimeType(t)).toBe(true));
  it.each(['html', 'text/', '/html', 'text/html;', 'text html', 'text/html; charset', ' text/html', 'audio/mpeg,video/mp4'])('rejects %j', (t) => expect(isMimeType(t)).toBe(false));
  it('names the essence and the families Atom content distinguishes', () => {
    expect(mimeEssence(' Text/HTML ; charset=utf-8')).toBe('text/html');
    expect([isXmlMime('application/rss+xml'), isXmlMime('text/xml'), isXmlMime('text/html')]).toEqual([true, true, false]);
    expect([isTextMime('text/plain'), isCompositeMime('multipart/mixed'), isCompositeMime('message/rfc822'), isCompositeMime('text/plain')]).toEqual([true, true, true, false]);
  });
});

describe('e-mail addresses', () => {
  it.each(['a@example.org', 'first.last+tag@sub.example.co.uk', '"quoted local"@example.org', 'user@[192.0.2.1]', 'josé@exemple.fr'])('accepts the addr-spec %s', (a) => expect(isAddrSpec(a)).toBe(true));
  it.each(['a@', '@example.org', 'Name <a@example.org>', 'mailto:a@example.org', 'a b@example.org', 'a@@example.org', 'a@example.org (Name)'])('rejects %j as an addr-spec', (a) => expect(isAddrSpec(a)).toBe(false));
  it('finds an address inside an RSS contact and knows the canonical form', () => {
    expect(containsEmail('Jane Doe (jane@example.org)')).toBe(true);
    expect(containsEmail('mailto:jane%40example.org')).toBe(true);
    expect(containsEmail('Jane Doe')).toBe(false);
    expect(isCanonicalContact('jane@example.org (Jane Doe)')).toBe(true);
    expect(isCanonicalContact('Jane Doe <jane@example.org>')).toBe(false);
  });
});
