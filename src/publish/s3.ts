/**
 * Publication to an S3-compatible bucket (AWS S3, Cloudflare R2, GCS's S3 API, MinIO, Ceph)
 * with the official SDK v3. The out dir stays the staging area (publish.ts writes it, with
 * its .gz/.br); the bucket is then brought to match it, in the order that keeps a poller
 * from ever seeing a subscription feed ahead of what it links to:
 *   1. new and changed objects other than the subscription feeds (archive pages first),
 *   2. the subscription feeds (root-level RSS/Atom/JSON Feed),
 *   3. the remote manifest, last of the uploads: it names the complete publication,
 *   4. deletions of objects the new manifest no longer names,
 *   5. the CDN purge hook; the WebSub pings follow in the pipeline.
 * Only objects whose bytes (or headers) differ from what the remote manifest lists are
 * uploaded, so an unchanged publication costs two GETs and no PUT. Before the first upload a
 * pending marker names the keys about to be overwritten; a run killed midway leaves it, and
 * the next run re-uploads those keys even where their new bytes equal the manifest's, so the
 * bucket never keeps bytes from a publication that did not complete.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Issue, Result } from '../issue.js';
import type { ContentEncodingMode, S3Settings } from '../scaling-config.js';
import { MANIFEST_FILE, normalizeManifest, STATE_DIR, type Manifest, type PublishedFile } from './manifest.js';
import { fenceIssue, publish, readManifest, readPublished, sha256, type PublishOutcome } from './publish.js';
import { runPurge } from './purge.js';
import { owedPingsText, parseOwedPings } from './pings.js';
import { PINGS_FILE, type PublishTarget, type TargetManifest } from './target.js';
import { pool } from '../pool.js';

// The lockfile pins an SDK release that supports Node 20; its notice about later releases is noise in service logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const PENDING_FILE = `${STATE_DIR}/pending.json`;

export type RemoteManifest = TargetManifest & {
  encoding: ContentEncodingMode;
  /** The `immutable` globs its objects were uploaded under (absent before they were recorded): their Cache-Control depends on them. */
  immutable?: string[];
  /** Id of the publication; the pending marker of the run that wrote it carries the same id. */
  publication: string;
  /** When the build that made it finished (publish/built.ts); absent when unknown. */
  built?: string;
};

/** Written before the first upload of a run, removed once its deletions are done. */
type Pending = { publication: string; uploads: string[]; deletions: string[] };

export type RequestCounts = { GET: number; PUT: number; DELETE: number };

export type SyncOutcome = Omit<PublishOutcome, 'gone' | 'generation'> & {
  manifest: RemoteManifest;
  /** Object paths uploaded (variants included) and deleted, relative to the prefix. */
  uploaded: string[];
  deleted: string[];
  requests: RequestCounts;
};

export type RetryPolicy = { attempts: number; baseDelayMs: number; maxDelayMs: number };

export type SyncOptions = {
  fence?: number;
  /** When the staged publication's build finished (publish/built.ts): the remote manifest keeps it. */
  built?: string;
  /**
   * Refuse a publication built before the bucket's (`kiosque publish`, unless --force): an out dir left from an
   * earlier build would roll every feed back. Builds publish what they just made, and the lease fences them.
   */
  refuseOlder?: boolean;
  signal?: AbortSignal;
  /** Absolute URL the prefix is served at (the feed base URL): purge paths and URLs derive from it. */
  publicBase: string;
};

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };
const YEAR = 31_536_000;

/** One object to put: a published file's identity body or one of its precompressed variants. */
type Upload = { path: string; file: PublishedFile; sha256: string; encoding?: 'gzip' | 'br'; rank: number };

/** `archive/**` style globs: `**` any depth, `*` and `?` within one path segment. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/\*\*\/?|[*?]|[.+^${}()|[\]\\]/g, (m) => (m.startsWith('**') ? '.*' : m === '*' ? '[^/]*' : m === '?' ? '[^/]' : `\\${m}`));
  return new RegExp(`^${body}$`);
}

const FEED_TYPE = /^application\/(rss\+xml|atom\+xml|feed\+json)\b/;

/** Upload order: 0 full archive pages, 1 everything else, 2 the subscription (root) feeds. */
export function uploadRank(path: string, mediaType: string, immutable: RegExp[]): 0 | 1 | 2 {
  if (immutable.some((re) => re.test(path))) return 0;
  return !path.includes('/') && FEED_TYPE.test(mediaType) ? 2 : 1;
}

const md5 = (data: Uint8Array): Buffer => createHash('md5').update(data).digest();

type S3Failure = { name: string; status?: number; message: string };

function describeError(err: unknown): S3Failure {
  const e = err as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string; message?: string } };
  const status = e?.$metadata?.httpStatusCode;
  // S3 answers carry a Code (NoSuchBucket, SlowDown); network errors a system code (ECONNREFUSED), sometimes in their cause.
  const name = e?.Code ?? e?.code ?? e?.cause?.code ?? e?.name ?? 'Error';
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return { name, ...(status !== undefined ? { status } : {}), message };
}

/** Throttling, server errors, timeouts, dropped connections and corrupted transfers are worth another try; 4xx are not. */
function retryable(f: S3Failure): boolean {
  if (f.name === 'EtagMismatch' || f.name === 'BadDigest' || f.name === 'RequestTimeout' || f.name === 'SlowDown') return true;
  if (f.status === undefined) return !/Credential|Region/.test(f.name + f.message);
  return f.status >= 500 || f.status === 429 || f.status === 408;
}

class EtagMismatch extends Error {
  override name = 'EtagMismatch';
}

const notFound = (err: unknown): boolean => {
  const f = describeError(err);
  return f.status === 404 || f.name === 'NoSuchKey';
};

export type S3Connection = {
  settings: S3Settings;
  client: S3Client;
  retry: RetryPolicy;
  /** Counted per attempt, for the report and the benchmark. */
  requests: RequestCounts;
};

export function connectS3(settings: S3Settings, retry: RetryPolicy = DEFAULT_RETRY): S3Connection {
  const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (settings.endpoint ? 'us-east-1' : undefined);
  const client = new S3Client({
    ...(region ? { region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.pathStyle,
    // Content-MD5 plus our ETag check cover integrity; the newer default checksums trip some S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // One attempt per send: our own loop retries, so attempts and the final error code reach the report.
    maxAttempts: 1,
    // A request past its time is an error our retries report, not a warning the SDK prints amid `start`'s JSON log lines.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
  });
  return { settings, client, retry, requests: { GET: 0, PUT: 0, DELETE: 0 } };
}

const targetName = (s: S3Settings): string => `s3://${s.bucket}/${s.prefix}`;

class SyncError extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}

function failure(conn: S3Connection, verb: string, path: string, f: S3Failure, attempts: number): SyncError {
  const code = `${f.name}${f.status !== undefined ? ` (HTTP ${f.status})` : ''}`;
  return new SyncError({
    rule: 'publish-s3-failed',
    level: 'error',
    file: `${targetName(conn.settings)}${path}`,
    message: `${verb} ${path} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${code}: ${f.message}; the remote manifest still names the last complete publication`,
  });
}

async function attempt<T>(conn: S3Connection, verb: keyof RequestCounts, path: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs } = conn.retry;
  for (let n = 1; ; n++) {
    conn.requests[verb] += 1;
    try {
      return await run();
    } catch (err) {
      const f = describeError(err);
      if (n >= attempts || !retryable(f) || signal?.aborted) throw failure(conn, verb, path, f, n);
      // Exponential backoff with jitter, so instances retrying together spread out.
      await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)) * (0.5 + Math.random() / 2));
    }
  }
}

async function getObject(conn: S3Connection, path: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const { bucket, prefix } = conn.settings;
  return attempt(conn, 'GET', path, async () => {
    try {
      const res = await conn.client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${path}` }), signal ? { abortSignal: signal } : {});
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }, signal);
}

async function getJson<T>(conn: S3Connection, path: string, signal?: AbortSignal): Promise<T | undefined> {
  const body = await getObject(conn, path, signal);
  if (!body) return undefined;
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as T;
  } catch {
    return undefined; // Not ours, or damaged: treated as absent, so everything is uploaded again.
  }
}

export async function readRemoteManifest(conn: S3Connection, signal?: AbortSignal): Promise<RemoteManifest | undefined> {
  const raw = await getJson<RemoteManifest>(conn, MANIFEST_FILE, signal);
  const m = normalizeManifest(raw);
  return m && raw ? { ...raw, ...m } : undefined;
}

type Put = { path: string; body: Uint8Array; contentType: string; cacheControl: string; encoding?: string; sha256?: string };

async function putObject(conn: S3Connection, put: Put, signal?: AbortSignal): Promise<void> {
  const { bucket, prefix } = conn.settings;
  const digest = md5(put.body);
  await attempt(conn, 'PUT', put.path, async () => {
    const res = await conn.client.send(new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}${put.path}`,
      Body: put.body,
      ContentType: put.contentType,
      CacheControl: put.cacheControl,
      ContentMD5: digest.toString('base64'),
      ...(put.encoding ? { ContentEncoding: put.encoding } : {}),
      ...(put.sha256 ? { Metadata: { sha256: put.sha256 } } : {}),
    }), signal ? { abortSignal: signal } : {});
    // A single-part upload's ETag is the MD5 of the stored bytes, except under SSE-KMS/SSE-C,
    // where it is opaque and the Content-MD5 header alone makes the server check them.
    const etag = res.ETag?.replace(/"/g, '').toLowerCase();
    if (etag && /^[0-9a-f]{32}$/.test(etag) && etag !== digest.toString('hex')) {
      throw new EtagMismatch(`the stored object's ETag ${etag} is not the MD5 of the bytes sent (${digest.toString('hex')})`);
    }
  }, signal);
}

async function deleteObject(conn: S3Connection, path: string, signal?: AbortSignal): Promise<void> {
  const { bucket, prefix } = conn.settings;
  await attempt(conn, 'DELETE', path, () => conn.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}${path}` }), signal ? { abortSignal: signal } : {}), signal);
}

/** Every object a manifest puts in the bucket, by path, with the sha256 and type it was stored with. */
function objectsOf(manifest: Manifest, encoding: ContentEncodingMode): Map<string, { sha256: string; mediaType: string }> {
  const objects = new Map<string, { sha256: string; mediaType: string }>();
  for (const f of manifest.files) {
    objects.set(f.path, { sha256: f.sha256, mediaType: f.mediaType });
    if (encoding === 'precompressed') {
      for (const v of [f.encodings.gzip, f.encodings.br]) if (v) objects.set(v.path, { sha256: v.sha256, mediaType: f.mediaType });
    }
  }
  return objects;
}

const cacheControlFor = (rank: number, maxAge: number): string => (rank === 0 ? `public, max-age=${YEAR}, immutable` : `public, max-age=${maxAge}`);

/** Reads a staged body and checks it is the one the local manifest lists. */
async function stagedBody(dir: string, path: string, expected: string): Promise<Uint8Array> {
  const data = await readFile(join(dir, path));
  if (sha256(data) !== expected) throw new Error(`${path} in ${dir} does not match its manifest; rebuild before publishing`);
  return data;
}

const sameMeta = (a: RemoteManifest, b: RemoteManifest): boolean =>
  a.maxAge === b.maxAge && JSON.stringify(a.hubs) === JSON.stringify(b.hubs) && JSON.stringify(a.selfUrls) === JSON.stringify(b.selfUrls) &&
  JSON.stringify(a.moved ?? []) === JSON.stringify(b.moved ?? []) && JSON.stringify(a.immutable) === JSON.stringify(b.immutable);

/** A publication built before the bucket's: pushed, it would take back what readers already have. */
function olderIssue(where: string, mine: string | undefined, published: string | undefined): Issue | undefined {
  if (published === undefined || (mine !== undefined && Date.parse(mine) >= Date.parse(published))) return undefined;
  const message = mine === undefined
    ? `refused: the bucket holds a publication built at ${published}, and this out dir records no build time (built by another kiosque release), so it cannot be told apart from an older one that would roll the feeds back; run kiosque build with this release, then push, or push it on purpose with --force`
    : `refused: the bucket holds a publication built at ${published}, and this out dir was built at ${mine}: pushing it would roll the feeds back; run kiosque build, then push, or push this publication on purpose with --force`;
  return { rule: 'publish-older', level: 'error', file: where, message };
}

/**
 * Brings the bucket to match the publication staged in `dir` (its manifest is `local`).
 * On failure the issue names the key and the S3 error code; the remote manifest is then
 * still the last complete publication's.
 */
export async function syncToS3(conn: S3Connection, dir: string, local: Manifest, options: SyncOptions): Promise<Result<SyncOutcome | undefined>> {
  const start = { ...conn.requests };
  const counts = (): RequestCounts => ({ GET: conn.requests.GET - start.GET, PUT: conn.requests.PUT - start.PUT, DELETE: conn.requests.DELETE - start.DELETE });
  const { settings } = conn;
  const { signal } = options;
  const immutable = settings.immutable.map(globToRegExp);
  const where = targetName(settings);
  // Objects the failed run already overwrote in place: live before the manifest says so.
  const replaced: string[] = [];
  const sameGlobs = (globs: string[] | undefined): boolean => globs === undefined || JSON.stringify(globs) === JSON.stringify(settings.immutable);
  try {
    const remote = await readRemoteManifest(conn, signal);
    const refused = fenceIssue(where, remote?.fence, options.fence);
    if (refused) return { value: undefined, issues: [refused] };
    const pending = await getJson<Pending>(conn, PENDING_FILE, signal);
    // A marker from a run that did not write its manifest: its uploads may have replaced bytes the manifest still lists.
    const suspect = new Set(pending && pending.publication !== remote?.publication ? pending.uploads : []);
    const headersChanged = !remote || remote.maxAge !== local.maxAge || remote.encoding !== settings.encoding;
    // The Cache-Control an object was given: a glob added or removed (a page marked immutable by mistake) must reach the objects it concerns.
    const wasImmutable = remote && !sameGlobs(remote.immutable) ? (remote.immutable ?? []).map(globToRegExp) : undefined;
    const before = remote ? objectsOf(remote, remote.encoding) : new Map<string, { sha256: string; mediaType: string }>();

    const published = new Map(remote?.files.map((f) => [f.path, f]));
    const uploads: Upload[] = [];
    const entries: PublishedFile[] = [];
    const changed: string[] = [];
    for (const f of local.files) {
      const rank = f.immutable ? 0 : uploadRank(f.path, f.mediaType, immutable);
      const cacheMoved = wasImmutable !== undefined && !f.immutable && (rank === 0) !== (uploadRank(f.path, f.mediaType, wasImmutable) === 0);
      const stale = (path: string, hash: string): boolean => {
        const was = before.get(path);
        return headersChanged || cacheMoved || suspect.has(path) || was?.sha256 !== hash || was.mediaType !== f.mediaType;
      };
      const encodings = settings.encoding === 'precompressed' ? f.encodings : {};
      const mine: Upload[] = [];
      for (const [encoding, v] of [['gzip', encodings.gzip], ['br', encodings.br]] as const) {
        if (v && stale(v.path, v.sha256)) mine.push({ path: v.path, file: f, sha256: v.sha256, encoding, rank });
      }
      const identityStale = stale(f.path, f.sha256);
      if (identityStale) {
        mine.push({ path: f.path, file: f, sha256: f.sha256, rank });
        changed.push(f.path);
      }
      uploads.push(...mine);
      const kept = published.get(f.path);
      entries.push(!identityStale && mine.length === 0 && kept ? kept : { ...f, encodings });
    }
    const manifest: RemoteManifest = {
      version: 2, maxAge: local.maxAge, hubs: local.hubs, selfUrls: local.selfUrls, files: entries, gone: local.gone, ...(local.moved ? { moved: local.moved } : {}),
      encoding: settings.encoding, immutable: settings.immutable, publication: randomUUID(), ...(options.fence !== undefined ? { fence: options.fence } : {}),
      ...(options.built ? { built: options.built } : {}),
    };
    const after = objectsOf(manifest, settings.encoding);
    const gone = new Set([...before.keys(), ...(pending?.uploads ?? []), ...(pending?.deletions ?? [])].filter((p) => !after.has(p)));
    const deletions = [...gone].sort();

    const nothingToDo = uploads.length === 0 && deletions.length === 0 && !pending && remote !== undefined &&
      remote.files.length === manifest.files.length && sameMeta(remote, manifest);
    if (nothingToDo) {
      return { value: { manifest: remote, changed: [], uploaded: [], deleted: [], requests: counts() }, issues: [] };
    }
    const older = options.refuseOlder ? olderIssue(where, options.built, remote?.built) : undefined;
    if (older) return { value: undefined, issues: [older] };

    const marker: Pending = { publication: manifest.publication, uploads: uploads.map((u) => u.path), deletions };
    await putObject(conn, { path: PENDING_FILE, body: Buffer.from(JSON.stringify(marker)), contentType: 'application/json', cacheControl: 'no-store' }, signal);

    // Archive pages, then other non-subscription objects, then the subscription feeds; in
    // each, precompressed variants before the identity body they stand for.
    uploads.sort((a, b) => a.rank - b.rank || Number(!a.encoding) - Number(!b.encoding) || a.path.localeCompare(b.path));
    const groups = new Map<string, Upload[]>();
    for (const u of uploads) {
      const key = `${u.rank}${u.encoding ? 'v' : 'i'}`;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    for (const group of groups.values()) {
      if (signal?.aborted) throw stopped(where);
      await pool(group, settings.concurrency, async (u) => {
        const body = await stagedBody(dir, u.path, u.sha256);
        await putObject(conn, {
          path: u.path, body, contentType: u.file.mediaType, cacheControl: cacheControlFor(u.rank, local.maxAge),
          ...(u.encoding ? { encoding: u.encoding } : {}), sha256: u.sha256,
        }, signal);
        if (before.has(u.path)) replaced.push(u.path);
      });
    }

    // Looked at again just before the commit point: a newer holder may have published meanwhile.
    if (options.fence !== undefined) {
      const latest = await readRemoteManifest(conn, signal);
      const late = fenceIssue(where, latest?.fence, options.fence);
      if (late) return { value: undefined, issues: [late] };
    }
    if (signal?.aborted) throw stopped(where);
    await putObject(conn, { path: MANIFEST_FILE, body: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), contentType: 'application/json', cacheControl: 'no-store' }, signal);

    const issues: Issue[] = [];
    const deleted: string[] = [];
    try {
      await pool(deletions, settings.concurrency, async (path) => {
        await deleteObject(conn, path);
        deleted.push(path);
      });
      await deleteObject(conn, PENDING_FILE);
    } catch (err) {
      if (!(err instanceof SyncError)) throw err;
      // Published all the same; the marker stays, so the next run deletes what is left.
      issues.push({ ...err.issue, rule: 'publish-s3-delete-failed', level: 'warning', message: `${err.issue.message.replace(/; the remote manifest.*$/, '')}; the new publication is live and the next run retries the deletion` });
    }

    const purgePaths = [...new Set([...uploads.map((u) => u.file.path), ...deleted])].sort();
    if (settings.purge && purgePaths.length > 0) {
      const urls = purgePaths.map((p) => new URL(p, options.publicBase).href);
      const warning = await runPurge(settings.purge, { paths: urls.map((u) => new URL(u).pathname), urls }, signal);
      if (warning) issues.push(warning);
    }
    return { value: { manifest, changed, uploaded: uploads.map((u) => u.path), deleted: deleted.sort(), requests: counts() }, issues };
  } catch (err) {
    if (err instanceof SyncError) return { value: undefined, issues: [replaced.length > 0 ? partlyLive(err.issue, replaced) : err.issue] };
    if (err instanceof Error && /does not match its manifest/.test(err.message)) {
      return { value: undefined, issues: [{ rule: 'publish-failed', level: 'error', file: dir, message: err.message }] };
    }
    if ((err as NodeJS.ErrnoException).code) {
      return { value: undefined, issues: [{ rule: 'publish-failed', level: 'error', file: dir, message: `cannot read the staged publication: ${(err as Error).message}` }] };
    }
    throw err;
  }
}

/** A failure after some objects were overwritten: the bucket is not the last publication any more, whatever its manifest says. */
function partlyLive(issue: Issue, replaced: string[]): Issue {
  const names = [...replaced].sort();
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
  return { ...issue, message: `${issue.message}, but ${names.length} object${names.length === 1 ? '' : 's'} it names already hold${names.length === 1 ? 's' : ''} the new bytes (${shown}); the next run completes the publication` };
}

const stopped = (where: string): SyncError => new SyncError({
  rule: 'publish-s3-failed', level: 'error', file: where,
  message: 'stopped before the manifest was uploaded; the remote manifest still names the last complete publication',
});

/**
 * The S3 target for the pipeline: stages into the out dir (the local files, gzip/br and
 * manifest that the service serves and the next run validates against), then syncs.
 */
export function s3Target(settings: S3Settings, opts: { stagingDir: string; publicBase: string; retry?: RetryPolicy }): PublishTarget & { connection: S3Connection } {
  const conn = connectS3(settings, opts.retry);
  return {
    name: targetName(settings),
    connection: conn,
    // Unreadable (after retries) reads as none, as the out dir's does: validation then has no
    // previous publication to compare with, and the upload's own read reports the S3 error.
    readManifest: () => readRemoteManifest(conn).catch(() => undefined),
    readPublished: async (manifest, path) => {
      const entry = manifest?.files.find((f) => f.path === path);
      if (!entry) return undefined;
      // The staged copy is usually the published one: no GET then.
      const staged = await readPublished(opts.stagingDir, await readManifest(opts.stagingDir), path);
      if (staged && sha256(staged) === entry.sha256) return staged;
      const body = await getObject(conn, path).catch(() => undefined);
      return body && sha256(body) === entry.sha256 ? body : undefined;
    },
    publish: async (files, options) => {
      const { fence, signal, ...rest } = options;
      // The staging out dir never carries a token: only the bucket's manifest decides who is newer.
      const staged = await publish(opts.stagingDir, files, rest);
      if (!staged.value) return staged;
      const synced = await syncToS3(conn, opts.stagingDir, staged.value.manifest, {
        publicBase: opts.publicBase, built: new Date().toISOString(), ...(fence !== undefined ? { fence } : {}), ...(signal ? { signal } : {}),
      });
      if (!synced.value) return { value: undefined, issues: [...staged.issues, ...synced.issues] };
      return { value: { ...synced.value, gone: staged.value.gone, generation: staged.value.generation }, issues: [...staged.issues, ...synced.issues] };
    },
    // In the bucket, not the staging dir: the instance that publishes next may be another one.
    readOwedPings: async () => {
      const body = await getObject(conn, PINGS_FILE).catch(() => undefined);
      return body ? parseOwedPings(Buffer.from(body).toString('utf8')) : undefined;
    },
    writeOwedPings: (owed) => (owed
      ? putObject(conn, { path: PINGS_FILE, body: Buffer.from(owedPingsText(owed), 'utf8'), contentType: 'application/json', cacheControl: 'no-store' })
      : deleteObject(conn, PINGS_FILE)),
  };
}
