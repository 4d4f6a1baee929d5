/** A WebSub hub on 127.0.0.1 that accepts every publish ping and records its topic. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TestHub = { url: string; topics: string[]; close: () => Promise<void> };

export async function startHub(): Promise<TestHub> {
  const topics: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      topics.push(new URLSearchParams(body).get('hub.topic') ?? '');
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    topics,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
