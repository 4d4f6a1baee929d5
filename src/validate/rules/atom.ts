// Atom 1.0: RFC 4287 (December 2005), with RFC 3339 dates and RFC 3987 IRIs; ids and levels from the kiosque Atom digest.
import type { Level } from '../../issue.js';
import type { Finding, Rule } from '../rule.js';
import { NS, attr, children, type XmlDoc, type XmlElement } from '../xml.js';
import {
  checkCdataEnd,
  checkDeclarationFirst,
  checkEncoding,
  checkEntities,
  checkHasDeclaration,
  checkLegalChars,
  checkPrefixesDeclared,
  checkUtf8Declared,
  checkWellFormed,
} from './xml-doc.js';
import {
  absoluteIriProblem,
  atomDateMillis,
  checkAtomDate,
  hasWhitespace,
  isAddrSpec,
  isBase64,
  isCompositeMime,
  isIriReference,
  isLanguageTag,
  isMimeType,
  isTextMime,
  isXmlMime,
  mimeEssence,
  normalizationProblems,
  parseIriReference,
} from './atom-values.js';

const A = NS.atom;
const XHTML = NS.xhtml;
const ATOM03 = 'http://purl.org/atom/ns#';

type Params = Record<string, string | number>;
type Check = (doc: XmlDoc) => Iterable<Finding>;

function rule(id: string, level: Level, spec: string, title: string, message: (p: Params) => string, check: Check): Rule<XmlDoc> {
  return { id, level, spec, title, message, check };
}

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
function containersOf(doc: XmlDoc): Container[] {
  const feed = feedOf(doc);
  const out: Container[] = feed ? [{ el: feed, kind: 'feed' }] : [];
  for (const entry of entriesOf(doc)) {
    out.push({ el: entry, kind: 'entry' });
    for (const source of atomKids(entry, 'source')) out.push({ el: source, kind: 'source' });
  }
  return out;
}
/** `feed`, `entry`, `entry/source`: how messages name where an element sits. */
const where = (c: Container): string => (c.kind === 'source' ? 'entry/source' : c.kind);

function* kidsOf(doc: XmlDoc, locals: readonly string[], kinds: readonly ContainerKind[] = ['feed', 'entry', 'source']) {
  for (const c of containersOf(doc)) {
    if (!kinds.includes(c.kind)) continue;
    for (const el of c.el.children) if (el.ns === A && locals.includes(el.local)) yield { el, c };
  }
}

function* descendants(el: XmlElement): Generator<XmlElement> {
  for (const child of el.children) {
    yield child;
    yield* descendants(child);
  }
}
function* allElements(doc: XmlDoc): Generator<XmlElement> {
  yield doc.root;
  yield* descendants(doc.root);
}
const deepText = (el: XmlElement): string => el.text + el.children.map(deepText).join('');

const TEXT_CONSTRUCTS: Record<ContainerKind, readonly string[]> = {
  feed: ['title', 'subtitle', 'rights'],
  entry: ['title', 'rights', 'summary'],
  source: ['title', 'subtitle', 'rights'],
};
function* textConstructs(doc: XmlDoc) {
  for (const c of containersOf(doc)) for (const el of c.el.children) if (el.ns === A && TEXT_CONSTRUCTS[c.kind].includes(el.local)) yield { el, c };
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
  rule('ATOM-DOC-001', 'error', 'RFC 4287 §2; XML 1.0 §2.1, §4.1', 'The document is well-formed XML 1.0',
    (p) => `not well-formed XML: ${str(p, 'detail')}`,
    function* (doc) {
      yield* checkWellFormed(doc);
      yield* checkEntities(doc);
      yield* checkCdataEnd(doc);
    }),
  rule('ATOM-DOC-002', 'error', 'XML 1.0 §2.8, §4.3.3', 'The XML declaration comes first and the bytes match the declared encoding',
    (p) => `${str(p, 'detail')}`,
    function* (doc) {
      yield* checkDeclarationFirst(doc);
      yield* checkEncoding(doc);
    }),
  rule('ATOM-DOC-003', 'info', 'XML 1.0 §2.8', 'Start with an XML declaration naming UTF-8',
    (p) => `start the document with <?xml version="1.0" encoding="utf-8"?> (${p['encoding'] === undefined ? 'there is no XML declaration' : `declared encoding: ${str(p, 'encoding')}`})`,
    function* (doc) {
      const missing = [...checkHasDeclaration(doc)];
      if (missing.length > 0) yield* missing;
      else yield* checkUtf8Declared(doc);
    }),
  rule('ATOM-DOC-004', 'error', 'XML 1.0 §2.2, §4.1', 'Only characters allowed by XML 1.0',
    (p) => `${str(p, 'detail')}`,
    (doc) => checkLegalChars(doc)),
  rule('ATOM-DOC-005', 'error', 'RFC 4287 §2, §4.1.1', 'The root element is atom:feed (or atom:entry, an Entry Document) in the http://www.w3.org/2005/Atom namespace',
    (p) => `root element ${str(p, 'element')} is not an Atom 1.0 feed: ${str(p, 'reason')}`,
    function* (doc) {
      const root = doc.root;
      if (isAtomEl(root, 'feed') || isAtomEl(root, 'entry')) return;
      let reason: string;
      if (root.ns === ATOM03) reason = 'http://purl.org/atom/ns# is the obsolete Atom 0.3 namespace, use http://www.w3.org/2005/Atom';
      else if (root.ns === A) reason = `expected feed or entry, found ${root.local}`;
      else if (root.ns === '') reason = 'it has no namespace; add xmlns="http://www.w3.org/2005/Atom"';
      else reason = `its namespace is ${root.ns}, expected exactly http://www.w3.org/2005/Atom`;
      yield at(root, { element: root.name, reason });
    }),
  rule('ATOM-DOC-006', 'info', 'FV AvoidNamespacePrefix', 'Declare Atom as the default namespace',
    (p) => `the Atom namespace is bound to the prefix ${str(p, 'prefix')}:; some readers only understand unprefixed Atom`,
    function* (doc) {
      const root = feedOf(doc) ?? entryDocOf(doc);
      if (root && root.prefix) yield at(root, { prefix: root.prefix });
    }),
  rule('ATOM-DOC-007', 'error', 'Namespaces in XML §5', 'Every namespace prefix used is declared',
    (p) => `prefix ${str(p, 'prefix')}: is used but never declared with xmlns:${str(p, 'prefix')}`,
    (doc) => checkPrefixesDeclared(doc)),
  rule('ATOM-DOC-008', 'error', 'RFC 4287 §3', 'Dates, ids, icon, logo and uri contain no whitespace',
    (p) => `${str(p, 'element')} contains whitespace (${str(p, 'value')}); write the value with no spaces or newlines around it`,
    function* (doc) {
      const check = (el: XmlElement, name: string) =>
        hasWhitespace(el.text) && el.children.length === 0 ? [at(el, { element: name, value: JSON.stringify(el.text) })] : [];
      for (const c of containersOf(doc)) {
        for (const local of ['id', 'icon', 'logo', 'updated', 'published']) {
          for (const el of atomKids(c.el, local)) yield* check(el, `${where(c)}/${local}`);
        }
        for (const person of [...atomKids(c.el, 'author'), ...atomKids(c.el, 'contributor')]) {
          for (const el of atomKids(person, 'uri')) yield* check(el, `${person.local}/uri`);
        }
      }
    }),
  rule('ATOM-DOC-009', 'error', 'RFC 4287 §4.1.1', 'Feed metadata comes before the first entry',
    (p) => `feed metadata ${str(p, 'element')} appears after an entry; move it above the first entry`,
    function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      let afterEntry = false;
      for (const el of feed.children) {
        if (isAtomEl(el, 'entry')) afterEntry = true;
        else if (afterEntry && el.ns === A && FEED_METADATA.includes(el.local)) yield at(el, { element: el.local });
      }
    }),
  rule('ATOM-DOC-010', 'error', 'RFC 4287 §2', 'xml:lang is a language tag and xml:base an IRI reference',
    (p) => `${str(p, 'attr')}="${str(p, 'value')}" on ${str(p, 'element')} is not ${str(p, 'expected')}`,
    function* (doc) {
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
    }),
  rule('ATOM-DOC-011', 'error', 'RFC 4287 §6.2', 'No undefined or misplaced element in the Atom namespace',
    (p) => `atom:${str(p, 'element')} is not defined inside ${str(p, 'parent')} by RFC 4287; use your own namespace for extensions`,
    function* (doc) {
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
    }),
  rule('ATOM-DOC-012', 'info', 'RFC 4287 §4.1.1', 'Each entry id appears once per document',
    (p) => `entry id ${str(p, 'id')} is used again (first at line ${str(p, 'firstLine')}); give every entry its own id`,
    function* (doc) {
      const seen = new Map<string, XmlElement>();
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id');
        if (!id) continue;
        const value = id.text.trim();
        const prior = seen.get(value);
        if (prior) yield at(id, { id: value, firstLine: prior.line });
        else seen.set(value, id);
      }
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
  rule('ATOM-F-001', 'error', 'RFC 4287 §4.1.1', 'feed has exactly one id', countMessage, (doc) => cardinality(doc, ['feed'], 'id', true)),
  rule('ATOM-F-002', 'error', 'RFC 4287 §4.1.1', 'feed has exactly one title', countMessage, (doc) => cardinality(doc, ['feed'], 'title', true)),
  rule('ATOM-F-003', 'error', 'RFC 4287 §4.1.1', 'feed has exactly one updated', countMessage, (doc) => cardinality(doc, ['feed'], 'updated', true)),
  rule('ATOM-F-004', 'error', 'RFC 4287 §4.1.1', 'feed has an author unless every entry has its own',
    (p) => `feed has no author and ${str(p, 'reason')}; add a feed-level author`,
    function* (doc) {
      const feed = feedOf(doc);
      if (!feed || atomKids(feed, 'author').length > 0) return;
      const entries = atomKids(feed, 'entry');
      // With no entries at all there is nothing to carry an author, and readers show none (the W3C validator agrees).
      if (entries.length === 0) yield at(feed, { reason: 'no entry carries one' });
      const without = entries.filter((e) => atomKids(e, 'author').length === 0 && !atomKids(e, 'source').some((s) => atomKids(s, 'author').length > 0));
      if (without.length > 0) yield at(feed, { reason: `${without.length} entr${without.length === 1 ? 'y has' : 'ies have'} none of their own` });
    }),
  rule('ATOM-F-005', 'error', 'RFC 4287 §4.1.1, §4.2.11', 'feed (and source) have at most one generator, icon, logo, rights, subtitle',
    countMessage,
    function* (doc) {
      for (const local of ['generator', 'icon', 'logo', 'rights', 'subtitle']) yield* cardinality(doc, ['feed', 'source'], local, false);
      // source has the feed's metadata with the same "at most one" limits (schema atomSource).
      for (const local of ['id', 'title', 'updated']) yield* cardinality(doc, ['source'], local, false);
    }),
  rule('ATOM-F-006', 'warning', 'RFC 4287 §4.1.1', 'feed has a link rel="self"',
    () => 'feed has no <link rel="self" href="…"/> naming the URL it is served from',
    function* (doc) {
      const feed = feedOf(doc);
      if (feed && !atomKids(feed, 'link').some((l) => relOf(l) === 'self')) yield at(feed);
    }),
  rule('ATOM-F-007', 'error', 'RFC 4287 §4.1.1, §4.2.7.2', 'No two feed alternate links share type and hreflang',
    duplicateAlternateMessage,
    function* (doc) {
      const feed = feedOf(doc);
      if (feed) yield* duplicateAlternates(feed, 'feed');
    }),
  rule('ATOM-F-008', 'info', 'reader expectation', 'feed links to its web site',
    () => 'feed has no <link rel="alternate" type="text/html"> to the web site',
    function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      const ok = atomKids(feed, 'link').some((l) => isAlternate(l) && mimeEssence(attr(l, 'type') ?? 'text/html') === 'text/html');
      if (!ok) yield at(feed);
    }),
  rule('ATOM-F-009', 'error', 'RFC 4287 §4.2.6', 'feed/id (and source/id) is an absolute IRI',
    (p) => `${str(p, 'element')} "${str(p, 'value')}" is not an absolute IRI: ${str(p, 'reason')}`,
    function* (doc) {
      for (const { el, c, value } of idValues(doc, ['feed', 'source'])) {
        const reason = el.children.length > 0 ? 'it contains child elements' : absoluteIriProblem(value);
        if (reason) yield at(el, { element: `${where(c)}/id`, value, reason });
      }
    }),
  rule('ATOM-F-011', 'warning', 'RFC 4287 §4.2.6', 'Ids are written in normalized form',
    (p) => `id "${str(p, 'value')}" is not normalized: ${str(p, 'reason')}`,
    function* (doc) {
      for (const { el, value } of idValues(doc, ['feed', 'entry', 'source'])) {
        if (absoluteIriProblem(value)) continue;
        const problems = normalizationProblems(value);
        if (problems.length > 0) yield at(el, { value, reason: problems.join(', ') });
      }
    }),
  rule('ATOM-F-012', 'error', 'RFC 4287 §4.2.15, §3.3', 'feed/updated is a valid Date construct',
    (p) => `feed/updated "${str(p, 'value')}" is not an RFC 3339 date-time: ${str(p, 'reason')}`,
    function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      for (const el of atomKids(feed, 'updated')) {
        const problem = checkAtomDate(el.text.trim());
        if (problem) yield at(el, { value: el.text.trim(), reason: problem.reason });
      }
    }),
  rule('ATOM-F-013', 'info', 'RFC 4287 §4.2.15', 'feed/updated is not older than the newest entry',
    (p) => `feed/updated ${str(p, 'feed')} is earlier than the newest entry/updated ${str(p, 'entry')}`,
    function* (doc) {
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
    }),
  rule('ATOM-F-014', 'error', 'RFC 4287 §4.2.5, §4.2.8', 'icon and logo contain an IRI reference',
    (p) => `${str(p, 'element')} "${str(p, 'value')}" is not an IRI reference`,
    (doc) => iriRefElements(doc, ['icon', 'logo'])),
  rule('ATOM-F-016', 'error', 'RFC 4287 §4.2.4', 'generator is plain text; its uri is an IRI reference',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
      for (const { el, c } of kidsOf(doc, ['generator'], ['feed', 'source'])) {
        if (el.children.length > 0) yield at(el, { element: `${where(c)}/generator`, problem: 'must be plain text, with no child elements' });
        const uri = attr(el, 'uri');
        if (uri !== undefined && !isIriReference(uri)) yield at(el, { element: `${where(c)}/generator`, problem: `uri "${uri}" is not an IRI reference` });
      }
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
  rule('ATOM-E-001', 'error', 'RFC 4287 §4.1.2, §4.2.6', 'entry has exactly one id, an absolute IRI',
    (p) => `entry/id ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-E-002', 'error', 'RFC 4287 §4.1.2', 'entry has exactly one title', countMessage, (doc) => cardinality(doc, ['entry'], 'title', true)),
  rule('ATOM-E-003', 'error', 'RFC 4287 §4.1.2', 'entry has exactly one updated', countMessage, (doc) => cardinality(doc, ['entry'], 'updated', true)),
  rule('ATOM-E-004', 'error', 'RFC 4287 §4.1.2', 'entry has an author, or inherits one from its source or the feed',
    () => 'entry has no author, its source names none and the feed has none; add an author',
    function* (doc) {
      // An Entry Document has no feed to inherit from: the entry (or its source) names the author.
      const feed = feedOf(doc);
      if (feed && atomKids(feed, 'author').length > 0) return;
      for (const entry of entriesOf(doc)) {
        if (atomKids(entry, 'author').length > 0) continue;
        if (atomKids(entry, 'source').some((s) => atomKids(s, 'author').length > 0)) continue;
        yield at(entry);
      }
    }),
  rule('ATOM-E-005', 'error', 'RFC 4287 §4.1.2', 'entry has at most one content, published, rights, source, summary',
    countMessage,
    function* (doc) {
      for (const local of ['content', 'published', 'rights', 'source', 'summary']) yield* cardinality(doc, ['entry'], local, false);
    }),
  rule('ATOM-E-006', 'error', 'RFC 4287 §4.1.2', 'entry without content has an alternate link',
    () => 'entry has no content and no alternate link; add <content> or <link rel="alternate" href="…"/>',
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        if (atomKids(entry, 'content').length === 0 && !atomKids(entry, 'link').some(isAlternate)) yield at(entry);
      }
    }),
  rule('ATOM-E-007', 'error', 'RFC 4287 §4.1.2', 'No two entry alternate links share type and hreflang',
    duplicateAlternateMessage,
    function* (doc) {
      for (const entry of entriesOf(doc)) yield* duplicateAlternates(entry, 'entry');
    }),
  rule('ATOM-E-008', 'error', 'RFC 4287 §4.1.2, §4.1.3.2', 'entry with out-of-line content (src) has a summary',
    () => 'entry content has a src attribute but the entry has no summary; add one',
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const content = first(entry, 'content');
        if (content && attr(content, 'src') !== undefined && atomKids(entry, 'summary').length === 0) yield at(content);
      }
    }),
  rule('ATOM-E-009', 'error', 'RFC 4287 §4.1.2, §4.1.3.3', 'entry with Base64 content has a summary',
    (p) => `entry content of type ${str(p, 'type')} is Base64 but the entry has no summary; add one`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const content = first(entry, 'content');
        if (!content || attr(content, 'src') !== undefined || contentKind(content) !== 'base64') continue;
        if (atomKids(entry, 'summary').length === 0) yield at(content, { type: attr(content, 'type') ?? '' });
      }
    }),
  rule('ATOM-E-011', 'warning', 'RFC 4287 §4.1.1', 'Entries sharing an id have different updated values',
    (p) => `two entries share id ${str(p, 'id')} and updated ${str(p, 'updated')}; revisions of one entry must differ in updated`,
    function* (doc) {
      const seen = new Set<string>();
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id')?.text.trim();
        const updated = first(entry, 'updated')?.text.trim();
        if (id === undefined || updated === undefined) continue;
        const key = `${id}\u0000${updated}`;
        if (seen.has(key)) yield at(entry, { id, updated });
        seen.add(key);
      }
    }),
  rule('ATOM-E-012', 'warning', 'RFC 4287 §3.3', 'Entries do not all carry the same updated timestamp',
    (p) => `all ${str(p, 'count')} entries have updated ${str(p, 'value')}; use each entry's own modification time`,
    function* (doc) {
      const entries = entriesOf(doc);
      const values = entries.map((e) => first(e, 'updated')?.text.trim());
      if (entries.length >= 2 && values[0] !== undefined && values.every((v) => v === values[0])) {
        yield at(first(entries[1] as XmlElement, 'updated') as XmlElement, { count: entries.length, value: values[0] });
      }
    }),
  rule('ATOM-E-014', 'error', 'RFC 4287 §4.2.9', 'entry/published is a valid Date construct',
    (p) => `entry/published "${str(p, 'value')}" is not an RFC 3339 date-time: ${str(p, 'reason')}`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'published')) {
          const problem = checkAtomDate(el.text.trim());
          if (problem) yield at(el, { value: el.text.trim(), reason: problem.reason });
        }
      }
    }),
  rule('ATOM-E-015', 'info', 'reader expectation', 'published is no later than updated',
    (p) => `entry/published ${str(p, 'published')} is later than entry/updated ${str(p, 'updated')}`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const p = first(entry, 'published');
        const u = first(entry, 'updated');
        const pt = p ? atomDateMillis(p.text.trim()) : undefined;
        const ut = u ? atomDateMillis(u.text.trim()) : undefined;
        if (p && u && pt !== undefined && ut !== undefined && pt > ut) yield at(p, { published: p.text.trim(), updated: u.text.trim() });
      }
    }),
  rule('ATOM-E-016', 'info', 'RFC 4287 §4.1.1', 'title, content (or summary) are not empty',
    (p) => `entry/${str(p, 'element')} is empty; readers will show a blank ${str(p, 'element')}`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const blank = (el: XmlElement) => deepText(el).trim() === '' && el.children.length === 0;
        const title = first(entry, 'title');
        if (title && blank(title)) yield at(title, { element: 'title' });
        const content = first(entry, 'content');
        if (content && attr(content, 'src') === undefined && blank(content)) yield at(content, { element: 'content' });
        const summary = first(entry, 'summary');
        if (!content && summary && blank(summary)) yield at(summary, { element: 'summary' });
      }
    }),
  rule('ATOM-E-017', 'info', 'RFC 4287 §4.2.13', 'summary does not just repeat title or content',
    (p) => `entry/summary repeats the entry ${str(p, 'other')}; leave it out or write a real summary`,
    function* (doc) {
      const norm = (el: XmlElement) => deepText(el).replace(/\s+/g, ' ').trim();
      for (const entry of entriesOf(doc)) {
        const summary = first(entry, 'summary');
        if (!summary || norm(summary) === '') continue;
        const s = norm(summary);
        const title = first(entry, 'title');
        const content = first(entry, 'content');
        if (title && norm(title) === s) yield at(summary, { other: 'title' });
        else if (content && norm(content) === s) yield at(summary, { other: 'content' });
      }
    }),
  rule('ATOM-E-018', 'info', 'reader expectation', 'entry has an HTML permalink',
    () => 'entry has no <link rel="alternate" type="text/html"> permalink',
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const ok = atomKids(entry, 'link').some((l) => isAlternate(l) && mimeEssence(attr(l, 'type') ?? 'text/html') === 'text/html');
        if (!ok) yield at(entry);
      }
    }),
  rule('ATOM-E-019', 'warning', 'RFC 4287 §4.2.11', 'source carries the original feed id, title and updated',
    (p) => `entry/source lacks ${str(p, 'missing')}; copy them from the original feed`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const source of atomKids(entry, 'source')) {
          const missing = ['id', 'title', 'updated'].filter((l) => atomKids(source, l).length === 0);
          if (missing.length > 0) yield at(source, { missing: missing.join(', ') });
        }
      }
    }),
  rule('ATOM-E-020', 'info', 'RFC 4287 §4.2.6', 'Entry ids are minted once, not derived from the permalink',
    (p) => `entry/id equals its permalink ${str(p, 'href')}; the id will change if the URL does, mint a tag: or urn:uuid: id instead`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        const id = first(entry, 'id');
        if (!id) continue;
        const value = id.text.trim();
        const link = atomKids(entry, 'link').find((l) => isAlternate(l) && attr(l, 'href') === value);
        if (link) yield at(id, { href: value });
      }
    }),
];

// ---------------------------------------------------------------------------------------------
// Constructs and shared elements (ATOM-C)

const HTML_WRAPPER = /<\s*(html|head|body)[\s>/]/i;
const ESCAPED_MARKUP = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>/;
const RISKY_HTML = /<\s*(script|iframe|embed|object)[\s>/]|\son[a-z]+\s*=/i;

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

const constructRules: Rule<XmlDoc>[] = [
  rule('ATOM-C-001', 'error', 'RFC 4287 §3.1.1', 'Text construct type is text, html or xhtml',
    (p) => `${str(p, 'element')} type="${str(p, 'type')}" is not allowed; use text, html or xhtml`,
    function* (doc) {
      for (const { el, c } of textConstructs(doc)) {
        const type = attr(el, 'type');
        if (type !== undefined && !['text', 'html', 'xhtml'].includes(type)) yield at(el, { element: `${where(c)}/${el.local}`, type });
      }
    }),
  rule('ATOM-C-002', 'error', 'RFC 4287 §3.1.1.1', 'Text constructs of type text have no child elements',
    (p) => `${str(p, 'element')} is type text but contains the element ${str(p, 'child')}; escape the markup and use type="html", or use type="xhtml"`,
    (doc) => textConstructIssues(doc, 'C-002')),
  rule('ATOM-C-003', 'error', 'RFC 4287 §3.1.1.2', 'Text constructs of type html hold escaped markup, not elements',
    (p) => `${str(p, 'element')} is type html but contains the raw element ${str(p, 'child')}; escape it (&lt;p&gt; or CDATA)`,
    (doc) => textConstructIssues(doc, 'C-003')),
  rule('ATOM-C-004', 'warning', 'RFC 4287 §3.1.1.2', 'html text is a fragment, without html/head/body',
    (p) => `${str(p, 'element')} contains a <${str(p, 'tag')}> element; send only the fragment that belongs inside <body>`,
    function* (doc) {
      for (const { el, name } of htmlStrings(doc)) {
        const m = HTML_WRAPPER.exec(el.text);
        if (m) yield at(el, { element: name, tag: (m[1] ?? '').toLowerCase() });
      }
    }),
  rule('ATOM-C-005', 'error', 'RFC 4287 §3.1.1.3', 'xhtml text holds exactly one XHTML div',
    (p) => `${str(p, 'element')} is type xhtml but ${str(p, 'reason')}`,
    (doc) => textConstructIssues(doc, 'C-005')),
  rule('ATOM-C-006', 'warning', 'RFC 4287 §3.1.1.3', 'xhtml content elements are in the XHTML namespace',
    (p) => `${str(p, 'element')} contains ${str(p, 'child')} in ${str(p, 'ns')}, not XHTML; declare xmlns="${XHTML}" on the div`,
    function* (doc) {
      for (const { div, name } of xhtmlDivs(doc)) {
        for (const d of descendants(div)) {
          if (d.ns === A || d.ns === '') yield at(d, { element: name, child: d.name, ns: d.ns === A ? 'the Atom namespace' : 'no namespace' });
        }
      }
    }),
  rule('ATOM-C-007', 'info', 'FV NotInline', 'xhtml content has no entity-escaped markup',
    (p) => `${str(p, 'element')} is type xhtml but contains escaped markup (${str(p, 'sample')}) that will display literally; use type="html"`,
    function* (doc) {
      for (const { el, div, name } of xhtmlDivs(doc)) {
        const m = ESCAPED_MARKUP.exec(deepText(div));
        if (m) yield at(el, { element: name, sample: m[0].slice(0, 40) });
      }
    }),
  rule('ATOM-C-010', 'error', 'RFC 4287 §3.2.1', 'author and contributor have exactly one name',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
      for (const { el, c } of persons(doc)) {
        const names = atomKids(el, 'name');
        if (names.length === 0) yield at(el, { element: `${where(c)}/${el.local}`, problem: 'has no name; add <name>' });
        for (const extra of names.slice(1)) yield at(extra, { element: `${where(c)}/${el.local}`, problem: 'has more than one name' });
      }
    }),
  rule('ATOM-C-011', 'error', 'RFC 4287 §3.2.2', 'A person has at most one uri, an IRI reference',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-012', 'error', 'RFC 4287 §3.2.3', 'A person has at most one email, a bare addr-spec',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-013', 'info', 'reader expectation', "A person's name is not empty",
    (p) => `${str(p, 'element')} has an empty name`,
    function* (doc) {
      for (const { el, c } of persons(doc)) {
        const name = first(el, 'name');
        if (name && deepText(name).trim() === '') yield at(name, { element: `${where(c)}/${el.local}` });
      }
    }),
  ...(['ATOM-C-020', 'ATOM-C-021', 'ATOM-C-022'] as const).map((id) =>
    rule(id, 'error', id === 'ATOM-C-022' ? 'RFC 3339 §5.6–5.7' : 'RFC 4287 §3.3, RFC 3339 §5.6',
      {
        'ATOM-C-020': 'Dates match the RFC 3339 date-time production',
        'ATOM-C-021': 'Dates use an uppercase T and Z',
        'ATOM-C-022': 'Date fields are in range',
      }[id],
      (p) => `${str(p, 'element')} "${str(p, 'value')}": ${str(p, 'reason')}`,
      function* (doc) {
        for (const { el, c } of dateConstructs(doc)) {
          const value = el.text.trim();
          const problem = checkAtomDate(value);
          if (problem?.rule === id) yield at(el, { element: `${where(c)}/${el.local}`, value, reason: problem.reason });
        }
      })),
  rule('ATOM-C-023', 'info', 'RFC 3339 §4.3', 'Dates are in UTC with Z',
    (p) => `${str(p, 'element')} "${str(p, 'value')}" ${str(p, 'advice')}`,
    function* (doc) {
      for (const { el, c } of dateConstructs(doc)) {
        const value = el.text.trim();
        if (checkAtomDate(value) || value.endsWith('Z')) continue;
        const advice = value.endsWith('-00:00') ? 'uses -00:00, which means "offset unknown"; write Z' : 'is not in UTC; prefer Z';
        yield at(el, { element: `${where(c)}/${el.local}`, value, advice });
      }
    }),
  rule('ATOM-C-030', 'error', 'RFC 4287 §4.1.3.1', 'content type is text, html, xhtml or a non-composite MIME type',
    (p) => `entry/content type="${str(p, 'type')}" ${str(p, 'reason')}`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          const type = attr(el, 'type');
          if (type === undefined || contentKind(el) !== 'invalid') continue;
          const reason = isMimeType(type) ? 'is a composite type (multipart/*, message/*), which Atom forbids' : 'is neither text, html, xhtml nor a MIME type';
          yield at(el, { type, reason });
        }
      }
    }),
  rule('ATOM-C-031', 'error', 'RFC 4287 §4.1.3.2', 'content with src is empty, src is an IRI reference, type is a MIME type',
    (p) => `entry/content with src ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-032', 'warning', 'RFC 4287 §4.1.3.2', 'content with src has a type',
    () => 'entry/content with src has no type attribute; name the media type of the linked resource',
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) if (attr(el, 'src') !== undefined && attr(el, 'type') === undefined) yield at(el);
      }
    }),
  rule('ATOM-C-033', 'error', 'RFC 4287 §4.1.3.3', 'text, html and xhtml content follow the Text construct rules',
    (p) => `entry/content ${str(p, 'reason')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-034', 'error', 'RFC 4287 §4.1.3.3', 'text/* content has no child elements, XML content no stray text, other content is Base64',
    (p) => `entry/content of type ${str(p, 'type')} ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-035', 'info', 'FV HtmlFragment', 'Fragments are labelled html or xhtml, not a document MIME type',
    (p) => `entry/content type="${str(p, 'type')}" denotes a whole document; for a fragment use type="${str(p, 'better')}"`,
    function* (doc) {
      for (const entry of entriesOf(doc)) {
        for (const el of atomKids(entry, 'content')) {
          const type = attr(el, 'type');
          if (type === undefined || attr(el, 'src') !== undefined) continue;
          const essence = mimeEssence(type);
          if (essence === 'text/html') yield at(el, { type, better: 'html' });
          else if (essence === 'application/xhtml+xml') yield at(el, { type, better: 'xhtml' });
        }
      }
    }),
  rule('ATOM-C-036', 'info', 'RFC 4287 §2, §8.1', 'HTML content uses resolvable URLs and no active content',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
      const relative = (u: string) => u !== '' && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u) && !u.startsWith('#');
      for (const { el, name } of htmlStrings(doc)) {
        if (RISKY_HTML.test(el.text)) yield at(el, { element: name, problem: 'contains script, iframe, embed, object or on* handlers, which readers strip' });
        if (!hasXmlBase(el)) {
          const refs = [...el.text.matchAll(/\s(?:href|src)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1] ?? '');
          if (refs.some(relative)) yield at(el, { element: name, problem: 'contains relative URLs but no xml:base to resolve them' });
        }
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
    }),
  rule('ATOM-C-040', 'error', 'RFC 4287 §4.2.7.1', 'Every link has an href holding an IRI reference',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
      for (const { el, c } of links(doc)) {
        const href = attr(el, 'href');
        if (href === undefined) yield at(el, { element: `${where(c)}/link`, problem: 'has no href attribute' });
        else if (!isIriReference(href)) yield at(el, { element: `${where(c)}/link`, problem: `href "${href}" is not an IRI reference` });
      }
    }),
  rule('ATOM-C-041', 'error', 'RFC 4287 §4.2.7.2', 'link rel is a registered-style name or an absolute IRI',
    (p) => `${str(p, 'element')} rel="${str(p, 'rel')}" ${str(p, 'problem')}`,
    function* (doc) {
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
    }),
  rule('ATOM-C-042', 'error', 'RFC 4287 §4.2.7.3, §4.2.7.4', 'link type is a MIME type and hreflang a language tag',
    (p) => `${str(p, 'element')} ${str(p, 'attr')}="${str(p, 'value')}" is not ${str(p, 'expected')}`,
    function* (doc) {
      for (const { el, c } of links(doc)) {
        const type = attr(el, 'type');
        if (type !== undefined && !isMimeType(type)) yield at(el, { element: `${where(c)}/link`, attr: 'type', value: type, expected: 'a MIME type like text/html' });
        const hreflang = attr(el, 'hreflang');
        if (hreflang !== undefined && !isLanguageTag(hreflang)) yield at(el, { element: `${where(c)}/link`, attr: 'hreflang', value: hreflang, expected: 'a language tag like en or pt-BR' });
      }
    }),
  rule('ATOM-C-043', 'warning', 'RFC 4287 §4.2.7.2, §4.2.7.6', 'Enclosure links carry a length',
    (p) => `${str(p, 'element')} rel="enclosure" has no length; give the size in octets`,
    function* (doc) {
      for (const { el, c } of links(doc)) if (relOf(el) === 'enclosure' && attr(el, 'length') === undefined) yield at(el, { element: `${where(c)}/link` });
    }),
  rule('ATOM-C-044', 'info', 'RFC 4287 §4.2.7', 'link elements are empty',
    (p) => `${str(p, 'element')} has content; put all link data in attributes`,
    function* (doc) {
      for (const { el, c } of links(doc)) if (el.text.trim() !== '' || el.children.length > 0) yield at(el, { element: `${where(c)}/link` });
    }),
  rule('ATOM-C-045', 'info', 'RFC 4287 §4.2.7.2', 'The self link is absolute and typed application/atom+xml',
    (p) => `feed self link ${str(p, 'problem')}`,
    function* (doc) {
      const feed = feedOf(doc);
      if (!feed) return;
      for (const link of atomKids(feed, 'link')) {
        if (relOf(link) !== 'self') continue;
        const href = attr(link, 'href') ?? '';
        if (!parseIriReference(href)?.scheme) yield at(link, { problem: `href "${href}" is relative; write the absolute URL the feed is served from` });
        const type = attr(link, 'type');
        if (type !== undefined && mimeEssence(type) !== 'application/atom+xml') yield at(link, { problem: `has type ${type}; use application/atom+xml` });
      }
    }),
  rule('ATOM-C-046', 'info', 'RFC 4287 §7.1', 'Relation names are IANA-registered',
    (p) => `${str(p, 'element')} rel="${str(p, 'rel')}" is not an IANA-registered relation; use an absolute IRI for private relations`,
    function* (doc) {
      for (const { el, c } of links(doc)) {
        const rel = attr(el, 'rel');
        if (rel && !rel.includes(':') && SEGMENT_NZ_NC.test(rel) && !IANA_RELS.has(rel.toLowerCase())) yield at(el, { element: `${where(c)}/link`, rel });
      }
    }),
  rule('ATOM-C-050', 'error', 'RFC 4287 §4.2.2', 'category has a term; its scheme is an IRI',
    (p) => `${str(p, 'element')} ${str(p, 'problem')}`,
    function* (doc) {
      for (const { el, c } of kidsOf(doc, ['category'])) {
        const name = `${where(c)}/category`;
        if (attr(el, 'term') === undefined) yield at(el, { element: name, problem: 'has no term attribute' });
        const scheme = attr(el, 'scheme');
        if (scheme !== undefined && absoluteIriProblem(scheme)) yield at(el, { element: name, problem: `scheme "${scheme}" is not an IRI: ${absoluteIriProblem(scheme) ?? ''}` });
      }
    }),
];

/** Every Atom 1.0 rule a document can decide on its own, in digest order. */
export const atomRules: Rule<XmlDoc>[] = [...docRules, ...feedRules, ...entryRules, ...constructRules];
