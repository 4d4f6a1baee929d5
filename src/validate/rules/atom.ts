// Atom 1.0: RFC 4287 (December 2005), with RFC 3339 dates and RFC 3987 IRIs; ids and levels from the kiosque Atom digest.
import { activeContent, linkValues } from '../html-tags.js';
import { defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, children, type XmlDoc, type XmlElement } from '../xml.js';
import {
  checkCdataEnd,
  checkDeclarationFirst,
  checkEncoding,
  checkEntities,
  checkEntityDeclarations,
  checkHasDeclaration,
  checkLegalChars,
  checkPrefixesDeclared,
  checkUtf8Declared,
  checkWellFormed,
} from './xml-doc.js';
import { atomDateMillis, checkAtomDate, hasWhitespace, isBase64 } from './atom-values.js';
import { absoluteIriProblem, isIriReference, normalizationProblems, parseIriReference } from '../../values/uri.js';
import { isAddrSpec } from '../../values/email.js';
import { isRfc3066Tag as isLanguageTag, unknownLanguage } from '../../values/language.js';
import { isCompositeMime, isTextMime, isXmlMime, mimeEssence, isMimeType as isMimeTypeStrict } from '../../values/mime.js';

/** Atom's attributes may carry whitespace around a media type. */
const isMimeType = (value: string): boolean => isMimeTypeStrict(value.trim());

const A = NS.atom;
const XHTML = NS.xhtml;
/** Vocabularies XHTML itself embeds; other namespaces inside xhtml content are not XHTML. */
const XHTML_EMBEDS = new Set([XHTML, 'http://www.w3.org/2000/svg', 'http://www.w3.org/1998/Math/MathML']);
const ATOM03 = 'http://purl.org/atom/ns#';

type Params = Record<string, string | number>;


const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const str = (p: Params, key: string): string => String(p[key] ?? '');

// ---------------------------------------------------------------------------------------------
// Document navigation. Every rule reads the same few places, matched on namespace + local name.

type ContainerKind = 'feed' | 'entry' | 'source';
type Container = { el: XmlElement; kind: ContainerKind };

const isAtomEl = (el: XmlElement, local?: string): boolean => el.ns === A && (local === undefined || el.local === local);
const atomKids = (el: XmlElement, local: string): XmlElement[] => children(el, local, A);
const first = (el: XmlElement, local: string): XmlElement | undefined => atomKids(el, local)[0];

function feedOf(doc: XmlDoc): XmlElement | undefined {
  return isAtomEl(doc.root, 'feed') ? doc.root : undefined;
}
/** The root of an Atom Entry Document (RFC 4287 §2): one entry on its own, no feed around it. */
function entryDocOf(doc: XmlDoc): XmlElement | undefined {
  return isAtomEl(doc.root, 'entry') ? doc.root : undefined;
}
function entriesOf(doc: XmlDoc): XmlElement[] {
  const feed = feedOf(doc);
  if (feed) return atomKids(feed, 'entry');
  const entry = entryDocOf(doc);
  return entry ? [entry] : [];
}
/** Read by most rules, so made once per document (a 100-entry archive page is checked by ~100 rules). */
const containerCache = new WeakMap<XmlDoc, readonly Container[]>();
function containersOf(doc: XmlDoc): readonly Container[] {
  let out = containerCache.get(doc);
  if (out) return out;
  const feed = feedOf(doc);
  const made: Container[] = feed ? [{ el: feed, kind: 'feed' }] : [];
  for (const entry of entriesOf(doc)) {
    made.push({ el: entry, kind: 'entry' });
    for (const source of atomKids(entry, 'source')) made.push({ el: source, kind: 'source' });
  }
  containerCache.set(doc, (out = made));
  return out;
}
/** `feed`, `entry`, `entry/source`: how messages name where an element sits. */
const where = (c: Container): string => (c.kind === 'source' ? 'entry/source' : c.kind);

type Kid = { el: XmlElement; c: Container };
/** Each query listed once per document: links alone are read by six rules, over every entry of a page. */
const kidCache = new WeakMap<XmlDoc, Map<string, readonly Kid[]>>();
function cachedKids(doc: XmlDoc, key: string, make: () => Kid[]): readonly Kid[] {
  let byQuery = kidCache.get(doc);
  if (!byQuery) kidCache.set(doc, (byQuery = new Map()));
  let out = byQuery.get(key);
  if (!out) byQuery.set(key, (out = make()));
  return out;
}

/** Atom children named `locals` of the containers of `kinds`, in document order. */
function kidsOf(doc: XmlDoc, locals: readonly string[], kinds: readonly ContainerKind[] = ['feed', 'entry', 'source']): readonly Kid[] {
  return cachedKids(doc, `${locals.join(' ')}/${kinds.join(' ')}`, () => {
    const made: Kid[] = [];
    for (const c of containersOf(doc)) {
      if (!kinds.includes(c.kind)) continue;
      for (const el of c.el.children) if (el.ns === A && locals.includes(el.local)) made.push({ el, c });
    }
    return made;
  });
}

function* descendants(el: XmlElement): Generator<XmlElement> {
  for (const child of el.children) {
    yield child;
    yield* descendants(child);
  }
}
const elementCache = new WeakMap<XmlDoc, readonly XmlElement[]>();
/** Every element in document order, listed once per document (iteratively: deep documents cannot overflow the stack). */
function allElements(doc: XmlDoc): readonly XmlElement[] {
  let out = elementCache.get(doc);
  if (out) return out;
  const made: XmlElement[] = [];
  const stack: XmlElement[] = [doc.root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    made.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  elementCache.set(doc, (out = made));
  return out;
}
const deepText = (el: XmlElement): string => el.text + el.children.map(deepText).join('');

/** Whether `text` holds more than `limit` characters that are not white space (as `\s` means it), counting no further. */
function moreThanNonSpace(text: string, limit: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
    if (!space && ++n > limit) return true;
  }
  return false;
}

const TEXT_CONSTRUCTS: Record<ContainerKind, readonly string[]> = {
  feed: ['title', 'subtitle', 'rights'],
  entry: ['title', 'rights', 'summary'],
  source: ['title', 'subtitle', 'rights'],
};
function textConstructs(doc: XmlDoc): readonly Kid[] {
  return cachedKids(doc, 'text constructs', () => {
    const made: Kid[] = [];
    for (const c of containersOf(doc)) for (const el of c.el.children) if (el.ns === A && TEXT_CONSTRUCTS[c.kind].includes(el.local)) made.push({ el, c });
    return made;
  });
}
const persons = (doc: XmlDoc) => kidsOf(doc, ['author', 'contributor']);
const links = (doc: XmlDoc) => kidsOf(doc, ['link']);
function* dateConstructs(doc: XmlDoc) {
  for (const c of containersOf(doc)) {
    for (const el of atomKids(c.el, 'updated')) yield { el, c };
    if (c.kind === 'entry') for (const el of atomKids(c.el, 'published')) yield { el, c };
  }
}

const ALTERNATE_IRI = 'http://www.iana.org/assignments/relation/alternate';
/** A missing rel means alternate (§4.2.7.2); the IANA IRI form is the same relation. */
function relOf(link: XmlElement): string {
  const rel = attr(link, 'rel');
  if (rel === undefined || rel === ALTERNATE_IRI) return 'alternate';
  return rel.startsWith('http://www.iana.org/assignments/relation/') ? rel.slice('http://www.iana.org/assignments/relation/'.length) : rel;
}
const isAlternate = (link: XmlElement): boolean => relOf(link) === 'alternate';

function hasXmlBase(el: XmlElement | undefined): boolean {
  for (let e = el; e; e = e.parent) if (attr(e, 'base', NS.xml) !== undefined) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Element vocabularies (§4.1, §4.2, §3.2), used to spot undefined or misplaced Atom elements.

const FEED_METADATA = ['author', 'category', 'contributor', 'generator', 'icon', 'id', 'link', 'logo', 'rights', 'subtitle', 'title', 'updated'];
const ALLOWED: Record<string, readonly string[]> = {
  feed: [...FEED_METADATA, 'entry'],
  entry: ['author', 'category', 'content', 'contributor', 'id', 'link', 'published', 'rights', 'source', 'summary', 'title', 'updated'],
  source: FEED_METADATA,
  author: ['name', 'uri', 'email'],
  contributor: ['name', 'uri', 'email'],
};
// Elements whose content model has no room for Atom children (text constructs are checked by their own rules).
const SIMPLE = ['id', 'icon', 'logo', 'updated', 'published', 'name', 'uri', 'email', 'generator', 'link', 'category'];

// IANA link relations (https://www.iana.org/assignments/link-relations/), the ones feeds meet.
const IANA_RELS = new Set([
  'about', 'alternate', 'appendix', 'archives', 'author', 'bookmark', 'canonical', 'chapter', 'collection', 'contents',
  'copyright', 'current', 'describedby', 'describes', 'duplicate', 'edit', 'edit-media', 'enclosure', 'first', 'glossary',
  'help', 'hub', 'icon', 'index', 'item', 'last', 'latest-version', 'license', 'licence', 'lrdd', 'memento', 'monitor',
  'next', 'next-archive', 'nofollow', 'noreferrer', 'original', 'payment', 'predecessor-version', 'prev', 'prev-archive',
  'previous', 'privacy-policy', 'related', 'replies', 'search', 'section', 'self', 'service', 'shortlink', 'start',
  'stylesheet', 'subsection', 'successor-version', 'tag', 'terms-of-service', 'timegate', 'timemap', 'type', 'up',
  'version-history', 'via', 'webmention', 'working-copy', 'working-copy-of', 'current',
]);
// RFC 3987 isegment-nz-nc: a relation name without ':' or '/'.
const SEGMENT_NZ_NC = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]|%[0-9A-Fa-f]{2})+$/u;

// ---------------------------------------------------------------------------------------------
// Document level (ATOM-DOC)

const docRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-001',
    level: 'error',
    spec: 'RFC 4287 §2; XML 1.0 §2.1, §4.1',
    title: 'The document is well-formed XML 1.0',
    message: (p) => `not well-formed XML: ${str(p, 'detail')}`,
    check: function* (doc) {
      yield* checkWellFormed(doc);
      yield* checkEntities(doc);
      yield* checkCdataEnd(doc);
    },
    why: 'A reader\'s XML parser stops at the first well-formedness error: the whole feed is unreadable, not just one entry.',
    fix: 'Generate the XML with a serializer; escape `&` and `<` in text and attributes; use only the five XML entities.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-002',
    level: 'error',
    spec: 'XML 1.0 §2.8, §4.3.3',
    title: 'The XML declaration comes first and the bytes match the declared encoding',
    message: (p) => `${str(p, 'detail')}`,
    check: function* (doc) {
      yield* checkDeclarationFirst(doc);
      yield* checkEncoding(doc);
    },
    why: 'A misplaced declaration or a wrong encoding makes parsers fail or turns accents into mojibake.',
    fix: 'Put `<?xml …?>` first and declare the encoding the bytes really use (UTF-8 is best).',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-013',
    level: 'warning',
    spec: 'XML 1.0 §4.1, §4.2',
    title: 'No entities are declared in a DOCTYPE',
    message: (p) => str(p, 'detail'),
    check: checkEntityDeclarations,
    why: 'XML 1.0 makes entities declared in the DOCTYPE\'s internal subset well-formed, and feedparser expands them; but expansion is how "billion laughs" attacks work, so kiosque and hardened readers do not expand them, and show `&name;` or refuse the feed.',
    fix: 'Write the characters themselves (UTF-8) or numeric references such as `&#160;`, and drop the DOCTYPE.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-003',
    level: 'info',
    spec: 'XML 1.0 §2.8',
    title: 'Start with an XML declaration naming UTF-8',
    message: (p) => `start the document with <?xml version="1.0" encoding="utf-8"?> (${p['encoding'] === undefined ? 'there is no XML declaration' : `declared encoding: ${str(p, 'encoding')}`})`,
    check: function* (doc) {
      const missing = [...checkHasDeclaration(doc)];
      if (missing.length > 0) yield* missing;
      else yield* checkUtf8Declared(doc);
    },
    why: 'Without a declaration readers guess the encoding; UTF-8 is the one every reader handles.',
    fix: 'Start with `<?xml version="1.0" encoding="utf-8"?>` and encode the file as UTF-8.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-004',
    level: 'error',
    spec: 'XML 1.0 §2.2, §4.1',
    title: 'Only characters allowed by XML 1.0',
    message: (p) => `${str(p, 'detail')}`,
    check: (doc) => checkLegalChars(doc),
    why: 'Control characters (often pasted from Word or PDFs) are fatal to XML parsers.',
    fix: 'Strip C0 controls other than tab, newline and carriage return before serialising.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-005',
    level: 'error',
    spec: 'RFC 4287 §2, §4.1.1',
    title: 'The root element is atom:feed (or atom:entry, an Entry Document) in the http://www.w3.org/2005/Atom namespace',
    message: (p) => `root element ${str(p, 'element')} is not an Atom 1.0 feed: ${str(p, 'reason')}`,
    check: function* (doc) {
      const root = doc.root;
      if (isAtomEl(root, 'feed') || isAtomEl(root, 'entry')) return;
      let reason: string;
      if (root.ns === ATOM03) reason = 'http://purl.org/atom/ns# is the obsolete Atom 0.3 namespace, use http://www.w3.org/2005/Atom';
      else if (root.ns === A) reason = `expected feed or entry, found ${root.local}`;
      else if (root.ns === '') reason = 'it has no namespace; add xmlns="http://www.w3.org/2005/Atom"';
      else reason = `its namespace is ${root.ns}, expected exactly http://www.w3.org/2005/Atom`;
      yield at(root, { element: root.name, reason });
    },
    why: 'Readers recognise Atom 1.0 by its root element and exact namespace; anything else is another format or none.',
    fix: 'Use `<feed xmlns="http://www.w3.org/2005/Atom">` (or `<entry>` for an Entry Document).',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-006',
    level: 'info',
    spec: 'FV AvoidNamespacePrefix',
    title: 'Declare Atom as the default namespace',
    message: (p) => `the Atom namespace is bound to the prefix ${str(p, 'prefix')}:; some readers only understand unprefixed Atom`,
    check: function* (doc) {
      const root = feedOf(doc) ?? entryDocOf(doc);
      if (root && root.prefix) yield at(root, { prefix: root.prefix });
    },
    why: 'Some readers look for unprefixed Atom elements and miss prefixed ones.',
    fix: 'Declare `xmlns="http://www.w3.org/2005/Atom"` on the root and write the elements without a prefix.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-007',
    level: 'error',
    spec: 'Namespaces in XML §5',
    title: 'Every namespace prefix used is declared',
    message: (p) => `prefix ${str(p, 'prefix')}: is used but never declared with xmlns:${str(p, 'prefix')}`,
    check: (doc) => checkPrefixesDeclared(doc),
    why: 'Namespace-aware parsers reject undeclared prefixes.',
    fix: 'Declare each prefix on the root, e.g. `xmlns:dc="http://purl.org/dc/elements/1.1/"`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-008',
    level: 'error',
    spec: 'RFC 4287 §3',
    title: 'Dates, ids, icon, logo and uri contain no whitespace',
    message: (p) => `${str(p, 'element')} contains whitespace (${str(p, 'value')}); write the value with no spaces or newlines${str(p, 'inside') ? '' : ' around it'}`,
    check: function* (doc) {
      const check = (el: XmlElement, name: string) =>
        hasWhitespace(el.text) && el.children.length === 0 ? [at(el, { element: name, value: JSON.stringify(el.text), ...(/\S\s+\S/.test(el.text) ? { inside: 'yes' } : {}) })] : [];
      for (const c of containersOf(doc)) {
        for (const local of ['id', 'icon', 'logo', 'updated', 'published']) {
          for (const el of atomKids(c.el, local)) yield* check(el, `${where(c)}/${local}`);
        }
        for (const person of [...atomKids(c.el, 'author'), ...atomKids(c.el, 'contributor')]) {
          for (const el of atomKids(person, 'uri')) yield* check(el, `${person.local}/uri`);
        }
      }
    },
    why: 'Ids and dates are compared and parsed as exact strings; surrounding whitespace makes them differ or fail.',
    fix: 'Write the value with nothing around it: `<id>tag:example.org,2024:1</id>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-009',
    level: 'error',
    spec: 'RFC 4287 §4.1.1',
    title: 'Feed metadata comes before the first entry',
    message: (p) => `feed metadata ${str(p, 'element')} appears after an entry; move it above the first entry`,
    check: function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      let afterEntry = false;
      for (const el of feed.children) {
        if (isAtomEl(el, 'entry')) afterEntry = true;
        else if (afterEntry && el.ns === A && FEED_METADATA.includes(el.local)) yield at(el, { element: el.local });
      }
    },
    why: 'Streaming readers may miss feed metadata that follows the entries.',
    fix: 'Emit all feed-level elements first, then the entries.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-014',
    level: 'warning',
    spec: 'XML 1.0 §2.12; RFC 5646 §2.2.1',
    title: 'xml:lang names a language: its primary subtag is an ISO 639 code',
    message: (p) => `xml:lang="${str(p, 'value')}" on ${str(p, 'element')} names no language: "${str(p, 'primary')}" is no ISO 639 code (e.g. en, fr, pt-BR)`,
    check: function* (doc) {
      for (const el of allElements(doc)) {
        const lang = attr(el, 'lang', NS.xml);
        const primary = lang === undefined ? undefined : unknownLanguage(lang);
        if (primary) yield at(el, { value: lang!, element: el.name, primary });
      }
    },
    why: 'A well-formed tag of no language (`fe`, `english`) is as good as none: readers pick fonts, hyphenation and voices by it.',
    fix: 'Write the ISO 639 code of the language (`en`, not `english`), with a region where it matters (`pt-BR`).',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-010',
    level: 'error',
    spec: 'RFC 4287 §2',
    title: 'xml:lang is a language tag and xml:base an IRI reference',
    message: (p) => `${str(p, 'attr')}="${str(p, 'value')}" on ${str(p, 'element')} is not ${str(p, 'expected')}`,
    check: function* (doc) {
      for (const el of allElements(doc)) {
        const lang = attr(el, 'lang', NS.xml);
        // An empty xml:lang is XML's way to say "no language" and is allowed.
        if (lang !== undefined && lang !== '' && !isLanguageTag(lang)) {
          yield at(el, { attr: 'xml:lang', value: lang, element: el.name, expected: 'a language tag such as en or fr-CA' });
        }
        const base = attr(el, 'base', NS.xml);
        if (base !== undefined && !isIriReference(base)) {
          yield at(el, { attr: 'xml:base', value: base, element: el.name, expected: 'an IRI reference' });
        }
      }
    },
    why: 'Readers use xml:lang for fonts, hyphenation and speech, and xml:base to resolve every relative link.',
    fix: 'Write a language tag such as `en` or `fr-CA`, and a valid IRI reference in xml:base.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-011',
    level: 'error',
    spec: 'RFC 4287 §6.2',
    title: 'No undefined or misplaced element in the Atom namespace',
    message: (p) => `atom:${str(p, 'element')} is not defined inside ${str(p, 'parent')} by RFC 4287; use your own namespace for extensions`,
    check: function* (doc) {
      const root = feedOf(doc) ?? entryDocOf(doc);
      if (!root) return;
      const visit = function* (parent: XmlElement, ctx: string): Generator<Finding> {
        const allowed = ALLOWED[ctx];
        for (const el of parent.children) {
          if (el.ns !== A) continue;
          if (allowed ? !allowed.includes(el.local) : SIMPLE.includes(ctx)) {
            yield at(el, { element: el.local, parent: parent.local });
            continue;
          }
          if (allowed) yield* visit(el, el.local);
        }
      };
      yield* visit(root, root.local);
    },
    why: 'Readers ignore Atom elements in the wrong place, so their data is lost.',
    fix: 'Move the element where RFC 4287 defines it, or put extensions in your own namespace.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-DOC-012',
    level: 'info',
    spec: 'RFC 4287 §4.1.1',
    title: 'Each entry id appears once per document',
    message: (p) => `entry id ${str(p, 'id')} is used again (first at line ${str(p, 'firstLine')}); give every entry its own id`,
    check: function* (doc) {
      const seen = new Map<string, XmlElement>();
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id');
        if (!id) continue;
        const value = id.text.trim();
        const prior = seen.get(value);
        if (prior) yield at(id, { id: value, firstLine: prior.line });
        else seen.set(value, id);
      }
    },
    why: 'Readers key entries by id: a repeated id hides one entry or merges two.',
    fix: 'Give every entry its own permanent id.',
  }),
];

// ---------------------------------------------------------------------------------------------
// Feed element (ATOM-F)

function* cardinality(doc: XmlDoc, kinds: readonly ContainerKind[], local: string, exactlyOne: boolean) {
  for (const c of containersOf(doc)) {
    if (!kinds.includes(c.kind)) continue;
    const found = atomKids(c.el, local);
    if (exactlyOne && found.length === 0) yield at(c.el, { parent: where(c), element: local, problem: 'is missing' });
    for (const extra of found.slice(1)) yield at(extra, { parent: where(c), element: local, problem: `appears ${found.length} times` });
  }
}
const countMessage = (p: Params) =>
  `${str(p, 'parent')}/${str(p, 'element')} ${str(p, 'problem')}; ${str(p, 'parent')} must have ${str(p, 'problem') === 'is missing' ? 'exactly one' : 'at most one'}`;

function* duplicateAlternates(container: XmlElement, name: string) {
  const seen = new Set<string>();
  for (const link of atomKids(container, 'link')) {
    if (!isAlternate(link)) continue;
    const type = attr(link, 'type');
    const hreflang = attr(link, 'hreflang');
    const key = `${type === undefined ? '\u0000' : mimeEssence(type)}|${hreflang === undefined ? '\u0000' : hreflang.toLowerCase()}`;
    if (seen.has(key)) yield at(link, { parent: name, type: type ?? '(none)', hreflang: hreflang ?? '(none)' });
    seen.add(key);
  }
}
const duplicateAlternateMessage = (p: Params) =>
  `${str(p, 'parent')} has two alternate links with type ${str(p, 'type')} and hreflang ${str(p, 'hreflang')}; give secondary links an explicit rel`;

function* idValues(doc: XmlDoc, kinds: readonly ContainerKind[]) {
  for (const c of containersOf(doc)) {
    if (!kinds.includes(c.kind)) continue;
    for (const el of atomKids(c.el, 'id')) yield { el, c, value: el.text.trim() };
  }
}

function* iriRefElements(doc: XmlDoc, locals: readonly string[]) {
  for (const { el, c } of kidsOf(doc, locals, ['feed', 'source'])) {
    const value = el.text.trim();
    // Empty content points nowhere useful; the W3C validator reports it too.
    if (value === '' || el.children.length > 0 || !isIriReference(value)) yield at(el, { element: `${where(c)}/${el.local}`, value });
  }
}

const feedRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'ATOM-F-001',
    level: 'error',
    spec: 'RFC 4287 §4.1.1',
    title: 'feed has exactly one id',
    message: countMessage,
    check: (doc) => cardinality(doc, ['feed'], 'id', true),
    why: 'Readers identify the feed by its id across moves and renames.',
    fix: 'Add one `<id>` holding a permanent IRI, e.g. `tag:example.org,2024:feed`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-002',
    level: 'error',
    spec: 'RFC 4287 §4.1.1',
    title: 'feed has exactly one title',
    message: countMessage,
    check: (doc) => cardinality(doc, ['feed'], 'title', true),
    why: 'Readers list the feed under its title.',
    fix: 'Add one `<title>` to `<feed>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-003',
    level: 'error',
    spec: 'RFC 4287 §4.1.1',
    title: 'feed has exactly one updated',
    message: countMessage,
    check: (doc) => cardinality(doc, ['feed'], 'updated', true),
    why: 'Readers and caches use it to tell whether anything changed.',
    fix: 'Add one `<updated>`: the time of the most recent significant change.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-004',
    level: 'error',
    spec: 'RFC 4287 §4.1.1',
    title: 'feed has an author unless every entry has its own',
    message: (p) => `feed has no author and ${str(p, 'reason')}; add a feed-level author`,
    check: function* (doc) {
      const feed = feedOf(doc);
      if (!feed || atomKids(feed, 'author').length > 0) return;
      const entries = atomKids(feed, 'entry');
      // With no entries at all there is nothing to carry an author, and readers show none (the W3C validator agrees).
      if (entries.length === 0) yield at(feed, { reason: 'no entry carries one' });
      const without = entries.filter((e) => atomKids(e, 'author').length === 0 && !atomKids(e, 'source').some((s) => atomKids(s, 'author').length > 0));
      if (without.length > 0) yield at(feed, { reason: `${without.length} entr${without.length === 1 ? 'y has' : 'ies have'} none of their own` });
    },
    why: 'Every entry must have an author somewhere; readers show it and attribute the content.',
    fix: 'Add a feed-level `<author><name>…</name></author>`, or one in every entry.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-005',
    level: 'error',
    spec: 'RFC 4287 §4.1.1, §4.2.11',
    title: 'feed (and source) have at most one generator, icon, logo, rights, subtitle',
    message: countMessage,
    check: function* (doc) {
      for (const local of ['generator', 'icon', 'logo', 'rights', 'subtitle']) yield* cardinality(doc, ['feed', 'source'], local, false);
      // source has the feed's metadata with the same "at most one" limits (schema atomSource).
      for (const local of ['id', 'title', 'updated']) yield* cardinality(doc, ['source'], local, false);
    },
    why: 'Readers take one of the copies, not necessarily the right one.',
    fix: 'Keep a single element of each kind.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-006',
    level: 'warning',
    spec: 'RFC 4287 §4.1.1',
    title: 'feed has a link rel="self"',
    message: () => 'feed has no <link rel="self" href="…"/> naming the URL it is served from',
    check: function* (doc) {
      const feed = feedOf(doc);
      if (feed && !atomKids(feed, 'link').some((l) => relOf(l) === 'self')) yield at(feed);
    },
    why: 'Readers follow moves and WebSub hubs use the self link as the topic.',
    fix: 'Add `<link rel="self" type="application/atom+xml" href="https://…/atom.xml"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-007',
    level: 'error',
    spec: 'RFC 4287 §4.1.1, §4.2.7.2',
    title: 'No two feed alternate links share type and hreflang',
    message: duplicateAlternateMessage,
    check: function* (doc) {
      const feed = feedOf(doc);
      if (feed) yield* duplicateAlternates(feed, 'feed');
    },
    why: 'Readers cannot tell which of two identical alternates is the real site link.',
    fix: 'Keep one alternate per type and language; give the others another rel.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-008',
    level: 'info',
    spec: 'reader expectation',
    title: 'feed links to its web site',
    message: () => 'feed has no <link rel="alternate" type="text/html"> to the web site',
    check: function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      const ok = atomKids(feed, 'link').some((l) => isAlternate(l) && mimeEssence(attr(l, 'type') ?? 'text/html') === 'text/html');
      if (!ok) yield at(feed);
    },
    why: 'Readers link the feed name to the web site.',
    fix: 'Add `<link rel="alternate" type="text/html" href="https://example.org/"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-009',
    level: 'error',
    spec: 'RFC 4287 §4.2.6',
    title: 'feed/id (and source/id) is an absolute IRI',
    message: (p) => `${str(p, 'element')} "${str(p, 'value')}" is not an absolute IRI: ${str(p, 'reason')}`,
    check: function* (doc) {
      for (const { el, c, value } of idValues(doc, ['feed', 'source'])) {
        const reason = el.children.length > 0 ? 'it contains child elements' : absoluteIriProblem(value);
        if (reason) yield at(el, { element: `${where(c)}/id`, value, reason });
      }
    },
    why: 'A relative or malformed id cannot identify the feed everywhere.',
    fix: 'Use an absolute IRI such as `tag:example.org,2024:feed` or `urn:uuid:…`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-011',
    level: 'warning',
    spec: 'RFC 4287 §4.2.6',
    title: 'Ids are written in normalized form',
    message: (p) => `id "${str(p, 'value')}" is not normalized: ${str(p, 'reason')}`,
    check: function* (doc) {
      for (const { el, value } of idValues(doc, ['feed', 'entry', 'source'])) {
        if (absoluteIriProblem(value)) continue;
        const problems = normalizationProblems(value);
        if (problems.length > 0) yield at(el, { value, reason: problems.join(', ') });
      }
    },
    why: 'Readers compare ids character by character: two spellings of one IRI make two feeds or entries.',
    fix: 'Write ids in normalized form: lowercase scheme and host, no default port, uppercase percent-encoding.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-012',
    level: 'error',
    spec: 'RFC 4287 §4.2.15, §3.3',
    title: 'feed/updated is a valid Date construct',
    message: (p) => `feed/updated "${str(p, 'value')}" is not an RFC 3339 date-time: ${str(p, 'reason')}`,
    check: function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      for (const el of atomKids(feed, 'updated')) {
        const problem = checkAtomDate(el.text.trim());
        if (problem) yield at(el, { value: el.text.trim(), reason: problem.reason });
      }
    },
    why: 'Readers cannot tell when the feed changed if the date does not parse.',
    fix: 'Write an RFC 3339 date-time such as `2024-01-02T10:00:00Z`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-013',
    level: 'info',
    spec: 'RFC 4287 §4.2.15',
    title: 'feed/updated is not older than the newest entry',
    message: (p) => `feed/updated ${str(p, 'feed')} is earlier than the newest entry/updated ${str(p, 'entry')}`,
    check: function* (doc) {
      const feed = feedOf(doc);
      const updated = feed ? first(feed, 'updated') : undefined;
      const feedTime = updated ? atomDateMillis(updated.text.trim()) : undefined;
      if (!updated || feedTime === undefined) return;
      let newest: { t: number; v: string } | undefined;
      for (const entry of entriesOf(doc)) {
        const u = first(entry, 'updated');
        const t = u ? atomDateMillis(u.text.trim()) : undefined;
        if (u && t !== undefined && (!newest || t > newest.t)) newest = { t, v: u.text.trim() };
      }
      if (newest && newest.t > feedTime) yield at(updated, { feed: updated.text.trim(), entry: newest.v });
    },
    why: 'Readers that trust feed/updated may skip the new entries.',
    fix: 'Set feed/updated to at least the newest entry\'s updated.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-014',
    level: 'error',
    spec: 'RFC 4287 §4.2.5, §4.2.8',
    title: 'icon and logo contain an IRI reference',
    message: (p) => `${str(p, 'element')} "${str(p, 'value')}" is not an IRI reference`,
    check: (doc) => iriRefElements(doc, ['icon', 'logo']),
    why: 'Readers fetch the icon and logo from these; a malformed reference shows no image.',
    fix: 'Write the image URL, absolute or relative to xml:base.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-F-016',
    level: 'error',
    spec: 'RFC 4287 §4.2.4',
    title: 'generator is plain text; its uri is an IRI reference',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of kidsOf(doc, ['generator'], ['feed', 'source'])) {
        if (el.children.length > 0) yield at(el, { element: `${where(c)}/generator`, problem: 'must be plain text, with no child elements' });
        const uri = attr(el, 'uri');
        if (uri !== undefined && !isIriReference(uri)) yield at(el, { element: `${where(c)}/generator`, problem: `uri "${uri}" is not an IRI reference` });
      }
    },
    why: 'Readers show the generator as plain text and link to its uri.',
    fix: 'Write `<generator uri="https://…" version="1.0">Name</generator>` with no markup inside.',
  }),
];

// ---------------------------------------------------------------------------------------------
// Entry element (ATOM-E)

function contentKind(content: XmlElement): 'text' | 'html' | 'xhtml' | 'xml' | 'textmime' | 'base64' | 'invalid' {
  const type = attr(content, 'type');
  if (type === undefined || type === 'text') return 'text';
  if (type === 'html' || type === 'xhtml') return type;
  if (!isMimeType(type) || isCompositeMime(type)) return 'invalid';
  if (isXmlMime(type)) return 'xml';
  if (isTextMime(type)) return 'textmime';
  return 'base64';
}

const entryRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'ATOM-E-001',
    level: 'error',
    spec: 'RFC 4287 §4.1.2, §4.2.6',
    title: 'entry has exactly one id, an absolute IRI',
    message: (p) => `entry/id ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const ids = atomKids(entry, 'id');
        if (ids.length === 0) yield at(entry, { problem: 'is missing; every entry needs exactly one' });
        for (const extra of ids.slice(1)) yield at(extra, { problem: `appears ${ids.length} times; an entry has exactly one` });
        const id = ids[0];
        if (!id) continue;
        const value = id.text.trim();
        const reason = id.children.length > 0 ? 'it contains child elements' : absoluteIriProblem(value);
        if (reason) yield at(id, { problem: `"${value}" is not an absolute IRI: ${reason}` });
      }
    },
    why: 'Readers key entries by id: without one, or with a malformed one, they cannot tell new from seen.',
    fix: 'Give each entry one permanent absolute IRI, e.g. `tag:example.org,2024:post-42`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-002',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'entry has exactly one title',
    message: countMessage,
    check: (doc) => cardinality(doc, ['entry'], 'title', true),
    why: 'Readers show the title in entry lists.',
    fix: 'Add one `<title>` to every entry.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-003',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'entry has exactly one updated',
    message: countMessage,
    check: (doc) => cardinality(doc, ['entry'], 'updated', true),
    why: 'Readers use it to order entries and to notice edits.',
    fix: 'Add one `<updated>` to every entry.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-004',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'entry has an author, or inherits one from its source or the feed',
    message: () => 'entry has no author, its source names none and the feed has none; add an author',
    check: function* (doc) {
      // An Entry Document has no feed to inherit from: the entry (or its source) names the author.
      const feed = feedOf(doc);
      if (feed && atomKids(feed, 'author').length > 0) return;
      for (const entry of entriesOf(doc)) {
        if (atomKids(entry, 'author').length > 0) continue;
        if (atomKids(entry, 'source').some((s) => atomKids(s, 'author').length > 0)) continue;
        yield at(entry);
      }
    },
    why: 'Readers attribute every entry; an entry without an author anywhere is invalid.',
    fix: 'Add `<author><name>…</name></author>` to the entry or the feed.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-005',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'entry has at most one content, published, rights, source, summary',
    message: countMessage,
    check: function* (doc) {
      for (const local of ['content', 'published', 'rights', 'source', 'summary']) yield* cardinality(doc, ['entry'], local, false);
    },
    why: 'Readers take one of the copies, not necessarily the right one.',
    fix: 'Keep a single content, published, rights, source and summary per entry.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-006',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'entry without content has an alternate link',
    message: () => 'entry has no content and no alternate link; add <content> or <link rel="alternate" href="…"/>',
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        if (atomKids(entry, 'content').length === 0 && !atomKids(entry, 'link').some(isAlternate)) yield at(entry);
      }
    },
    why: 'Without content or a link readers have nothing to show or open.',
    fix: 'Add `<content>` or `<link rel="alternate" href="…"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-007',
    level: 'error',
    spec: 'RFC 4287 §4.1.2',
    title: 'No two entry alternate links share type and hreflang',
    message: duplicateAlternateMessage,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) yield* duplicateAlternates(entry, 'entry');
    },
    why: 'Readers cannot tell which of two identical alternates is the permalink.',
    fix: 'Keep one alternate per type and language; give the others another rel.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-008',
    level: 'error',
    spec: 'RFC 4287 §4.1.2, §4.1.3.2',
    title: 'entry with out-of-line content (src) has a summary',
    message: () => 'entry content has a src attribute but the entry has no summary; add one',
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const content = first(entry, 'content');
        if (content && attr(content, 'src') !== undefined && atomKids(entry, 'summary').length === 0) yield at(content);
      }
    },
    why: 'Readers do not fetch out-of-line content; the summary is what they show.',
    fix: 'Add a `<summary>` to entries whose content has a src.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-009',
    level: 'error',
    spec: 'RFC 4287 §4.1.2, §4.1.3.3',
    title: 'entry with Base64 content has a summary',
    message: (p) => `entry content of type ${str(p, 'type')} is Base64 but the entry has no summary; add one`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const content = first(entry, 'content');
        if (!content || attr(content, 'src') !== undefined || contentKind(content) !== 'base64') continue;
        if (atomKids(entry, 'summary').length === 0) yield at(content, { type: attr(content, 'type') ?? '' });
      }
    },
    why: 'Readers cannot display Base64 media inline; the summary is what they show.',
    fix: 'Add a `<summary>` describing the media.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-011',
    level: 'warning',
    spec: 'RFC 4287 §4.1.1',
    title: 'Entries sharing an id have different updated values',
    message: (p) => `two entries share id ${str(p, 'id')} and updated ${str(p, 'updated')}; revisions of one entry must differ in updated`,
    check: function* (doc) {
      const seen = new Set<string>();
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id')?.text.trim();
        const updated = first(entry, 'updated')?.text.trim();
        if (id === undefined || updated === undefined) continue;
        const key = `${id}\u0000${updated}`;
        if (seen.has(key)) yield at(entry, { id, updated });
        seen.add(key);
      }
    },
    why: 'Readers cannot tell which of two revisions is newer.',
    fix: 'Give each revision its own updated time, or keep only the latest.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-012',
    level: 'warning',
    spec: 'RFC 4287 §3.3',
    title: 'Entries do not all carry the same updated timestamp',
    message: (p) => `all ${str(p, 'count')} entries have updated ${str(p, 'value')}; use each entry's own modification time`,
    check: function* (doc) {
      const entries = entriesOf(doc);
      const values = entries.map((e) => first(e, 'updated')?.text.trim());
      if (entries.length >= 2 && values[0] !== undefined && values.every((v) => v === values[0])) {
        yield at(first(entries[1] as XmlElement, 'updated') as XmlElement, { count: entries.length, value: values[0] });
      }
    },
    why: 'Identical timestamps (usually the build time) make every entry look changed at once.',
    fix: 'Set each entry\'s updated from its own last modification.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-014',
    level: 'error',
    spec: 'RFC 4287 §4.2.9',
    title: 'entry/published is a valid Date construct',
    message: (p) => `entry/published "${str(p, 'value')}" is not an RFC 3339 date-time: ${str(p, 'reason')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'published')) {
          const problem = checkAtomDate(el.text.trim());
          if (problem) yield at(el, { value: el.text.trim(), reason: problem.reason });
        }
      }
    },
    why: 'Readers show and sort by the publication date; an unparseable one is dropped.',
    fix: 'Write an RFC 3339 date-time such as `2024-01-02T10:00:00Z`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-015',
    level: 'info',
    spec: 'reader expectation',
    title: 'published is no later than updated',
    message: (p) => `entry/published ${str(p, 'published')} is later than entry/updated ${str(p, 'updated')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const p = first(entry, 'published');
        const u = first(entry, 'updated');
        const pt = p ? atomDateMillis(p.text.trim()) : undefined;
        const ut = u ? atomDateMillis(u.text.trim()) : undefined;
        if (p && u && pt !== undefined && ut !== undefined && pt > ut) yield at(p, { published: p.text.trim(), updated: u.text.trim() });
      }
    },
    why: 'A publication after the last update confuses readers\' ordering and "edited" marks.',
    fix: 'Make updated at least published.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-016',
    level: 'info',
    spec: 'RFC 4287 §4.1.1',
    title: 'title, content (or summary) are not empty',
    message: (p) => `entry/${str(p, 'element')} is empty; readers will show a blank ${str(p, 'element')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const blank = (el: XmlElement) => deepText(el).trim() === '' && el.children.length === 0;
        const title = first(entry, 'title');
        if (title && blank(title)) yield at(title, { element: 'title' });
        const content = first(entry, 'content');
        if (content && attr(content, 'src') === undefined && blank(content)) yield at(content, { element: 'content' });
        const summary = first(entry, 'summary');
        if (!content && summary && blank(summary)) yield at(summary, { element: 'summary' });
      }
    },
    why: 'Readers show a blank entry.',
    fix: 'Write the title and the content, or leave empty elements out.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-017',
    level: 'info',
    spec: 'RFC 4287 §4.2.13',
    title: 'summary does not just repeat title or content',
    message: (p) => `entry/summary repeats the entry ${str(p, 'other')}; leave it out or write a real summary`,
    check: function* (doc) {
      const norm = (text: string) => text.replace(/\s+/g, ' ').trim();
      for (const entry of entriesOf(doc)) {
        const summary = first(entry, 'summary');
        const s = summary ? norm(deepText(summary)) : '';
        if (!summary || s === '') continue;
        const title = first(entry, 'title');
        const content = first(entry, 'content');
        if (title && norm(deepText(title)) === s) yield at(summary, { other: 'title' });
        else if (content) {
          // A full article is not normalised for each entry when its characters other than white space alone outnumber the summary's.
          const text = deepText(content);
          if (!moreThanNonSpace(text, s.length) && norm(text) === s) yield at(summary, { other: 'content' });
        }
      }
    },
    why: 'A summary that repeats the title or content is shown twice.',
    fix: 'Write a real summary or leave it out.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-018',
    level: 'info',
    spec: 'reader expectation',
    title: 'entry has an HTML permalink',
    message: () => 'entry has no <link rel="alternate" type="text/html"> permalink',
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const ok = atomKids(entry, 'link').some((l) => isAlternate(l) && mimeEssence(attr(l, 'type') ?? 'text/html') === 'text/html');
        if (!ok) yield at(entry);
      }
    },
    why: 'Readers link each entry to its web page.',
    fix: 'Add `<link rel="alternate" type="text/html" href="…"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-019',
    level: 'warning',
    spec: 'RFC 4287 §4.2.11',
    title: 'source carries the original feed id, title and updated',
    message: (p) => `entry/source lacks ${str(p, 'missing')}; copy them from the original feed`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const source of atomKids(entry, 'source')) {
          const missing = ['id', 'title', 'updated'].filter((l) => atomKids(source, l).length === 0);
          if (missing.length > 0) yield at(source, { missing: missing.join(', ') });
        }
      }
    },
    why: 'Aggregators need the original feed\'s identity to credit and de-duplicate copied entries.',
    fix: 'Copy the original feed\'s id, title and updated into `<source>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-E-020',
    level: 'info',
    spec: 'RFC 4287 §4.2.6',
    title: 'Entry ids are minted once, not derived from the permalink',
    message: (p) => `entry/id equals its permalink ${str(p, 'href')}; the id will change if the URL does, mint a tag: or urn:uuid: id instead`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id');
        if (!id) continue;
        const value = id.text.trim();
        const link = atomKids(entry, 'link').find((l) => isAlternate(l) && attr(l, 'href') === value);
        if (link) yield at(id, { href: value });
      }
    },
    why: 'An id derived from the URL changes when the URL does, and readers then show the entry again.',
    fix: 'Mint the id once (`tag:` or `urn:uuid:`) and keep it when the URL changes.',
  }),
];

// ---------------------------------------------------------------------------------------------
// Constructs and shared elements (ATOM-C)

const HTML_WRAPPER = /<\s*(html|head|body)[\s>/]/i;
const ESCAPED_MARKUP = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>/;

/** Problems with a text construct's structure, shared by text constructs and text-like content. */
function* textStructure(el: XmlElement, type: string, name: string): Generator<{ id: 'C-002' | 'C-003' | 'C-005'; f: Finding }> {
  if (type === 'text' && el.children.length > 0) {
    yield { id: 'C-002', f: at(el.children[0] as XmlElement, { element: name, child: (el.children[0] as XmlElement).name }) };
  } else if (type === 'html' && el.children.length > 0) {
    yield { id: 'C-003', f: at(el.children[0] as XmlElement, { element: name, child: (el.children[0] as XmlElement).name }) };
  } else if (type === 'xhtml') {
    const div = el.children[0];
    let reason: string | undefined;
    if (el.children.length === 0) reason = 'it has no div child';
    else if (el.children.length > 1) reason = `it has ${el.children.length} child elements, expected one div`;
    else if (div && (div.local !== 'div' || div.ns !== XHTML)) {
      reason = div.local === 'div' ? `the div is in namespace ${div.ns || '(none)'}; add xmlns="${XHTML}"` : `its child is ${div.name}, not an XHTML div`;
    } else if (el.text.trim() !== '') reason = 'it has text outside the div';
    if (reason) yield { id: 'C-005', f: at(div ?? el, { element: name, reason }) };
  }
}

function* textConstructIssues(doc: XmlDoc, wanted: 'C-002' | 'C-003' | 'C-005') {
  for (const { el, c } of textConstructs(doc)) {
    const type = attr(el, 'type') ?? 'text';
    for (const { id, f } of textStructure(el, type, `${where(c)}/${el.local}`)) if (id === wanted) yield f;
  }
}

function* htmlStrings(doc: XmlDoc) {
  for (const { el, c } of textConstructs(doc)) if (attr(el, 'type') === 'html') yield { el, name: `${where(c)}/${el.local}` };
  for (const entry of entriesOf(doc)) {
    for (const el of atomKids(entry, 'content')) if (attr(el, 'type') === 'html' && attr(el, 'src') === undefined) yield { el, name: 'entry/content' };
  }
}
function* xhtmlDivs(doc: XmlDoc) {
  const divOf = (el: XmlElement) => (el.children.length === 1 && el.children[0]?.ns === XHTML && el.children[0].local === 'div' ? el.children[0] : undefined);
  for (const { el, c } of textConstructs(doc)) {
    const div = attr(el, 'type') === 'xhtml' ? divOf(el) : undefined;
    if (div) yield { el, div, name: `${where(c)}/${el.local}` };
  }
  for (const entry of entriesOf(doc)) {
    for (const el of atomKids(entry, 'content')) {
      const div = attr(el, 'type') === 'xhtml' ? divOf(el) : undefined;
      if (div) yield { el, div, name: 'entry/content' };
    }
  }
}

const DATE_RULES = {
  'ATOM-C-020': { why: 'Readers that cannot parse a date drop it or use the fetch time.', fix: 'Write `YYYY-MM-DDTHH:MM:SS` with Z or an offset, e.g. `2024-01-02T10:00:00Z`.' },
  'ATOM-C-021': { why: 'Atom narrows RFC 3339 to an uppercase T and Z; some parsers reject the lowercase forms.', fix: 'Write `T` and `Z` in uppercase.' },
  'ATOM-C-022': { why: 'An impossible date is parsed differently by each reader, or rejected.', fix: 'Derive the date from a real instant; never assemble it from parts by hand.' },
} as const;

const constructRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'ATOM-C-001',
    level: 'error',
    spec: 'RFC 4287 §3.1.1',
    title: 'Text construct type is text, html or xhtml',
    message: (p) => `${str(p, 'element')} type="${str(p, 'type')}" is not allowed; use text, html or xhtml`,
    check: function* (doc) {
      for (const { el, c } of textConstructs(doc)) {
        const type = attr(el, 'type');
        if (type !== undefined && !['text', 'html', 'xhtml'].includes(type)) yield at(el, { element: `${where(c)}/${el.local}`, type });
      }
    },
    why: 'Readers decide how to display the text from its type; an unknown type is shown raw or dropped.',
    fix: 'Use `type="text"`, `"html"` or `"xhtml"`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-002',
    level: 'error',
    spec: 'RFC 4287 §3.1.1.1',
    title: 'Text constructs of type text have no child elements',
    message: (p) => `${str(p, 'element')} is type text but contains the element ${str(p, 'child')}; escape the markup and use type="html", or use type="xhtml"`,
    check: (doc) => textConstructIssues(doc, 'C-002'),
    why: 'Plain-text constructs carry no markup: readers drop the elements or show them raw.',
    fix: 'Escape the markup and use `type="html"`, or use `type="xhtml"`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-003',
    level: 'error',
    spec: 'RFC 4287 §3.1.1.2',
    title: 'Text constructs of type html hold escaped markup, not elements',
    message: (p) => `${str(p, 'element')} is type html but contains the raw element ${str(p, 'child')}; escape it (&lt;p&gt; or CDATA)`,
    check: (doc) => textConstructIssues(doc, 'C-003'),
    why: 'Readers read escaped HTML as a string; raw elements are dropped.',
    fix: 'Escape the HTML (`&lt;p&gt;`) or wrap it in CDATA.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-004',
    level: 'warning',
    spec: 'RFC 4287 §3.1.1.2',
    title: 'html text is a fragment, without html/head/body',
    message: (p) => `${str(p, 'element')} contains a <${str(p, 'tag')}> element; send only the fragment that belongs inside <body>`,
    check: function* (doc) {
      for (const { el, name } of htmlStrings(doc)) {
        const m = HTML_WRAPPER.exec(el.text);
        if (m) yield at(el, { element: name, tag: (m[1] ?? '').toLowerCase() });
      }
    },
    why: 'Readers insert the HTML into their own page; html/head/body wrappers break it.',
    fix: 'Send only the fragment that goes inside `<body>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-005',
    level: 'error',
    spec: 'RFC 4287 §3.1.1.3',
    title: 'xhtml text holds exactly one XHTML div',
    message: (p) => `${str(p, 'element')} is type xhtml but ${str(p, 'reason')}`,
    check: (doc) => textConstructIssues(doc, 'C-005'),
    why: 'Readers take the XHTML div\'s content; anything else is dropped.',
    fix: 'Wrap the content in exactly one `<div xmlns="http://www.w3.org/1999/xhtml">`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-006',
    level: 'warning',
    spec: 'RFC 4287 §3.1.1.3',
    title: 'xhtml content elements are in the XHTML namespace',
    message: (p) => `${str(p, 'element')} contains ${str(p, 'child')} in ${str(p, 'ns')}, not XHTML; ${str(p, 'fix')}`,
    check: function* (doc) {
      for (const { div, name } of xhtmlDivs(doc)) {
        for (const d of descendants(div)) {
          if (d.ns === A || d.ns === '') yield at(d, { element: name, child: d.name, ns: d.ns === A ? 'the Atom namespace' : 'no namespace', fix: `declare xmlns="${XHTML}" on the div` });
          else if (!XHTML_EMBEDS.has(d.ns)) yield at(d, { element: name, child: d.name, ns: d.ns, fix: 'readers drop elements XHTML does not define; move the data out of the content' });
        }
      }
    },
    why: 'Elements outside the XHTML namespace are not XHTML: readers drop them or show them as unknown tags.',
    fix: 'Declare `xmlns="http://www.w3.org/1999/xhtml"` on the div; keep other vocabularies than SVG and MathML out of the content.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-007',
    level: 'info',
    spec: 'FV NotInline',
    title: 'xhtml content has no entity-escaped markup',
    message: (p) => `${str(p, 'element')} is type xhtml but contains escaped markup (${str(p, 'sample')}) that will display literally; use type="html"`,
    check: function* (doc) {
      for (const { el, div, name } of xhtmlDivs(doc)) {
        const m = ESCAPED_MARKUP.exec(deepText(div));
        if (m) yield at(el, { element: name, sample: m[0].slice(0, 40) });
      }
    },
    why: 'Escaped markup in XHTML is displayed as literal tags.',
    fix: 'Use real XHTML elements, or `type="html"` with escaped HTML.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-010',
    level: 'error',
    spec: 'RFC 4287 §3.2.1',
    title: 'author and contributor have exactly one name',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of persons(doc)) {
        const names = atomKids(el, 'name');
        if (names.length === 0) yield at(el, { element: `${where(c)}/${el.local}`, problem: 'has no name; add <name>' });
        for (const extra of names.slice(1)) yield at(extra, { element: `${where(c)}/${el.local}`, problem: 'has more than one name' });
      }
    },
    why: 'Readers show the person\'s name; a person without one is invalid.',
    fix: 'Give each author and contributor exactly one `<name>`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-011',
    level: 'error',
    spec: 'RFC 4287 §3.2.2',
    title: 'A person has at most one uri, an IRI reference',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of persons(doc)) {
        const uris = atomKids(el, 'uri');
        for (const extra of uris.slice(1)) yield at(extra, { element: `${where(c)}/${el.local}`, problem: 'has more than one uri' });
        for (const uri of uris) {
          const value = uri.text.trim();
          if (value === '' || uri.children.length > 0 || !isIriReference(value)) {
            yield at(uri, { element: `${where(c)}/${el.local}`, problem: `uri "${value}" is not an IRI reference` });
          }
        }
      }
    },
    why: 'Readers link the name to this address; a second or malformed one is ambiguous.',
    fix: 'Keep one `<uri>` holding a valid IRI.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-012',
    level: 'error',
    spec: 'RFC 4287 §3.2.3',
    title: 'A person has at most one email, a bare addr-spec',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of persons(doc)) {
        const emails = atomKids(el, 'email');
        for (const extra of emails.slice(1)) yield at(extra, { element: `${where(c)}/${el.local}`, problem: 'has more than one email' });
        for (const email of emails) {
          const value = email.text.trim();
          if (email.children.length > 0 || !isAddrSpec(value)) {
            yield at(email, { element: `${where(c)}/${el.local}`, problem: `email "${value}" is not a bare address like name@example.org (no display name, no mailto:)` });
          }
        }
      }
    },
    why: 'Readers build mailto: links from it; a display name or mailto: prefix breaks them.',
    fix: 'Write one bare address such as `name@example.org`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-013',
    level: 'info',
    spec: 'reader expectation',
    title: "A person's name is not empty",
    message: (p) => `${str(p, 'element')} has an empty name`,
    check: function* (doc) {
      for (const { el, c } of persons(doc)) {
        const name = first(el, 'name');
        if (name && deepText(name).trim() === '') yield at(name, { element: `${where(c)}/${el.local}` });
      }
    },
    why: 'Readers show an empty byline.',
    fix: 'Write the person\'s name.',
  }),
  ...(['ATOM-C-020', 'ATOM-C-021', 'ATOM-C-022'] as const).map((id) =>
    defineRule<XmlDoc>({
      id,
      level: 'error',
      spec: id === 'ATOM-C-022' ? 'RFC 3339 §5.6–5.7' : 'RFC 4287 §3.3, RFC 3339 §5.6',
      title: {
        'ATOM-C-020': 'Dates match the RFC 3339 date-time production',
        'ATOM-C-021': 'Dates use an uppercase T and Z',
        'ATOM-C-022': 'Date fields are in range',
      }[id],
      message: (p) => `${str(p, 'element')} "${str(p, 'value')}": ${str(p, 'reason')}`,
      check: function* (doc) {
        for (const { el, c } of dateConstructs(doc)) {
          const value = el.text.trim();
          const problem = checkAtomDate(value);
          if (problem?.rule === id) yield at(el, { element: `${where(c)}/${el.local}`, value, reason: problem.reason });
        }
      },
      why: DATE_RULES[id].why,
      fix: DATE_RULES[id].fix,
    })),
  defineRule<XmlDoc>({
    id: 'ATOM-C-023',
    level: 'info',
    spec: 'RFC 3339 §4.3',
    title: 'Dates are in UTC with Z',
    message: (p) => `${str(p, 'element')} "${str(p, 'value')}" ${str(p, 'advice')}`,
    check: function* (doc) {
      for (const { el, c } of dateConstructs(doc)) {
        const value = el.text.trim();
        if (checkAtomDate(value) || value.endsWith('Z')) continue;
        const advice = value.endsWith('-00:00')
          ? 'uses -00:00, which means "offset unknown"; write Z'
          : /[+]00:?00$/.test(value) ? 'is in UTC written +00:00; Z says the same more plainly' : 'is not in UTC; prefer Z';
        yield at(el, { element: `${where(c)}/${el.local}`, value, advice });
      }
    },
    why: 'UTC dates compare without offset arithmetic, and -00:00 means the offset is unknown.',
    fix: 'Write dates in UTC with `Z`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-030',
    level: 'error',
    spec: 'RFC 4287 §4.1.3.1',
    title: 'content type is text, html, xhtml or a non-composite MIME type',
    message: (p) => `entry/content type="${str(p, 'type')}" ${str(p, 'reason')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          const type = attr(el, 'type');
          if (type === undefined || contentKind(el) !== 'invalid') continue;
          const reason = isMimeType(type) ? 'is a composite type (multipart/*, message/*), which Atom forbids' : 'is neither text, html, xhtml nor a MIME type';
          yield at(el, { type, reason });
        }
      }
    },
    why: 'Readers decide how to display content from its type; a composite or malformed type cannot be shown.',
    fix: 'Use text, html, xhtml or a single media type such as `image/png`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-031',
    level: 'error',
    spec: 'RFC 4287 §4.1.3.2',
    title: 'content with src is empty, src is an IRI reference, type is a MIME type',
    message: (p) => `entry/content with src ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          const src = attr(el, 'src');
          if (src === undefined) continue;
          if (el.children.length > 0 || el.text.trim() !== '') yield at(el, { problem: 'must be empty; the content lives at the src URL' });
          if (!isIriReference(src)) yield at(el, { problem: `has src "${src}", which is not an IRI reference` });
          const type = attr(el, 'type');
          if (type === 'text' || type === 'html' || type === 'xhtml') yield at(el, { problem: `has type="${type}"; with src, type must be a MIME type such as text/html` });
        }
      }
    },
    why: 'Readers fetch out-of-line content from src; inline text beside it is ambiguous.',
    fix: 'Leave the element empty, give a valid src and a media type.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-032',
    level: 'warning',
    spec: 'RFC 4287 §4.1.3.2',
    title: 'content with src has a type',
    message: () => 'entry/content with src has no type attribute; name the media type of the linked resource',
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) if (attr(el, 'src') !== undefined && attr(el, 'type') === undefined) yield at(el);
      }
    },
    why: 'Readers need the type to decide whether to fetch and how to show the linked content.',
    fix: 'Add `type="text/html"` (or the real media type).',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-033',
    level: 'error',
    spec: 'RFC 4287 §4.1.3.3',
    title: 'text, html and xhtml content follow the Text construct rules',
    message: (p) => `entry/content ${str(p, 'reason')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          if (attr(el, 'src') !== undefined) continue;
          const kind = contentKind(el);
          if (kind !== 'text' && kind !== 'html' && kind !== 'xhtml') continue;
          for (const { id, f } of textStructure(el, kind, 'entry/content')) {
            const p = f.params ?? {};
            const reason =
              id === 'C-002' ? `is type text but contains the element ${str(p, 'child')}; escape it and use type="html", or use type="xhtml"`
              : id === 'C-003' ? `is type html but contains the raw element ${str(p, 'child')}; escape it (&lt;p&gt; or CDATA)`
              : `is type xhtml but ${str(p, 'reason')}`;
            yield { ...f, params: { reason } };
          }
        }
      }
    },
    why: 'Readers display content by the text-construct rules of its type.',
    fix: 'Follow the rules of text, html or xhtml for the content type you declare.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-034',
    level: 'error',
    spec: 'RFC 4287 §4.1.3.3',
    title: 'text/* content has no child elements, XML content no stray text, other content is Base64',
    message: (p) => `entry/content of type ${str(p, 'type')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          if (attr(el, 'src') !== undefined) continue;
          const type = attr(el, 'type') ?? '';
          const kind = contentKind(el);
          if (kind === 'textmime' && el.children.length > 0) yield at(el, { type, problem: 'must not contain child elements; escape the markup' });
          if (kind === 'base64' && (el.children.length > 0 || !isBase64(el.text))) yield at(el, { type, problem: 'must be valid Base64' });
          // An XML media type holds an XML document: its root element, not text mixed around it.
          if (kind === 'xml' && el.children.length > 0 && el.text.trim() !== '') yield at(el, { type, problem: 'mixes text with XML elements; it must hold one XML document' });
        }
      }
    },
    why: 'Readers decode non-text media from Base64 and text media as characters; the wrong form is garbage.',
    fix: 'Escape text media, give XML media one root element, Base64-encode the rest.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-035',
    level: 'info',
    spec: 'FV HtmlFragment',
    title: 'Fragments are labelled html or xhtml, not a document MIME type',
    message: (p) => `entry/content type="${str(p, 'type')}" denotes a whole document; for a fragment use type="${str(p, 'better')}"`,
    check: function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          const type = attr(el, 'type');
          if (type === undefined || attr(el, 'src') !== undefined) continue;
          const essence = mimeEssence(type);
          if (essence === 'text/html') yield at(el, { type, better: 'html' });
          else if (essence === 'application/xhtml+xml') yield at(el, { type, better: 'xhtml' });
        }
      }
    },
    why: 'A fragment labelled as a whole document confuses readers that embed it.',
    fix: 'Use `type="html"` or `type="xhtml"` for fragments.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-036',
    level: 'info',
    spec: 'RFC 4287 §2, §8.1',
    title: 'HTML content uses resolvable URLs and no active content',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      const relative = (u: string) => u !== '' && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u) && !u.startsWith('#');
      for (const { el, name } of htmlStrings(doc)) {
        if (activeContent(el.text)) yield at(el, { element: name, problem: 'contains script, iframe, embed, object or on* handlers, which readers strip' });
        if (!hasXmlBase(el) && [...linkValues(el.text)].some(({ url }) => relative(url))) yield at(el, { element: name, problem: 'contains relative URLs but no xml:base to resolve them' });
      }
      for (const { el, div, name } of xhtmlDivs(doc)) {
        const all = [...descendants(div)];
        if (all.some((d) => ['script', 'iframe', 'embed', 'object'].includes(d.local) || d.attrs.some((a) => /^on[a-z]+$/i.test(a.local)))) {
          yield at(el, { element: name, problem: 'contains script, iframe, embed, object or on* handlers, which readers strip' });
        }
        if (!hasXmlBase(el) && all.some((d) => ['href', 'src'].some((n) => relative(attr(d, n) ?? '')))) {
          yield at(el, { element: name, problem: 'contains relative URLs but no xml:base to resolve them' });
        }
      }
    },
    why: 'Readers strip scripts and resolve relative URLs against the wrong base: content breaks.',
    fix: 'Keep content static and make URLs absolute or set xml:base.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-040',
    level: 'error',
    spec: 'RFC 4287 §4.2.7.1',
    title: 'Every link has an href holding an IRI reference',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) {
        const href = attr(el, 'href');
        if (href === undefined) yield at(el, { element: `${where(c)}/link`, problem: 'has no href attribute' });
        else if (!isIriReference(href)) yield at(el, { element: `${where(c)}/link`, problem: `href "${href}" is not an IRI reference` });
      }
    },
    why: 'Readers follow links through href; a missing or malformed one leads nowhere.',
    fix: 'Give every link an `href` holding a valid IRI reference.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-041',
    level: 'error',
    spec: 'RFC 4287 §4.2.7.2',
    title: 'link rel is a registered-style name or an absolute IRI',
    message: (p) => `${str(p, 'element')} rel="${str(p, 'rel')}" ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) {
        const rel = attr(el, 'rel');
        if (rel === undefined) continue;
        let problem: string | undefined;
        if (rel === '') problem = 'is empty; leave rel out for alternate';
        else if (rel.includes(':')) {
          if (!parseIriReference(rel)?.scheme) problem = 'contains a colon but is not an absolute IRI';
        } else if (!SEGMENT_NZ_NC.test(rel)) problem = 'is neither a simple relation name (no spaces, slashes or colons) nor an absolute IRI';
        if (problem) yield at(el, { element: `${where(c)}/link`, rel, problem });
      }
    },
    why: 'Readers pick links by relation; an invalid rel is ignored.',
    fix: 'Use a registered name (alternate, self, enclosure, related, via…) or an absolute IRI.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-042',
    level: 'error',
    spec: 'RFC 4287 §4.2.7.3, §4.2.7.4',
    title: 'link type is a MIME type and hreflang a language tag',
    message: (p) => `${str(p, 'element')} ${str(p, 'attr')}="${str(p, 'value')}" is not ${str(p, 'expected')}`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) {
        const type = attr(el, 'type');
        if (type !== undefined && !isMimeType(type)) yield at(el, { element: `${where(c)}/link`, attr: 'type', value: type, expected: 'a MIME type like text/html' });
        const hreflang = attr(el, 'hreflang');
        if (hreflang !== undefined && !isLanguageTag(hreflang)) yield at(el, { element: `${where(c)}/link`, attr: 'hreflang', value: hreflang, expected: 'a language tag like en or pt-BR' });
      }
    },
    why: 'Readers choose which link to follow from its type and language.',
    fix: 'Write a media type such as `text/html` and a language tag such as `en`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-043',
    level: 'warning',
    spec: 'RFC 4287 §4.2.7.2, §4.2.7.6',
    title: 'Enclosure links carry a length',
    message: (p) => `${str(p, 'element')} rel="enclosure" has no length; give the size in octets`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) if (relOf(el) === 'enclosure' && attr(el, 'length') === undefined) yield at(el, { element: `${where(c)}/link` });
    },
    why: 'Podcast clients show the size and decide whether to download.',
    fix: 'Add `length="…"` with the size in bytes.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-044',
    level: 'info',
    spec: 'RFC 4287 §4.2.7',
    title: 'link elements are empty',
    message: (p) => `${str(p, 'element')} has content; put all link data in attributes`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) if (el.text.trim() !== '' || el.children.length > 0) yield at(el, { element: `${where(c)}/link` });
    },
    why: 'Link data lives in attributes; readers ignore content inside link.',
    fix: 'Make link an empty element.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-045',
    level: 'info',
    spec: 'RFC 4287 §4.2.7.2',
    title: 'The self link is absolute and typed application/atom+xml',
    message: (p) => `feed self link ${str(p, 'problem')}`,
    check: function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      for (const link of atomKids(feed, 'link')) {
        if (relOf(link) !== 'self') continue;
        const href = attr(link, 'href') ?? '';
        if (!parseIriReference(href)?.scheme) yield at(link, { problem: `href "${href}" is relative; write the absolute URL the feed is served from` });
        const type = attr(link, 'type');
        if (type !== undefined && mimeEssence(type) !== 'application/atom+xml') yield at(link, { problem: `has type ${type}; use application/atom+xml` });
      }
    },
    why: 'Readers and hubs subscribe to the self link; a relative or mistyped one misleads them.',
    fix: 'Write the absolute URL the feed is served from, with `type="application/atom+xml"`.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-046',
    level: 'info',
    spec: 'RFC 4287 §7.1',
    title: 'Relation names are IANA-registered',
    message: (p) => `${str(p, 'element')} rel="${str(p, 'rel')}" is not an IANA-registered relation; use an absolute IRI for private relations`,
    check: function* (doc) {
      for (const { el, c } of links(doc)) {
        const rel = attr(el, 'rel');
        if (rel && !rel.includes(':') && SEGMENT_NZ_NC.test(rel) && !IANA_RELS.has(rel.toLowerCase())) yield at(el, { element: `${where(c)}/link`, rel });
      }
    },
    why: 'Readers only understand registered relation names.',
    fix: 'Use an IANA-registered relation, or an absolute IRI for a private one.',
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-C-050',
    level: 'error',
    spec: 'RFC 4287 §4.2.2',
    title: 'category has a term; its scheme is an IRI',
    message: (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    check: function* (doc) {
      for (const { el, c } of kidsOf(doc, ['category'])) {
        const name = `${where(c)}/category`;
        if (attr(el, 'term') === undefined) yield at(el, { element: name, problem: 'has no term attribute' });
        const scheme = attr(el, 'scheme');
        if (scheme !== undefined && absoluteIriProblem(scheme)) yield at(el, { element: name, problem: `scheme "${scheme}" is not an IRI: ${absoluteIriProblem(scheme) ?? ''}` });
      }
    },
    why: 'Readers show the term as the tag; without it the category is empty.',
    fix: 'Give each category a `term`, and an absolute IRI in `scheme` if any.',
  }),
];

/** Every Atom 1.0 rule a document can decide on its own, in digest order. */
export const atomRules: Rule<XmlDoc>[] = [...docRules, ...feedRules, ...entryRules, ...constructRules];
