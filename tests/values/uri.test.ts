import { describe, expect, it } from 'vitest';
import { absoluteIriProblem, checkAbsoluteUrl, isIriReference, isRegisteredScheme, isTagUri, normalizationProblems, urlKind } from '../../src/values/uri.js';

describe('absolute URLs (RSS)', () => {
  it.each([
    'https://example.org/', 'http://example.org:8080/a?b=c#d', 'mailto:a@example.org', 'urn:isbn:0451450523', 'tag:example.org,2024:1', 'ftp://example.org/f',
    'https://example.org/a%20b', 'https://user:pw@example.org:8080/', 'http://[::1]:8080/x', 'https://example.org',
  ])('accepts %s', (u) => expect(checkAbsoluteUrl(u).ok).toBe(true));
  it.each([
    ['/relative/path', 'relative'],
    ['', 'empty'],
    ['htp://example.org/', 'scheme'],
    ['https://example.org/a b', 'syntax'],
    ['https://example.org/%zz', 'syntax'],
    ['https:///path', 'syntax'],
    ['https://exämple.org/', 'non-ascii'],
    ['https://example.org/a%', 'syntax'],
    ['https://example.org/\u0007', 'syntax'],
    ['https://example.org:8a/', 'syntax'],
    ['https://user@:8080/', 'syntax'],
  ])('rejects %j as %s', (u, problem) => {
    const r = checkAbsoluteUrl(u);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe(problem);
  });
  it('accepts IRIs where the format does', () => expect(checkAbsoluteUrl('https://exämple.org/é', { allowIri: true }).ok).toBe(true));
});

describe('URI schemes', () => {
  it.each(['http', 'HTTPS', 'mailto', 'urn', 'tag', 'data', 'geo', 'xmpp'])('knows %s as registered', (s) => expect(isRegisteredScheme(s)).toBe(true));
  it.each(['htp', 'chapter 3', 'foo', 'javascripts'])('does not know %j', (s) => expect(isRegisteredScheme(s)).toBe(false));
});

describe('IRI references and ids (Atom)', () => {
  it.each(['https://example.org/', '/relative', 'page.html', '#frag', '?q', 'https://例え.jp/パス', '//example.org/x'])('accepts the reference %s', (u) => expect(isIriReference(u)).toBe(true));
  it.each(['a b', 'http://[::1', 'a:b:c d', 'https://exa mple.org', 'http:///x', '%zz'])('rejects the reference %j', (u) => expect(isIriReference(u)).toBe(false));
  it.each([
    ['', /empty/],
    ['post-42', /relative/],
    ['http:/path', /needs a host/],
    ['tag:example.org:1', /not a valid tag/],
    ['urn:x', /not a valid urn/],
  ])('explains why %j is not an absolute IRI', (u, why) => expect(absoluteIriProblem(u)).toMatch(why));
  it('knows RFC 4151 tag URIs', () => {
    expect(isTagUri('tag:example.org,2024:post/1')).toBe(true);
    expect(isTagUri('tag:jane@example.org,2024-02-28:x')).toBe(true);
    expect(isTagUri('tag:example.org,24:x')).toBe(false);
  });
  it('lists what keeps an id from its normalized form', () => {
    expect(normalizationProblems('HTTP://Example.ORG:80')).toEqual(['the scheme is not lowercase', 'the host is not lowercase', 'it names the default port', 'the path is empty (write /)']);
    expect(normalizationProblems('https://example.org/a%7e')).toContain('percent-encoding uses lowercase hex');
    expect(normalizationProblems('https://example.org/')).toEqual([]);
  });
  it('sorts URL strings the way JSON Feed readers need', () => {
    expect(['https://e.org/', 'http://e.org/', 'mailto:a@e.org', '/x', 'https:e.org', ''].map(urlKind)).toEqual(['https', 'http', 'other-scheme', 'relative', 'invalid', 'invalid']);
  });
});
