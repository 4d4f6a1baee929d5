/**
 * The two keys that take kiosque beyond one machine, checked like the rest of the config:
 * `publish` (an S3-compatible bucket instead of the out dir) and `coordination` (a
 * PostgreSQL lease so that several instances publish each tick once). Credentials never
 * come from here: S3 uses the standard AWS chain, PostgreSQL its own environment
 * (PGPASSWORD, ~/.pgpass) or the URL; a password is never logged.
 */

export type ContentEncodingMode = 'plain' | 'precompressed';

/** A CDN purge hook: an HTTP endpoint that gets the changed paths as JSON, or a command that gets them as arguments. */
export type PurgeHook = { url: string } | { command: string[] };

export type S3Settings = {
  bucket: string;
  /** Key prefix, '' or ending with '/'. */
  prefix: string;
  endpoint?: string;
  region?: string;
  /** Path-style addressing (MinIO, Ceph, most local servers). */
  pathStyle: boolean;
  /**
   * `plain`: one object per file, the CDN compresses. `precompressed`: also `.gz`/`.br`
   * objects with Content-Encoding, for CDNs that map Accept-Encoding to keys.
   */
  encoding: ContentEncodingMode;
  /** Globs of further paths to serve `immutable` and upload first; full archive pages are marked so in the manifest already. */
  immutable: string[];
  purge?: PurgeHook;
  /** Uploads in flight at once. */
  concurrency: number;
};

export type CoordinationSettings = {
  /** postgres:// URL; may carry a password, so it is only ever shown redacted. */
  postgres: string;
  /** How long a holder that stopped answering keeps the lease (PostgreSQL ends its session after this). */
  leaseSeconds: number;
  /** The lease's name: instances with the same name share one lease. Default: the feed base URL. */
  name?: string;
};

export type ScalingConfig = { publish?: S3Settings; coordination?: CoordinationSettings };

/** S3 bucket naming rules (virtual-host safe subset: no dots next to each other). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/prefix` -> bucket and a prefix that is '' or ends with '/'; an error message otherwise. */
export function parseS3Target(value: string): { bucket: string; prefix: string } | string {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value);
  if (!match) return `"${value}" is not an s3://bucket/prefix URL`;
  const bucket = match[1]!;
  if (!BUCKET.test(bucket) || bucket.includes('..')) return `"${bucket}" is not a valid bucket name`;
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '.' || part === '..')) return `the prefix of "${value}" must not hold . or .. segments`;
  return { bucket, prefix: prefix ? `${prefix}/` : '' };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    // libpq and node-postgres also read secrets from parameters: `?password=…`, `sslpassword=…`.
    for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.set(key, '***');
    return url.href;
  } catch {
    return '(unparseable URL)';
  }
}

type Problem = (pointer: string, message: string) => void;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password ? value : undefined;
}

const PUBLISH_KEYS = new Set(['target', 'endpoint', 'region', 'pathStyle', 'encoding', 'immutable', 'purge', 'concurrency']);
const CREDENTIAL_KEYS = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken', 'credentials']);
const COORDINATION_KEYS = new Set(['postgres', 'leaseSeconds', 'name']);

function resolvePublish(raw: unknown, problem: Problem, warn: Problem): S3Settings | undefined {
  if (!isObject(raw)) return problem('publish', '"publish" must be an object such as { "target": "s3://bucket/prefix" }'), undefined;
  for (const key of Object.keys(raw)) {
    if (CREDENTIAL_KEYS.has(key)) problem(`publish/${key}`, 'credentials never go in the configuration: use the AWS environment or profile chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, an instance role)');
    else if (!PUBLISH_KEYS.has(key)) warn(`publish/${key}`, `unknown key "publish.${key}" is ignored`);
  }
  const ok = { value: true };
  const fail: Problem = (pointer, message) => {
    ok.value = false;
    problem(pointer, message);
  };
  const target = typeof raw.target === 'string' ? parseS3Target(raw.target.trim()) : 'missing';
  if (typeof target === 'string') fail('publish/target', `"publish.target" must be s3://bucket/prefix${target === 'missing' ? '' : `: ${target}`}`);
  let endpoint: string | undefined;
  if (raw.endpoint !== undefined) {
    endpoint = httpUrl(raw.endpoint);
    if (!endpoint) fail('publish/endpoint', '"publish.endpoint" must be an http(s) URL without credentials, e.g. "http://127.0.0.1:9000"');
  }
  if (raw.region !== undefined && (typeof raw.region !== 'string' || !/^[a-z0-9-]+$/.test(raw.region))) fail('publish/region', '"publish.region" must be a region name such as "eu-west-3"');
  if (raw.pathStyle !== undefined && typeof raw.pathStyle !== 'boolean') fail('publish/pathStyle', '"publish.pathStyle" must be true or false');
  if (raw.encoding !== undefined && raw.encoding !== 'plain' && raw.encoding !== 'precompressed') fail('publish/encoding', '"publish.encoding" must be "plain" or "precompressed"');
  const immutable = raw.immutable ?? [];
  if (!Array.isArray(immutable) || !immutable.every((g) => typeof g === 'string' && g.trim() !== '')) fail('publish/immutable', '"publish.immutable" must be a list of path globs such as "archive/**"');
  let purge: PurgeHook | undefined;
  if (raw.purge !== undefined) {
    const p = raw.purge;
    if (isObject(p) && httpUrl(p.url) && p.command === undefined) purge = { url: p.url as string };
    else if (isObject(p) && Array.isArray(p.command) && p.command.length > 0 && p.command.every((a) => typeof a === 'string') && p.url === undefined) purge = { command: p.command as string[] };
    else if (isObject(p) && typeof p.url === 'string' && URL.canParse(p.url) && /^https?:$/.test(new URL(p.url).protocol)) fail('publish/purge/url', '"publish.purge.url" must not hold a user or password: reports and logs print it; give a token in its query, which they mask');
    else fail('publish/purge', '"publish.purge" must be { "url": "https://…" } or { "command": ["program", "arg", …] }');
  }
  const concurrency = raw.concurrency ?? 8;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail('publish/concurrency', '"publish.concurrency" must be a whole number from 1 to 64');
  if (!ok.value || typeof target === 'string') return undefined;
  return {
    ...target,
    ...(endpoint ? { endpoint } : {}),
    ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
    pathStyle: raw.pathStyle === true,
    encoding: raw.encoding === 'precompressed' ? 'precompressed' : 'plain',
    immutable: immutable as string[],
    ...(purge ? { purge } : {}),
    concurrency: concurrency as number,
  };
}

function resolveCoordination(raw: unknown, problem: Problem, warn: Problem): CoordinationSettings | undefined {
  if (!isObject(raw)) return problem('coordination', '"coordination" must be an object such as { "postgres": "postgres://kiosque@db/kiosque" }'), undefined;
  for (const key of Object.keys(raw)) if (!COORDINATION_KEYS.has(key)) warn(`coordination/${key}`, `unknown key "coordination.${key}" is ignored`);
  const url = raw.postgres;
  let ok = true;
  if (typeof url !== 'string' || !URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
    problem('coordination/postgres', '"coordination.postgres" must be a postgres:// URL');
    ok = false;
  }
  const leaseSeconds = raw.leaseSeconds ?? 30;
  if (typeof leaseSeconds !== 'number' || !Number.isInteger(leaseSeconds) || leaseSeconds < 2 || leaseSeconds > 3600) {
    problem('coordination/leaseSeconds', '"coordination.leaseSeconds" must be a whole number from 2 to 3600');
    ok = false;
  }
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.trim() === '')) {
    problem('coordination/name', '"coordination.name" must be a non-empty string');
    ok = false;
  }
  if (!ok) return undefined;
  return { postgres: url as string, leaseSeconds: leaseSeconds as number, ...(typeof raw.name === 'string' ? { name: raw.name.trim() } : {}) };
}

/** Reads `publish` and `coordination` from the raw config object; problems go through `problem`/`warn`. */
export function resolveScaling(input: Record<string, unknown>, problem: Problem, warn: Problem): ScalingConfig {
  const publish = input.publish === undefined ? undefined : resolvePublish(input.publish, problem, warn);
  const coordination = input.coordination === undefined ? undefined : resolveCoordination(input.coordination, problem, warn);
  return { ...(publish ? { publish } : {}), ...(coordination ? { coordination } : {}) };
}
