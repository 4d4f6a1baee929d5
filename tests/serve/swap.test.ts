import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type ServeEvent } from '../../src/serve/server.js';
import { tempDir } from '../helpers.js';
import { httpRequest, sampleFiles, writePublication } from './publication.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const tagHash = (etag: unknown): string => String(etag).slice(1, -1).split('-')[0]!;

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('publication lifecycle', () => {
  it('answers 503 with Retry-After on every path before anything is published, and serves the first publication after reload()', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-empty-');
    const server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0 });
    try {
      // Which names the first publication will have is unknown, so none is a 404 yet.
      for (const path of ['/rss.xml', '/tags/economie/atom.xml', '/feeds.opml', '/']) {
        const before = await httpRequest(server.url, path);
        expect(before.status, path).toBe(503);
        expect(before.headers['retry-after']).toMatch(/^\d+$/);
      }
      await writePublication(dir, sampleFiles('first'));
      await server.reload();
      const after = await httpRequest(server.url, '/rss.xml');
      expect(after.status).toBe(200);
      expect(after.body.toString()).toContain('first');
      expect((await httpRequest(server.url, '/unknown.txt')).status).toBe(404);
    } finally {
      await server.close();
      await cleanup();
    }
  });

  it('says, while waiting for a first publication, when the out dir does not exist at all (a mistyped --out)', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-none-');
    const events: ServeEvent[] = [];
    const servers = [
      await startServer({ outDir: join(dir, 'no-such-dir'), host: '127.0.0.1', port: 0, log: (e) => events.push(e) }),
      await startServer({ outDir: dir, host: '127.0.0.1', port: 0, log: (e) => events.push(e) }),
    ];
    try {
      const waiting = events.filter((e) => e.type === 'reload-waiting').map((e) => (e as { message: string }).message);
      expect(waiting).toEqual([`no publication yet: ${join(dir, 'no-such-dir')} does not exist`, 'no publication yet']);
    } finally {
      for (const server of servers) await server.close();
      await cleanup();
    }
  });

  it('picks up a new publication by watching the manifest, without reload()', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-watch-');
    await writePublication(dir, sampleFiles('one'));
    const server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0, pollIntervalMs: 50 });
    try {
      await writePublication(dir, sampleFiles('two'));
      await eventually(async () => (await httpRequest(server.url, '/feed.json')).body.toString().includes('"two"'), 'the watcher loads publication two');
    } finally {
      await server.close();
      await cleanup();
    }
  });

  it('keeps serving the previous publication when the files on disk do not match the manifest (damaged)', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-midswap-');
    await writePublication(dir, sampleFiles('old'));
    const events: ServeEvent[] = [];
    const server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0, log: (e) => events.push(e) });
    try {
      // Bytes changed in place under the live generation, and its manifest too: nothing a build does, but a disk or a hand can.
      await writeFile(join(dir, 'rss.xml'), 'half-published');
      await writeFile(join(dir, '.kiosque/manifest.json'), (await import('node:fs')).readFileSync(join(dir, '.kiosque/manifest.json'), 'utf8').replace('"maxAge": 900', '"maxAge": 901'));
      await server.reload();
      const res = await httpRequest(server.url, '/rss.xml');
      expect(res.status).toBe(200);
      expect(res.body.toString()).toContain('old');
      expect(tagHash(res.headers.etag)).toBe(sha(res.body).slice(0, 32));
      expect(res.headers['cache-control']).toBe('public, max-age=900');
      expect(events.some((e) => e.type === 'reload-waiting' && e.reason === 'mismatch')).toBe(true);
    } finally {
      await server.close();
      await cleanup();
    }
  });

  it('started over a publication with one damaged file, serves every other file and answers 503 for that one until it is repaired', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-damaged-');
    await writePublication(dir, sampleFiles('one'));
    const atom = (await import('node:fs')).readFileSync(join(dir, 'atom.xml'));
    await writeFile(join(dir, 'atom.xml'), atom.subarray(0, 1000));
    const events: ServeEvent[] = [];
    const server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0, log: (e) => events.push(e) });
    try {
      const rss = await httpRequest(server.url, '/rss.xml');
      expect(rss.status).toBe(200);
      expect(rss.body.toString()).toContain('(one)');
      const damaged = await httpRequest(server.url, '/atom.xml');
      expect(damaged.status).toBe(503);
      expect(damaged.headers['retry-after']).toBeDefined();
      expect(damaged.body.toString()).toContain('does not match its publication');
      expect(events).toContainEqual(expect.objectContaining({ type: 'reload-partial', damaged: 1 }));
      // Repaired in place (the manifest unchanged): the next reload serves it.
      await writeFile(join(dir, 'atom.xml'), atom);
      await server.reload();
      expect((await httpRequest(server.url, '/atom.xml')).status).toBe(200);
    } finally {
      await server.close();
      await cleanup();
    }
  });

  it('serves every response from one publication while publications are swapped in during a request loop', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-swap-');
    await writePublication(dir, sampleFiles('gen-0'));
    const server = await startServer({ outDir: dir, host: '127.0.0.1', port: 0, pollIntervalMs: 20 });
    let publishing = true;
    const tags = new Set<string>();
    const problems: string[] = [];
    try {
      const publisher = (async () => {
        for (let gen = 1; gen <= 8; gen++) {
          await writePublication(dir, sampleFiles(`gen-${gen}`));
          if (gen % 2 === 0) await server.reload();
          await new Promise((r) => setTimeout(r, 30));
        }
        publishing = false;
      })();
      const client = async (coding: string): Promise<void> => {
        while (publishing) {
          const res = await httpRequest(server.url, '/atom.xml', { headers: { 'accept-encoding': coding } });
          tags.add(String(res.headers.etag));
          if (res.status !== 200) problems.push(`status ${res.status}`);
          else if (tagHash(res.headers.etag) !== sha(res.body).slice(0, 32)) problems.push(`body does not match ${String(res.headers.etag)}`);
        }
      };
      await Promise.all([publisher, client('gzip'), client('br'), client('identity'), client('gzip')]);
      expect(problems).toEqual([]);
      // The loop really crossed publications.
      expect(tags.size).toBeGreaterThan(3);
      const final = await httpRequest(server.url, '/atom.xml');
      expect(final.body.toString()).toContain('gen-8');
    } finally {
      publishing = false;
      await server.close();
      await cleanup();
    }
  });
});

describe('startup failures', () => {
  it('rejects with EADDRINUSE when the port is taken', async () => {
    const { dir, cleanup } = await tempDir('kiosque-serve-port-');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startServer({ outDir: dir, host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
      await cleanup();
    }
  });
});
