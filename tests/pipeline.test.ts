import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { build } from '../src/pipeline.js';
import { makeSite } from './cli/run-cli.js';
import { tempDir } from './helpers.js';

type Ping = { mode: string | null; url: string | null; topic: string | null };

let dir: string;
let cleanup: () => Promise<void>;
let hub: Server;
let hubUrl: string;
let pings: Ping[];
let answer: number;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  pings = [];
  answer = 202;
  hub = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      pings.push({ mode: form.get('hub.mode'), url: form.get('hub.url'), topic: form.get('hub.topic') });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
  await makeSite(dir, { hubs: [hubUrl] });
});
afterEach(async () => {
  await new Promise((resolve) => hub.close(resolve));
  await cleanup();
});

const run = async (now: string) => {
  const { value } = await loadConfig(undefined, dir);
  if (!value) throw new Error('config');
  return build(value, { now: new Date(now), lockWaitMs: 0, version: 'test' });
};

describe('build with WebSub hubs', () => {
  it('advertises the hub in every feed and pings it once per changed feed document, after publishing', async () => {
    const report = await run('2026-11-25T12:00:00Z');
    expect(report.published).toBe(true);
    const topics = report.feeds.map((f) => `https://gazette.example/feeds/${f.feed.split('/').map(encodeURIComponent).join('/')}${f.path.split('/').pop()}`);
    expect(topics.slice(0, 3)).toEqual(['rss.xml', 'atom.xml', 'feed.json'].map((f) => `https://gazette.example/feeds/${f}`));
    expect(topics.length).toBeGreaterThan(3);
    expect(pings.map((p) => p.topic).sort()).toEqual([...topics].sort());
    expect(pings.every((p) => p.mode === 'publish' && p.url === p.topic)).toBe(true);
    expect(report.hubs.every((h) => h.ok)).toBe(true);
    expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain(`<atom:link href="${hubUrl}" rel="hub"/>`);
    expect(await readFile(join(dir, 'out/atom.xml'), 'utf8')).toContain(`<link rel="hub" href="${hubUrl}"/>`);
    expect(JSON.parse(await readFile(join(dir, 'out/feed.json'), 'utf8')).hubs).toEqual([{ type: 'WebSub', url: hubUrl }]);
  });

  it('does not ping when nothing changed', async () => {
    await run('2026-11-25T12:00:00Z');
    pings = [];
    const again = await run('2026-11-25T12:15:00Z');
    expect(again.published).toBe(true);
    expect(pings).toEqual([]);
  });

  it('pings only the feeds whose bytes changed, one topic per changed document', async () => {
    await run('2026-11-25T12:00:00Z');
    pings = [];
    await mkdir(join(dir, 'articles/2026'), { recursive: true });
    await writeFile(join(dir, 'articles/2026/rail-strike.md'), '---\ntitle: Grève des cheminots\ndate: 2026-11-20T08:00:00+01:00\nlang: fr\ntags: [Rail]\n---\n\nLes trains restent à quai.\n');
    const again = await run('2026-11-25T12:15:00Z');
    expect(again.published).toBe(true);
    const changed = again.feeds.filter((f) => f.changed).map((f) => f.feed);
    expect([...new Set(changed)].sort()).toEqual(['', 'languages/fr/', 'tags/rail/']);
    const base = 'https://gazette.example/feeds/';
    expect(pings.map((p) => p.topic).sort()).toEqual(
      ['', 'languages/fr/', 'tags/rail/'].flatMap((f) => ['rss.xml', 'atom.xml', 'feed.json'].map((n) => `${base}${f}${n}`)).sort(),
    );
  });

  it('still publishes, and reports the failure, when the hub refuses', async () => {
    answer = 400;
    const report = await run('2026-11-25T12:00:00Z');
    expect(report.published).toBe(true);
    expect(report.hubs.length).toBeGreaterThan(0);
    expect(report.hubs.every((h) => !h.ok)).toBe(true);
  });
});
