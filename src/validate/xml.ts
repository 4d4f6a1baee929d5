/**
 * The namespace-resolved XML document the RSS and Atom rules read. `parse.ts` builds it
 * from bytes (its own scan, or fast-xml-parser for a malformed document); rules never see raw
 * parser output, so a prefix bound to any name (`<a:feed xmlns:a="http://www.w3.org/2005/Atom">`)
 * reads the same as the default.
 */
import type { LineIndex } from '../values/lines.js';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  xhtml: 'http://www.w3.org/1999/xhtml',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  sy: 'http://purl.org/rss/1.0/modules/syndication/',
  slash: 'http://purl.org/rss/1.0/modules/slash/',
  fh: 'http://purl.org/syndication/history/1.0',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  xml: 'http://www.w3.org/XML/1998/namespace',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcterms: 'http://purl.org/dc/terms/',
  creativeCommons: 'http://backend.userland.com/creativeCommonsRssModule',
  cc: 'http://web.resource.org/cc/',
  trackback: 'http://madskills.com/public/xml/rss/module/trackback/',
  thr: 'http://purl.org/syndication/thread/1.0',
  geo: 'http://www.w3.org/2003/01/geo/wgs84_pos#',
  geourl: 'http://geourl.org/rss/module/',
  icbm: 'http://postneo.com/icbm',
  georss: 'http://www.georss.org/georss',
  wfw: 'http://wellformedweb.org/CommentAPI/',
  admin: 'http://webns.net/mvcb/',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
  opensearch10: 'http://a9.com/-/spec/opensearchrss/1.0/',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
  at: 'http://purl.org/atompub/tombstones/1.0',
} as const;

export type XmlAttr = {
  /** As written, e.g. `xml:lang`. */
  name: string;
  local: string;
  /** Resolved namespace URI; unprefixed attributes have none (`''`). */
  ns: string;
  value: string;
};

export type XmlElement = {
  /** As written, e.g. `atom:link`. */
  name: string;
  local: string;
  /** Resolved namespace URI, `''` for no namespace. Undeclared prefixes resolve to `''` and are reported by a rule. */
  ns: string;
  prefix: string;
  attrs: XmlAttr[];
  children: XmlElement[];
  /** Direct character data, entities decoded, CDATA included, in document order. */
  text: string;
  /** True when any direct text came from a CDATA section. */
  cdata: boolean;
  /** 1-based position of the start tag's `<`. */
  line: number;
  column: number;
  parent?: XmlElement;
};

export type XmlDeclaration = {
  version?: string;
  encoding?: string;
  standalone?: string;
  line: number;
  column: number;
};

export type XmlDoc = {
  file: string;
  /** Where the document was fetched from (`kiosque validate URL`): what its relative references resolve against. */
  url?: string;
  /** The decoded text (BOM removed). */
  text: string;
  /** Offsets of `text` to lines and columns. */
  lines: LineIndex;
  hasBom: boolean;
  declaration?: XmlDeclaration;
  /** Whether the document has a DOCTYPE, and its text. */
  doctype?: string;
  root: XmlElement;
  /** Prefixes used but never declared, with where they were first used. */
  undeclaredPrefixes: { prefix: string; line: number; column: number }[];
  /** Document-level problems met while decoding and parsing (see `rules/xml-doc.ts`). */
  problems?: XmlProblem[];
};

/**
 * What can be wrong with an XML document below the feed vocabulary. Each kind maps to one
 * digest row per format (RSS-DOC-001 / ATOM-DOC-001 for `well-formed`, and so on).
 */
export type XmlProblemKind =
  /** XML 1.0 well-formedness (nesting, quoting, bare `&` or `<`, several roots, …). */
  | 'well-formed'
  /** An XML declaration that is not the very first thing in the file. */
  | 'declaration-position'
  /** Bytes that do not decode in the declared (or implied) encoding, or a BOM/declaration mismatch. */
  | 'encoding'
  /** A character outside the XML 1.0 Char production, literal or as a numeric reference. */
  | 'illegal-char'
  /** A named entity other than the five XML ones (`&nbsp;`) and not declared in the DOCTYPE. */
  | 'undefined-entity'
  /** Entities declared in a DOCTYPE: well-formed (XML 1.0 §4.1), but kiosque and hardened readers do not expand them. */
  | 'entity-declaration'
  /** `]]>` in character data. */
  | 'cdata-end'
  /** Size or nesting beyond what kiosque accepts; the document is not parsed further. */
  | 'limit';

export type XmlProblem = { kind: XmlProblemKind; message: string; line: number; column: number };

/** First attribute with this local name and namespace (default: no namespace). */
export function attr(el: XmlElement, local: string, ns = ''): string | undefined {
  return el.attrs.find((a) => a.local === local && a.ns === ns)?.value;
}

/** Every element of the tree in document order (iterative: deep documents cannot overflow the stack). */
export function* descendants(root: XmlElement): Generator<XmlElement> {
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    yield el;
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as XmlElement);
  }
}

/** First child with this local name in this namespace. */
export function child(el: XmlElement, local: string, ns: string): XmlElement | undefined {
  return children(el, local, ns)[0];
}

const NONE: readonly XmlElement[] = Object.freeze([]);
/** Child lists by local name, kept on the element itself: a WeakMap of 100k elements costs more in GC than the lookups. */
const INDEX = Symbol('children by local name');
type Indexed = XmlElement & { [INDEX]?: Map<string, XmlElement[]> };

/**
 * Children with this local name in this namespace (do not mutate the result). Elements with many
 * children (a channel's items) are indexed once; small ones are scanned, which is cheaper.
 */
export function children(el: XmlElement, local: string, ns: string): XmlElement[] {
  if (el.children.length < 16) {
    // Most questions find nothing (an item's comments, an entry's rights): then no list is made.
    let found: XmlElement[] | undefined;
    for (const c of el.children) if (c.local === local && c.ns === ns) (found ??= []).push(c);
    return found ?? (NONE as XmlElement[]);
  }
  const holder = el as Indexed;
  let index = holder[INDEX];
  if (!index) {
    index = new Map();
    for (const c of el.children) {
      const list = index.get(c.local);
      if (list) list.push(c);
      else index.set(c.local, [c]);
    }
    Object.defineProperty(holder, INDEX, { value: index, enumerable: false });
  }
  const list = index.get(local);
  if (!list) return NONE as XmlElement[];
  for (const c of list) if (c.ns !== ns) return list.filter((x) => x.ns === ns);
  return list;
}
