/**
 * Loads one publication into memory: the manifest plus every body it lists, each checked
 * against the manifest's size and sha256. It resolves `.kiosque/current` once and reads
 * everything from that generation, so a switch while it reads cannot mix two publications
 * (an out dir in the version 1 layout is read in place). The result is immutable and
 * carries the response headers precomputed per file and coding, so the request path does no
 * hashing, no fs calls and no header assembly beyond the clock.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { feedFolderOf, INDEX_FILE } from '../model/feed-set.js';
import { resolvePublication, sha256 } from '../publish/generations.js';
import { isPublishablePath, normalizeManifest, type Manifest, type PublishedFile, type Variant } from '../publish/manifest.js';
import { formatHttpDate, type Coding } from './conditional.js';

/** Flat `[name, value, name, value, ...]`, the cheapest form `writeHead` accepts. */
export type HeaderList = string[];

export type Representation = {
  coding: Coding;
  body: Buffer;
  etag: string;
  /** 200 headers without Date and Last-Modified, which depend on the clock. */
  headers: HeaderList;
  /** 304 headers without Date (POLL-COND-008/009). */
  notModifiedHeaders: HeaderList;
};

export type View = Partial<Record<Coding, Representation>> & { identity: Representation };

export type Resource = {
  path: string;
  /** Codings with a body, in preference order. */
  codings: Coding[];
  /** `codings` joined, for memoising negotiation. */
  codingKey: string;
  /** Last-Modified truncated to whole seconds. */
  lastModified: number;
  lastModifiedHttp: string;
  /** What feed readers, hubs and caches get. */
  feed: View;
  /**
   * For RSS and Atom: the same bytes labelled `application/xml`, for top-level browser
   * navigations. Chromium shows `application/rss+xml` and `application/atom+xml` as plain
   * text and never applies their xml-stylesheet (crbug.com/104358); with an XML type it does.
   */
  document?: View;
};

export type Snapshot = {
  /** sha256 of the manifest text: a publication's identity. */
  id: string;
  /** The directory the bodies were read from (the generation). */
  root: string;
  manifestText: string;
  /** Version 1 manifests are read as version 2 with no `gone`. */
  manifest: Manifest;
  /** Keyed by request path (`/rss.xml`); a directory's `index.html` also answers at the directory (`/`). */
  resources: Map<string, Resource>;
  /** Request paths published once and not any more (410 Gone). */
  gone: Set<string>;
  /** Request paths of feeds that moved, each with its new absolute URL (301); a moved `index.html` also at its folder. */
  moved: Map<string, string>;
  /** Request paths of files that did not match the manifest when it was read (a partial snapshot only). */
  damaged?: Set<string>;
};

export type LoadResult =
  | { ok: true; snapshot: Snapshot }
  /**
   * `missing`: nothing published yet. `mismatch`: files do not match the manifest (mid-swap, retry); `partial` then holds
   * every file that does, to serve when there is no publication to keep serving. `invalid`: a broken manifest.
   */
  | { ok: false; reason: 'missing' | 'mismatch' | 'invalid'; message: string; partial?: Snapshot };

export type SnapshotOptions = {
  /** Serve RSS/Atom as `application/xml` to browser navigations (see Resource.document). Default true. */
  browserXml?: boolean;
  /** The snapshot being served: returned as is when the manifest text has not changed. */
  previous?: Snapshot | undefined;
};

const ETAG_HEX = 32;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Which files are feeds is decided by media type, never by name: a feed set has many of each. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
const XML_FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml']);
const SUFFIX: Record<Coding, string> = { identity: '', gzip: '-gz', br: '-br' };
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const BROWSER_XML_TYPE = 'application/xml; charset=utf-8';

/** `application/rss+xml` from `application/rss+xml; charset=utf-8`. */
export const mediaTypeEssence = (mediaType: string): string => mediaType.split(';', 1)[0]!.trim().toLowerCase();

function checkManifest(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return 'not a JSON object';
  const m = raw as Omit<Partial<Manifest>, 'version'> & { version?: unknown };
  if (m.version !== 1 && m.version !== 2) return `unsupported version ${String(m.version)}`;
  if (typeof m.maxAge !== 'number' || !Number.isInteger(m.maxAge) || m.maxAge < 0) return '"maxAge" must be a whole number of seconds';
  if (!Array.isArray(m.hubs) || !m.hubs.every((h) => typeof h === 'string')) return '"hubs" must be a list of URLs';
  if (!m.selfUrls || typeof m.selfUrls !== 'object') return '"selfUrls" must be an object';
  if (!Array.isArray(m.files)) return '"files" must be a list';
  const variantOk = (v: unknown): boolean => {
    const x = v as Partial<Variant> | undefined;
    return !!x && typeof x.path === 'string' && isPublishablePath(x.path) && Number.isInteger(x.bytes) && typeof x.sha256 === 'string' && SHA256_HEX.test(x.sha256);
  };
  for (const [i, f] of (m.files as unknown[]).entries()) {
    const file = f as Partial<PublishedFile>;
    if (!variantOk(file)) return `files/${i}: needs a plain relative "path", "bytes" and a hex "sha256"`;
    if (typeof file.mediaType !== 'string' || file.mediaType === '') return `files/${i}: missing "mediaType"`;
    if (typeof file.lastModified !== 'string' || Number.isNaN(Date.parse(file.lastModified))) return `files/${i}: "lastModified" is not an ISO date`;
    const enc = file.encodings ?? {};
    if (enc.gzip !== undefined && !variantOk(enc.gzip)) return `files/${i}/encodings/gzip is malformed`;
    if (enc.br !== undefined && !variantOk(enc.br)) return `files/${i}/encodings/br is malformed`;
  }
  if (m.version === 2) {
    if (!Array.isArray(m.gone)) return '"gone" must be a list';
    for (const [i, g] of (m.gone as unknown[]).entries()) {
      const x = g as { path?: unknown; since?: unknown } | null;
      if (!x || typeof x.path !== 'string' || !isPublishablePath(x.path) || typeof x.since !== 'string') return `gone/${i}: needs a plain relative "path" and "since"`;
    }
    if (m.moved !== undefined && !Array.isArray(m.moved)) return '"moved" must be a list';
    for (const [i, g] of (m.moved ?? []).entries()) {
      const x = g as { path?: unknown; to?: unknown } | null;
      if (!x || typeof x.path !== 'string' || !isPublishablePath(x.path) || typeof x.to !== 'string' || !/^https?:\/\//.test(x.to) || !URL.canParse(x.to)) {
        return `moved/${i}: needs a plain relative "path" and an absolute http(s) "to"`;
      }
    }
  }
  return undefined;
}

// Only the subscription documents are WebSub topics: the hubs are pinged for them alone (WebSub §6 asks a publisher to
// notify every topic it advertises), and archive pages advertise no hub in their bodies either.
function linkHeader(manifest: Manifest, file: PublishedFile): string | undefined {
  const self = manifest.selfUrls[file.path];
  if (manifest.hubs.length === 0 || !self || !FEED_TYPES.has(mediaTypeEssence(file.mediaType)) || feedFolderOf(file.path) === undefined) return undefined;
  return [...manifest.hubs.map((hub) => `<${hub}>; rel="hub"`), `<${self}>; rel="self"`].join(', ');
}

/**
 * What a browser may do with a page kiosque serves (index.html, or a feed shown through feed.xsl): inline styles,
 * images, and feed.xsl from the same origin (Chromium loads an XSLT stylesheet as a script; the publication holds
 * no other), nothing else. No inline script or event handler runs, so an escaping slip in a title or summary cannot
 * become one on the site's origin; and no other site may frame them.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function buildView(
  manifest: Manifest,
  file: PublishedFile,
  bodies: Partial<Record<Coding, { body: Buffer; sha256: string }>>,
  contentType: string,
  vary: string | undefined,
  tagSuffix: string,
): View {
  const shared: HeaderList = [];
  if (vary) shared.push('Vary', vary);
  // A file the manifest marks immutable (a full archive page) never changes at its URL: caches may keep it for a year without asking.
  // Readers running in a browser page read the validators too: ETag and Link are not CORS-safelisted response headers.
  shared.push('Cache-Control', file.immutable ? IMMUTABLE_CACHE_CONTROL : `public, max-age=${manifest.maxAge}`, 'Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', 'ETag, Link');
  const link = linkHeader(manifest, file);
  const view: Partial<View> = {};
  for (const coding of ['identity', 'gzip', 'br'] as const) {
    const b = bodies[coding];
    if (!b) continue;
    // Each coding's tag comes from its own bytes, so a strong tag always names exactly one body (POLL-VAL-002/003).
    const etag = `"${b.sha256.slice(0, ETAG_HEX)}${SUFFIX[coding]}${tagSuffix}"`;
    const headers: HeaderList = ['Content-Type', contentType, 'Content-Length', String(b.body.length)];
    if (coding !== 'identity') headers.push('Content-Encoding', coding);
    headers.push('ETag', etag, ...shared, 'X-Content-Type-Options', 'nosniff', 'Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (link) headers.push('Link', link);
    view[coding] = { coding, body: b.body, etag, headers, notModifiedHeaders: ['ETag', etag, ...shared] };
  }
  return view as View;
}

async function readVerified(root: string, v: Variant): Promise<Buffer | string> {
  let body: Buffer;
  try {
    body = await readFile(join(root, v.path));
  } catch (err) {
    return `${v.path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`;
  }
  if (body.length !== v.bytes || sha256(body) !== v.sha256) return `${v.path} does not match the manifest`;
  return body;
}

/** Reads the manifest and every body it lists. Never throws for IO or content problems. */
export async function loadSnapshot(outDir: string, options: SnapshotOptions = {}): Promise<LoadResult> {
  const found = await resolvePublication(outDir);
  if ('missing' in found) {
    // A mistyped --out looks like a first start: say which it is.
    const absent = await stat(outDir).then(() => false, () => true);
    return { ok: false, reason: 'missing', message: absent ? `no publication yet: ${outDir} does not exist` : 'no publication yet' };
  }
  if ('invalid' in found) return { ok: false, reason: 'invalid', message: found.invalid };
  const where = relative(outDir, found.manifestPath);
  let manifestText: string;
  try {
    manifestText = await readFile(found.manifestPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A generation removed between resolving `current` and reading it: resolve again.
    if (code === 'ENOENT') return { ok: false, reason: 'mismatch', message: `${where} not found` };
    return { ok: false, reason: 'invalid', message: `cannot read ${where} (${code ?? 'error'})` };
  }
  const previous = options.previous;
  if (previous && !previous.damaged && previous.root === found.root && previous.manifestText === manifestText) return { ok: true, snapshot: previous };
  let raw: unknown;
  try {
    raw = JSON.parse(manifestText);
  } catch (err) {
    return { ok: false, reason: 'invalid', message: `${where} is not valid JSON: ${(err as Error).message}` };
  }
  const problem = checkManifest(raw);
  if (problem) return { ok: false, reason: 'invalid', message: `${where}: ${problem}` };
  const manifest = normalizeManifest(raw)!;
  const browserXml = options.browserXml ?? true;

  const resources = new Map<string, Resource>();
  // What does not match: the first few named, every one answered 503 if this is all there is to serve.
  const damaged: string[] = [];
  const damagedPaths = new Set<string>();
  for (const file of manifest.files) {
    const bodies: Partial<Record<Coding, { body: Buffer; sha256: string }>> = {};
    const variants: [Coding, Variant | undefined][] = [['identity', file], ['gzip', file.encodings?.gzip], ['br', file.encodings?.br]];
    let problem: string | undefined;
    for (const [coding, v] of variants) {
      if (!v) continue;
      const body = await readVerified(found.root, v);
      if (typeof body === 'string') {
        problem = body;
        break;
      }
      bodies[coding] = { body, sha256: v.sha256 };
    }
    if (problem !== undefined) {
      damaged.push(problem);
      damagedPaths.add(`/${file.path}`);
      const folder = folderOfPage(file.path);
      if (folder !== undefined) damagedPaths.add(`/${folder}`).add(`/${folder.slice(0, -1)}`);
      // A generation swept under us misses every file: no use reading the rest before retrying, nor serving so little.
      if (damaged.length > MAX_DAMAGED) return { ok: false, reason: 'mismatch', message: `${damaged[0]} (and ${damaged.length - 1} more)` };
      continue;
    }
    const codings = (['br', 'gzip', 'identity'] as const).filter((c) => bodies[c]);
    const compressed = codings.length > 1;
    const document = browserXml && XML_FEED_TYPES.has(mediaTypeEssence(file.mediaType));
    // Caches must key on whatever the body depends on (POLL-ENC-004).
    const varyParts = [...(compressed ? ['Accept-Encoding'] : []), ...(document ? ['Sec-Fetch-Dest'] : [])];
    const vary = varyParts.length ? varyParts.join(', ') : undefined;
    const lastModified = Math.floor(Date.parse(file.lastModified) / 1000) * 1000;
    const resource: Resource = {
      path: file.path,
      codings,
      codingKey: codings.join(','),
      lastModified,
      lastModifiedHttp: formatHttpDate(lastModified),
      feed: buildView(manifest, file, bodies, file.mediaType, vary, ''),
    };
    if (document) resource.document = buildView(manifest, file, bodies, BROWSER_XML_TYPE, vary, '-xml');
    resources.set(`/${file.path}`, resource);
  }
  for (const [path, resource] of [...resources]) {
    if (path.endsWith('/index.html')) {
      const dir = path.slice(0, -'index.html'.length);
      if (!resources.has(dir)) resources.set(dir, resource);
    }
  }
  const gone = new Set<string>();
  for (const { path } of manifest.gone) {
    gone.add(`/${path}`);
    const folder = folderOfPage(path);
    if (folder !== undefined) gone.add(`/${folder}`).add(`/${folder.slice(0, -1)}`);
  }
  const moved = new Map<string, string>();
  for (const { path, to } of manifest.moved ?? []) {
    moved.set(`/${path}`, to);
    const folder = folderOfPage(path);
    if (folder === undefined) continue;
    const toFolder = to.slice(0, -INDEX_FILE.length);
    moved.set(`/${folder}`, toFolder).set(`/${folder.slice(0, -1)}`, toFolder);
  }
  const id = createHash('sha256').update(manifestText).digest('hex');
  const snapshot: Snapshot = { id, root: found.root, manifestText, manifest, resources, gone, moved };
  if (damaged.length === 0) return { ok: true, snapshot };
  const message = `${damaged.slice(0, 3).join('; ')}${damaged.length > 3 ? ` (and ${damaged.length - 3} more)` : ''}`;
  return { ok: false, reason: 'mismatch', message, partial: { ...snapshot, damaged: damagedPaths } };
}

/** Past this many files that do not match, the publication is being swept or replaced, not damaged here and there. */
const MAX_DAMAGED = 16;

/** A feed's folder, with or without its slash, is its page: gone, moved or damaged with it. */
const folderOfPage = (path: string): string | undefined => (path.endsWith(`/${INDEX_FILE}`) ? path.slice(0, -INDEX_FILE.length) : undefined);
