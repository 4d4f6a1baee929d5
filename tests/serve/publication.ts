/**
 * Test helpers for the server: a real publication on disk, made by the real publisher
 * (files, .gz/.br siblings, temp file + rename, manifest last), and raw HTTP clients that
 * send request targets verbatim.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Entry, Feed, Site } from '../../src/model/types.js';
import type { Manifest } from '../../src/publish/manifest.js';
import { publish } from '../../src/publish/publish.js';
import { site as renderSite } from '../render/fixtures/feed.js';

export type FakeFile = { path: string; body: string | Buffer; mediaType: string; lastModified?: string };
export type PublicationOptions = { maxAge?: number; hubs?: string[]; selfUrls?: Record<string, string> };

/** Publishes `files` with the real publisher; `lastModified` (of the first file) is the run's clock. */
export async function writePublication(outDir: string, files: FakeFile[], opts: PublicationOptions = {}): Promise<Manifest> {
  const now = new Date(files[0]?.lastModified ?? '2020-02-28T16:30:00.000Z');
  const outputs = files.map((f) => ({
    path: f.path,
    mediaType: f.mediaType,
    data: Buffer.isBuffer(f.body) ? f.body : Buffer.from(f.body, 'utf8'),
    ...(opts.selfUrls?.[f.path] ? { selfUrl: opts.selfUrls[f.path] } : {}),
  }));
  const result = await publish(outDir, outputs, { maxAge: opts.maxAge ?? 900, hubs: opts.hubs ?? [], now });
  if (!result.value) throw new Error(`publication failed: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.value.manifest;
}

export const SITE_TITLE = 'Kiosque — Dépêches';
export const ARTICLE_TITLE = 'Poutine et Erdogan se sont entretenus par téléphone après les bombardements à Idlib';

/** RSS, Atom, JSON Feed, index.html and feed.xsl; `marker` changes the bytes between publications. */
export function sampleFiles(marker = 'v1', extra: { indexHtml?: string; feedXsl?: string } = {}): FakeFile[] {
  const items = Array.from({ length: 20 }, (_, i) => i === 0 ? ARTICLE_TITLE : `Dépêche n° ${i} (${marker}) — « accents » & <escapes>`);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rss = `<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="feed.xsl"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${esc(SITE_TITLE)}</title><link>https://kiosque.example/</link><description>Dépêches (${marker})</description><language>fr</language><ttl>15</ttl>
<atom:link rel="self" type="application/rss+xml" href="https://kiosque.example/feeds/rss.xml"/>
${items.map((t, i) => `<item><title>${esc(t)}</title><link>https://kiosque.example/a/${i}</link><guid isPermaLink="false">tag:kiosque.example,2020:a/${i}</guid><pubDate>Fri, 28 Feb 2020 16:30:00 GMT</pubDate><description>${esc(`<p>Résumé ${i} ${'texte '.repeat(40)}</p>`)}</description></item>`).join('\n')}
</channel></rss>
`;
  const atom = `<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="feed.xsl"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>${esc(SITE_TITLE)}</title><id>tag:kiosque.example,2020:feed</id><updated>2020-02-28T16:30:00Z</updated>
<link rel="self" type="application/atom+xml" href="https://kiosque.example/feeds/atom.xml"/><link rel="alternate" href="https://kiosque.example/"/><subtitle>${marker}</subtitle>
${items.map((t, i) => `<entry><title>${esc(t)}</title><id>tag:kiosque.example,2020:a/${i}</id><link href="https://kiosque.example/a/${i}"/><updated>2020-02-28T16:30:00Z</updated><published>2020-02-28T16:30:00Z</published><author><name>Sputnik</name></author><summary>Résumé ${i}</summary></entry>`).join('\n')}
</feed>
`;
  const json = `${JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: SITE_TITLE, home_page_url: 'https://kiosque.example/', feed_url: 'https://kiosque.example/feeds/feed.json', marker, items: items.map((t, i) => ({ id: `tag:kiosque.example,2020:a/${i}`, url: `https://kiosque.example/a/${i}`, title: t, content_html: `<p>Résumé ${i}</p>`, date_published: '2020-02-28T16:30:00Z' })) }, null, 2)}\n`;
  const index = extra.indexHtml ?? `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${esc(SITE_TITLE)}</title></head><body><h1>${esc(SITE_TITLE)}</h1><p>${marker}</p></body></html>\n`;
  const xsl = extra.feedXsl ?? `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:output method="html"/><xsl:template match="/"><html><body><xsl:value-of select="/rss/channel/title"/></body></html></xsl:template></xsl:stylesheet>
`;
  return [
    { path: 'rss.xml', body: rss, mediaType: 'application/rss+xml; charset=utf-8' },
    { path: 'atom.xml', body: atom, mediaType: 'application/atom+xml; charset=utf-8' },
    { path: 'feed.json', body: json, mediaType: 'application/feed+json; charset=utf-8' },
    { path: 'index.html', body: index, mediaType: 'text/html; charset=utf-8' },
    { path: 'feed.xsl', body: xsl, mediaType: 'application/xslt+xml; charset=utf-8' },
  ];
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** One request on a fresh connection; `path` goes on the wire as given, and bodies stay encoded. */
export function httpRequest(base: string, path: string, opts: { method?: string; headers?: Record<string, string | string[]> } = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns what came back before the server closed or `ms` of silence; nothing normalises the target. */
export function rawRequest(base: string, raw: string | Buffer, ms = 2000): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const finish = (): void => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    socket.setTimeout(ms, () => {
      socket.destroy();
      finish();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', finish);
    socket.on('error', reject);
    socket.write(raw);
  });
}

/** A model feed like to-feed.ts makes from the seed dispatch, plus tricky characters to escape. */
export function sampleFeed(overrides: Partial<Site> = {}): Feed {
  const site: Site = { ...renderSite, title: SITE_TITLE, ...overrides };
  const published = new Date('2020-02-28T16:30:00Z');
  const entries: Entry[] = [
    {
      id: 'tag:kiosque.example,2020:dispatch/idlib', url: 'https://kiosque.example/2020/02/poutine-erdogan-idlib', title: ARTICLE_TITLE,
      published, updated: published, authors: [{ name: 'Sputnik' }], contentHtml: '<p>Les Présidents russe et turc…</p>',
      summary: 'Vladimir Poutine et Recep Tayyip Erdogan se sont entretenus par téléphone après les bombardements ayant touché Idlib le 27 février.',
      tags: ['Russie', 'Turquie'], lang: 'fr', source: { file: '2020/02/poutine-erdogan-idlib.md', line: 1 },
    },
    {
      id: 'tag:kiosque.example,2020:dispatch/escapes', url: 'https://kiosque.example/2020/02/escapes?a=1&b=2', title: 'Tom & Jerry <script>alert("x")</script> “quotes”',
      published: new Date('2020-02-01T08:00:00Z'), updated: new Date('2020-02-01T08:00:00Z'), authors: [{ name: 'A & B', url: 'javascript:alert(1)' }, { name: 'Zoé' }],
      contentHtml: '<p>x</p>', summary: 'Less < more & "quoted"', tags: [], lang: 'en', source: { file: '2020/02/escapes.md' },
    },
  ];
  return { site, entries, updated: published };
}
