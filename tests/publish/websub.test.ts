import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pingHubs, type PingEvent } from '../../src/publish/websub.js';

type Recorded = { method: string; contentType: string | undefined; body: URLSearchParams };

/** A hub on 127.0.0.1 that records every ping and answers with the next status of its script. */
async function startHub(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', contentType: req.headers['content-type'], body: new URLSearchParams(Buffer.concat(chunks).toString()) });
      answer(requests.length, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubs.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`, requests, server };
}

const hubs: Server[] = [];
afterEach(async () => {
  for (const s of hubs.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const RSS = 'https://kiosque.example/feeds/rss.xml';
const ATOM = 'https://kiosque.example/feeds/atom.xml';

describe('pingHubs', () => {
  it('POLL-WS-007: posts a form with hub.mode=publish and the topic as hub.url and hub.topic, once per hub and topic', async () => {
    const a = await startHub((_n, _req, res) => res.writeHead(204).end());
    const b = await startHub((_n, _req, res) => res.writeHead(202).end());
    const results = await pingHubs({ hubs: [a.url, b.url], topics: [RSS, ATOM], baseDelayMs: 1 });
    expect(results.map((r) => [r.hub, r.topic, r.ok, r.status, r.attempts])).toEqual([
      [a.url, RSS, true, 204, 1], [a.url, ATOM, true, 204, 1], [b.url, RSS, true, 202, 1], [b.url, ATOM, true, 202, 1],
    ]);
    for (const hub of [a, b]) {
      expect(hub.requests).toHaveLength(2);
      for (const r of hub.requests) {
        expect(r.method).toBe('POST');
        expect(r.contentType).toBe('application/x-www-form-urlencoded');
        expect(r.body.get('hub.mode')).toBe('publish');
        expect(r.body.get('hub.url')).toBe(r.body.get('hub.topic'));
      }
      expect(hub.requests.map((r) => r.body.get('hub.url')).sort()).toEqual([ATOM, RSS]);
    }
  });

  it('retries a hub that answers 500 and reports it accepted when it then answers 202', async () => {
    const hub = await startHub((n, _req, res) => res.writeHead(n === 1 ? 500 : 202).end());
    const events: PingEvent[] = [];
    const [result] = await pingHubs({ hubs: [hub.url], topics: [RSS], baseDelayMs: 5, log: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(hub.requests).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual(['ping-retry', 'ping-accepted']);
  });

  it('gives up on a hub that always fails after a bounded number of attempts, without throwing', async () => {
    const hub = await startHub((_n, _req, res) => res.writeHead(503).end('down'));
    const events: PingEvent[] = [];
    const [result] = await pingHubs({ hubs: [hub.url], topics: [RSS], retries: 2, baseDelayMs: 5, log: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: false, status: 503, attempts: 3, error: 'HTTP 503' });
    expect(hub.requests).toHaveLength(3);
    expect(events.at(-1)?.type).toBe('ping-failed');
  });

  it('does not retry a hub that rejects the request with 400', async () => {
    const hub = await startHub((_n, _req, res) => res.writeHead(400).end());
    const [result] = await pingHubs({ hubs: [hub.url], topics: [RSS], retries: 3, baseDelayMs: 5 });
    expect(result).toMatchObject({ ok: false, attempts: 1, error: 'HTTP 400' });
  });

  it('times out a hub that never answers, and still reports the other hub accepted', async () => {
    const silent = await startHub(() => undefined);
    const good = await startHub((_n, _req, res) => res.writeHead(202).end());
    const results = await pingHubs({ hubs: [silent.url, good.url], topics: [RSS], retries: 1, baseDelayMs: 5, timeoutMs: 200 });
    expect(results[0]).toMatchObject({ hub: silent.url, ok: false, attempts: 2 });
    expect(results[0]!.error).toMatch(/timeout/);
    expect(results[1]).toMatchObject({ hub: good.url, ok: true });
  });

  it('reports a hub that refuses connections as failed, without throwing', async () => {
    const gone = await startHub(() => undefined);
    const url = gone.url;
    gone.server.close();
    const [result] = await pingHubs({ hubs: [url], topics: [RSS], retries: 1, baseDelayMs: 1 });
    expect(result).toMatchObject({ ok: false, attempts: 2 });
    expect(result!.error).toBeTruthy();
  });

  it('stops asking a hub that does not answer at all about the other topics of a large set, and reports them not attempted', async () => {
    const gone = await startHub(() => undefined);
    const url = gone.url;
    gone.server.close();
    const live = await startHub((_n, _req, res) => res.writeHead(202).end());
    const topics = Array.from({ length: 30 }, (_, i) => `https://kiosque.example/feeds/tags/t${i}/rss.xml`);
    const results = await pingHubs({ hubs: [url, live.url], topics, retries: 2, baseDelayMs: 1, concurrency: 2 });
    const toGone = results.filter((r) => r.hub === url);
    // Only the pings already in flight when the first one gave up were attempted.
    expect(toGone.filter((r) => r.attempts > 0).length).toBeLessThanOrEqual(2);
    expect(toGone.filter((r) => r.attempts === 0).every((r) => !r.ok && /^not attempted: the hub did not answer/.test(r.error ?? ''))).toBe(true);
    expect(results.filter((r) => r.hub === live.url).every((r) => r.ok)).toBe(true);
    expect(live.requests).toHaveLength(30);
  });

  it('pings many topics a few at a time, never more in flight than the concurrency allows, each once', async () => {
    let inFlight = 0;
    let most = 0;
    const hub = await startHub((_n, _req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(202).end();
      }, 5);
    });
    const topics = Array.from({ length: 40 }, (_, i) => `https://kiosque.example/feeds/tags/t${i}/rss.xml`);
    const results = await pingHubs({ hubs: [hub.url], topics, concurrency: 3, baseDelayMs: 1 });
    expect(results.map((r) => r.topic)).toEqual(topics);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(hub.requests.map((r) => r.body.get('hub.topic')).sort()).toEqual([...topics].sort());
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThan(1);
  });

  it('stops retrying when the signal aborts', async () => {
    const hub = await startHub((_n, _req, res) => res.writeHead(500).end());
    const controller = new AbortController();
    const pending = pingHubs({ hubs: [hub.url], topics: [RSS], retries: 5, baseDelayMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const [result] = await pending;
    expect(result).toMatchObject({ ok: false, attempts: 1 });
  });
});
