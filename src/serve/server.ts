/**
 * The HTTP origin for the published feeds. It answers only from an in-memory snapshot of
 * one publication (manifest + verified bodies), swapped in one assignment, so every
 * response is built from a single publication: old bytes with the old ETag or new bytes
 * with the new ETag, never a mix. Request paths are looked up in a table, never joined
 * onto the filesystem.
 */
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../publish/manifest.js';
import { decideConditional, formatHttpDate, negotiateEncoding, type Coding } from './conditional.js';
import { loadSnapshot, type Representation, type Resource, type Snapshot } from './snapshot.js';

export type ServeEvent =
  | { type: 'listening'; url: string }
  | { type: 'request'; method: string; path: string; status: number; coding?: Coding; bytes: number }
  | { type: 'reload'; publication: string; files: number }
  | { type: 'reload-waiting'; reason: 'missing' | 'mismatch' | 'invalid'; message: string }
  | { type: 'reload-partial'; publication: string; files: number; damaged: number };

export type ServerOptions = {
  outDir: string;
  host: string;
  port: number;
  log?: (event: ServeEvent) => void;
  /** Serve RSS/Atom as application/xml to browser navigations so their XSLT view renders. Default true. */
  browserXml?: boolean;
  /** How often the manifest is polled for changes (fallback to explicit reload()). Default 1000 ms. */
  pollIntervalMs?: number;
  /** Overrides of SERVER_LIMITS (tests use small ones). */
  limits?: Partial<ServerLimits>;
};

export type ServerLimits = {
  /** The whole request head must arrive within this, counted from the connection's first byte wait. */
  headersTimeoutMs: number;
  /** The whole request (head and any body) must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way (a client that stopped reading) is closed after this. */
  idleTimeoutMs: number;
  /** How often Node enforces the two request timeouts: their precision. Node's default is 30 s. */
  connectionsCheckingIntervalMs: number;
  /** Connections past this many open ones are closed at once. */
  maxConnections: number;
};

/**
 * Polling clients send small GETs at once; anything slower is a stalled or hostile client
 * (the proxy in front handles slow clients on the internet). Documented in docs/serving.md.
 */
export const SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnections: 1_024,
};

export type RunningServer = {
  /** `http://host:port/` with the port actually bound. */
  url: string;
  close(): Promise<void>;
  /** Load the publication now (call right after publishing). Resolves once it is served or judged not ready. */
  reload(): Promise<void>;
};

/** Longer request targets get 414: no published name comes close. */
export const MAX_URL_BYTES = 2048;
const MISMATCH_RETRIES = 20;
const MISMATCH_DELAY_MS = 50;
const RETRY_AFTER_S = '5';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Date strings change once a second; formatting them per request is measurable in the 304 benchmark. */
let clockSecond = -1;
let clockHttp = '';
function httpNow(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockHttp = formatHttpDate(second * 1000);
  }
  return clockHttp;
}

/**
 * Accept-Encoding values repeat across clients (each reader library sends one fixed string),
 * so the negotiation result is memoised per (value, available codings). Bounded: cleared when full.
 */
const negotiated = new Map<string, Coding | undefined>();
function negotiate(acceptEncoding: string | undefined, resource: Resource): Coding | undefined {
  if (acceptEncoding === undefined) return 'identity';
  const key = `${resource.codingKey}|${acceptEncoding}`;
  let coding = negotiated.get(key);
  if (coding === undefined && !negotiated.has(key)) {
    coding = negotiateEncoding(acceptEncoding, resource.codings);
    if (negotiated.size >= 1024) negotiated.clear();
    negotiated.set(key, coding);
  }
  return coding;
}

/** Strips the query and, for absolute-form targets (RFC 9112 §3.2.2), the scheme and authority. */
function targetPath(url: string): string | undefined {
  let path = url;
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path.startsWith('/')) return path;
  const m = /^https?:\/\/[^/]*(\/.*)?$/i.exec(path);
  if (m) return m[1] ?? '/';
  return undefined;
}

const ALLOW = 'GET, HEAD, OPTIONS';

function plain(res: ServerResponse, status: number, message: string, date: string, extra: string[] = [], head = false, cacheControl = 'no-store'): number {
  const body = `${message}\n`;
  const headers = [
    'Content-Type', 'text/plain; charset=utf-8',
    'Content-Length', String(Buffer.byteLength(body)),
    'Date', date,
    'Cache-Control', cacheControl,
    'X-Content-Type-Options', 'nosniff',
    // A web reader on another origin sees a 410 or follows a 301 only if it may read the answer.
    'Access-Control-Allow-Origin', '*',
    ...extra,
  ];
  res.writeHead(status, headers);
  res.end(head ? undefined : body);
  return head ? 0 : Buffer.byteLength(body);
}

/** `If-Modified-Since` lines as received: Node keeps only the first of duplicates in `req.headers`. */
function modifiedSinceValues(req: IncomingMessage): string[] | undefined {
  if (req.headers['if-modified-since'] === undefined) return undefined;
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'if-modified-since') values.push(raw[i + 1]!);
  return values;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log;
  const browserXml = opts.browserXml ?? true;
  let current: Snapshot | undefined;
  // Why there is nothing to serve, when a publication exists but cannot be read.
  let waiting: string | undefined;

  function respond(req: IncomingMessage, res: ServerResponse): void {
    const now = Date.now();
    const date = httpNow(now);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const head = method === 'HEAD';
    const done = (status: number, bytes: number, coding?: Coding): void => {
      if (log) log({ type: 'request', method, path: url.length > 200 ? `${url.slice(0, 200)}...` : url, status, bytes, ...(coding ? { coding } : {}) });
    };

    if (Buffer.byteLength(url) > MAX_URL_BYTES) return done(414, plain(res, 414, 'URI too long', date, [], head));
    // The server as a whole (RFC 9110 §9.3.7), as monitors and proxies probe an upstream.
    if (method === 'OPTIONS' && url === '*') {
      res.writeHead(204, ['Allow', ALLOW, 'Date', date, 'Cache-Control', 'no-store']);
      res.end();
      return done(204, 0);
    }
    const raw = targetPath(url);
    if (raw === undefined) return done(400, plain(res, 400, 'bad request target', date, [], head));
    let path = raw;
    let encodedSlash = false;
    if (raw.includes('%')) {
      try {
        path = decodeURIComponent(raw);
      } catch {
        return done(400, plain(res, 400, 'malformed percent-encoding', date, [], head));
      }
      // An encoded slash is part of a segment (RFC 3986 §2.2), not a separator: `tags%2Fsport%2Frss.xml` names no
      // published file, and serving one there would give caches a second key and relative links a wrong base.
      encodedSlash = /%2f/i.test(raw);
    }
    // A browser asks before a conditional request from another origin (If-None-Match is no CORS-safelisted request header).
    if (method === 'OPTIONS') {
      res.writeHead(204, ['Allow', ALLOW, 'Date', date, 'Access-Control-Allow-Origin', '*', 'Access-Control-Allow-Methods', 'GET, HEAD',
        'Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since, Cache-Control', 'Access-Control-Max-Age', '86400', 'Cache-Control', 'no-store']);
      res.end();
      return done(204, 0);
    }
    if (method !== 'GET' && !head) return done(405, plain(res, 405, 'method not allowed', date, ['Allow', ALLOW]));

    const snapshot = current;
    // Which names a publication will have is not known before it exists: every one is "not yet".
    if (!snapshot) return done(503, plain(res, 503, waiting ?? 'nothing published yet', date, ['Retry-After', RETRY_AFTER_S], head));
    // Exact names from the manifest only: traversal, encoded slashes, NUL or state files simply miss.
    const resource: Resource | undefined = encodedSlash ? undefined : snapshot.resources.get(path);
    if (!resource) {
      // A feed that moved: readers follow a permanent redirect and update the subscription. Kept as long as a feed's TTL, so a mistake can be undone.
      if (encodedSlash) return done(404, plain(res, 404, 'not found', date, [], head));
      if (snapshot.damaged?.has(path)) return done(503, plain(res, 503, 'this file does not match its publication\'s manifest: a build will repair it', date, ['Retry-After', RETRY_AFTER_S], head));
      const query = url.indexOf('?');
      // The query goes along, as with the folder's slash below: a subscription URL may need it (a key for a proxy).
      const movedTo = snapshot.moved.has(path) ? `${snapshot.moved.get(path)!}${query >= 0 ? url.slice(query) : ''}` : undefined;
      if (movedTo !== undefined) return done(301, plain(res, 301, `moved to ${movedTo}`, date, ['Location', movedTo], head, `public, max-age=${snapshot.manifest.maxAge}`));
      // Readers unsubscribe on 410 instead of retrying a 404 for ever; caches may keep the answer.
      if (snapshot.gone.has(path)) return done(410, plain(res, 410, 'gone: this feed is no longer published', date, [], head, `public, max-age=${snapshot.manifest.maxAge}`));
      // A feed's folder typed without its slash (`/tags/economie`): its page is one slash away, as static servers answer.
      // Relative (`economie/`), so it stays right behind a proxy that serves kiosque under a prefix (`/feeds/`).
      if (!path.endsWith('/') && snapshot.resources.has(`${path}/`)) {
        const location = `${encodeURIComponent(path.slice(path.lastIndexOf('/') + 1))}/${query >= 0 ? url.slice(query) : ''}`;
        return done(301, plain(res, 301, `moved to ${location}`, date, ['Location', location], head, `public, max-age=${snapshot.manifest.maxAge}`));
      }
      return done(404, plain(res, 404, 'not found', date, [], head));
    }

    const view = resource.document && req.headers['sec-fetch-dest'] === 'document' ? resource.document : resource.feed;
    const coding = negotiate(req.headers['accept-encoding'], resource);
    if (coding === undefined) {
      return done(406, plain(res, 406, 'no acceptable content-coding (identity was excluded)', date, resource.codings.length > 1 ? ['Vary', 'Accept-Encoding'] : [], head));
    }
    const rep: Representation = view[coding] ?? view.identity;
    const ifNoneMatch = req.headers['if-none-match'];
    // Pollers echo the tag byte for byte: skip list parsing for the common case.
    const decision = ifNoneMatch === rep.etag ? 'not-modified' : decideConditional(
      { method, ifNoneMatch, ifModifiedSince: modifiedSinceValues(req), now },
      { etag: rep.etag, lastModified: resource.lastModified },
    );
    if (decision === 'not-modified') {
      const headers = rep.notModifiedHeaders.slice();
      headers.push('Date', date);
      res.writeHead(304, headers);
      res.end();
      return done(304, 0, rep.coding);
    }
    const headers = rep.headers.slice();
    // Never later than Date (POLL-VAL-007).
    headers.push('Date', date, 'Last-Modified', resource.lastModified > now ? date : resource.lastModifiedHttp);
    res.writeHead(200, headers);
    if (head) res.end();
    else res.end(rep.body);
    done(200, head ? 0 : rep.body.length, rep.coding);
  }

  const limits: ServerLimits = { ...SERVER_LIMITS, ...opts.limits };
  // Slow or idle clients cannot pin sockets, and a flood of them cannot exhaust descriptors.
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      maxHeaderSize: 16_384,
    },
    (req, res) => {
      res.sendDate = false;
      respond(req, res);
    },
  );
  server.maxHeadersCount = 64;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());

  // Reloads are serialised; a request for one while another runs is coalesced into a single follow-up.
  let running: Promise<void> | undefined;
  let again = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let backgroundRetries = 0;
  let closed = false;

  async function loadOnce(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const result = await loadSnapshot(opts.outDir, { browserXml, previous: current });
      if (result.ok) {
        if (result.snapshot !== current) {
          current = result.snapshot;
          log?.({ type: 'reload', publication: result.snapshot.id.slice(0, 12), files: result.snapshot.manifest.files.length });
        }
        backgroundRetries = 0;
        return;
      }
      // A mismatch: the generation read was swept or damaged under us; resolving `current` again finds the live one.
      // With nothing served yet and most files good, those are served at once (a retry in the background replaces them).
      if (result.reason === 'mismatch' && attempt < MISMATCH_RETRIES && !closed && !((!current || current.damaged) && result.partial)) {
        await delay(MISMATCH_DELAY_MS);
        continue;
      }
      log?.({ type: 'reload-waiting', reason: result.reason, message: result.message });
      waiting = result.reason === 'missing' ? undefined : result.reason === 'mismatch' ? 'the publication does not match its manifest yet: retry later' : 'the publication\'s manifest cannot be read: retry later';
      // Nothing to keep serving (a start over a damaged file): every file that matches, rather than 503 for all of them.
      if ((!current || current.damaged) && result.partial) {
        const before = current?.damaged?.size;
        current = result.partial;
        if (before !== current.damaged?.size) log?.({ type: 'reload-partial', publication: current.id.slice(0, 12), files: current.resources.size, damaged: current.damaged?.size ?? 0 });
      }
      if (result.reason === 'mismatch' && !closed && backgroundRetries++ < 30 && !retryTimer) {
        // Damage on disk waits for a build (whose new manifest is picked up anyway): each retry reads the whole
        // publication again, so they space out; a swap in progress is over within the first second.
        const wait = current?.damaged ? Math.min(60_000, 5_000 * 2 ** Math.min(backgroundRetries - 1, 4)) : 1000;
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          // A reload already running will schedule its own retry if it still sees a mismatch.
          if (!running) void reload();
        }, wait);
        retryTimer.unref();
      }
      return;
    }
  }

  function reload(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await loadOnce();
        } while (again && !closed);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  await reload();

  const manifestPath = join(opts.outDir, MANIFEST_FILE);
  // Polling works on every filesystem (fs.watch does not on some network and container mounts).
  const onChange = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size || curr.ino !== prev.ino) void reload();
  };
  watchFile(manifestPath, { interval: opts.pollIntervalMs ?? 1000, persistent: false }, onChange);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    closed = true;
    unwatchFile(manifestPath, onChange);
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  log?.({ type: 'listening', url });

  return {
    url,
    reload,
    async close() {
      closed = true;
      unwatchFile(manifestPath, onChange);
      if (retryTimer) clearTimeout(retryTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await running;
    },
  };
}

/** One line for an operator when the server cannot listen: no stack, the likely cause. */
export function describeListenError(err: unknown, host: string, port: number): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') return `${host}:${port} is already in use`;
  if (e.code === 'EACCES') return `no permission to listen on ${host}:${port}`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return `cannot listen on ${host}: no such local address`;
  return e.message;
}
