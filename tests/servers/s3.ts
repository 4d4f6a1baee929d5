/// <reference path="./s3rver.d.ts" />
/**
 * A real S3-compatible server on 127.0.0.1 for tests: s3rver (objects on disk, S3's REST
 * API and error codes) behind a plain HTTP server that records every request and can be
 * told to misbehave for chosen keys (answer an S3 error, lie about the ETag, or never
 * answer), the way a real store or network does on a bad day.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Settings } from '../../src/scaling-config.js';

export type Recorded = { method: string; key: string };

/** What to do with one request: let s3rver answer, answer an S3 error, corrupt the ETag, or hold it forever. */
export type Fault = { status: number; code: string } | 'bad-etag' | 'hang';

export type S3TestServer = {
  endpoint: string;
  bucket: string;
  /** Every request, in arrival order; `key` is relative to the bucket. */
  requests: Recorded[];
  /** Called for each request; return a fault to inject one. */
  fault: (req: Recorded) => Fault | undefined;
  /** Settings for a target on this server. */
  settings: (prefix?: string) => S3Settings;
  /** Reads an object back as a client would: the response headers and the body's bytes. */
  read: (key: string) => Promise<{ res: GetObjectCommandOutput; body: Buffer }>;
  /** Environment for the SDK's credential chain, and nothing that could reach outside 127.0.0.1. */
  env: Record<string, string>;
  close: () => Promise<void>;
};

const SDK_ENV = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  // Never let the credential chain look for an instance role on the network.
  AWS_EC2_METADATA_DISABLED: 'true',
};

function s3Error(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the test server</Message></Error>`);
}

export async function startS3Server(bucket = 'feeds'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'kiosque-s3-'));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const held = new Set<ServerResponse>();
  let client: S3Client;
  const server: S3TestServer = {
    endpoint: '',
    bucket,
    requests: [],
    fault: () => undefined,
    settings: (prefix = 'site/') => ({ bucket, prefix, endpoint: server.endpoint, pathStyle: true, encoding: 'plain', immutable: [], concurrency: 4 }),
    env: SDK_ENV,
    read: async (key) => {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { res, body: Buffer.from(await res.Body!.transformToByteArray()) };
    },
    close: async () => {
      client.destroy();
      for (const res of held) res.destroy();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
      await rm(directory, { recursive: true, force: true });
    },
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = decodeURIComponent(url.pathname.replace(`/${bucket}/`, ''));
    const recorded = { method: req.method ?? 'GET', key };
    server.requests.push(recorded);
    const fault = server.fault(recorded);
    if (fault === 'hang') {
      held.add(res);
      req.resume();
      return;
    }
    if (fault === 'bad-etag') {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = (name, value) => setHeader(name, String(name).toLowerCase() === 'etag' ? '"00000000000000000000000000000000"' : value);
    } else if (fault) {
      req.resume();
      req.on('end', () => s3Error(res, fault.status, fault.code));
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  server.endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  Object.assign(process.env, SDK_ENV);
  client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true });
  return server;
}

/** The requests of one method, as keys. */
export const keysOf = (requests: Recorded[], method: string): string[] => requests.filter((r) => r.method === method).map((r) => r.key);
