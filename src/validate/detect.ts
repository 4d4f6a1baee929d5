/**
 * Which format is this? Decided from the root only (never from the file name), so a broken
 * RSS 2.0 file is still validated as RSS and an RSS 0.92 or Atom 0.3 file is reported as
 * unsupported instead of drowning in rule errors that do not apply to it.
 */
import type { XmlDoc } from './xml.js';
import { NS } from './xml.js';
import { decodeJsonBytes } from './json/parse.js';
import { member, stringValue, type JsonDoc } from './json/doc.js';
import { isJsonFeedCandidate } from './json/validate.js';

export type Detected =
  | { format: 'rss' | 'atom' | 'json' }
  | { format: 'unsupported'; reason: string }
  | { format: 'unreadable'; reason: string };

const ATOM03 = 'http://purl.org/atom/ns#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/**
 * First significant character is `{` or `[`, in UTF-8 or any UTF-16/32 form (with or without a
 * BOM): a JSON feed saved as UTF-16 must still reach the JSON Feed rules that report its encoding.
 */
export function looksLikeJson(bytes: Uint8Array): boolean {
  return isJsonFeedCandidate(bytes);
}

/**
 * The same decision from a document the JSON Feed validator has read, so a feed is decoded and
 * parsed once: its parser accepts exactly the documents `JSON.parse` does (lone surrogates and
 * duplicate names included), and `version` is the last member of that name, as `JSON.parse` keeps.
 * A document it could not read is decided from its bytes, as before.
 */
export function detectJsonDoc(doc: JsonDoc, bytes: Uint8Array): Detected {
  const root = doc.root;
  if (root === undefined) return detectJson(bytes);
  if (root.kind !== 'object') return { format: 'unsupported', reason: NOT_AN_OBJECT };
  return byVersion(stringValue(member(root, 'version')?.value));
}

export const NOT_AN_OBJECT = 'JSON, but not an object: not a JSON Feed';

/** Any spelling of the version URL a publisher might slip into (http, www, a trailing slash): the feed is recognised, and JF-TOP-001 names the slip. */
const LIKE_JSONFEED_VERSION = /^https?:\/\/(?:www\.)?jsonfeed\.org\/version\//i;

function byVersion(version: string | undefined): Detected {
  if (version !== undefined && LIKE_JSONFEED_VERSION.test(version.trim())) return { format: 'json' };
  return { format: 'unsupported', reason: 'JSON without a "version" of https://jsonfeed.org/version/…: not a JSON Feed' };
}

/** JSON Feed is recognised by its `version` URL; any other JSON is not a feed. */
export function detectJson(bytes: Uint8Array): Detected {
  let value: unknown;
  try {
    // Decoded in its own encoding (BOM stripped): JF-DOC-003/004 report the encoding, not detection.
    value = JSON.parse(decodeJsonBytes(bytes).text);
  } catch {
    // The JSON Feed validator reports syntax errors with positions; route there when the shape is plausible.
    const head = decodeJsonBytes(bytes).text.slice(0, 65536);
    return /"version"\s*:\s*"https?:\/\/(?:www\.)?jsonfeed\.org\/version\//i.test(head) ? { format: 'json' } : { format: 'unreadable', reason: 'not valid JSON, and no JSON Feed version found' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { format: 'unsupported', reason: NOT_AN_OBJECT };
  const version = (value as Record<string, unknown>)['version'];
  return byVersion(typeof version === 'string' ? version : undefined);
}

/** Decides RSS 2.0 / Atom 1.0 / unsupported from a parsed XML document's root. */
export function detectXml(doc: XmlDoc): Detected {
  const root = doc.root;
  if (root.local === 'rss') {
    const version = root.attrs.find((a) => a.local === 'version' && a.ns === '')?.value.trim();
    // A missing or 2.x version is RSS 2.0 written wrongly (RSS-DOC-012 reports it); 0.9x is another format.
    if (version === undefined || version === '' || /^2(\.|$)/.test(version)) return { format: 'rss' };
    return { format: 'unsupported', reason: `RSS ${version} (kiosque validates RSS 2.0 only)` };
  }
  if (root.local === 'RDF' && root.ns === RDF) return { format: 'unsupported', reason: 'RSS 1.0 (RDF Site Summary); kiosque validates RSS 2.0 only' };
  if (root.local === 'feed') {
    if (root.ns === ATOM03) return { format: 'unsupported', reason: 'Atom 0.3 (namespace http://purl.org/atom/ns#); kiosque validates Atom 1.0 only' };
    const version = root.attrs.find((a) => a.local === 'version' && a.ns === '')?.value;
    if (root.ns !== NS.atom && version !== undefined && /^0\./.test(version)) return { format: 'unsupported', reason: `Atom ${version}; kiosque validates Atom 1.0 only` };
    // Any other <feed> is meant as Atom 1.0: a wrong or missing namespace is ATOM-DOC-005's to report.
    return { format: 'atom' };
  }
  // An Atom Entry Document (RFC 4287 §2) is Atom 1.0 too; a bare <entry> without the namespace is not.
  if (root.local === 'entry' && root.ns === NS.atom) return { format: 'atom' };
  return { format: 'unsupported', reason: `root element <${root.name}> is not <rss>, Atom <feed> or Atom <entry>` };
}
