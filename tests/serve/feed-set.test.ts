/**
 * Serving a feed set: many feeds at nested paths, told apart by media type rather than
 * name, paths that vanished answered 410, and an out dir upgraded from the version 1
 * layout while it is being served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { loadSnapshot } from '../../src/serve/snapshot.js';
import { toVersion1Layout } from '../publish/reading.js';
import { tempDir } from '../helpers.js';
import { httpRequest, writePublication, type FakeFile } from './publication.js';

const HUB = 'https://hub.example.net/';
const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSON_FEED = 'application/feed+json; charset=utf-8';
const OPML = 'text/x-opml; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const rss = (title: string): string => `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>https://kiosque.example/</link><description>d</description></channel></rss>\n`;
const atom = (title: string): string => `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title></feed>\n`;

const SET: FakeFile[] = [
  { path: 'rss.xml', body: rss('main'), mediaType: RSS },
  { path: 'tags/economie/rss.xml', body: rss('économie'), mediaType: RSS },
  { path: 'tags/economie/atom.xml', body: atom('économie'), mediaType: ATOM },
  { path: 'tags/economie/index.html', body: '<!doctype html><title>Économie</title>\n', mediaType: HTML },
  { path: 'lang/en/feed.json', body: '{"version":"https://jsonfeed.org/version/1.1","title":"en","items":[]}\n', mediaType: JSON_FEED },
  { path: 'feeds.opml', body: '<?xml version="1.0"?><opml version="2.0"><head/><body/></opml>\n', mediaType: OPML },
  { path: 'archive/1.xml', body: rss('page 1'), mediaType: RSS },
  { path: 'tags/economie/archive/1.atom', body: atom('page 1'), mediaType: ATOM },
];
const selfUrls = Object.fromEntries(SET.map((f) => [f.path, `https://kiosque.example/feeds/${f.path}`]));

let server: RunningServer;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kiosque-serve-set-'));
  await writePublication(dir, [...SET, { path: 'tags/sport/rss.xml', body: rss('sport'), mediaType: RSS }, { path: 'tags/sport/index.html', body: '<!doctype html><title>Sport</title>\n', mediaType: HTML }], { hubs: [HUB], selfUrls });
  await writePublication(dir, SET.map((f) => ({ ...f, lastModified: '2020-03-01T00:00:00Z' })), { hubs: [HUB], selfUrls });
  server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  await cleanup?.();
});

describe('a feed set', () => {
  it.each(SET.map((f) => [f.path, f.mediaType]))('serves /%s with its manifest type %s', async (path, type) => {
    const res = await httpRequest(server.url, `/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
  });

  it('serves a directory\'s index.html at the directory', async () => {
    const res = await httpRequest(server.url, '/tags/economie/');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('Économie');
  });

  it('redirects a directory asked for without its slash to the directory, keeping the query, and nothing else', async () => {
    const res = await httpRequest(server.url, '/tags/economie?from=newsletter');
    expect(res.status).toBe(301);
    // Relative to the request, so a proxy serving kiosque under /feeds/ sends readers to /feeds/tags/economie/.
    expect(res.headers.location).toBe('economie/?from=newsletter');
    expect(new URL(res.headers.location!, 'https://news.example/feeds/tags/economie?from=newsletter').href).toBe('https://news.example/feeds/tags/economie/?from=newsletter');
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    expect((await httpRequest(server.url, '/tags/economie', { method: 'HEAD' })).status).toBe(301);
    // A folder holding no page of its own, and a file name, stay missing.
    for (const path of ['/tags', '/tags/economie/rss', '/lang/en']) expect((await httpRequest(server.url, path)).status, path).toBe(404);
  });

  it('takes an encoded slash as part of a name, not a separator: no second address for a feed', async () => {
    for (const path of ['/tags%2Feconomie%2Frss.xml', '/tags/economie%2frss.xml', '/tags%2Feconomie/', '/tags%2Fsport%2Frss.xml']) {
      expect((await httpRequest(server.url, path)).status, path).toBe(404);
    }
    expect((await httpRequest(server.url, '/tags/%C3%A9conomie/rss.xml')).status).toBe(404);
    expect((await httpRequest(server.url, '/tags/econ%6Fmie/rss.xml')).status).toBe(200);
  });

  it('sends the hub and self Link on every subscription document, and on nothing else: archive pages are no topics the hubs hear of', async () => {
    for (const path of ['rss.xml', 'tags/economie/rss.xml', 'tags/economie/atom.xml', 'lang/en/feed.json']) {
      expect((await httpRequest(server.url, `/${path}`)).headers.link, path).toBe(`<${HUB}>; rel="hub", <${selfUrls[path]}>; rel="self"`);
    }
    for (const path of ['feeds.opml', 'tags/economie/index.html', 'archive/1.xml', 'tags/economie/archive/1.atom']) {
      expect((await httpRequest(server.url, `/${path}`)).headers.link, path).toBeUndefined();
    }
  });

  it('gives browsers the application/xml view of RSS and Atom feeds at any path, by media type', async () => {
    const nav = { 'sec-fetch-dest': 'document' };
    expect((await httpRequest(server.url, '/tags/economie/atom.xml', { headers: nav })).headers['content-type']).toBe('application/xml; charset=utf-8');
    expect((await httpRequest(server.url, '/feeds.opml', { headers: nav })).headers['content-type']).toBe(OPML);
    expect((await httpRequest(server.url, '/lang/en/feed.json', { headers: nav })).headers['content-type']).toBe(JSON_FEED);
  });
});

describe('answers a web reader on another origin may read', () => {
  it('410 for a gone feed, 404 and 301 carry Access-Control-Allow-Origin too', async () => {
    for (const path of ['/tags/sport/rss.xml', '/missing.xml', '/tags/economie']) {
      expect((await httpRequest(server.url, path, { headers: { origin: 'https://reader.example' } })).headers['access-control-allow-origin'], path).toBe('*');
    }
  });
});

describe('vanished paths', () => {
  it('answer 410 Gone, cacheable for the feeds\' max-age, with a short text and no feed headers, so readers unsubscribe', async () => {
    const res = await httpRequest(server.url, '/tags/sport/rss.xml');
    expect(res.status).toBe(410);
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.length).toBeLessThan(100);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers.link).toBeUndefined();
    const head = await httpRequest(server.url, '/tags/sport/rss.xml', { method: 'HEAD' });
    expect(head.status).toBe(410);
    expect(head.body.length).toBe(0);
  });

  it('answer 410 at a gone feed\'s folder too, with or without its slash: the folder was its page', async () => {
    for (const path of ['/tags/sport/', '/tags/sport', '/tags/sport/index.html']) expect((await httpRequest(server.url, path)).status, path).toBe(410);
  });

  it('leave paths never published at 404, and the .gz/.br names of a gone path too', async () => {
    for (const path of ['/tags/other/rss.xml', '/tags/sport/rss.xml.gz', '/tags/other/', '/tags']) expect((await httpRequest(server.url, path)).status, path).toBe(404);
  });
});

describe('a manifest\'s moved paths', () => {
  it('are refused unless each is a plain relative path with an absolute http(s) target', async () => {
    const { dir: out, cleanup: done } = await tempDir('kiosque-serve-moved-');
    try {
      await writePublication(out, SET.slice(0, 1));
      const file = join(out, '.kiosque', 'current', '.manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8'));
      for (const [moved, problem] of [
        [{}, '"moved" must be a list'],
        [[{ path: '../x/rss.xml', to: 'https://e.org/y/rss.xml' }], 'moved/0'],
        [[{ path: 'x/rss.xml', to: '/y/rss.xml' }], 'moved/0'],
      ] as const) {
        await writeFile(file, JSON.stringify({ ...manifest, moved }));
        const loaded = await loadSnapshot(out);
        expect(loaded.ok, problem).toBe(false);
        expect(!loaded.ok && loaded.reason).toBe('invalid');
        expect(!loaded.ok && loaded.message).toContain(problem);
      }
    } finally {
      await done();
    }
  });
});

describe('an out dir upgraded from the version 1 layout while served', () => {
  it('keeps every ETag and Last-Modified, so pollers holding them keep getting 304', async () => {
    const { dir: out, cleanup: done } = await tempDir('kiosque-serve-upgrade-');
    const files: FakeFile[] = [
      { path: 'rss.xml', body: rss('main'), mediaType: RSS },
      { path: 'atom.xml', body: atom('main'), mediaType: ATOM },
    ];
    await writePublication(out, files);
    await toVersion1Layout(out, new Date('2020-02-28T16:30:05Z'));
    const live = await startServer({ outDir: out, host: '127.0.0.1', port: 0 });
    try {
      const before = await Promise.all(['/rss.xml', '/atom.xml'].map((p) => httpRequest(live.url, p, { headers: { 'accept-encoding': 'gzip' } })));
      expect(before.map((r) => r.status)).toEqual([200, 200]);
      // The first build of the new release adopts the out dir, then finds nothing to change.
      await writePublication(out, files.map((f) => ({ ...f, lastModified: '2021-01-01T00:00:00Z' })));
      await live.reload();
      for (const [i, path] of ['/rss.xml', '/atom.xml'].entries()) {
        const after = await httpRequest(live.url, path, { headers: { 'accept-encoding': 'gzip' } });
        expect(after.headers.etag, path).toBe(before[i]!.headers.etag);
        expect(after.headers['last-modified'], path).toBe(before[i]!.headers['last-modified']);
        const poll = await httpRequest(live.url, path, { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(before[i]!.headers.etag) } });
        expect(poll.status, path).toBe(304);
      }
    } finally {
      await live.close();
      await done();
    }
  });
});
