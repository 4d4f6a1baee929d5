/**
 * A web page given where a feed was expected: the site's address pasted for its feed's. It is
 * told apart before any XML parsing, and the feeds it announces for autodiscovery
 * (`<link rel="alternate" type="application/rss+xml" href="…">`) are named, so the report says
 * what to validate instead of how HTML fails to parse as XML.
 */
import { Parser } from 'htmlparser2';

const FEED_TYPES: Readonly<Record<string, string>> = {
  'application/rss+xml': 'RSS',
  'application/atom+xml': 'Atom',
  'application/feed+json': 'JSON Feed',
  // What JSON Feed 1.0 told publishers to announce; 1.1 keeps it working.
  'application/json': 'JSON Feed',
};

/** A doctype or `<html>` first, after a UTF-8 byte order mark (read as Latin-1), an XML declaration and comments (XHTML included). */
const HTML_START = /^(?:\u00EF\u00BB\u00BF)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i;

export type AnnouncedFeed = { href: string; kind: string };

/** The feeds an HTML page announces, in document order; undefined when the bytes are not an HTML page. */
export function htmlPageFeeds(bytes: Uint8Array, base?: string): AnnouncedFeed[] | undefined {
  // The start is ASCII in UTF-8 and the single-byte encodings, read here byte for byte (a UTF-16 page is left to the XML parser).
  if (!HTML_START.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1'))) return undefined;
  const links: AnnouncedFeed[] = [];
  // The document's base URL is the first <base href>, wherever it stands, resolved against the page's address (HTML, "document base URL").
  let documentBase: string | undefined;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'base' && attrs.href !== undefined && documentBase === undefined) documentBase = resolve(attrs.href.trim(), base);
      if (name !== 'link' || attrs.href === undefined) return;
      const kind = FEED_TYPES[(attrs.type ?? '').trim().toLowerCase()];
      const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/);
      // "alternate stylesheet" is another look for the page, not a feed.
      if (kind && rels.includes('alternate') && !rels.includes('stylesheet')) links.push({ href: attrs.href.trim(), kind });
    },
  }, { decodeEntities: true });
  parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  return links.map((link) => ({ ...link, href: resolve(link.href, documentBase ?? base) }));
}

function resolve(href: string, base: string | undefined): string {
  if (base === undefined || !/^https?:\/\//i.test(base)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** What the report says of such a page. */
export function htmlPageReason(feeds: readonly AnnouncedFeed[]): string {
  if (feeds.length === 0) return 'an HTML page, not a feed, and it announces none (no <link rel="alternate"> with a feed type)';
  const listed = feeds.map((f) => `${f.href} (${f.kind})`).join(', ');
  return `an HTML page, not a feed; it announces ${feeds.length === 1 ? 'one feed' : `${feeds.length} feeds`}: ${listed}: validate ${feeds.length === 1 ? 'that' : 'one of those'} instead`;
}
