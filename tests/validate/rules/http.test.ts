import { describe, expect, it } from 'vitest';
import { documentFacts, httpRules, type HttpExchange } from '../../../src/validate/rules/http.js';
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
    expect(quoted!.message).toBe('Cache-Control `public, s-maxage="900"` quotes s-maxage: many caches then ignore it and take the response as stale');
  });

  it('read s-maxage as a lifetime too: a day and more hides new items', () => {
    expect(rules({ headers: { ...ok.headers, 'cache-control': 'public, s-maxage=604800' } }).map((i) => i.rule)).toEqual(['HTTP-CACHE-003']);
  });
});
