import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/publish/manifest.js';
import type { OutputFile } from '../../src/publish/publish.js';
import { readRemoteManifest, s3Target, uploadRank, globToRegExp } from '../../src/publish/s3.js';
import { directoryTarget } from '../../src/publish/target.js';
import type { S3Settings } from '../../src/scaling-config.js';
import { tempDir } from '../helpers.js';
import { keysOf, startS3Server, type S3TestServer } from '../servers/s3.js';

let s3: S3TestServer;
beforeAll(async () => (s3 = await startS3Server()));
afterAll(() => s3.close());

let dir: string;
let cleanup: () => Promise<void>;
let prefix: string;
let n = 0;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  prefix = `site${++n}/`;
  s3.requests.length = 0;
  s3.fault = () => undefined;
});
afterEach(() => cleanup());

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSONFEED = 'application/feed+json; charset=utf-8';
const file = (path: string, mediaType: string, text: string): OutputFile => ({ path, mediaType, data: Buffer.from(text), selfUrl: `https://news.example/feeds/${path}` });

/** A feed set: subscription feeds at the root, a tag feed, and the browser files. */
const feedSet = (version: string): OutputFile[] => [
  file('rss.xml', RSS, `<rss>${version} é</rss>`),
  file('atom.xml', ATOM, `<feed>${version}</feed>`),
  file('feed.json', JSONFEED, `{"v":"${version}"}`),
  file('tags/économie/atom.xml', ATOM, `<feed>économie ${version}</feed>`),
  file('index.html', 'text/html; charset=utf-8', `<p>${version}</p>`),
  file('feed.xsl', 'text/xsl; charset=utf-8', '<xsl/>'),
];

const options = (now: string, extra: { fence?: number } = {}) => ({ maxAge: 900, hubs: [], now: new Date(now), ...extra });
const target = (settings: Partial<S3Settings> = {}) =>
  s3Target({ ...s3.settings(prefix), ...settings }, { stagingDir: join(dir, 'out'), publicBase: 'https://news.example/feeds/', retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });

const getObject = (key: string) => s3.read(`${prefix}${key}`);

const md5 = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');
const puts = (): string[] => keysOf(s3.requests, 'PUT').map((k) => k.slice(prefix.length));

describe('S3 target', () => {
  it('publishes every object with its type and charset, cache headers, MD5 ETag and exact bytes', async () => {
    const files = feedSet('v1');
    const result = await target().publish(files, options('2026-01-01T00:00:00Z'));
    expect(result.issues).toEqual([]);
    for (const f of files) {
      const { res, body } = await getObject(f.path);
      expect(body.equals(Buffer.from(f.data))).toBe(true);
      expect(res.ContentType).toBe(f.mediaType);
      expect(res.CacheControl).toBe('public, max-age=900');
      expect(res.ETag).toBe(`"${md5(f.data)}"`);
      expect(res.ContentEncoding).toBeUndefined();
    }
    const manifest = await readRemoteManifest(target().connection);
    expect(manifest?.files.map((f) => f.path).sort()).toEqual(files.map((f) => f.path).sort());
    expect(manifest?.encoding).toBe('plain');
  });

  it('uploads everything else, then the subscription feeds, then the manifest, then clears its pending marker', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    const order = puts();
    const at = (key: string): number => order.indexOf(key);
    expect(order[0]).toBe('.kiosque/pending.json');
    for (const sub of ['rss.xml', 'atom.xml', 'feed.json']) {
      for (const other of ['tags/économie/atom.xml', 'index.html', 'feed.xsl']) expect(at(sub)).toBeGreaterThan(at(other));
      expect(at(MANIFEST_FILE)).toBeGreaterThan(at(sub));
    }
    expect(order.at(-1)).toBe(MANIFEST_FILE);
    expect(keysOf(s3.requests, 'DELETE').map((k) => k.slice(prefix.length))).toEqual(['.kiosque/pending.json']);
  });

  it('uploads only the objects whose bytes changed, and nothing at all when none did', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    s3.requests.length = 0;
    const changed = feedSet('v1').map((f) => (f.path === 'tags/économie/atom.xml' ? file(f.path, ATOM, '<feed>économie v2</feed>') : f));
    const second = await target().publish(changed, options('2026-01-02T00:00:00Z'));
    expect(second.value?.changed).toEqual(['tags/économie/atom.xml']);
    expect(puts()).toEqual(['.kiosque/pending.json', 'tags/économie/atom.xml', MANIFEST_FILE]);

    s3.requests.length = 0;
    const third = await target().publish(changed, options('2026-01-03T00:00:00Z'));
    expect(third.value?.changed).toEqual([]);
    expect(s3.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('deletes objects no longer published, after the manifest that stops naming them', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    s3.requests.length = 0;
    await target().publish(feedSet('v1').filter((f) => !f.path.startsWith('tags/')), options('2026-01-02T00:00:00Z'));
    const manifestPut = s3.requests.findIndex((r) => r.method === 'PUT' && r.key.endsWith(MANIFEST_FILE));
    const deletion = s3.requests.findIndex((r) => r.method === 'DELETE' && r.key.endsWith('tags/économie/atom.xml'));
    expect(manifestPut).toBeGreaterThan(-1);
    expect(deletion).toBeGreaterThan(manifestPut);
    await expect(getObject('tags/économie/atom.xml')).rejects.toThrow(/NoSuchKey|does not exist/);
  });

  it('carries the feeds that moved into the bucket\'s manifest, even when no object changed, and takes them out of its gone list', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    const rest = feedSet('v1').filter((f) => !f.path.startsWith('tags/'));
    const moved = [{ path: 'tags/économie/atom.xml', to: 'https://news.example/feeds/tags/eco/atom.xml' }];
    await target().publish(rest, { ...options('2026-01-02T00:00:00Z'), moved });
    const remote = await readRemoteManifest(target().connection);
    expect(remote?.moved).toEqual(moved);
    expect(remote?.gone).toEqual([]);
    const later = [{ path: 'tags/économie/atom.xml', to: 'https://news.example/feeds/tags/economie-2/atom.xml' }];
    await target().publish(rest, { ...options('2026-01-03T00:00:00Z'), moved: later });
    expect((await readRemoteManifest(target().connection))?.moved).toEqual(later);
  });

  it('uploads .gz and .br objects with Content-Encoding before the identity body in precompressed mode', async () => {
    await target({ encoding: 'precompressed' }).publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    const { res, body } = await getObject('rss.xml.gz');
    expect(res.ContentEncoding).toBe('gzip');
    expect(res.ContentType).toBe(RSS);
    expect(gunzipSync(body).toString()).toBe('<rss>v1 é</rss>');
    const br = await getObject('rss.xml.br');
    expect(br.res.ContentEncoding).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe('<rss>v1 é</rss>');
    const order = puts();
    expect(order.indexOf('rss.xml')).toBeGreaterThan(order.indexOf('rss.xml.gz'));
    expect(order.indexOf('rss.xml')).toBeGreaterThan(order.indexOf('rss.xml.br'));
  });

  it('marks full archive pages immutable and uploads them first', async () => {
    const files = [...feedSet('v1'), file('archive/2025/page-1.xml', ATOM, '<feed>2025</feed>')];
    await target({ immutable: ['archive/**'] }).publish(files, options('2026-01-01T00:00:00Z'));
    const { res } = await getObject('archive/2025/page-1.xml');
    expect(res.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(puts()[1]).toBe('archive/2025/page-1.xml');
  });

  it('gives an object the Cache-Control of an immutable glob added or removed later, uploading only the objects it concerns', async () => {
    const files = [...feedSet('v1'), file('archive/2025/page-1.xml', ATOM, '<feed>2025</feed>')];
    await target({ immutable: ['archive/**', 'rss.xml'] }).publish(files, options('2026-01-01T00:00:00Z'));
    expect((await getObject('rss.xml')).res.CacheControl).toBe('public, max-age=31536000, immutable');
    s3.requests.length = 0;
    // The mistake undone in the configuration, with no byte changed: the feed must not stay cached for a year.
    await target({ immutable: ['archive/**'] }).publish(files, options('2026-01-02T00:00:00Z'));
    expect((await getObject('rss.xml')).res.CacheControl).toBe('public, max-age=900');
    expect(puts().filter((k) => !k.startsWith('.kiosque/'))).toEqual(['rss.xml']);
    expect((await getObject('archive/2025/page-1.xml')).res.CacheControl).toBe('public, max-age=31536000, immutable');
    s3.requests.length = 0;
    await target({ immutable: ['archive/**'] }).publish(files, options('2026-01-03T00:00:00Z'));
    expect(puts()).toEqual([]);
  });

  it('retries a throttled upload with backoff and then succeeds', async () => {
    let throttled = 0;
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('/rss.xml') && throttled++ < 2 ? { status: 503, code: 'SlowDown' } : undefined);
    const result = await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    expect(result.issues).toEqual([]);
    expect(puts().filter((k) => k === 'rss.xml')).toHaveLength(3);
    expect((await getObject('rss.xml')).body.toString()).toBe('<rss>v1 é</rss>');
  });

  it('retries an upload whose ETag is not the MD5 of the bytes sent', async () => {
    let lied = false;
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('/feed.xsl') && !lied ? ((lied = true), 'bad-etag') : undefined);
    const result = await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    expect(result.issues).toEqual([]);
    expect(puts().filter((k) => k === 'feed.xsl')).toHaveLength(2);
  });

  it('reports a failed upload with its key and S3 error code, and leaves the last complete publication live', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    const before = await getObject(MANIFEST_FILE);
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('tags/économie/atom.xml') ? { status: 403, code: 'AccessDenied' } : undefined);
    const result = await target().publish(feedSet('v2'), options('2026-01-02T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ rule: 'publish-s3-failed', level: 'error', file: `s3://feeds/${prefix}tags/économie/atom.xml` });
    expect(result.issues[0]!.message).toMatch(/AccessDenied \(HTTP 403\)/);
    expect((await getObject(MANIFEST_FILE)).body.equals(before.body)).toBe(true);
    for (const sub of ['rss.xml', 'atom.xml', 'feed.json']) expect((await getObject(sub)).body.toString()).toMatch(/v1/);
  });

  it('says which objects a run that failed midway already replaced, since readers get them before the manifest names them', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('/rss.xml') ? { status: 503, code: 'SlowDown' } : undefined);
    const result = await target().publish(feedSet('v2'), options('2026-01-02T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]!.message).toMatch(/the remote manifest still names the last complete publication, but 4 objects it names already hold the new bytes \(atom\.xml, feed\.json, index\.html, tags\/économie\/atom\.xml\); the next run completes the publication$/);
    expect((await getObject('atom.xml')).body.toString()).toMatch(/v2/);
  });

  it('names the endpoint error when the store cannot be reached, after retrying', async () => {
    const result = await target({ endpoint: 'http://127.0.0.1:1' }).publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]?.rule).toBe('publish-s3-failed');
    expect(result.issues[0]?.message).toMatch(/^GET \.kiosque\/manifest\.json failed after 3 attempts: ECONNREFUSED/);
  });

  it('re-uploads what a failed run overwrote even when the next publication reverts to the published bytes', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    // v2 replaces index.html, then fails on the tag feed: index.html now holds bytes no manifest names.
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('tags/économie/atom.xml') ? { status: 403, code: 'AccessDenied' } : undefined);
    await target({ concurrency: 1 }).publish(feedSet('v2'), options('2026-01-02T00:00:00Z'));
    expect((await getObject('index.html')).body.toString()).toBe('<p>v2</p>');
    s3.fault = () => undefined;
    const again = await target().publish(feedSet('v1'), options('2026-01-03T00:00:00Z'));
    expect(again.issues).toEqual([]);
    expect((await getObject('index.html')).body.toString()).toBe('<p>v1</p>');
  });

  it('refuses a publication whose fencing token is older than the published one', async () => {
    await target().publish(feedSet('v1'), options('2026-01-01T00:00:00Z', { fence: 7 }));
    s3.requests.length = 0;
    const stale = await target().publish(feedSet('v2'), options('2026-01-02T00:00:00Z', { fence: 6 }));
    expect(stale.value).toBeUndefined();
    expect(stale.issues[0]).toMatchObject({ rule: 'publish-fenced', level: 'error' });
    expect(keysOf(s3.requests, 'PUT')).toEqual([]);
    expect((await readRemoteManifest(target().connection))?.fence).toBe(7);
    expect((await getObject('rss.xml')).body.toString()).toMatch(/v1/);
  });
});

describe('CDN purge hook', () => {
  it('POSTs the changed and deleted paths as JSON after the manifest and the deletions', async () => {
    const received: { body: unknown; after: number }[] = [];
    const hook = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        received.push({ body: JSON.parse(text), after: s3.requests.length });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const purge = { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/purge` };
    try {
      await target({ purge }).publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
      received.length = 0;
      s3.requests.length = 0;
      const next = feedSet('v1').filter((f) => f.path !== 'feed.xsl').map((f) => (f.path === 'rss.xml' ? file('rss.xml', RSS, '<rss>v2</rss>') : f));
      const result = await target({ purge }).publish(next, options('2026-01-02T00:00:00Z'));
      expect(result.issues).toEqual([]);
      expect(received).toEqual([{
        body: { paths: ['/feeds/feed.xsl', '/feeds/rss.xml'], urls: ['https://news.example/feeds/feed.xsl', 'https://news.example/feeds/rss.xml'] },
        after: s3.requests.length,
      }]);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });

  it('runs a command with the paths in place of {paths} and on stdin, and warns when it fails', async () => {
    const log = join(dir, 'purged.json');
    const script = `let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', () => { require('node:fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(1), input })); process.exit(process.argv.includes('--fail') ? 3 : 0); });`;
    await target({ purge: { command: [process.execPath, '-e', script, '--', '--paths', '{paths}'] } }).publish(feedSet('v1'), options('2026-01-01T00:00:00Z'));
    const seen = JSON.parse(await readFile(log, 'utf8')) as { args: string[]; input: string };
    expect(seen.args).toEqual(['--paths', ...feedSet('v1').map((f) => new URL(f.path, 'https://news.example/feeds/').pathname).sort()]);
    expect(seen.input.trim().split('\n')).toEqual(seen.args.slice(1));

    const failing = await target({ purge: { command: [process.execPath, '-e', script, '--', '--fail', '{paths}'] } }).publish(feedSet('v2'), options('2026-01-02T00:00:00Z'));
    expect(failing.value?.changed.length).toBeGreaterThan(0);
    expect(failing.issues).toEqual([expect.objectContaining({ rule: 'publish-purge-failed', level: 'warning', message: expect.stringMatching(/exit code 3/) })]);
  });
});

describe('directory target', () => {
  it('refuses a publication whose fencing token is older than the published one, and keeps the newer files', async () => {
    const out = directoryTarget(join(dir, 'out'));
    expect((await out.publish(feedSet('v1'), options('2026-01-01T00:00:00Z', { fence: 3 }))).issues).toEqual([]);
    const stale = await out.publish(feedSet('v2'), options('2026-01-02T00:00:00Z', { fence: 2 }));
    expect(stale.issues[0]).toMatchObject({ rule: 'publish-fenced', level: 'error' });
    const manifest = await out.readManifest();
    expect(manifest?.fence).toBe(3);
    expect(Buffer.from((await out.readPublished(manifest, 'rss.xml'))!).toString()).toMatch(/v1/);
  });
});

describe('upload order', () => {
  it('ranks archive pages first and root-level feeds last', () => {
    const archive = [globToRegExp('archive/**')];
    expect(uploadRank('archive/2025/01.xml', ATOM, archive)).toBe(0);
    expect(uploadRank('tags/x/rss.xml', RSS, archive)).toBe(1);
    expect(uploadRank('index.html', 'text/html; charset=utf-8', archive)).toBe(1);
    expect(uploadRank('feed.json', JSONFEED, archive)).toBe(2);
  });
});
