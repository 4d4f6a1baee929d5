/**
 * Bytes -> namespace-resolved `XmlDoc`. Three passes, all linear:
 * 1. decode: BOM, declared encoding, strict TextDecoder (a mismatch is a problem, not a guess);
 * 2. scan: a small tokenizer that checks well-formedness on its own: everything fast-xml-parser's
 *    XMLValidator rejects (a differential test holds it to that; running both cost a third of
 *    parsing), and what that validator lets through (`<` in attribute values, several roots,
 *    `--` in comments, undefined entities, illegal characters and character references, `]]>`
 *    in text, DOCTYPE entities, nesting depth);
 * 3. tree: built by the scan from what it read, for a well-formed document; for one the scan
 *    rejects, fast-xml-parser's lenient XMLParser (preserveOrder + captureMetaData for
 *    positions) gives what tree it can. Entities stay raw in both, so only the five XML
 *    entities and numeric references are ever decoded.
 * Never throws on input: every problem becomes an `XmlProblem` with a line and column.
 */
import { XMLParser } from 'fast-xml-parser';
import { NS } from './xml.js';
import { LineIndex } from '../values/lines.js';
import { ILLEGAL_XML_CHARS as ILLEGAL, isXmlChar, mayHoldIllegalXmlChars } from '../values/xml-chars.js';
import type { XmlAttr, XmlDeclaration, XmlDoc, XmlElement, XmlProblem, XmlProblemKind } from './xml.js';

/** Larger documents are refused before any parsing: no feed needs them, and they cost memory. */
export const MAX_BYTES = 50 * 1024 * 1024;
/** Deeper nesting is refused before the tree is built (XHTML content in real feeds stays far below). */
export const MAX_DEPTH = 1000;
/** More attributes on one element are refused (real feeds use a handful; XHTML content a dozen). */
export const MAX_ATTRIBUTES = 1000;
/** Elements plus attributes per document: bounds the tree's size whatever the byte count. */
export const MAX_NODES = 1_000_000;
/** Attributes on an element beyond which the scan looks repeated names up in a set rather than the list. */
const FEW_ATTRIBUTES = 8;
/** Per kind, so random bytes do not produce a million lines. */
const MAX_PROBLEMS_PER_KIND = 20;

export type XmlParse = {
  /** Absent when no element tree could be built (not XML at all, or a limit was hit). */
  doc: XmlDoc | undefined;
  /** Everything found, also present as `doc.problems` when there is a doc. */
  problems: XmlProblem[];
};

class Problems {
  readonly list: XmlProblem[] = [];
  private readonly counts = new Map<XmlProblemKind, number>();
  constructor(private readonly lines: LineIndex | undefined) {}
  add(kind: XmlProblemKind, message: string, offset: number): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n > MAX_PROBLEMS_PER_KIND) return;
    const at = this.lines ? this.lines.at(offset) : { line: 1, column: 1 };
    this.list.push({ kind, message: n === MAX_PROBLEMS_PER_KIND ? `${message} (further problems of this kind not shown)` : message, ...at });
  }
  has(kind: XmlProblemKind): boolean {
    return (this.counts.get(kind) ?? 0) > 0;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Decoding

export type Decoded = { text: string; hasBom: boolean; encoding: string; problems: { message: string; offset: number }[] };

const DECL_ENCODING = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/;

/** Normalises an encoding label for comparison (`UTF8`, `utf-8` -> `utf-8`). */
function canonicalEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** Decodes per XML 1.0 §4.3.3 / Appendix F: BOM first, then the declaration, else UTF-8. */
export function decodeXml(bytes: Uint8Array): Decoded {
  const problems: Decoded['problems'] = [];
  let bomEncoding: string | undefined;
  let skip = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [bomEncoding, skip] = ['utf-8', 3];
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [bomEncoding, skip] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [bomEncoding, skip] = ['utf-16be', 2];

  // Without a BOM, UTF-16 still shows as `<\0?\0` or `\0<\0?` (XML 1.0 Appendix F).
  let sniffed: string | undefined;
  if (!bomEncoding) {
    if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) sniffed = 'utf-16le';
    else if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) sniffed = 'utf-16be';
  }

  // Read the declared encoding with a decoder matching the byte width seen so far.
  const headEncoding = bomEncoding ?? sniffed ?? 'latin1';
  const head = new TextDecoder(headEncoding).decode(bytes.subarray(skip, skip + 1024));
  const declared = DECL_ENCODING.exec(head)?.[1];

  let encoding = bomEncoding ?? sniffed ?? 'utf-8';
  if (declared === undefined && sniffed) {
    problems.push({ message: `the bytes are ${sniffed.toUpperCase()} with neither a byte order mark nor an encoding declaration, a fatal error (only UTF-8 may go undeclared); add a BOM and encoding="UTF-16", or re-encode as UTF-8`, offset: 0 });
  }
  if (declared !== undefined) {
    const canonical = canonicalEncoding(declared);
    const isUtf16 = /^utf-?16/i.test(declared.trim());
    if (canonical === undefined) {
      problems.push({ message: `encoding "${declared}" is not one kiosque can decode; use UTF-8`, offset: 0 });
    } else if (bomEncoding) {
      const compatible = bomEncoding === 'utf-8' ? canonical === 'utf-8' : isUtf16;
      if (!compatible) problems.push({ message: `the byte order mark says ${bomEncoding.toUpperCase()} but the declaration says "${declared}"`, offset: 0 });
    } else if (sniffed) {
      if (!isUtf16) problems.push({ message: `the bytes are UTF-16 but the declaration says "${declared}"`, offset: 0 });
    } else if (isUtf16) {
      problems.push({ message: `the declaration says "${declared}" but the file has no byte order mark and is not UTF-16`, offset: 0 });
    } else {
      encoding = canonical;
      // WHATWG decoders treat ASCII as windows-1252, so enforce 7 bits here.
      if (/^(us-)?ascii$/i.test(declared.trim())) {
        const high = bytes.findIndex((b) => b > 0x7f);
        // One byte per character in this branch, so the byte index is the text offset.
        if (high >= 0) problems.push({ message: `the declaration says "${declared}" but byte 0x${(bytes[high] as number).toString(16).toUpperCase()} is not ASCII`, offset: high - skip });
      }
    }
  }

  const body = bytes.subarray(skip);
  let text: string;
  try {
    text = encoding === 'windows-1252' ? decodeWindows1252(body) : new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
    const bad = text.indexOf('\uFFFD');
    // The encoding the bytes were read in: a byte order mark wins over the declaration (a mismatch is reported above).
    const what = bomEncoding ? `${encoding.toUpperCase()} (byte order mark)` : declared === undefined ? 'UTF-8 (no encoding declared)' : `"${declared}" (declared)`;
    problems.push({ message: `the bytes are not valid ${what}; declare the encoding actually used or re-encode as UTF-8`, offset: Math.max(0, bad) });
  }
  return { text, hasBom: bomEncoding !== undefined, encoding, problems };
}

/** 0x80-0x9F of windows-1252 (WHATWG); the five unassigned bytes stay C1 controls. */
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * windows-1252, which WHATWG also uses for ISO-8859-1 and ASCII labels. Done by hand because
 * Node's TextDecoder decodes these labels as plain Latin-1 (0x93 -> U+0093 instead of U+201C).
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let chunk = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      chunk += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
    }
    parts.push(chunk);
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// 2. Scanning

const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\uD800-\\uDBFF\\uDC00-\\uDFFF';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'y');
const REF = new RegExp(`&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([${NAME_START}][${NAME_CHAR}]*));`, 'y');
const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Internal general entities that could never be expanded (XML 1.0 §4.1, WFC: Entity Declared and
 * No Recursion): their replacement text refers to an entity nobody declared, or back to themselves.
 * Read from the declarations, not by expanding anything.
 */
function entityValueFaults(doctype: string, declared: ReadonlySet<string>): Map<string, string> {
  const refs = new Map<string, string[]>();
  const decl = /<!ENTITY\s+([^\s%>]+)\s+(?:"([^"]*)"|'([^']*)')/g;
  for (let m = decl.exec(doctype); m; m = decl.exec(doctype)) {
    if (!refs.has(m[1]!)) refs.set(m[1]!, [...(m[2] ?? m[3] ?? '').matchAll(/&([A-Za-z_:][\w.:-]*);/g)].map((r) => r[1]!));
  }
  // Each entity is looked at once (a "billion laughs" chain refers ten times to the next, 10^9 paths if walked).
  const faults = new Map<string, string>();
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): string | undefined => {
    if (done.has(name)) return faults.get(name);
    path.push(name);
    let found: string | undefined;
    for (const next of new Set(refs.get(name) ?? [])) {
      if (PREDEFINED.has(next)) continue;
      if (!declared.has(next)) found = `entity &${name}; refers to &${next};, which is not declared: it cannot be expanded`;
      else if (path.includes(next)) {
        const loop = path.slice(path.indexOf(next));
        found = loop.length === 1 ? `entity &${next}; refers to itself, which XML 1.0 forbids: it cannot be expanded` : `entities &${loop.join(';, &')}; refer to one another in a loop, which XML 1.0 forbids: they cannot be expanded`;
      } else found = visit(next);
      if (found) break;
    }
    path.pop();
    done.add(name);
    if (found) faults.set(name, found);
    return found;
  };
  for (const name of refs.keys()) visit(name);
  return faults;
}


const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** `limited`: a limit (depth, attributes, nodes) was hit and no tree must be built. */
type ScanResult = { declaration?: XmlDeclaration; doctype?: string; doctypeAt?: number; limited: boolean; fatal: boolean };

/**
 * Offset of the `>` closing a DOCTYPE whose name starts at `from`, or -1. Inside the internal
 * subset, comments and PIs are skipped whole (XML 1.0 §2.8 markupdecl): a quote or `]` in them
 * is text, not syntax. Quotes delimit literals everywhere else.
 */
function doctypeEnd(text: string, from: number): number {
  let subset = false;
  for (let j = from; j < text.length; j++) {
    const ch = text[j] as string;
    if (ch === '"' || ch === "'") {
      j = text.indexOf(ch, j + 1);
      if (j < 0) return -1;
    } else if (subset && text.startsWith('<!--', j)) {
      j = text.indexOf('-->', j + 4);
      if (j < 0) return -1;
      j += 2;
    } else if (subset && text.startsWith('<?', j)) {
      j = text.indexOf('?>', j + 2);
      if (j < 0) return -1;
      j += 1;
    } else if (ch === '[') subset = true;
    else if (ch === ']') subset = false;
    else if (ch === '>' && !subset) return j;
  }
  return -1;
}

/** Checks what the scan checks (see the top of this file), building the document's tree into `tree` as it goes. */
function scan(text: string, problems: Problems, lines: LineIndex, tree: ScanTree): ScanResult {
  const result: ScanResult = { limited: false, fatal: false };
  const stack: string[] = [];
  const declaredEntities = new Set<string>();
  // Declared entities whose replacement text refers to an undeclared entity or, through others, to itself.
  const entityFaults = new Map<string, string>();
  let rootSeen = false;
  let i = 0;
  const n = text.length;

  const fatal = (message: string, offset: number): void => {
    problems.add('well-formed', message, offset);
    result.fatal = true;
  };
  const limit = (message: string, offset: number): void => {
    problems.add('limit', message, offset);
    result.limited = true;
  };
  let nodes = 0;
  const skipWs = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 9 || c === 13; c = text.charCodeAt(++i));
  };
  const checkRefs = (segment: string, offset: number, inAttr: boolean): boolean => {
    let amp = segment.indexOf('&');
    while (amp >= 0) {
      REF.lastIndex = amp;
      const m = REF.exec(segment);
      if (!m) {
        fatal(`"&" must start a reference such as &amp;${inAttr ? ' (in an attribute value)' : ''}: write a bare ampersand as &amp;`, offset + amp);
        return false;
      }
      const [, hx, dec, name] = m;
      if (name !== undefined) {
        if (!PREDEFINED.has(name) && !declaredEntities.has(name)) {
          problems.add('undefined-entity', `undefined entity &${name}; (XML knows only &amp; &lt; &gt; &quot; &apos;): use the character itself or a numeric reference`, offset + amp);
        } else if (entityFaults.has(name)) {
          problems.add('undefined-entity', entityFaults.get(name)!, offset + amp);
        }
      } else {
        const cp = parseInt((hx ?? dec) as string, hx !== undefined ? 16 : 10);
        if (!isXmlChar(cp)) problems.add('illegal-char', `character reference ${m[0]} is ${Number.isFinite(cp) && cp <= 0x10ffff ? hex(cp) : 'out of range'}, which XML 1.0 forbids`, offset + amp);
      }
      amp = segment.indexOf('&', amp + m[0].length);
    }
    return true;
  };

  while (i < n && !result.fatal) {
    if (text.charCodeAt(i) !== 60 /* < */) {
      let next = text.indexOf('<', i);
      if (next < 0) next = n;
      const segment = text.slice(i, next);
      if (stack.length === 0) {
        const nonWs = segment.search(/[^ \t\r\n]/);
        if (nonWs >= 0) {
          fatal(rootSeen ? 'text after the root element' : 'text before the root element', i + nonWs);
          break;
        }
      } else {
        const end = segment.indexOf(']]>');
        if (end >= 0) problems.add('cdata-end', '"]]>" is not allowed in text: write it as ]]&gt;', i + end);
        if (!checkRefs(segment, i, false)) break;
        tree.text(segment, false);
      }
      i = next;
      continue;
    }
    const start = i;
    // The character after `<` tells tags, nearly all of a feed, from declarations (`!`) and instructions (`?`).
    const after = text.charCodeAt(i + 1);
    if (after === 33 /* ! */ && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return fatal('comment is not closed with -->', start), result;
      const dashes = text.slice(i + 4, end).indexOf('--');
      if (dashes >= 0 || text.charCodeAt(end - 1) === 45) fatal('"--" is not allowed inside a comment', dashes >= 0 ? i + 4 + dashes : end - 1);
      i = end + 3;
    } else if (after === 33 && text.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) return fatal('CDATA section outside the root element', start), result;
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return fatal('CDATA section is not closed with ]]>', start), result;
      tree.text(text.slice(i + 9, end), true);
      i = end + 3;
    } else if (after === 33 && text.startsWith('<!DOCTYPE', i)) {
      if (rootSeen || stack.length > 0) return fatal('DOCTYPE must come before the root element', start), result;
      if (result.doctype !== undefined) return fatal('only one DOCTYPE is allowed', start), result;
      const j = doctypeEnd(text, i + 9);
      if (j < 0) return fatal('DOCTYPE is not closed', start), result;
      const doctype = text.slice(i, j + 1);
      result.doctype = doctype;
      result.doctypeAt = i;
      const entityDecl = /<!ENTITY\s+(%\s+)?([^\s>]+)/g;
      let first = true;
      for (let m = entityDecl.exec(doctype); m; m = entityDecl.exec(doctype)) {
        if (!m[1]) declaredEntities.add(m[2] as string);
        if (first) problems.add('entity-declaration', 'the DOCTYPE declares entities; kiosque does not expand them (expansion bombs), nor do hardened readers, which then show the references or refuse the feed: use characters or numeric references', i + m.index);
        first = false;
      }
      for (const [name, fault] of entityValueFaults(doctype, declaredEntities)) entityFaults.set(name, fault);
      i = j + 1;
    } else if (after === 33) {
      return fatal('unexpected markup declaration', start), result;
    } else if (after === 63 /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return fatal('processing instruction is not closed with ?>', start), result;
      NAME.lastIndex = i + 2;
      const target = NAME.exec(text)?.[0];
      if (target === undefined) return fatal('processing instruction has no target name', start), result;
      if (target.toLowerCase() === 'xml') {
        if (target !== 'xml' || i !== 0) {
          if (target === 'xml') problems.add('declaration-position', 'the XML declaration must be the very first thing in the file (nothing before it, not even whitespace)', start);
          else return fatal(`"${target}" is a reserved processing-instruction name`, start), result;
        } else {
          const decl = parseDeclaration(text.slice(i + 5, end), lines, i);
          if (typeof decl === 'string') return fatal(decl, start), result;
          result.declaration = decl;
        }
      }
      i = end + 2;
    } else if (after === 47 /* / */) {
      NAME.lastIndex = i + 2;
      const name = NAME.exec(text)?.[0];
      if (name === undefined) return fatal('invalid end tag', start), result;
      i = NAME.lastIndex;
      skipWs();
      if (text[i] !== '>') return fatal(`end tag </${name}> is not closed with >`, start), result;
      const open = stack.pop();
      if (open === undefined) return fatal(`end tag </${name}> has no matching start tag`, start), result;
      if (open !== name) return fatal(`end tag </${name}> does not match the open element <${open}>`, start), result;
      tree.end();
      i++;
    } else {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(text)?.[0];
      if (name === undefined) return fatal('"<" must start a tag: write a literal < as &lt;', start), result;
      if (rootSeen && stack.length === 0) return fatal(`a second root element <${name}>: a document has exactly one`, start), result;
      rootSeen = true;
      i = NAME.lastIndex;
      if (++nodes > MAX_NODES) return limit(`more than ${MAX_NODES} elements and attributes; kiosque does not parse such documents`, start), result;
      const attrs: [string, string][] = [];
      // Names met, once an element has more than a few attributes; fewer are compared in the list.
      let seen: Set<string> | undefined;
      for (;;) {
        const before = i;
        skipWs();
        if (text.startsWith('/>', i)) {
          i += 2;
          tree.start(name, start, attrs, true);
          break;
        }
        if (text[i] === '>') {
          i++;
          stack.push(name);
          tree.start(name, start, attrs, false);
          break;
        }
        if (i >= n) return fatal(`start tag <${name}> is not closed`, start), result;
        if (i === before) return fatal(`attributes of <${name}> must be separated by whitespace`, i), result;
        NAME.lastIndex = i;
        const attrName = NAME.exec(text)?.[0];
        if (attrName === undefined) return fatal(`invalid character in start tag <${name}>`, i), result;
        if (seen ? seen.has(attrName) : attrs.some(([k]) => k === attrName)) return fatal(`attribute ${attrName} is repeated on <${name}>`, i), result;
        if (attrs.length >= FEW_ATTRIBUTES) (seen ??= new Set(attrs.map(([k]) => k))).add(attrName);
        if (attrs.length >= MAX_ATTRIBUTES) return limit(`<${name}> has more than ${MAX_ATTRIBUTES} attributes; kiosque does not parse such documents`, start), result;
        if (++nodes > MAX_NODES) return limit(`more than ${MAX_NODES} elements and attributes; kiosque does not parse such documents`, start), result;
        i = NAME.lastIndex;
        skipWs();
        if (text[i] !== '=') return fatal(`attribute ${attrName} on <${name}> has no value (write ${attrName}="…")`, i), result;
        i++;
        skipWs();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") return fatal(`value of attribute ${attrName} on <${name}> must be quoted`, i), result;
        const close = text.indexOf(quote, i + 1);
        if (close < 0) return fatal(`value of attribute ${attrName} is not closed`, i), result;
        const value = text.slice(i + 1, close);
        const lt = value.indexOf('<');
        if (lt >= 0) return fatal(`"<" is not allowed in an attribute value: write &lt;`, i + 1 + lt), result;
        if (!checkRefs(value, i + 1, true)) return result;
        attrs.push([attrName, value]);
        i = close + 1;
      }
      if (stack.length > MAX_DEPTH) return limit(`elements nest deeper than ${MAX_DEPTH} levels; kiosque does not parse such documents`, start), result;
    }
  }
  if (!result.fatal) {
    if (stack.length > 0) fatal(`element <${stack[stack.length - 1] as string}> is not closed`, n);
    else if (!rootSeen) fatal('no root element', 0);
  }
  return result;
}

function parseDeclaration(inner: string, lines: LineIndex, offset: number): XmlDeclaration | string {
  // XML 1.0 §2.8: version, then encoding, then standalone, in that order.
  const m = /^\s+version\s*=\s*(["'])([^"']*)\1(?:\s+encoding\s*=\s*(["'])([^"']*)\3)?(?:\s+standalone\s*=\s*(["'])([^"']*)\5)?\s*$/.exec(inner);
  if (!m) return 'malformed XML declaration: expected <?xml version="1.0" encoding="…"?>';
  const [, , version, , encoding, , standalone] = m;
  if (!/^1\.[0-9]+$/.test(version as string)) return `XML declaration has version "${version}", expected "1.0"`;
  if (encoding !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) return `"${encoding}" is not an encoding name`;
  if (standalone !== undefined && standalone !== 'yes' && standalone !== 'no') return `standalone must be "yes" or "no", not "${standalone}"`;
  const decl: XmlDeclaration = { ...lines.at(offset), version: version as string };
  if (encoding !== undefined) decl.encoding = encoding;
  if (standalone !== undefined) decl.standalone = standalone;
  return decl;
}

// ---------------------------------------------------------------------------------------------
// 3. Tree

/** Decodes the five XML entities and numeric references; anything else stays as written (already reported). */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (whole, hx?: string, dec?: string, name?: string) => {
    if (name !== undefined) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name as 'amp'];
    const cp = parseInt((hx ?? dec) as string, hx !== undefined ? 16 : 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/**
 * The namespaces the rules ask for, as the very strings they compare with: an element's `ns`
 * is then the same string, and the rules' many `el.ns === NS.atom` tests are settled without
 * reading the URI (children() was ~8 % of validating an archive page).
 */
const KNOWN_NS: ReadonlyMap<string, string> = new Map(Object.values(NS).map((uri) => [uri, uri]));

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, string> };
type Tree = { root: XmlElement; undeclared: XmlDoc['undeclaredPrefixes']; namespaceErrors: Located[] };
type Located = { message: string; line: number; column: number };

/** An attribute value as written is its value: no reference to decode, no white space to normalise (XML 1.0 §3.3.3). */
const PLAIN_VALUE = /^[^&\t\n\r]*$/;

/** XML 1.0 §2.11: a parser reads CR LF and a lone CR as LF (a reference such as &#13; is decoded after, and stays). */
const lineEnds = (raw: string): string => (raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);

/**
 * Makes elements with resolved namespaces, in whatever order a parser meets them; an undeclared
 * prefix is reported once, where it is first met.
 */
class Elements {
  readonly undeclared: XmlDoc['undeclaredPrefixes'] = [];
  /** What Namespaces in XML 1.0 forbids besides undeclared prefixes: fatal to namespace-aware parsers such as libxml2's. */
  readonly namespaceErrors: Located[] = [];
  private readonly reported = new Set<string>();
  static readonly rootScope: ReadonlyMap<string, string> = new Map([['xml', NS.xml], ['xmlns', XMLNS]]);

  private resolve(prefix: string, scope: ReadonlyMap<string, string>, at: { line: number; column: number }): string {
    const uri = scope.get(prefix);
    if (uri !== undefined) return uri;
    if (prefix !== '' && !this.reported.has(prefix)) {
      this.reported.add(prefix);
      this.undeclared.push({ prefix, ...at });
    }
    return '';
  }

  private namespaceError(message: string, at: { line: number; column: number }): void {
    // As for the scan's problems: a hostile file must not make millions of them.
    if (this.namespaceErrors.length < MAX_PROBLEMS_PER_KIND) this.namespaceErrors.push({ message, ...at });
  }

  private checkDeclaration(prefix: string, uri: string, at: { line: number; column: number }): void {
    let problem: string | undefined;
    if (uri === '') problem = `xmlns:${prefix}="" undeclares a prefix, which only Namespaces in XML 1.1 allows (1.0 §3)`;
    else if (prefix === 'xmlns') problem = 'the prefix xmlns must not be declared (Namespaces in XML 1.0 §3)';
    else if (prefix === 'xml' && uri !== NS.xml) problem = `the prefix xml is bound to ${NS.xml} and no other namespace (Namespaces in XML 1.0 §3)`;
    else if (prefix !== 'xml' && (uri === NS.xml || uri === XMLNS)) problem = `xmlns:${prefix} binds a reserved namespace, ${uri} (Namespaces in XML 1.0 §3)`;
    if (problem) this.namespaceError(problem, at);
  }

  /** Two attributes of one element may not share a namespace and a local name, whatever their prefixes (Namespaces in XML 1.0 §6.3). */
  private checkExpandedNames(name: string, attrs: readonly XmlAttr[], at: { line: number; column: number }): void {
    // Most elements have at most one prefixed attribute and need no map: a 100k store's archive pages hold ~1M elements.
    let prefixed = 0;
    for (const a of attrs) if (a.ns !== '' && a.ns !== XMLNS) prefixed++;
    if (prefixed < 2) return;
    const seen = new Map<string, string>();
    for (const a of attrs) {
      if (a.ns === '' || a.ns === XMLNS) continue;
      const key = `${a.ns} ${a.local}`;
      const first = seen.get(key);
      if (first !== undefined) this.namespaceError(`element <${name}>: attributes ${first} and ${a.name} are both {${a.ns}}${a.local} (Namespaces in XML 1.0 §6.3)`, at);
      else seen.set(key, a.name);
    }
  }

  /** `rawAttrs`: names and values as written (entities not decoded). */
  make(name: string, rawAttrs: readonly (readonly [string, string])[], at: { line: number; column: number }, parent: XmlElement | undefined, parentScope: ReadonlyMap<string, string>): { el: XmlElement; scope: ReadonlyMap<string, string> } {
    let scope = parentScope;
    for (const [k, v] of rawAttrs) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        const uri = decodeEntities(v);
        const declared = k === 'xmlns' ? '' : k.slice(6);
        if (declared !== '') this.checkDeclaration(declared, uri, at);
        (scope as Map<string, string>).set(declared, KNOWN_NS.get(uri) ?? uri);
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon >= 0 ? name.slice(0, colon) : '';
    if (prefix === 'xmlns') this.namespaceError(`element <${name}>: the prefix xmlns is reserved for declarations (Namespaces in XML 1.0 §3)`, at);
    const attrs: XmlAttr[] = rawAttrs.map(([k, v]) => {
      const c = k.indexOf(':');
      const value = PLAIN_VALUE.test(v) ? v : decodeEntities(lineEnds(v).replace(/[\t\n]/g, ' '));
      if (k === 'xmlns') return { name: k, local: k, ns: XMLNS, value };
      if (c < 0) return { name: k, local: k, ns: '', value };
      const p = k.slice(0, c);
      return { name: k, local: k.slice(c + 1), ns: p === 'xmlns' ? XMLNS : this.resolve(p, scope, at), value };
    });
    if (attrs.length > 1) this.checkExpandedNames(name, attrs, at);
    const el: XmlElement = { name, local: colon >= 0 ? name.slice(colon + 1) : name, ns: this.resolve(prefix, scope, at), prefix, attrs, children: [], text: '', cdata: false, line: at.line, column: at.column };
    if (parent) {
      el.parent = parent;
      parent.children.push(el);
    }
    return { el, scope };
  }
}

/**
 * The tree of a well-formed document, built while `scan` reads it: the scan has every tag,
 * attribute and text segment in hand, so parsing the document a second time only to convert
 * that parser's tree cost about half of validating an archive page.
 */
class ScanTree {
  private readonly elements = new Elements();
  private readonly open: { el: XmlElement; scope: ReadonlyMap<string, string> }[] = [];
  root: XmlElement | undefined;
  constructor(private readonly lines: LineIndex) {}

  start(name: string, offset: number, rawAttrs: readonly (readonly [string, string])[], empty: boolean): void {
    const top = this.open[this.open.length - 1];
    const made = this.elements.make(name, rawAttrs, this.lines.at(offset), top?.el, top?.scope ?? Elements.rootScope);
    this.root ??= made.el;
    if (!empty) this.open.push(made);
  }
  end(): void {
    this.open.pop();
  }
  /** Character data of the open element: `raw` text has its references decoded, CDATA is taken as is. */
  text(raw: string, cdata: boolean): void {
    const el = this.open[this.open.length - 1]!.el;
    el.text += cdata ? lineEnds(raw) : decodeEntities(lineEnds(raw));
    if (cdata) el.cdata = true;
  }
  tree(): Tree | undefined {
    return this.root ? { root: this.root, undeclared: this.elements.undeclared, namespaceErrors: this.elements.namespaceErrors } : undefined;
  }
}

/**
 * The tree of a document the scan found malformed, from fast-xml-parser's lenient parser, so
 * that the rules can still say what they can about it.
 */
export function buildTree(text: string, lines: LineIndex): Tree | undefined {
  const parser = new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    allowBooleanAttributes: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
    commentPropName: '#comment',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    maxNestedTags: MAX_DEPTH + 1,
  });
  const nodes = parser.parse(text) as FxpNode[];
  const elements = new Elements();
  const make = (node: FxpNode, name: string, parent: XmlElement | undefined, scope: ReadonlyMap<string, string>): { el: XmlElement; scope: ReadonlyMap<string, string> } => {
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    return elements.make(name, Object.entries(node[':@'] ?? {}).map(([k, v]) => [k, String(v)] as const), lines.at(meta?.startIndex ?? 0), parent, scope);
  };

  const rootNode = nodes.find((n) => elementName(n) !== undefined);
  if (!rootNode) return undefined;
  const root = make(rootNode, elementName(rootNode) as string, undefined, Elements.rootScope);
  // Iterative walk: the parser already bounds depth, but rules and this builder stay stack-safe anyway.
  const work: { el: XmlElement; scope: ReadonlyMap<string, string>; kids: FxpNode[] }[] = [{ ...root, kids: childNodes(rootNode) }];
  while (work.length > 0) {
    const { el, scope, kids } = work.pop() as (typeof work)[number];
    const texts: string[] = [];
    const made: (typeof work)[number][] = [];
    for (const kid of kids) {
      if ('#text' in kid) texts.push(decodeEntities(String(kid['#text'])));
      else if ('#cdata' in kid) {
        el.cdata = true;
        for (const c of kid['#cdata'] as FxpNode[]) texts.push(String(c['#text'] ?? ''));
      } else {
        const name = elementName(kid);
        if (name === undefined) continue;
        made.push({ ...make(kid, name, el, scope), kids: childNodes(kid) });
      }
    }
    // Last child first on the stack: elements are made in document order.
    for (let k = made.length - 1; k >= 0; k--) work.push(made[k]!);
    el.text = texts.join('');
    // The parser's nodes for these children are no longer needed: let them go now rather than
    // when the whole tree is built (halves the peak on a 50 MB feed).
    kids.length = 0;
  }
  return { root: root.el, undeclared: elements.undeclared, namespaceErrors: elements.namespaceErrors };
}

function elementName(node: FxpNode): string | undefined {
  for (const k of Object.keys(node)) {
    if (k === ':@' || k.startsWith('#') || k.startsWith('?') || k.startsWith('!')) continue;
    return k;
  }
  return undefined;
}

function childNodes(node: FxpNode): FxpNode[] {
  const name = elementName(node);
  const value = name === undefined ? undefined : node[name];
  return Array.isArray(value) ? (value as FxpNode[]) : [];
}

// ---------------------------------------------------------------------------------------------

/** Parses XML bytes into the document model the RSS and Atom rules read. Never throws on input. */
export function parseXml(bytes: Uint8Array, file: string): XmlParse {
  if (bytes.byteLength > MAX_BYTES) {
    return { doc: undefined, problems: [{ kind: 'limit', message: `file is ${bytes.byteLength} bytes; kiosque validates feeds up to ${MAX_BYTES} bytes`, line: 1, column: 1 }] };
  }
  const decoded = decodeXml(bytes);
  const { text } = decoded;
  const lines = new LineIndex(text);
  const problems = new Problems(lines);
  for (const p of decoded.problems) problems.add('encoding', p.message, p.offset);

  const scanTree = new ScanTree(lines);
  const scanned = scan(text, problems, lines, scanTree);
  // Literal characters outside XML's Char production (references were checked by the scan).
  ILLEGAL.lastIndex = 0;
  for (let m = mayHoldIllegalXmlChars(text) ? ILLEGAL.exec(text) : null; m; m = ILLEGAL.exec(text)) {
    problems.add('illegal-char', `character ${hex(m[0].codePointAt(0) as number)} is not allowed in XML 1.0`, m.index);
    if (problems.list.length > 200) break;
  }
  let tree: Tree | undefined;
  if (!scanned.limited && !scanned.fatal) tree = scanTree.tree();
  else if (!scanned.limited) {
    // The scan has read the DOCTYPE; fast-xml-parser rejects valid subsets (a PI, a quote in a
    // comment), so it sees blanks of the same length instead: positions stay the same.
    const treeText = scanned.doctypeAt === undefined || scanned.doctype === undefined ? text
      : text.slice(0, scanned.doctypeAt) + scanned.doctype.replace(/[^\r\n]/g, ' ') + text.slice(scanned.doctypeAt + scanned.doctype.length);
    try {
      tree = buildTree(treeText, lines);
    } catch (err) {
      if (!problems.has('well-formed')) problems.add('well-formed', `not parseable as XML: ${(err as Error).message}`, 0);
    }
  }
  // Well-formedness under Namespaces in XML: readers with a namespace-aware parser stop there too.
  for (const e of tree?.namespaceErrors ?? []) problems.list.push({ kind: 'well-formed', ...e });
  const list = problems.list.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!tree) return { doc: undefined, problems: list };
  const doc: XmlDoc = { file, text, lines, hasBom: decoded.hasBom, root: tree.root, undeclaredPrefixes: tree.undeclared, problems: list };
  if (scanned.declaration) doc.declaration = scanned.declaration;
  if (scanned.doctype !== undefined) doc.doctype = scanned.doctype;
  return { doc, problems: list };
}
