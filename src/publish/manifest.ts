/**
 * The manifest is the publication's table of contents: which files are published, their
 * exact size and sha256 (the strong ETag), their pre-compressed variants and when their
 * bytes last changed. It is written last, so a reader that sees a manifest sees files that
 * are already in place; the server serves nothing that is not listed here.
 */

export const STATE_DIR = '.kiosque';
export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;

export type Variant = {
  /** File name relative to the out dir, e.g. `rss.xml.gz`. */
  path: string;
  bytes: number;
  sha256: string;
};

export type PublishedFile = Variant & {
  /** Full Content-Type header value. */
  mediaType: string;
  /** ISO 8601 instant the bytes last changed; kept from the previous manifest while sha256 is unchanged. */
  lastModified: string;
  /** Pre-compressed bodies, made once at publish time. */
  encodings: { gzip?: Variant; br?: Variant };
};

export type Manifest = {
  version: 1;
  /** Seconds pollers may cache a feed (Cache-Control max-age; RSS ttl × 60). */
  maxAge: number;
  /** WebSub hubs advertised for every feed. */
  hubs: string[];
  /** Absolute public URL of each file, keyed by path (the WebSub topic / Link rel=self). */
  selfUrls: Record<string, string>;
  files: PublishedFile[];
};
