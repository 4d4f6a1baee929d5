/**
 * `kiosque validate URL`: fetches one feed the way a polling reader does (Accept, gzip/br, at most
 * 5 redirects, a time limit per request and a size cap), then repeats the request with the
 * validators it got to see whether a 304 comes back. Requests go only to the URL given and the
 * redirects it answers with; nothing found inside the feed is ever requested. IO only: the
 * verdicts are the pure rules of src/validate/rules/http.ts.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Issue } from '../issue.js';
import { runRules } from '../validate/run.js';
import { documentFacts, httpRules, type HttpExchange, type HttpHeaders } from '../validate/rules/http.js';
import { VERSION } from '../version.js';

export const MAX_REDIRECTS = 5;

export type Fetched = { ok: true; body: Uint8Array; exchange: HttpExchange; issues: Issue[] } | { ok: false; message: string };

export const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

type Raw = { status: number; headers: HttpHeaders; body: Buffer };

class FetchError extends Error {}

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.9, */*;q=0.8';

/** One-line reasons for the network errors a user can act on. */
function explain(err: NodeJS.ErrnoException, url: URL, timeoutMs: number): string {
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  // An https:// address on a port that speaks plain HTTP: OpenSSL reads the plain answer as a record of no known version.
  if (url.protocol === 'https:' && /wrong version number|packet length too long|unknown protocol/i.test(err.message)) {
    return `TLS handshake with ${where} failed: the server does not speak TLS on that port (is it an http:// address?)`;
  }
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${url.hostname} not found (DNS)`;
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ECONNRESET':
    case 'EPIPE':
      // Closed before TLS was set up: most often a plain HTTP server that dropped the handshake it could not read.
      if (url.protocol === 'https:' && (err as { kiosqueTlsUp?: boolean }).kiosqueTlsUp === false) {
        return `TLS handshake with ${where} failed: the connection was closed before it completed (does that port speak TLS? is it an http:// address?)`;
      }
      return `connection to ${where} closed by the server before the response ended`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    case 'ETIMEDOUT':
      return `no response from ${where} within ${timeoutMs / 1000} s`;
    case 'KIOSQUE_BODY_TIMEOUT':
      return `${where} answered, but the body did not end within ${timeoutMs / 1000} s`;
    case 'CERT_HAS_EXPIRED':
      return `TLS: the certificate of ${url.hostname} has expired`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS: the certificate of ${url.hostname} is not signed by a trusted authority (${err.code})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: the certificate is not valid for ${url.hostname}`;
    default:
      // Node's HTTP parser (llhttp) refused what came back: a body longer than its Content-Length, or no HTTP at all.
      if (err.code?.startsWith('HPE_')) {
        const cause = /CONTENT_LENGTH|TRANSFER_ENCODING/.test(err.code)
          ? 'conflicting Content-Length or Transfer-Encoding headers (RFC 9112 §6.3)'
          : 'bytes after the body its Content-Length announced, or a server that does not speak HTTP on that port';
        return `the response from ${where} is not valid HTTP (${err.code}: ${err.message.replace(/^Parse Error: /, '')}): ${cause}`;
      }
      return `${err.code ? `${err.code}: ` : ''}${err.message.split('\n')[0] ?? ''}`;
  }
}

function get(url: URL, headers: Record<string, string>, timeoutMs: number, maxBytes: number, signal: AbortSignal): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // Whether the headers came: a slow body is not a silent server.
    let answered = false;
    const timedOut = (): Error => Object.assign(new Error('timeout'), { code: answered ? 'KIOSQUE_BODY_TIMEOUT' : 'ETIMEDOUT' });
    const req = send(url, { method: 'GET', headers, signal, timeout: timeoutMs }, (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new FetchError(`the response is larger than ${maxBytes} bytes; kiosque validates feeds up to ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const flat: HttpHeaders = {};
        for (const [name, value] of Object.entries(res.headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks, Math.min(size, maxBytes)) });
      });
      res.on('error', reject);
    });
    // One deadline for the whole exchange, not just for silence between packets.
    const deadline = setTimeout(() => req.destroy(timedOut()), timeoutMs);
    req.on('timeout', () => req.destroy(timedOut()));
    // Whether TLS was set up, for a connection closed early to be told apart from a handshake refused.
    let tlsUp = false;
    if (url.protocol === 'https:') req.on('socket', (socket) => socket.once('secureConnect', () => (tlsUp = true)));
    req.on('error', (err) => {
      clearTimeout(deadline);
      if (url.protocol === 'https:') Object.assign(err, { kiosqueTlsUp: tlsUp });
      reject(err);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}

function decode(raw: Raw, maxBytes: number): Buffer {
  const coding = (raw.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const options = { maxOutputLength: maxBytes + 1 };
  try {
    const out = coding === 'gzip' || coding === 'x-gzip' ? gunzipSync(raw.body, options)
      : coding === 'br' ? brotliDecompressSync(raw.body, options)
      : coding === 'deflate' ? inflateSync(raw.body, options)
      : coding === 'identity' || coding === '' ? raw.body
      : undefined;
    if (out === undefined) throw new FetchError(`the response uses Content-Encoding "${coding}", which was not asked for`);
    if (out.length > maxBytes) throw new FetchError(`the decompressed response is larger than ${maxBytes} bytes; kiosque validates feeds up to ${maxBytes} bytes`);
    return out;
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new FetchError(`the decompressed response is larger than ${maxBytes} bytes`);
    throw new FetchError(`the ${coding} body cannot be decoded: ${(err as Error).message}`);
  }
}

export async function fetchFeed(target: string, opts: { timeoutMs: number; maxBytes: number; signal: AbortSignal }): Promise<Fetched> {
  const headers = { 'user-agent': `kiosque/${VERSION} (feed validator)`, accept: ACCEPT, 'accept-encoding': 'gzip, br' };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, message: `"${target}" is not a valid URL` };
  }
  const redirects: HttpExchange['redirects'] = [];
  const seen = new Set<string>([url.href]);
  try {
    for (;;) {
      let raw: Raw;
      try {
        raw = await get(url, headers, opts.timeoutMs, opts.maxBytes, opts.signal);
      } catch (err) {
        if (err instanceof FetchError) throw err;
        throw new FetchError(explain(err as NodeJS.ErrnoException, url, opts.timeoutMs));
      }
      if ([301, 302, 303, 307, 308].includes(raw.status)) {
        const location = raw.headers['location'];
        if (!location) throw new FetchError(`${url.href} answers ${raw.status} without a Location header`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError(`${url.href} redirects to ${next.href}, which is not http or https`);
        redirects.push({ from: url.href, status: raw.status, to: next.href });
        if (seen.has(next.href)) throw new FetchError(`redirect loop: ${next.href} was already visited`);
        if (redirects.length > MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects (last to ${next.href})`);
        seen.add(next.href);
        url = next;
        continue;
      }
      if (raw.status < 200 || raw.status > 299) throw new FetchError(`${url.href} answers HTTP ${raw.status}${raw.status === 404 ? ' (not found)' : raw.status >= 500 ? ' (server error)' : ''}`);
      const body = decode(raw, opts.maxBytes);
      const exchange: HttpExchange = { requested: target, redirects, url: url.href, status: raw.status, headers: raw.headers, bodyBytes: body.length, askedCompression: true };
      if (body[0] === 0x1f && body[1] === 0x8b && (raw.headers['content-encoding'] ?? 'identity').trim().toLowerCase() !== 'identity') exchange.compressedTwice = true;
      // The same request again with each validator it got, one at a time: a server given both
      // answers by If-None-Match alone (RFC 9110 §13.2.2), and some readers send only the date.
      const probes: [string, string, string | undefined][] = [
        ['If-None-Match', 'if-none-match', raw.headers['etag']],
        ['If-Modified-Since', 'if-modified-since', raw.headers['last-modified']],
      ];
      for (const [name, header, value] of probes) {
        if (!value) continue;
        try {
          const second = await get(url, { ...headers, [header]: value }, opts.timeoutMs, opts.maxBytes, opts.signal);
          (exchange.conditional ??= []).push({ status: second.status, sent: [name], headers: second.headers });
        } catch (err) {
          if (err instanceof FetchError) throw err;
          throw new FetchError(`the conditional request failed: ${explain(err as NodeJS.ErrnoException, url, opts.timeoutMs)}`);
        }
      }
      // A compressed answer with a strong tag: the uncompressed one must carry another (RFC 9110 §8.8.3).
      const coding = (raw.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (coding !== 'identity' && coding !== '' && raw.headers['etag']?.startsWith('"')) {
        try {
          const plain = await get(url, { ...headers, 'accept-encoding': 'identity' }, opts.timeoutMs, opts.maxBytes, opts.signal);
          exchange.identity = { status: plain.status, headers: plain.headers };
        } catch (err) {
          if (err instanceof FetchError) throw err;
          throw new FetchError(`the uncompressed request failed: ${explain(err as NodeJS.ErrnoException, url, opts.timeoutMs)}`);
        }
      }
      const issues = runRules(httpRules, { exchange, facts: documentFacts(body) }, target);
      return { ok: true, body, exchange, issues };
    }
  } catch (err) {
    if (err instanceof FetchError) return { ok: false, message: err.message };
    if ((err as Error).name === 'AbortError') return { ok: false, message: 'interrupted' };
    throw err;
  }
}
