import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServerLimits } from '../../src/serve/server.js';
import { tempDir } from '../helpers.js';
import { sampleFiles, writePublication } from './publication.js';

/** Small limits keep the tests fast; the margins allow for a loaded machine. */
const LIMITS: ServerLimits = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 1_200,
  keepAliveTimeoutMs: 400,
  idleTimeoutMs: 20_000,
  connectionsCheckingIntervalMs: 100,
  maxConnections: 3,
};
const MARGIN_MS = 1_500;

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('kiosque-limits-'));
  await writePublication(join(root, 'out'), sampleFiles('v1'));
});
afterAll(() => cleanup?.());

async function withServer(limits: Partial<ServerLimits>, body: (port: number) => Promise<void>): Promise<void> {
  const server: RunningServer = await startServer({ outDir: join(root, 'out'), host: '127.0.0.1', port: 0, limits: { ...LIMITS, ...limits } });
  try {
    await body(Number(new URL(server.url).port));
  } finally {
    await server.close();
  }
}

type Client = { socket: Socket; received: () => string; closed: Promise<number> };

/** A raw TCP client; `closed` resolves with the ms from connection to the server closing it. */
async function client(port: number): Promise<Client> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => undefined); // A reset counts as closed.
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => text, closed };
}

/** Writes `bytes` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, bytes: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= bytes.length) return clearInterval(timer);
    socket.write(bytes[i++]!);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

const GET = 'GET /rss.xml HTTP/1.1\r\nHost: kiosque.example\r\n\r\n';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('server limits', () => {
  it('closes a client that connects and sends nothing once the headers timeout passes', async () => {
    await withServer({}, async (port) => {
      const c = await client(port);
      const ms = await c.closed;
      expect(ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 100);
      expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + MARGIN_MS);
    });
  });

  it('closes a client trickling its request head one byte at a time, though it is never idle', async () => {
    await withServer({}, async (port) => {
      const c = await client(port);
      trickle(c.socket, `${GET.slice(0, -2)}X-Pad: ${'a'.repeat(200)}\r\n\r\n`, 50);
      const ms = await c.closed;
      expect(ms).toBeLessThan(LIMITS.headersTimeoutMs + MARGIN_MS);
      expect(c.received()).not.toContain('HTTP/1.1 200');
    });
  });

  it('closes a client trickling a request body once the request timeout passes', async () => {
    await withServer({}, async (port) => {
      const c = await client(port);
      c.socket.write('GET /rss.xml HTTP/1.1\r\nHost: kiosque.example\r\nContent-Length: 10000\r\n\r\n');
      trickle(c.socket, 'x'.repeat(10_000), 50);
      const ms = await c.closed;
      expect(ms).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
      expect(ms).toBeLessThan(LIMITS.requestTimeoutMs + MARGIN_MS);
    });
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    await withServer({}, async (port) => {
      const c = await client(port);
      c.socket.write(GET);
      const ms = await c.closed;
      expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
      expect(ms).toBeLessThan(LIMITS.keepAliveTimeoutMs + MARGIN_MS);
    });
  });

  it('refuses connections past the cap while the connected clients are still served', async () => {
    await withServer({ headersTimeoutMs: 10_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 10_000 }, async (port) => {
      const held = [await client(port), await client(port), await client(port)];
      await sleep(200); // Let the server accept all three.
      const extra = await client(port);
      extra.socket.write(GET);
      expect(await extra.closed).toBeLessThan(MARGIN_MS);
      expect(extra.received()).toBe('');

      held[0]!.socket.write(GET);
      await sleep(300);
      expect(held[0]!.received()).toMatch(/^HTTP\/1\.1 200 /);
      expect(held[0]!.socket.destroyed).toBe(false);

      // The cap counts open connections: one closing makes room for the next.
      held[1]!.socket.destroy();
      await held[1]!.closed;
      await sleep(200);
      const next = await client(port);
      next.socket.write(GET);
      await sleep(300);
      expect(next.received()).toMatch(/^HTTP\/1\.1 200 /);
      for (const c of [held[0]!, held[2]!, next]) c.socket.destroy();
    });
  });
});
