/**
 * Permanent ids and permalinks, derived from the article's path in the store (never from
 * its title or the build time), so only renaming the file changes them.
 */

/** Store path without its extension, NFC-normalised so the same name typed on macOS (NFD) and Linux gives one id. */
export function slugOf(storePath: string): string {
  const plain = /^[\x20-\x7e]*$/.test(storePath);
  return (plain ? storePath : storePath.normalize('NFC')).replace(/\.(md|markdown|json)$/i, '');
}

/** Each path segment percent-encoded (spaces, `#`, `?`, non-ASCII), `/` kept. */
export function encodePath(slug: string): string {
  // Most paths need no escaping; skipping the split keeps 100k-article selections cheap.
  if (/^[A-Za-z0-9/._~-]*$/.test(slug)) return slug;
  return slug.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** What an IRI cannot hold as is (RFC 3987 §2.2): spaces and controls of any script, the ASCII delimiters `"<>\^`{|}`, and a `%` that starts no escape. */
const NOT_IRI = /[\s\p{Cc}"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})|[\uD800-\uDFFF]/u;

/**
 * An explicit id made a valid IRI: the characters an IRI cannot hold are percent-encoded
 * (UTF-8), everything else is kept as written, so every id that was already valid stays the
 * same and none is refused for its spelling.
 */
export function iriId(id: string): string {
  if (!NOT_IRI.test(id)) return id;
  let out = '';
  for (const ch of id) out += NOT_IRI.test(ch) ? Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('') : ch;
  return out;
}

/** `idPrefix` + encoded slug by default; an explicit id that is a URI is kept, any other is appended to the prefix. */
export function entryId(idPrefix: string, storePath: string, explicit?: string): string {
  if (explicit !== undefined) return iriId(HAS_SCHEME.test(explicit) ? explicit : idPrefix + explicit);
  return idPrefix + encodePath(slugOf(storePath));
}

/**
 * A relative reference cannot hold a colon in its first segment (RFC 3986 §4.2): one that does
 * is a mistyped scheme (`ht tp://x`, `https ://x`), which a URL parser would resolve silently
 * as a path under the site.
 */
const COLON_FIRST_SEGMENT = /^[^/?#]*:/;
export const isMistypedScheme = (value: string): boolean => !HAS_SCHEME.test(value) && COLON_FIRST_SEGMENT.test(value);

/** `siteUrl` + encoded slug + `/` by default; an explicit url is resolved against the site. Undefined when not http(s). */
export function entryUrl(siteUrl: string, storePath: string, explicit?: string): string | undefined {
  if (explicit !== undefined && isMistypedScheme(explicit)) return undefined;
  try {
    const url = new URL(explicit ?? `${encodePath(slugOf(storePath))}/`, siteUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A feed's own permanent id under the entries' prefix; `#` keeps it apart from any article path
 * (paths are percent-encoded). The main feed (at the root of out/) keeps `#feed`; a feed in a
 * folder adds its folder, encoded.
 */
export function feedId(idPrefix: string, folder = ''): string {
  const path = folder.replace(/\/+$/, '');
  return path === '' ? `${idPrefix}#feed` : `${idPrefix}#feed/${encodePath(path)}`;
}
