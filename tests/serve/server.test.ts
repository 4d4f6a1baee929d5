import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { tempDir } from '../helpers.js';
import { httpRequest, rawRequest, sampleFiles, writePublication, type Reply } from './publication.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const opaque = (etag: unknown): string => String(etag).replace(/^W\//, '').slice(1, -1);
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const HUB = 'https://hub.example.net/';
const SELF = {
  'rss.xml': 'https://kiosque.example/feeds/rss.xml',
  'atom.xml': 'https://kiosque.example/feeds/atom.xml',
  'feed.json': 'https://kiosque.example/feeds/feed.json',
};
const LAST_MODIFIED = 'Fri, 28 Feb 2020 16:30:00 GMT';

let server: RunningServer;
let base: string;
let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('kiosque-serve-'));
  await writePublication(join(root, 'out'), sampleFiles('v1'), { maxAge: 900, hubs: [HUB], selfUrls: SELF });
  server = await startServer({ outDir: join(root, 'out'), host: '127.0.0.1', port: 0 });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await cleanup?.();
});

const get = (path: string, headers: Record<string, string | string[]> = {}, method = 'GET'): Promise<Reply> => httpRequest(base, path, { headers, method });

describe('representation headers', () => {
  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/feed.xsl', 'application/xslt+xml; charset=utf-8'],
  ])('POLL-CT-001..004: %s is served with its manifest Content-Type %s', async (path, type) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('serves index.html at /', async () => {
    const [root, index] = await Promise.all([get('/'), get('/index.html')]);
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.body.equals(index.body)).toBe(true);
  });

  it('POLL-CT-006: sends Date in IMF-fixdate on 200, 304, 404 and 405 responses', async () => {
    const ok = await get('/rss.xml');
    const notModified = await get('/rss.xml', { 'if-none-match': String(ok.headers.etag) });
    const missing = await get('/nope.xml');
    const post = await get('/rss.xml', {}, 'POST');
    for (const res of [ok, notModified, missing, post]) expect(res.headers.date).toMatch(IMF_FIXDATE);
    expect([ok.status, notModified.status, missing.status, post.status]).toEqual([200, 304, 404, 405]);
  });

  it('sends X-Content-Type-Options: nosniff and Access-Control-Allow-Origin: * on the feeds', async () => {
    for (const path of ['/rss.xml', '/atom.xml', '/feed.json']) {
      const res = await get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toBe('ETag, Link');
    }
  });

  it('forbids inline scripts and framing to what a browser shows of the feeds, allowing the stylesheet it renders them with', async () => {
    for (const path of ['/rss.xml', '/atom.xml', '/feed.json']) {
      const csp = String((await get(path)).headers['content-security-policy']);
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('POLL-CC-001/002: sends Cache-Control public with the manifest max-age in token form', async () => {
    const res = await get('/rss.xml');
    expect(res.headers['cache-control']).toBe('public, max-age=900');
  });

  it('POLL-WS-002: advertises the hub and exactly one self link in a Link header on each feed', async () => {
    for (const [name, self] of Object.entries(SELF)) {
      const res = await get(`/${name}`);
      expect(res.headers.link).toBe(`<${HUB}>; rel="hub", <${self}>; rel="self"`);
    }
    expect((await get('/index.html')).headers.link).toBeUndefined();
  });
});

describe('validators', () => {
  it('POLL-VAL-003: gives each coding its own strong ETag derived from the bytes sent', async () => {
    const identity = await get('/rss.xml');
    const gzip = await get('/rss.xml', { 'accept-encoding': 'gzip' });
    const br = await get('/rss.xml', { 'accept-encoding': 'br' });
    expect(identity.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(gzip.headers.etag).toMatch(/^"[0-9a-f]{32}-gz"$/);
    expect(br.headers.etag).toMatch(/^"[0-9a-f]{32}-br"$/);
    for (const res of [identity, gzip, br]) expect(sha(res.body).startsWith(opaque(res.headers.etag).split('-')[0]!)).toBe(true);
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
  });

  it('POLL-VAL-006: sends Last-Modified from the manifest, not the file time', async () => {
    expect((await get('/atom.xml')).headers['last-modified']).toBe(LAST_MODIFIED);
  });

  it('POLL-VAL-007: clamps a future Last-Modified to Date', async () => {
    const { dir, cleanup: done } = await tempDir('kiosque-serve-future-');
    await writePublication(dir, sampleFiles('future').map((f) => ({ ...f, lastModified: '2999-01-01T00:00:00Z' })));
    const future = await startServer({ outDir: dir, host: '127.0.0.1', port: 0 });
    try {
      const res = await httpRequest(future.url, '/rss.xml');
      expect(res.headers['last-modified']).toBe(res.headers.date);
    } finally {
      await future.close();
      await done();
    }
  });
});

describe('conditional GET', () => {
  it('POLL-COND-002/007/008/009: answers a matching If-None-Match with 304, no body, and the cache headers only', async () => {
    const first = await get('/rss.xml', { 'accept-encoding': 'gzip' });
    const res = await get('/rss.xml', { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(first.headers.etag);
    expect(res.headers.vary).toBe(first.headers.vary);
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    expect(res.headers.date).toMatch(IMF_FIXDATE);
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBeUndefined();
  });

  it('POLL-COND-001: compares If-None-Match weakly, so W/"tag" matches "tag"', async () => {
    const { headers } = await get('/feed.json');
    const res = await get('/feed.json', { 'if-none-match': `"other", W/${String(headers.etag)}` });
    expect(res.status).toBe(304);
  });

  it('answers If-None-Match: * with 304 for a published feed', async () => {
    expect((await get('/atom.xml', { 'if-none-match': '*' })).status).toBe(304);
  });

  it('answers with 200 when the client holds the tag of another coding', async () => {
    const identity = await get('/rss.xml');
    const res = await get('/rss.xml', { 'accept-encoding': 'br', 'if-none-match': String(identity.headers.etag) });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('POLL-COND-003: ignores If-Modified-Since when If-None-Match is present', async () => {
    const res = await get('/rss.xml', { 'if-none-match': '"stale"', 'if-modified-since': 'Sat, 01 Jan 2050 00:00:00 GMT' });
    expect(res.status).toBe(200);
  });

  it('POLL-COND-005: answers If-Modified-Since with 304 when Last-Modified is earlier or equal, 200 when later', async () => {
    expect((await get('/rss.xml', { 'if-modified-since': LAST_MODIFIED })).status).toBe(304);
    expect((await get('/rss.xml', { 'if-modified-since': 'Sun, 01 Mar 2020 00:00:00 GMT' })).status).toBe(304);
    expect((await get('/rss.xml', { 'if-modified-since': 'Fri, 28 Feb 2020 16:29:59 GMT' })).status).toBe(200);
  });

  it('POLL-COND-004: ignores an invalid or repeated If-Modified-Since', async () => {
    expect((await get('/rss.xml', { 'if-modified-since': 'yesterday' })).status).toBe(200);
    const repeated = await rawRequest(base, `GET /rss.xml HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: ${LAST_MODIFIED}\r\nIf-Modified-Since: ${LAST_MODIFIED}\r\nConnection: close\r\n\r\n`);
    expect(repeated.status).toBe(200);
  });

  it('POLL-COND-010/011: answers HEAD with the GET headers and no body, and honours conditionals', async () => {
    const full = await get('/atom.xml', { 'accept-encoding': 'gzip' });
    const head = await get('/atom.xml', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-type', 'content-length', 'content-encoding', 'etag', 'last-modified', 'cache-control', 'vary', 'link']) {
      expect(head.headers[h], h).toEqual(full.headers[h]);
    }
    const conditional = await get('/atom.xml', { 'accept-encoding': 'gzip', 'if-none-match': String(full.headers.etag) }, 'HEAD');
    expect(conditional.status).toBe(304);
  });
});

describe('compression', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.8, br;q=0.8', 'br'],
    ['x-gzip', 'gzip'],
    ['*', 'br'],
    ['deflate', undefined],
    ['', undefined],
  ])('POLL-ENC-001/003: Accept-Encoding "%s" gets Content-Encoding %s', async (accept, coding) => {
    const res = await get('/rss.xml', { 'accept-encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
  });

  it('sends identity to a client without Accept-Encoding', async () => {
    const res = await get('/rss.xml');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toContain('<rss');
  });

  it('POLL-ENC-002: sends identity when no coding is acceptable, and 406 only when identity is excluded too', async () => {
    const fallback = await get('/rss.xml', { 'accept-encoding': 'gzip;q=0, br;q=0' });
    expect(fallback.status).toBe(200);
    expect(fallback.headers['content-encoding']).toBeUndefined();
    expect((await get('/rss.xml', { 'accept-encoding': 'zstd, identity;q=0' })).status).toBe(406);
    expect((await get('/rss.xml', { 'accept-encoding': 'zstd, *;q=0' })).status).toBe(406);
  });

  it('POLL-ENC-004: sends Vary: Accept-Encoding on identity, compressed and 304 feed responses', async () => {
    const identity = await get('/feed.json');
    const gzip = await get('/feed.json', { 'accept-encoding': 'gzip' });
    const notModified = await get('/feed.json', { 'if-none-match': String(identity.headers.etag) });
    for (const res of [identity, gzip, notModified]) expect(res.headers.vary).toContain('Accept-Encoding');
  });
});

describe('browser navigations', () => {
  it('labels RSS and Atom application/xml for a top-level navigation, with its own ETag, so browsers apply the XSLT', async () => {
    for (const path of ['/rss.xml', '/atom.xml']) {
      const reader = await get(path);
      const browser = await get(path, { 'sec-fetch-dest': 'document' });
      expect(browser.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(browser.body.equals(reader.body)).toBe(true);
      expect(browser.headers.etag).not.toBe(reader.headers.etag);
      expect(reader.headers.vary).toBe('Accept-Encoding, Sec-Fetch-Dest');
    }
    const json = await get('/feed.json', { 'sec-fetch-dest': 'document' });
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');
  });
});

describe('requests that are refused', () => {
  it('answers 404 for a name that is not published', async () => {
    expect((await get('/missing.xml')).status).toBe(404);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow: GET, HEAD, OPTIONS', async (method) => {
    const res = await get('/rss.xml', {}, method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a browser\'s CORS preflight, so a web reader on another origin can send If-None-Match', async () => {
    const res = await get('/rss.xml', { origin: 'https://reader.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' }, 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('if-none-match');
    expect(res.body.length).toBe(0);
  });

  it('answers OPTIONS * (the server as a whole, as monitors probe it) with 204 and what it allows', async () => {
    const res = await rawRequest(base, 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(204);
    expect(res.text).toMatch(/\r\nAllow: GET, HEAD, OPTIONS\r\n/i);
    // Any other method on * is no resource.
    expect((await rawRequest(base, 'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).status).toBe(400);
  });

  it('answers an overlong URL with 414', async () => {
    expect((await get(`/rss.xml?${'a'.repeat(3000)}`)).status).toBe(414);
  });

  it('answers malformed percent-encoding with 400', async () => {
    expect((await get('/rss%zz.xml')).status).toBe(400);
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('ignores the query string, as caches and aggregators add cache busters', async () => {
    expect((await get('/rss.xml?_=123')).status).toBe(200);
  });
});

describe('path traversal', () => {
  const SECRET = 'SECRET-OUTSIDE-THE-PUBLICATION';
  beforeAll(async () => {
    await writeFile(join(root, 'secret.txt'), SECRET);
    await mkdir(join(root, 'out', '.kiosque'), { recursive: true });
    await writeFile(join(root, 'out', '.kiosque', 'lock'), `${SECRET}-lock`);
    await writeFile(join(root, 'out', '.rss.xml.tmp-1234'), `${SECRET}-tmp`);
    await writeFile(join(root, 'out', 'notes.txt'), `${SECRET}-unlisted`);
  });

  it.each([
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/rss.xml%00',
    '/rss.xml%00.html',
    '/.kiosque/manifest.json',
    '/.kiosque/lock',
    '/%2ekiosque/lock',
    '/.rss.xml.tmp-1234',
    '/notes.txt',
    '/rss.xml.gz',
    '/rss.xml/',
    '//rss.xml',
    '/./rss.xml',
    '/RSS.XML',
    'rss.xml',
    'http://127.0.0.1/../secret.txt',
  ])('never serves anything outside the published names for %s', async (target) => {
    const res = await rawRequest(base, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect([400, 404]).toContain(res.status);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('"sha256"');
  });

  it('rejects a raw NUL byte in the request target', async () => {
    const res = await rawRequest(base, Buffer.from('GET /rss.xml\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'latin1'));
    expect(res.status).toBe(400);
  });
});

describe('concurrency', () => {
  it('answers 200 concurrent keep-alive clients correctly', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const url = new URL(base);
    const sockets = new Set<unknown>();
    const one = (i: number): Promise<{ status: number; ok: boolean }> => new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: i % 2 ? '/rss.xml' : '/atom.xml', agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
        sockets.add(res.socket);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, ok: sha(body).startsWith(opaque(res.headers.etag).split('-')[0]!) && gunzipSync(body).length > 0 });
        });
      });
      req.on('error', reject);
      req.end();
    });
    try {
      // 200 clients, each sending 5 requests back to back on its own connection.
      const results = await Promise.all(Array.from({ length: 200 }, async (_, c) => {
        const out = [];
        for (let r = 0; r < 5; r++) out.push(await one(c));
        return out;
      }));
      const flat = results.flat();
      expect(flat).toHaveLength(1000);
      expect(flat.every((r) => r.status === 200 && r.ok)).toBe(true);
      expect(sockets.size).toBeGreaterThanOrEqual(100);
      expect(sockets.size).toBeLessThanOrEqual(200);
    } finally {
      agent.destroy();
    }
  });
});
