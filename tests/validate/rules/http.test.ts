import { describe, expect, it } from 'vitest';
import { documentFacts, httpRules, sameUrl, type HttpExchange } from '../../../src/validate/rules/http.js';
import { runRules } from '../../../src/validate/run.js';

const body = new TextEncoder().encode('<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description></channel></rss>');
const ok: HttpExchange = {
  requested: 'https://e.org/rss.xml', redirects: [], url: 'https://e.org/rss.xml', status: 200, bodyBytes: 500, askedCompression: true,
  headers: { 'content-type': 'application/rss+xml', etag: '"1-gz"', 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'cache-control': 'max-age=600', date: 'Sun, 06 Dec 2026 20:00:00 GMT' },
  conditional: [{ status: 304, sent: ['If-None-Match'], headers: { etag: '"1-gz"', 'cache-control': 'max-age=600', vary: 'Accept-Encoding' } }],
};
const rules = (exchange: Partial<HttpExchange>) => runRules(httpRules, { exchange: { ...ok, ...exchange }, facts: documentFacts(body) }, 'https://e.org/rss.xml');

describe('the HTTP rules of kiosque validate URL', () => {
  it('find nothing on a well-served feed', () => {
    expect(rules({})).toEqual([]);
  });

  it('compare a 304\'s ETag weakly, as If-None-Match does: nginx marks a body it compresses W/ on the 200 only', () => {
    expect(rules({ headers: { ...ok.headers, etag: 'W/"1"' }, conditional: [{ status: 304, sent: ['If-None-Match'], headers: { etag: '"1"', 'cache-control': 'max-age=600', vary: 'Accept-Encoding' } }] })).toEqual([]);
    expect(rules({ conditional: [{ status: 304, sent: ['If-None-Match'], headers: { etag: '"cdn-1"', 'cache-control': 'max-age=600', vary: 'Accept-Encoding' } }] }).map((i) => i.rule)).toEqual(['HTTP-CACHE-007']);
  });

  it('report a quoted max-age or s-maxage, quoting the header as it came', () => {
    const [quoted] = rules({ headers: { ...ok.headers, 'cache-control': 'public, s-maxage="900"' } });
    expect(quoted).toMatchObject({ rule: 'HTTP-CACHE-008' });
    expect(quoted!.message).toBe('Cache-Control `public, s-maxage="900"` quotes s-maxage: many caches then ignore it and take the response as stale, or cache it for a time of their own');
  });

  it('read s-maxage as a lifetime too: a day and more hides new items, in whichever order the directives come', () => {
    const cc = (value: string): string[] => rules({ headers: { ...ok.headers, 'cache-control': value } }).map((i) => i.rule);
    expect(cc('public, s-maxage=604800')).toEqual(['HTTP-CACHE-003']);
    expect(cc('max-age=900, s-maxage=604800')).toEqual(['HTTP-CACHE-003']);
    expect(cc('s-maxage=604800, max-age=900')).toEqual(['HTTP-CACHE-003']);
    expect(cc('max-age=60, s-maxage=31536000')).toEqual(['HTTP-CACHE-003']);
    expect(cc('max-age=900, s-maxage=3600')).toEqual([]);
    // Under a minute is fine with a validator to revalidate with (this response has an ETag).
    expect(cc('max-age=0')).toEqual([]);
  });

  it('report a max-age or s-maxage that is no number of seconds', () => {
    const cc = (value: string) => rules({ headers: { ...ok.headers, 'cache-control': value } });
    for (const value of ['max-age=abc', 'max-age=-5', 'public, s-maxage=1.5', 'max-age']) expect(cc(value).map((i) => i.rule), value).toEqual(['HTTP-CACHE-008']);
    expect(cc('max-age=-5')[0]!.message).toContain('gives max-age "-5", not a number of seconds');
  });

  it('take a self link readers keep behind a temporary redirect as right, and judge it after a permanent one by where it led', () => {
    const moved = (status: number, self: string) => runRules(httpRules, {
      exchange: { ...ok, requested: 'https://e.org/old', redirects: [{ from: 'https://e.org/old', status, to: 'https://e.org/new' }], url: 'https://e.org/new' },
      facts: { ...documentFacts(body), self: [self] },
    }, 'https://e.org/old').map((i) => i.rule);
    expect(moved(302, 'https://e.org/old')).toEqual(['HTTP-REDIR-001']);
    expect(moved(307, 'https://e.org/new')).toEqual(['HTTP-REDIR-001']);
    expect(moved(301, 'https://e.org/new')).toEqual([]);
    expect(moved(301, 'https://e.org/old')).toEqual(['HTTP-SELF-001']);
  });

  it('take URLs differing only by a fragment or credentials as one address', () => {
    expect(sameUrl('https://e.org/rss.xml', 'https://user:secret@e.org/rss.xml#top')).toBe(true);
    expect(sameUrl('https://e.org/rss.xml', 'https://e.org/atom.xml')).toBe(false);
  });
});
