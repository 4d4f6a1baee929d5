import { describe, expect, it } from 'vitest';
import { decideConditional, formatHttpDate, negotiateEncoding, parseEntityTagList, parseHttpDate, type ConditionalRequest } from '../../src/serve/conditional.js';

const NOW = Date.UTC(2024, 5, 4, 10, 0, 0);
const LM = Date.UTC(2024, 5, 4, 9, 41, 7);
const entity = { etag: '"9f2c1e-br"', lastModified: LM };
const req = (r: Partial<ConditionalRequest>): ConditionalRequest => ({ method: 'GET', now: NOW, ...r });

describe('decideConditional', () => {
  it.each<[string, Partial<ConditionalRequest>, 'full' | 'not-modified']>([
    ['no validators: full', {}, 'full'],
    ['POLL-COND-002: matching If-None-Match: 304', { ifNoneMatch: '"9f2c1e-br"' }, 'not-modified'],
    ['POLL-COND-001: weak client tag matches a strong current tag', { ifNoneMatch: 'W/"9f2c1e-br"' }, 'not-modified'],
    ['a tag anywhere in the list matches', { ifNoneMatch: '"a", "b",W/"9f2c1e-br"' }, 'not-modified'],
    ['a tag with a comma inside is one tag', { ifNoneMatch: '"x,9f2c1e-br"' }, 'full'],
    ['another coding\'s tag does not match', { ifNoneMatch: '"9f2c1e-gz"' }, 'full'],
    ['an unquoted tag never matches', { ifNoneMatch: '9f2c1e-br' }, 'full'],
    ['* matches an existing resource', { ifNoneMatch: '*' }, 'not-modified'],
    ['POLL-COND-003: If-None-Match mismatch wins over a matching If-Modified-Since', { ifNoneMatch: '"old"', ifModifiedSince: ['Tue, 04 Jun 2024 09:50:00 GMT'] }, 'full'],
    ['POLL-COND-005: IMS equal to Last-Modified: 304', { ifModifiedSince: ['Tue, 04 Jun 2024 09:41:07 GMT'] }, 'not-modified'],
    ['POLL-COND-005: IMS later than Last-Modified: 304', { ifModifiedSince: ['Tue, 04 Jun 2024 09:45:00 GMT'] }, 'not-modified'],
    ['IMS one second before Last-Modified: full', { ifModifiedSince: ['Tue, 04 Jun 2024 09:41:06 GMT'] }, 'full'],
    ['POLL-COND-004: invalid IMS ignored', { ifModifiedSince: ['2024-06-04T09:45:00Z'] }, 'full'],
    ['POLL-COND-004: repeated IMS ignored', { ifModifiedSince: ['Tue, 04 Jun 2024 09:45:00 GMT', 'Tue, 04 Jun 2024 09:45:00 GMT'] }, 'full'],
    ['POLL-COND-004: IMS ignored for POST', { method: 'POST', ifModifiedSince: ['Tue, 04 Jun 2024 09:45:00 GMT'] }, 'full'],
    ['IMS in the future (after now) ignored', { ifModifiedSince: ['Tue, 04 Jun 2024 11:00:00 GMT'] }, 'full'],
    ['RFC 850 IMS accepted', { ifModifiedSince: ['Tuesday, 04-Jun-24 09:45:00 GMT'] }, 'not-modified'],
    ['asctime IMS accepted', { ifModifiedSince: ['Tue Jun  4 09:45:00 2024'] }, 'not-modified'],
    ['HEAD honours If-None-Match', { method: 'HEAD', ifNoneMatch: '"9f2c1e-br"' }, 'not-modified'],
  ])('%s', (_name, request, expected) => {
    expect(decideConditional(req(request), entity)).toBe(expected);
  });

  it('POLL-COND-004: ignores If-Modified-Since when the resource has no Last-Modified', () => {
    expect(decideConditional(req({ ifModifiedSince: ['Tue, 04 Jun 2024 09:45:00 GMT'] }), { etag: '"x"' })).toBe('full');
  });
});

describe('negotiateEncoding', () => {
  const all = ['br', 'gzip', 'identity'] as const;
  it.each<[string | undefined, readonly ('br' | 'gzip' | 'identity')[], string | undefined]>([
    [undefined, all, 'identity'],
    ['', all, 'identity'],
    ['gzip', all, 'gzip'],
    ['gzip, br', all, 'br'],
    ['br;q=0.9, gzip', all, 'gzip'],
    ['gzip;q=0.5, br;q=0.5', all, 'br'],
    ['gzip;q=0.1', all, 'gzip'],
    ['br', ['gzip', 'identity'], 'identity'],
    ['*', all, 'br'],
    ['*;q=0.5, identity', all, 'identity'],
    ['GZIP', all, 'gzip'],
    ['x-gzip', all, 'gzip'],
    ['gzip;q=2', all, 'identity'],
    ['gzip;q=0, br;q=0', all, 'identity'],
    ['zstd, identity;q=0', all, undefined],
    ['*;q=0', all, undefined],
    ['*;q=0, gzip', all, 'gzip'],
  ])('Accept-Encoding %j with %j available: %s', (header, available, expected) => {
    expect(negotiateEncoding(header, available)).toBe(expected);
  });
});

describe('HTTP dates', () => {
  it('formats IMF-fixdate', () => {
    expect(formatHttpDate(Date.UTC(1994, 10, 6, 8, 49, 37))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun, 06 Nov 1994 08:49:37 +0000', undefined],
    ['Sun, 31 Feb 1994 08:49:37 GMT', undefined],
    ['1994-11-06T08:49:37Z', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseHttpDate(text)).toBe(expected);
  });
  it('splits an If-None-Match list into opaque tags', () => {
    expect(parseEntityTagList('W/"a", "b" ,junk, "c"')).toEqual(['a', 'b', 'c']);
  });
});
