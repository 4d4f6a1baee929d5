/**
 * A plain static server reading out/ while kiosque publishes into it: real nginx with the
 * configuration docs/serving.md gives (read from the doc, so the doc is what is tested).
 * Skipped where nginx is not installed, except in CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, type OutputFile } from '../../src/publish/publish.js';
import { repoRoot, tempDir } from '../helpers.js';
import { httpRequest } from '../serve/publication.js';

const hasNginx = !spawnSync('nginx', ['-v']).error;
const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const body = (text: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${text}</title>${'<item><title>é</title></item>'.repeat(40)}</channel></rss>\n`);
const rss = (text: string): OutputFile => ({ path: 'rss.xml', mediaType: RSS, data: body(text) });
const atom: OutputFile = { path: 'tags/economie/atom.xml', mediaType: ATOM, data: Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><title>é</title></feed>\n') };
const atomPage: OutputFile = { path: 'archive/1.atom', mediaType: ATOM, data: Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><title>page 1</title></feed>\n') };

/** The server block of docs/serving.md, listening here and rooted at `out`. */
async function documentedServer(out: string, port: number): Promise<string> {
  const doc = await readFile(join(repoRoot, 'docs/serving.md'), 'utf8');
  const block = /\*\*nginx serving out\/ directly\*\*[\s\S]*?```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/serving.md has no nginx block for serving out/ directly');
  return block.replace(/listen 80;/, `listen 127.0.0.1:${port};`).replace(/root \/srv\/kiosque\/out;/, `root ${out};`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let dir: string;
let cleanup: () => Promise<void>;
let nginx: ChildProcess | undefined;
let base: string;
const out = (): string => join(dir, 'out');
const at = (iso: string) => ({ maxAge: 900, hubs: [], now: new Date(iso) });

beforeAll(async () => {
  if (!hasNginx) return;
  ({ dir, cleanup } = await tempDir('kiosque-nginx-'));
  // nginx workers drop root's privileges; they must be able to read the publication.
  await chmod(dir, 0o755);
  await publish(out(), [rss('one'), atom, atomPage], at('2026-01-01T10:00:00Z'));
  const port = await freePort();
  await writeFile(join(dir, 'nginx.conf'), `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  default_type application/octet-stream;
${await documentedServer(out(), port)}
}
`);
  nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if (await httpRequest(base, '/rss.xml').then((r) => r.status === 200, () => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nginx did not start: ${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`);
});
afterAll(async () => {
  if (nginx) {
    const closed = new Promise((r) => nginx!.once('close', r));
    nginx.kill('SIGTERM');
    await closed;
  }
  await cleanup?.();
});

describe.skipIf(!hasNginx && !process.env.CI)('nginx serving out/ directly, configured as docs/serving.md says (never skipped in CI)', () => {
  it('serves the current generation through the public names, nested ones too, and keeps .kiosque/ private', async () => {
    const identity = await httpRequest(base, '/rss.xml');
    const gz = await httpRequest(base, '/rss.xml', { headers: { 'accept-encoding': 'gzip' } });
    expect(identity.status).toBe(200);
    expect(identity.headers['content-type']).toBe(RSS);
    expect(identity.body.equals(body('one'))).toBe(true);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
    expect(identity.headers['cache-control']).toBe('public, max-age=900');
    const nested = await httpRequest(base, '/tags/economie/atom.xml');
    expect(nested.headers['content-type']).toBe(ATOM);
    // An Atom archive page is Atom too, not text/plain (POLL-CT-003).
    expect((await httpRequest(base, '/archive/1.atom')).headers['content-type']).toBe(ATOM);
    // As under kiosque serve: the encodings are only served under the file's own name, never raw.
    for (const path of ['/.kiosque/manifest.json', '/.kiosque/current/rss.xml', '/rss.xml.gz']) expect((await httpRequest(base, path)).status, path).toBe(404);
  });

  it('moves Last-Modified and ETag forward with the bytes, even when the build\'s clock went back, and drops a vanished path', async () => {
    const before = await httpRequest(base, '/rss.xml');
    await publish(out(), [rss('two')], at('2025-06-01T00:00:00Z'));
    const after = await httpRequest(base, '/rss.xml');
    expect(after.body.equals(body('two'))).toBe(true);
    expect(Date.parse(String(after.headers['last-modified']))).toBeGreaterThan(Date.parse(String(before.headers['last-modified'])));
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await httpRequest(base, '/rss.xml', { headers: { 'if-none-match': String(after.headers.etag) } })).status).toBe(304);
    expect((await httpRequest(base, '/rss.xml', { headers: { 'if-modified-since': String(before.headers['last-modified']) } })).status).toBe(200);
    expect((await httpRequest(base, '/tags/economie/atom.xml')).status).toBe(404);
  });

  it('answers every request made while publications switch with 200 and whole bytes of one of them, never a missing name', async () => {
    const versions = Array.from({ length: 12 }, (_, i) => body(`loop ${i}`));
    await publish(out(), [rss('loop 0')], at('2026-02-01T00:00:00Z'));
    let publishing = true;
    const problems: string[] = [];
    let responses = 0;
    const publisher = (async () => {
      for (let i = 1; i < versions.length; i++) {
        const result = await publish(out(), [rss(`loop ${i}`)], at(`2026-02-01T00:00:${String(i).padStart(2, '0')}Z`));
        if (!result.value) problems.push(result.issues.map((x) => x.message).join('; '));
      }
      publishing = false;
    })();
    const client = async (coding: string): Promise<void> => {
      while (publishing) {
        const res = await httpRequest(base, '/rss.xml', { headers: { 'accept-encoding': coding } });
        responses += 1;
        const bytes = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body;
        if (res.status !== 200 || !versions.some((v) => v.equals(bytes))) problems.push(`${coding}: ${res.status}, ${bytes.length} bytes of no publication`);
      }
    };
    await Promise.all([publisher, client('gzip'), client('identity'), client('gzip')]);
    expect(problems).toEqual([]);
    expect(responses).toBeGreaterThan(10);
  });
});
