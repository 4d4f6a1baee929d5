/**
 * The manifest is the publication's table of contents: which files are published, their
 * exact size and sha256 (the strong ETag), their pre-compressed variants, when their bytes
 * last changed, and which paths were published once and are gone. Each generation carries
 * its own manifest (see generations.ts), so a reader that follows `current` once gets a
 * manifest and the very files it describes.
 */

export const STATE_DIR = '.kiosque';
/** Fixed path of the live manifest: a symlink to `current/.manifest.json` (a plain file in the version 1 layout). */
export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;

export type Variant = {
  /** Path relative to the publication root, e.g. `rss.xml.gz` or `tags/economie/rss.xml`. */
  path: string;
  bytes: number;
  sha256: string;
};

export type PublishedFile = Variant & {
  /** Full Content-Type header value. */
  mediaType: string;
  /**
   * ISO 8601 instant the bytes last changed; kept while sha256 is unchanged, and a changed
   * file's is at least one second after its previous one, whatever the clock says.
   */
  lastModified: string;
  /** Pre-compressed bodies, made once at publish time. */
  encodings: { gzip?: Variant; br?: Variant };
  /** The bytes at this path never change (a full archive page): servers send `Cache-Control: public, max-age=31536000, immutable`. */
  immutable?: true;
};

/**
 * Whether a file on disk looks as published: the size of `v`, and the time of its entry (kiosque sets every body's
 * mtime to its Last-Modified), to the second. An edit in place keeps the size but not the time; cheaper than hashing.
 */
export function looksPublished(st: { size: number; mtimeMs: number }, v: Variant, lastModified: string): boolean {
  return st.size === v.bytes && Math.floor(st.mtimeMs / 1000) === Math.floor(Date.parse(lastModified) / 1000);
}

/** A path whose feed moved to another address: servers answer 301, and readers update their subscription. */
export type MovedPath = { path: string; to: string };

/** A path that was published and is not any more: servers answer 410 so readers unsubscribe. */
export type GonePath = {
  path: string;
  /** When it vanished; a later return gets a Last-Modified at least one second after this. */
  since: string;
};

/**
 * Version 2 adds `gone` and lives inside a generation directory; its paths are relative to
 * that directory, which the public names in the out dir resolve into. Version 1 (one flat
 * out dir, manifest written last) is still read, to adopt an old out dir and to serve it.
 */
export type Manifest = {
  version: 2;
  /** Seconds pollers may cache a feed (Cache-Control max-age; RSS ttl × 60). */
  maxAge: number;
  /** WebSub hubs advertised for every feed. */
  hubs: string[];
  /** Absolute public URL of each file, keyed by path (the WebSub topic / Link rel=self). */
  selfUrls: Record<string, string>;
  files: PublishedFile[];
  /** Sorted by path; an entry stays until its path is published again. */
  gone: GonePath[];
  /** Paths of feeds that moved (`moved` in the configuration), sorted: each answers 301 to `to`, an absolute URL. */
  moved?: MovedPath[];
  /**
   * Lease mode (docs/scaling.md): the fencing token of the run that last changed the
   * publication. A run holding an older token is refused, so an instance that lost its lease
   * while paused never overwrites what a newer holder published.
   */
  fence?: number;
};

type ManifestV1 = Omit<Manifest, 'version' | 'gone'> & { version: 1 };

export const manifestText = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** Reads either version into the current shape; undefined when it is neither. */
export function normalizeManifest(raw: unknown): Manifest | undefined {
  const m = raw as Partial<Manifest> | Partial<ManifestV1> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.files)) return undefined;
  if (m.version === 2) return Array.isArray(m.gone) ? (m as Manifest) : undefined;
  if (m.version === 1) return { ...(m as ManifestV1), version: 2, gone: [] };
  return undefined;
}

/** Published paths are plain relative names; anything that could leave the out dir or reach state files is refused. */
export function isPublishablePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.startsWith('.'));
}

/**
 * Last-Modified for bytes that changed: `now`, but at least one whole second after `previous`
 * (HTTP dates have one-second resolution). A rebuild with an earlier clock (`--now`, an NTP
 * step, a VM restore) must not publish an older date, or pollers that only send
 * If-Modified-Since get 304 and miss the change.
 */
export function nextLastModified(now: Date, previous: string | undefined): string {
  const floor = previous === undefined ? Number.NaN : Math.floor(Date.parse(previous) / 1000) * 1000 + 1000;
  return new Date(Number.isNaN(floor) ? now.getTime() : Math.max(now.getTime(), floor)).toISOString();
}
