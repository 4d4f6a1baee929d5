import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createConnection, createServer as createNetServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers.js';
import { NOW, makeSite, runCli } from './run-cli.js';

type Report = { exitCode: number; files: { file: string; format: string; reason?: string; issues: { rule: string; level: string; message: string }[] }[] };

async function validate(urls: string[], env: Record<string, string> = {}, extra: string[] = []): Promise<Report & { stderr: string }> {
  const r = await runCli(['validate', '--json', ...extra, ...urls], { cwd: process.cwd(), env });
  if (!r.stdout.startsWith('{')) throw new Error(`kiosque validate exited ${r.code} without a report; stderr: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as Report), stderr: r.stderr };
}
const rulesOf = (r: Report, i = 0): string[] => (r.files[i]?.issues ?? []).map((x) => x.rule);
const httpRulesOf = (r: Report, i = 0): string[] => rulesOf(r, i).filter((id) => id.startsWith('HTTP-'));

/** The same feed written in ASCII alone, with no encoding declared. */
const asciiOnly = (xml: string): string => xml.replace(' encoding="UTF-8"', '').replace('Café', 'Cafe').replace('Été', 'Ete');

/** A valid RSS feed whose self link is `self`, padded past the compression threshold; `archive`: an RFC 5005 archive document. */
function rss(self: string, hub?: string, archive = false): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0">
<channel>
<title>Café</title>
<link>https://example.org/</link>
<description>${'Une description assez longue. '.repeat(60)}</description>
<language>fr</language>
<atom:link rel="self" type="application/rss+xml" href="${self}"/>
${hub ? `<atom:link rel="hub" href="${hub}"/>` : ''}
${archive ? '<fh:archive/>' : ''}
<item><title>Été</title><link>https://example.org/a</link><guid>https://example.org/a</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
</channel>
</rss>
`;
}

/** A port nothing listens on now, for a server started later whose URL the feeds must name. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  const port = await new Promise<number>((done) => probe.listen(0, '127.0.0.1', () => done((probe.address() as AddressInfo).port)));
  await new Promise((done) => probe.close(done));
  return port;
}

const listen = (server: Server): Promise<number> => new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));

describe('kiosque validate URL against kiosque serve', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let server: ChildProcess | undefined;
  let base = '';

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('kiosque-vhttp-'));
    // A free port first, so the feeds' self links name the address they are served from.
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    await makeSite(dir, { feedBaseUrl: base, hubs: ['http://127.0.0.1:9/hub'] });
    const built = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(built.code).toBe(0);
    server = spawn(process.execPath, [cliPath, 'serve', '--port', String(port)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((done, fail) => {
      server?.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && done());
      server?.on('exit', (code) => fail(new Error(`serve exited ${code}`)));
    });
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await cleanup();
  });

  it('finds nothing to report on the three feeds kiosque serves, and exits 0', async () => {
    const r = await validate([`${base}rss.xml`, `${base}atom.xml`, `${base}feed.json`]);
    expect(r.exitCode).toBe(0);
    expect(r.files.map((f) => f.format)).toEqual(['rss', 'atom', 'json']);
    for (let i = 0; i < 3; i++) expect(httpRulesOf(r, i)).toEqual([]);
  });

  it('finds nothing to report either on a full archive page it serves as immutable for a year, in RSS and Atom', async () => {
    const r = await validate([`${base}archive/1.xml`, `${base}archive/1.atom`]);
    expect(r.files.map((f) => f.format)).toEqual(['rss', 'atom']);
    for (let i = 0; i < 2; i++) expect(httpRulesOf(r, i)).toEqual([]);
  });

  it('names the feeds a web page announces when given the page instead of a feed, resolved after its redirect, and exits 2', async () => {
    const r = await validate([`${base}tags/economy`]);
    expect(r.exitCode).toBe(2);
    expect(r.files[0]).toMatchObject({ format: 'unsupported' });
    expect(r.files[0]!.reason).toBe(`an HTML page, not a feed; it announces 3 feeds: ${base}tags/economy/rss.xml (RSS), ${base}tags/economy/atom.xml (Atom), ${base}tags/economy/feed.json (JSON Feed): validate one of those instead`);
    expect(rulesOf(r)).toContain('KIOSQUE-FORMAT');
    expect(rulesOf(r)).not.toContain('KIOSQUE-UNREADABLE');
  });
});

describe('kiosque validate URL against a misconfigured server', () => {
  let server: Server;
  let base = '';
  const body = (): string => rss(`${base}good.xml`);
  const etag = (text: string): string => `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;

  /** The tag of `text` as sent gzipped: each coding has its own (RFC 9110 §8.8.3). */
  const gzTag = (text: string): string => etag(text).replace(/"$/, '-gz"');

  /** A well-behaved answer, which each route below breaks in one way. */
  function good(req: IncomingMessage, res: ServerResponse, text: string, headers: Record<string, string> = {}, opts: { gzip?: boolean; conditional?: boolean; sharedTag?: boolean } = {}): void {
    const gzip = (opts.gzip ?? true) && /gzip/.test(req.headers['accept-encoding'] ?? '');
    const tag = gzip && !opts.sharedTag ? gzTag(text) : etag(text);
    const h: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8', etag: tag, 'cache-control': 'max-age=900', vary: 'Accept-Encoding', ...headers };
    for (const [k, v] of Object.entries(h)) if (v === '') delete h[k];
    if ((opts.conditional ?? true) && h['etag'] && req.headers['if-none-match'] === h['etag']) {
      res.writeHead(304, h).end();
      return;
    }
    if (gzip) res.writeHead(200, { ...h, 'content-encoding': 'gzip' }).end(gzipSync(text));
    else res.writeHead(200, h).end(text);
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/good.xml': (req, res) => good(req, res, body()),
    '/relative-self.xml': (req, res) => good(req, res, rss('relative-self.xml')),
    '/archive-loop.xml': (req, res) => good(req, res, rss(`${base}archive-loop.xml`, undefined, true)
      .replace('<fh:archive/>', '<fh:archive/><atom:link rel="current" href="good.xml"/><atom:link rel="prev-archive" href="archive-loop.xml"/>')),
    '/html-type.xml': (req, res) => good(req, res, rss(`${base}html-type.xml`), { 'content-type': 'text/html; charset=utf-8' }),
    '/generic-type.xml': (req, res) => good(req, res, rss(`${base}generic-type.xml`), { 'content-type': 'text/xml' }),
    '/latin1-charset.xml': (req, res) => good(req, res, rss(`${base}latin1-charset.xml`), { 'content-type': 'application/rss+xml; charset=iso-8859-1' }),
    // ASCII bytes only, no encoding declared: every ASCII-compatible charset reads the same characters.
    '/ascii-latin1.xml': (req, res) => good(req, res, asciiOnly(rss(`${base}ascii-latin1.xml`)), { 'content-type': 'application/rss+xml; charset=ISO-8859-1' }),
    '/ascii-utf16.xml': (req, res) => good(req, res, asciiOnly(rss(`${base}ascii-utf16.xml`)), { 'content-type': 'application/rss+xml; charset=utf-16' }),
    '/relative-link-header.xml': (req, res) => good(req, res, rss(`${base}relative-link-header.xml`), { link: '</relative-link-header.xml>; rel=self' }),
    '/no-validators.xml': (req, res) => good(req, res, rss(`${base}no-validators.xml`), { etag: '' }),
    '/no-304.xml': (req, res) => good(req, res, rss(`${base}no-304.xml`), {}, { conditional: false }),
    '/no-store.xml': (req, res) => good(req, res, rss(`${base}no-store.xml`), { 'cache-control': 'no-store' }),
    // Honours If-None-Match but not a date sent alone, which some readers send.
    '/date-ignored.xml': (req, res) => good(req, res, rss(`${base}date-ignored.xml`), { 'last-modified': 'Sun, 01 Nov 2026 10:00:00 GMT' }),
    // A CDN rule that sets the caching headers on 200 only.
    '/bare-304.xml': (req, res) => {
      const text = rss(`${base}bare-304.xml`);
      if (req.headers['if-none-match'] === gzTag(text)) res.writeHead(304, { 'content-type': 'application/rss+xml' }).end();
      else good(req, res, text);
    },
    '/bad-etag.xml': (req, res) => good(req, res, rss(`${base}bad-etag.xml`), { etag: 'W/"x y"' }),
    '/future.xml': (req, res) => {
      const text = rss(`${base}future.xml`);
      // Honours the date as servers do: not modified since any date after its own.
      if (req.headers['if-modified-since']) res.writeHead(304, { etag: gzTag(text), 'cache-control': 'max-age=900', vary: 'Accept-Encoding', 'last-modified': 'Fri, 01 Jan 2099 00:00:00 GMT' }).end();
      else good(req, res, text, { 'last-modified': 'Fri, 01 Jan 2099 00:00:00 GMT' });
    },
    // One strong tag for the gzip and the plain body.
    '/shared-tag.xml': (req, res) => good(req, res, rss(`${base}shared-tag.xml`), {}, { sharedTag: true }),
    // A 304 from a layer that tags its own copy.
    '/other-304.xml': (req, res) => {
      const text = rss(`${base}other-304.xml`);
      if (req.headers['if-none-match']) res.writeHead(304, { etag: '"cdn-1"', 'cache-control': 'max-age=900', vary: 'Accept-Encoding' }).end();
      else good(req, res, text);
    },
    '/quoted-max-age.xml': (req, res) => good(req, res, rss(`${base}quoted-max-age.xml`), { 'cache-control': 'max-age="900"' }),
    '/iso-last-modified.xml': (req, res) => {
      const text = rss(`${base}iso-last-modified.xml`);
      const headers = { 'last-modified': '2026-11-01T10:00:00Z' };
      if (req.headers['if-modified-since']) res.writeHead(304, { etag: gzTag(text), 'cache-control': 'max-age=900', vary: 'Accept-Encoding', ...headers }).end();
      else good(req, res, text, headers);
    },
    '/no-date.xml': (req, res) => {
      res.sendDate = false;
      good(req, res, rss(`${base}no-date.xml`));
    },
    // A .gz file served as it is, then compressed again on the way.
    '/double-gzip.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', etag: '"d-gz"', vary: 'Accept-Encoding', 'cache-control': 'max-age=900' }).end(gzipSync(gzipSync(rss(`${base}double-gzip.xml`)))),
    '/a-year.xml': (req, res) => good(req, res, rss(`${base}a-year.xml`), { 'cache-control': 'public, max-age=31536000, immutable' }),
    '/archive-a-year.xml': (req, res) => good(req, res, rss(`${base}archive-a-year.xml`, undefined, true), { 'cache-control': 'public, max-age=31536000, immutable' }),
    '/uncompressed.xml': (req, res) => good(req, res, rss(`${base}uncompressed.xml`), {}, { gzip: false }),
    '/no-vary.xml': (req, res) => good(req, res, rss(`${base}no-vary.xml`), { vary: '' }),
    '/moved.xml': (_req, res) => res.writeHead(302, { location: '/good.xml' }).end(),
    '/link-header.xml': (req, res) => good(req, res, rss(`${base}link-header.xml`, 'https://hub.example/'), { link: `<${base}elsewhere.xml>; rel="self", <https://other-hub.example/>; rel="hub"` }),
    '/self-elsewhere.xml': (req, res) => good(req, res, rss('https://example.org/feed.xml')),
    '/missing.xml': (_req, res) => res.writeHead(404).end('no'),
    '/loop-a': (_req, res) => res.writeHead(301, { location: '/loop-b' }).end(),
    '/loop-b': (_req, res) => res.writeHead(301, { location: '/loop-a' }).end(),
    '/silent.xml': () => undefined,
    // Headers at once, then half a feed and nothing more.
    '/stalled.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
    },
    '/endless.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    },
  };
  for (let i = 0; i < 6; i++) routes[`/hop${i}`] = (_req, res) => res.writeHead(301, { location: `/hop${i + 1}` }).end();

  beforeAll(async () => {
    server = createServer((req, res) => (routes[req.url ?? ''] ?? ((_q, r: ServerResponse) => r.writeHead(404).end()))(req, res));
    base = `http://127.0.0.1:${await listen(server)}/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reports nothing on the well-configured route', async () => {
    const r = await validate([`${base}good.xml`]);
    expect(r.exitCode).toBe(0);
    expect(rulesOf(r)).toEqual([]);
  });

  it.each([
    ['html-type.xml', 'HTTP-TYPE-001'],
    ['generic-type.xml', 'HTTP-TYPE-002'],
    ['latin1-charset.xml', 'HTTP-TYPE-003'],
    ['no-validators.xml', 'HTTP-CACHE-001'],
    ['no-304.xml', 'HTTP-CACHE-002'],
    ['no-store.xml', 'HTTP-CACHE-003'],
    ['date-ignored.xml', 'HTTP-CACHE-002'],
    ['bare-304.xml', 'HTTP-CACHE-004'],
    ['bad-etag.xml', 'HTTP-CACHE-005'],
    ['future.xml', 'HTTP-CACHE-006'],
    ['shared-tag.xml', 'HTTP-CACHE-010'],
    ['other-304.xml', 'HTTP-CACHE-007'],
    ['quoted-max-age.xml', 'HTTP-CACHE-008'],
    ['iso-last-modified.xml', 'HTTP-CACHE-009'],
    ['no-date.xml', 'HTTP-CACHE-009'],
    ['a-year.xml', 'HTTP-CACHE-003'],
    ['uncompressed.xml', 'HTTP-ENC-001'],
    ['no-vary.xml', 'HTTP-ENC-002'],
    ['moved.xml', 'HTTP-REDIR-001'],
    ['link-header.xml', 'HTTP-LINK-001'],
    ['self-elsewhere.xml', 'HTTP-SELF-001'],
  ])('%s: reports %s and nothing else about how it is served', async (route, rule) => {
    const r = await validate([`${base}${route}`]);
    expect(httpRulesOf(r)).toEqual(expect.arrayContaining([rule]));
    expect(new Set(httpRulesOf(r))).toEqual(new Set([rule]));
    // The body is the same valid feed everywhere: only serving problems are found.
    expect(r.files[0]?.format).toBe('rss');
  });

  it('says a body compressed twice is compressed twice, and quotes a malformed ETag as it came', async () => {
    const twice = await validate([`${base}double-gzip.xml`]);
    expect(httpRulesOf(twice)).toContain('HTTP-ENC-003');
    const bad = await validate([`${base}bad-etag.xml`]);
    expect(bad.files[0]!.issues.find((i) => i.rule === 'HTTP-CACHE-005')!.message).toMatch(/^ETag `W\/"x y"` is not an entity-tag/);
  });

  it('resolves relative links against the URL the document came from: a relative self link is right, an archive link back to itself loops', async () => {
    const relative = await validate([`${base}relative-self.xml`]);
    expect(httpRulesOf(relative)).toEqual([]);
    const loop = await validate([`${base}archive-loop.xml`]);
    expect(rulesOf(loop)).toContain('RFC5005-006');
    expect(loop.files[0]!.issues.find((i) => i.rule === 'RFC5005-006')?.message).toContain('points at the document itself');
  });

  it('takes an ASCII-only document in an ASCII-compatible charset as read right, and not one in UTF-16', async () => {
    expect(httpRulesOf(await validate([`${base}ascii-latin1.xml`]))).toEqual([]);
    expect(httpRulesOf(await validate([`${base}ascii-utf16.xml`]))).toEqual(['HTTP-TYPE-003']);
  });

  it('resolves a relative Link header against the URL fetched before comparing it with the self link', async () => {
    expect(httpRulesOf(await validate([`${base}relative-link-header.xml`]))).toEqual([]);
    const elsewhere = await validate([`${base}link-header.xml`]);
    expect(elsewhere.files[0]!.issues.find((i) => i.rule === 'HTTP-LINK-001')?.message).toContain('elsewhere.xml> differs');
  });

  it('leaves a year of caching to an RFC 5005 archive document, which is meant never to change', async () => {
    const r = await validate([`${base}archive-a-year.xml`]);
    expect(r.files[0]?.format).toBe('rss');
    expect(httpRulesOf(r)).toEqual([]);
  });

  it('follows a redirect to the feed and checks the self link against the final URL', async () => {
    const r = await validate([`${base}moved.xml`]);
    expect(r.files[0]?.issues.find((i) => i.rule === 'HTTP-REDIR-001')?.message).toContain('302');
    expect(rulesOf(r)).not.toContain('HTTP-SELF-001');
  });

  it('never prints the credentials of a URL, in the report or its findings, in any output format', async () => {
    const withCredentials = base.replace('http://', 'http://reader:s3cret@');
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await runCli(['validate', '--format', format, `${withCredentials}self-elsewhere.xml`, `${withCredentials}missing.xml`], { cwd: process.cwd() });
      expect(r.stdout, format).toContain('***@127.0.0.1');
      expect(r.stdout + r.stderr, format).not.toContain('s3cret');
    }
  });

  it.each([
    ['missing.xml', [], /answers HTTP 404/],
    ['loop-a', [], /redirect loop/],
    ['hop0', [], /more than 5 redirects/],
    ['silent.xml', ['--timeout', '1'], /no response from 127\.0\.0\.1:\d+ within 1 s/],
    ['stalled.xml', ['--timeout', '1'], /127\.0\.0\.1:\d+ answered, but the body did not end within 1 s/],
    ['endless.xml', [], /larger than \d+ bytes/],
  ] as const)('%s: could not fetch, one line, exit 2', async (route, extra, reason) => {
    const r = await validate([`${base}${route}`], {}, [...extra]);
    expect(r.exitCode).toBe(2);
    expect(r.files[0]).toMatchObject({ format: 'unfetchable', reason: expect.stringMatching(reason) });
    expect(rulesOf(r)).toEqual(['KIOSQUE-FETCH']);
    expect(r.stderr).toBe('');
  });

  it('says the server does not speak TLS when an https:// address names a plain HTTP port', async () => {
    const r = await validate([base.replace('http://', 'https://') + 'rss.xml']);
    expect(r.exitCode).toBe(2);
    expect(r.files[0]?.reason).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: the server does not speak TLS on that port \(is it an http:\/\/ address\?\)$/);
  });

  it('says a TLS handshake failed when an https:// address names a port whose server drops it, and names a response that is not HTTP', async () => {
    // A plain server that closes the connection on the first bytes it cannot read, and one that sends more body than its Content-Length.
    const dropping = createNetServer((socket) => socket.once('data', () => socket.destroy()));
    const overlong = createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5\r\n\r\n<rss version="2.0"></rss>')));
    const port = (server: typeof dropping): Promise<number> => new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
    try {
      const tls = await validate([`https://127.0.0.1:${await port(dropping)}/feed.xml`]);
      expect(tls.files[0]?.reason).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: the connection was closed before it completed/);
      const http = await validate([`http://127.0.0.1:${await port(overlong)}/feed.xml`]);
      expect(http.exitCode).toBe(2);
      expect(http.files[0]?.reason).toMatch(/is not valid HTTP \(HPE_[A-Z_]+: .*\): bytes after the body its Content-Length announced/);
    } finally {
      dropping.close();
      overlong.close();
    }
  });

  it('says so in one line when nothing listens, with no stack trace', async () => {
    const closed = createServer();
    const port = await listen(closed);
    closed.close();
    const r = await runCli(['validate', `http://127.0.0.1:${port}/rss.xml`], { cwd: process.cwd() });
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`http://127.0.0.1:${port}/rss.xml: could not fetch (connection refused by 127.0.0.1:${port}), not validated: 1 error, 0 warnings, 0 info`);
    expect(r.stderr).toBe('');
  });
});

/** openssl makes a throw-away certificate for 127.0.0.1; without it the HTTPS cases are skipped. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('kiosque validate https://', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let server: Server;
  let base = '';

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('kiosque-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const { readFileSync } = await import('node:fs');
    server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      const text = rss(`${base}rss.xml`);
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"', vary: 'Accept-Encoding' }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', vary: 'Accept-Encoding', 'content-encoding': 'gzip' }).end(gzipSync(text));
    }) as unknown as Server;
    base = `https://127.0.0.1:${await listen(server)}/`;
  });
  afterAll(async () => {
    server.close();
    await cleanup();
  });

  it('validates a feed served over TLS by a trusted certificate', async () => {
    const r = await validate([`${base}rss.xml`], { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    expect(r.exitCode).toBe(0);
    expect(httpRulesOf(r)).toEqual([]);
  });

  it('refuses an untrusted certificate with a one-line reason', async () => {
    const r = await validate([`${base}rss.xml`]);
    expect(r.exitCode).toBe(2);
    expect(r.files[0]?.reason).toMatch(/^TLS: the certificate of 127\.0\.0\.1 is not signed by a trusted authority/);
  });
});

/** Debian's nginx (.ci/run installs it); without it these cases are skipped, except in CI. */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

describe.skipIf(!NGINX && !process.env.CI)('kiosque validate URL against nginx serving out/ statically, as docs/serving.md describes (never skipped in CI)', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let nginx: ChildProcess | undefined;
  let base = '';

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('kiosque-nginx-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    const site = join(dir, 'site');
    await mkdir(site);
    await makeSite(site, { feedBaseUrl: base });
    expect((await runCli(['build', '--now', NOW], { cwd: site })).code).toBe(0);
    await mkdir(join(dir, 'tmp'));
    const types = (name: string, type: string): string => `location = /${name} { types { } default_type ${type}; }`;
    await writeFile(join(dir, 'nginx.conf'), `
user root;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log stderr;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'tmp')};
  proxy_temp_path ${join(dir, 'tmp')};
  fastcgi_temp_path ${join(dir, 'tmp')};
  uwsgi_temp_path ${join(dir, 'tmp')};
  scgi_temp_path ${join(dir, 'tmp')};
  server {
    listen 127.0.0.1:${port};
    root ${join(site, 'out')};
    gzip_static on;
    gzip_vary on;
    location ~ /\\. { return 404; }
    ${types('rss.xml', 'application/rss+xml')}
    ${types('atom.xml', 'application/atom+xml')}
    ${types('feed.json', 'application/feed+json')}
  }
}
`);
    nginx = spawn(NGINX as string, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Ready when it accepts connections.
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((done) => {
        const socket = createConnection(port, '127.0.0.1', () => done(socket.end() !== undefined));
        socket.on('error', () => done(false));
      });
      if (up) break;
      await new Promise((done) => setTimeout(done, 50));
    }
  });
  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await new Promise((done) => setTimeout(done, 100));
    await cleanup();
  });

  it('finds nothing to report on the three feeds nginx serves from out/', async () => {
    const r = await validate([`${base}rss.xml`, `${base}atom.xml`, `${base}feed.json`]);
    expect(r.exitCode).toBe(0);
    for (let i = 0; i < 3; i++) expect(httpRulesOf(r, i), r.files[i]?.file).toEqual([]);
  });
});
