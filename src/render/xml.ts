// XML 1.0 (Fifth Edition) writer shared by the RSS 2.0 and Atom 1.0 renderers.
/**
 * A tiny ordered element tree and its serializer. The renderers build (or correct) a tree and
 * this module owns every escaping decision, so the XML rules live in one place:
 * - characters outside the XML `Char` production are dropped (they are fatal even as `&#x8;`);
 * - text escapes `&`, `<`, `>` as `&#x26;`, `&#x3C;`, `&#x3E;` (RSS Profile §3.1: the form most
 *   readers decode right; equally valid XML, so Atom gets the same);
 * - HTML payloads go in CDATA with every `]]>` split, so the raw XML shows the HTML once
 *   (escaping it as text would put `&amp;amp;` in the file for an HTML `&amp;`);
 * - `\r` is written as `&#xD;` (a literal CR would be normalised away by the parser).
 * It also reads the XML that the `feed` package writes back into a tree (`parseXmlTree`).
 */
import { XMLParser } from 'fast-xml-parser';
import { stripIllegalXmlChars } from '../values/xml-chars.js';
import { utf8Of } from './utf8.js';

export type XmlNode = XmlElement | XmlText | XmlCdata;

export type XmlElement = {
  kind: 'element';
  name: string;
  /** Insertion order is output order. Undefined values are left out. */
  attrs: Record<string, string | undefined>;
  children: XmlNode[];
};
/** Character data, escaped on output. */
export type XmlText = { kind: 'text'; value: string };
/** Character data that is an HTML payload: written as CDATA. */
export type XmlCdata = { kind: 'cdata'; value: string };


export function el(name: string, attrs: Record<string, string | undefined> = {}, children: XmlNode[] = []): XmlElement {
  return { kind: 'element', name, attrs, children };
}

/** An element holding plain text. */
export function textEl(name: string, value: string, attrs: Record<string, string | undefined> = {}): XmlElement {
  return el(name, attrs, [{ kind: 'text', value }]);
}

/** An element holding an HTML string as character data. */
export function cdataEl(name: string, value: string, attrs: Record<string, string | undefined> = {}): XmlElement {
  return el(name, attrs, [{ kind: 'cdata', value }]);
}

export function childElements(parent: XmlElement, name?: string): XmlElement[] {
  return parent.children.filter((c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name));
}

/** The one child with this name; a missing one is a bug in the generator we wrap, hence the throw. */
export function onlyChild(parent: XmlElement, name: string): XmlElement {
  const found = childElements(parent, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${parent.name}>, found ${found.length}`);
  return found[0] as XmlElement;
}

export function setText(element: XmlElement, value: string): void {
  element.children = [{ kind: 'text', value }];
}

/** Inserts `nodes` right after the last child named `after` (or at the end when there is none). */
export function insertAfter(parent: XmlElement, after: string, nodes: XmlNode[]): void {
  let index = -1;
  parent.children.forEach((c, i) => {
    if (c.kind === 'element' && c.name === after) index = i;
  });
  if (index === -1) parent.children.push(...nodes);
  else parent.children.splice(index + 1, 0, ...nodes);
}

/** Text and attribute values that need no escaping, as most do, are written as they are. */
const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

function escapeText(value: string): string {
  const clean = stripIllegalXmlChars(value);
  if (!TEXT_SPECIAL.test(clean)) return clean;
  return clean
    .replace(/&/g, '&#x26;')
    .replace(/</g, '&#x3C;')
    .replace(/>/g, '&#x3E;')
    .replace(/\r/g, '&#xD;');
}

function escapeAttr(value: string): string {
  // Tabs and newlines in attributes are normalised to spaces by parsers unless written as references.
  const clean = stripIllegalXmlChars(value);
  if (!ATTR_SPECIAL.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

function writeCdata(value: string): string {
  const clean = stripIllegalXmlChars(value);
  // CDATA cannot carry a CR (line-end normalisation would turn it into LF): escape instead.
  if (clean.includes('\r')) return escapeText(clean);
  return `<![CDATA[${clean.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function writeAttrs(attrs: Record<string, string | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) out += ` ${name}="${escapeAttr(value)}"`;
  }
  return out;
}

const INDENT = '  ';

function writeElement(element: XmlElement, depth: number, out: string[]): void {
  const pad = INDENT.repeat(depth);
  const open = `${pad}<${element.name}${writeAttrs(element.attrs)}`;
  if (element.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  if (element.children.every((c) => c.kind !== 'element')) {
    // Character data stays on the tag's line: no whitespace may sneak into ids or dates.
    const body = element.children.map((c) => (c.kind === 'cdata' ? writeCdata(c.value) : escapeText(c.value))).join('');
    out.push(`${open}>${body}</${element.name}>`);
    return;
  }
  out.push(`${open}>`);
  for (const child of element.children) {
    if (child.kind === 'element') writeElement(child, depth + 1, out);
    // Mixed content is never produced by our renderers; text beside elements would be a bug.
    else throw new Error(`mixed content in <${element.name}>`);
  }
  out.push(`${pad}</${element.name}>`);
}

/**
 * A complete document: UTF-8 declaration, the browser stylesheet instruction when given
 * (href relative to the feed), the root element, and a final newline.
 */
export function serializeXml(root: XmlElement, options: XmlOptions = {}): string {
  return `${documentLines(root, options).join('\n')}\n`;
}

/** The same document's bytes (`Buffer.from(serializeXml(...))`), never holding its whole text (see utf8.ts). */
export function xmlBytes(root: XmlElement, options: XmlOptions = {}): Buffer {
  return utf8Of(documentLines(root, options), '\n');
}

export type XmlOptions = { stylesheet?: string };

function documentLines(root: XmlElement, options: XmlOptions): string[] {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (options.stylesheet !== undefined) out.push(`<?xml-stylesheet type="text/xsl" href="${escapeAttr(options.stylesheet)}"?>`);
  writeElement(root, 0, out);
  return out;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Decoded below in one pass: the parser leaves numeric references raw, and decoding them
  // after its own pass would turn a written `&amp;#38;` into `&`.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
});

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeReferences(raw: string): string {
  return raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return XML_ENTITIES[ref] ?? whole;
  });
}

function decodeAttrs(attrs: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs ?? {}).map(([name, value]) => [name, decodeReferences(String(value))]));
}

function toNodes(list: OrderedNode[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const item of list) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (name === undefined) continue;
    const content = item[name];
    if (name === '#text') {
      nodes.push({ kind: 'text', value: decodeReferences(String(content)) });
    } else if (name === '#cdata') {
      const parts = content as { '#text': string }[];
      nodes.push({ kind: 'cdata', value: parts.map((p) => p['#text']).join('') });
    } else {
      nodes.push(el(name, decodeAttrs(item[':@']), toNodes(content as OrderedNode[])));
    }
  }
  return nodes;
}

/** Reads an XML document (as written by the `feed` package) into a tree; the root element is returned. */
export function parseXmlTree(xml: string): XmlElement {
  const roots = toNodes(parser.parse(xml) as OrderedNode[]).filter((n): n is XmlElement => n.kind === 'element');
  if (roots.length !== 1) throw new Error(`expected one root element, found ${roots.length}`);
  return roots[0] as XmlElement;
}
