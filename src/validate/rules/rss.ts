// RSS 2.0 (RSS Advisory Board, spec revision 2.0.11) and the RSS Best Practices Profile 1.0; ids and levels from the kiosque RSS digest.
import type { Level } from '../../issue.js';
import type { Finding, Rule } from '../rule.js';
import { NS, attr, descendants, type XmlDoc, type XmlElement } from '../xml.js';
import { isPlausible, parseRfc822, parseW3cDtf } from '../dates.js';
import { checkAbsoluteUrl, containsEmail, isCanonicalContact, isLanguageTag, isMimeType, isRelativeReference, isRssLanguage } from '../values.js';
import {
  checkCdataEnd,
  checkDeclarationFirst,
  checkEncoding,
  checkEntities,
  checkHasDeclaration,
  checkLegalChars,
  checkNoDoctype,
  checkPrefixesDeclared,
  checkUtf8Declared,
  checkWellFormed,
} from './xml-doc.js';

type Params = Record<string, string | number>;
type Check = (doc: XmlDoc) => Iterable<Finding>;

function rule(id: string, level: Level, spec: string, title: string, message: (p: Params) => string, check: Check, why: string, fix: string): Rule<XmlDoc> {
  return { id, level, spec, title, message, check, why, fix };
}

const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const s = (p: Params, key: string): string => String(p[key] ?? '');
const detail = (p: Params): string => s(p, 'detail');

// ---------------------------------------------------------------------------------------------
// Navigation. Core RSS elements carry the root's namespace (normally none): a wrongly
// namespaced document gets one RSS-DOC-011 error instead of a cascade of "missing" ones.

const core = (doc: XmlDoc): string => doc.root.ns;
const isRss = (doc: XmlDoc): boolean => doc.root.local === 'rss';
/** Children grouped by namespace and local name, built once per element: rules ask the same questions many times. */
const childIndex = new WeakMap<XmlElement, Map<string, XmlElement[]>>();
function indexed(el: XmlElement, local: string, ns: string): XmlElement[] {
  let index = childIndex.get(el);
  if (!index) {
    index = new Map();
    for (const c of el.children) {
      const key = `${c.ns} ${c.local}`;
      const list = index.get(key);
      if (list) list.push(c);
      else index.set(key, [c]);
    }
    childIndex.set(el, index);
  }
  return index.get(`${ns} ${local}`) ?? [];
}
const kids = (doc: XmlDoc, el: XmlElement | undefined, local: string): XmlElement[] => (el ? indexed(el, local, core(doc)) : []);
const kid = (doc: XmlDoc, el: XmlElement | undefined, local: string): XmlElement | undefined => kids(doc, el, local)[0];
const channel = (doc: XmlDoc): XmlElement | undefined => (isRss(doc) ? kid(doc, doc.root, 'channel') : undefined);
const items = (doc: XmlDoc): XmlElement[] => kids(doc, channel(doc), 'item');
const nsKids = (el: XmlElement | undefined, local: string, ns: string): XmlElement[] => (el ? indexed(el, local, ns) : []);
const path = (el: XmlElement): string => (el.parent && el.parent.parent && el.parent.local !== 'rss' ? `${el.parent.local}/${el.name}` : el.name);
const value = (el: XmlElement): string => el.text.trim();

const dateCache = new WeakMap<XmlElement, ReturnType<typeof parseRfc822>>();
/** Six rules read each date; parse it once. */
function rfc822(el: XmlElement): ReturnType<typeof parseRfc822> {
  let r = dateCache.get(el);
  if (!r) {
    r = parseRfc822(el.text);
    dateCache.set(el, r);
  }
  return r;
}

/** Dates: channel pubDate/lastBuildDate and item pubDate. */
function* dateElements(doc: XmlDoc): Generator<XmlElement> {
  const ch = channel(doc);
  yield* kids(doc, ch, 'pubDate');
  yield* kids(doc, ch, 'lastBuildDate');
  for (const item of items(doc)) yield* kids(doc, item, 'pubDate');
}

/** URL-valued elements and attributes checked by RSS-DT-010 (enclosure and guid have their own rules). */
function* urlValues(doc: XmlDoc): Generator<{ el: XmlElement; what: string; url: string }> {
  const ch = channel(doc);
  for (const el of kids(doc, ch, 'link')) yield { el, what: 'channel/link', url: el.text };
  for (const el of kids(doc, ch, 'docs')) yield { el, what: 'channel/docs', url: el.text };
  for (const image of kids(doc, ch, 'image')) {
    for (const el of kids(doc, image, 'url')) yield { el, what: 'image/url', url: el.text };
    for (const el of kids(doc, image, 'link')) yield { el, what: 'image/link', url: el.text };
  }
  for (const ti of [...kids(doc, ch, 'textInput')]) for (const el of kids(doc, ti, 'link')) yield { el, what: 'textInput/link', url: el.text };
  for (const item of items(doc)) {
    for (const el of kids(doc, item, 'link')) yield { el, what: 'item/link', url: el.text };
    for (const el of kids(doc, item, 'comments')) yield { el, what: 'item/comments', url: el.text };
    for (const el of kids(doc, item, 'source')) {
      const url = attr(el, 'url');
      if (url !== undefined) yield { el, what: 'source/@url', url };
    }
  }
}

/** Elements whose content is character data only (RSS Profile §3.1). */
const CHANNEL_TEXT = ['title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate', 'category', 'generator', 'docs', 'ttl', 'rating'];
const ITEM_TEXT = ['title', 'link', 'author', 'category', 'comments', 'guid', 'pubDate', 'source'];
const IMAGE_TEXT = ['url', 'title', 'link', 'width', 'height', 'description'];
const TEXTINPUT_TEXT = ['title', 'description', 'name', 'link'];

function* characterDataElements(doc: XmlDoc): Generator<XmlElement> {
  const ch = channel(doc);
  if (!ch) return;
  for (const c of ch.children) if (c.ns === core(doc) && CHANNEL_TEXT.includes(c.local)) yield c;
  for (const image of kids(doc, ch, 'image')) for (const c of image.children) if (c.ns === core(doc) && IMAGE_TEXT.includes(c.local)) yield c;
  for (const ti of kids(doc, ch, 'textInput')) for (const c of ti.children) if (c.ns === core(doc) && TEXTINPUT_TEXT.includes(c.local)) yield c;
  for (const sk of [...kids(doc, ch, 'skipHours'), ...kids(doc, ch, 'skipDays')]) yield* sk.children.filter((c) => c.ns === core(doc));
  for (const item of items(doc)) for (const c of item.children) if (c.ns === core(doc) && ITEM_TEXT.includes(c.local)) yield c;
}

/** Plain-text elements (everything but item description and content:encoded). */
function* plainTextElements(doc: XmlDoc): Generator<XmlElement> {
  const ch = channel(doc);
  yield* kids(doc, ch, 'title');
  yield* kids(doc, ch, 'description');
  yield* kids(doc, ch, 'copyright');
  yield* kids(doc, ch, 'category');
  for (const image of kids(doc, ch, 'image')) yield* kids(doc, image, 'title');
  for (const item of items(doc)) {
    yield* kids(doc, item, 'title');
    yield* kids(doc, item, 'category');
  }
}

/** HTML-carrying elements: item description and content:encoded. */
function* htmlElements(doc: XmlDoc): Generator<XmlElement> {
  for (const item of items(doc)) {
    yield* kids(doc, item, 'description');
    yield* nsKids(item, 'encoded', NS.content);
  }
}

function* atomLinks(doc: XmlDoc): Generator<XmlElement> {
  const ch = channel(doc);
  if (!ch) return;
  for (const el of descendants(ch)) if (el.ns === NS.atom && el.local === 'link') yield el;
}

/** Offsets of line starts, computed once per document. */
const lineStarts = new WeakMap<XmlDoc, number[]>();
function offsetOf(doc: XmlDoc, line: number, column: number): number {
  let starts = lineStarts.get(doc);
  if (!starts) {
    starts = [0];
    for (let i = doc.text.indexOf('\n'); i >= 0; i = doc.text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStarts.set(doc, starts);
  }
  return (starts[line - 1] ?? 0) + column - 1;
}

/** Raw source of an element's content, for rules about how text was escaped. */
function rawContent(doc: XmlDoc, el: XmlElement): string {
  const offset = offsetOf(doc, el.line, el.column);
  const open = doc.text.indexOf('>', offset);
  const close = doc.text.indexOf('</', open);
  return open < 0 || close < 0 ? '' : doc.text.slice(open + 1, close);
}

// ---------------------------------------------------------------------------------------------
// Document level (RSS-DOC)

const CORE_CHILDREN: Record<string, readonly string[]> = {
  rss: ['channel'],
  channel: ['title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate', 'category', 'generator', 'docs', 'cloud', 'ttl', 'image', 'rating', 'textInput', 'skipHours', 'skipDays', 'item'],
  item: ['title', 'link', 'description', 'author', 'category', 'comments', 'enclosure', 'guid', 'pubDate', 'source'],
  image: IMAGE_TEXT,
  textInput: TEXTINPUT_TEXT,
  skipHours: ['hour'],
  skipDays: ['day'],
  cloud: [],
};

/** The only attributes RSS 2.0 defines (all unprefixed). */
const CORE_ATTRS: Record<string, readonly string[]> = {
  rss: ['version'],
  category: ['domain'],
  cloud: ['domain', 'port', 'path', 'registerProcedure', 'protocol'],
  enclosure: ['url', 'length', 'type'],
  guid: ['isPermaLink'],
  source: ['url'],
};

const KNOWN_NS: Record<string, string> = { atom: NS.atom, content: NS.content, dc: NS.dc, sy: NS.sy, slash: NS.slash, fh: NS.fh };
const looseNs = (uri: string): string => uri.trim().toLowerCase().replace(/^https:/, 'http:').replace(/[/#]+$/, '');

const docRules: Rule<XmlDoc>[] = [
  rule('RSS-DOC-001', 'error', 'XML 1.0 §2.1; RSS 2.0 "What is RSS?"', 'The file is well-formed XML 1.0',
    (p) => `not well-formed XML: ${detail(p)}`, checkWellFormed,
    'A reader\'s XML parser stops at the first well-formedness error: the whole feed is unreadable, not just one item.',
    'Generate the XML with a serializer, never by string concatenation; escape `&` and `<` in text and attribute values.'),
  rule('RSS-DOC-002', 'error', 'XML 1.0 §2.8', 'An XML declaration, if present, is the very first thing in the file',
    (p) => detail(p), checkDeclarationFirst,
    'Parsers reject a declaration preceded by anything (even a blank line from a template).',
    'Remove whatever precedes `<?xml` (whitespace, BOM of another encoding, comments).'),
  rule('RSS-DOC-003', 'warning', 'XML 1.0 §2.8', 'The file starts with an XML declaration',
    () => 'no XML declaration: start the file with <?xml version="1.0" encoding="UTF-8"?>', checkHasDeclaration,
    'Without it readers have to guess the version and encoding.', 'Start the file with `<?xml version="1.0" encoding="UTF-8"?>`.'),
  rule('RSS-DOC-004', 'info', 'XML 1.0 §4.3.3', 'The file is UTF-8 and says so',
    (p) => `encoding is ${s(p, 'encoding') === 'none' ? 'not declared' : `"${s(p, 'encoding')}"`}: prefer an explicit UTF-8 declaration`, checkUtf8Declared,
    'UTF-8 is the one encoding every reader handles; others get mis-decoded by some.', 'Encode the file as UTF-8 and declare `encoding="UTF-8"`.'),
  rule('RSS-DOC-005', 'error', 'XML 1.0 §4.3.3', 'The bytes decode cleanly in the declared encoding (UTF-8 when none is declared)',
    (p) => detail(p), checkEncoding,
    'A wrong encoding makes the parser fail, or turns accents into mojibake for every reader.', 'Declare the encoding the bytes really use, or re-encode as UTF-8.'),
  rule('RSS-DOC-006', 'error', 'XML 1.0 §2.2, §4.1', 'No character outside the XML 1.0 Char range, literal or as a reference',
    (p) => detail(p), checkLegalChars,
    'Control characters (often pasted from Word or PDFs) are fatal to XML parsers.', 'Strip C0 controls other than tab, newline and carriage return before serialising.'),
  rule('RSS-DOC-007', 'error', 'XML 1.0 §4.1, §4.6', 'Only the five XML entities and numeric references are used',
    (p) => detail(p), checkEntities,
    'HTML entities such as `&nbsp;` are undefined in XML: the parser stops there.', 'Write the character itself (UTF-8) or a numeric reference such as `&#160;`.'),
  rule('RSS-DOC-008', 'error', 'XML 1.0 §2.4, §2.7', 'The sequence `]]>` does not appear in text',
    (p) => detail(p), checkCdataEnd,
    '`]]>` outside a CDATA section is a well-formedness error.', 'Escape the `>` as `&gt;`, or split the CDATA section: `]]]]><![CDATA[>`.'),
  rule('RSS-DOC-009', 'error', 'Namespaces in XML 1.0 §5; RSS Profile §5', 'Every namespace prefix used is declared',
    (p) => `prefix "${s(p, 'prefix')}" is used but never declared with xmlns:${s(p, 'prefix')}`, checkPrefixesDeclared,
    'Namespace-aware parsers (most readers) reject undeclared prefixes.', 'Declare the prefix on `<rss>`, e.g. `xmlns:atom="http://www.w3.org/2005/Atom"`.'),
  rule('RSS-DOC-010', 'warning', 'RSS Profile §5.1-5.4', 'Extension namespaces use their exact URIs',
    (p) => `namespace "${s(p, 'uri')}"${s(p, 'prefix') ? ` (prefix ${s(p, 'prefix')})` : ''} should be exactly "${s(p, 'expected')}"`,
    function* (doc) {
      const seen = new Set<string>();
      for (const el of descendants(doc.root)) {
        for (const a of el.attrs) {
          if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
          const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
          const byPrefix = KNOWN_NS[prefix];
          const byShape = Object.values(KNOWN_NS).find((u) => looseNs(u) === looseNs(a.value));
          const expected = byShape ?? byPrefix;
          if (expected !== undefined && a.value !== expected && !(byShape === undefined && byPrefix !== undefined && Object.values(NS).includes(a.value as never)) && !seen.has(a.value)) {
            seen.add(a.value);
            yield at(el, { uri: a.value, prefix, expected });
          }
        }
      }
    },
    'A namespace URI that is almost right makes the elements unknown: readers silently ignore them.', 'Copy the namespace URI exactly, including the trailing slash where there is one.'),
  rule('RSS-DOC-011', 'error', 'RSS 2.0 "Extending RSS"; RSS Profile §1', 'Elements the spec does not define are in a namespace; RSS elements are in none',
    (p) =>
      s(p, 'kind') === 'root'
        ? `<rss> must not be in a namespace (found "${s(p, 'ns')}")`
        : s(p, 'kind') === 'text'
          ? `<${s(p, 'element')}> contains the text "${s(p, 'text')}"; it holds elements only`
          : s(p, 'kind') === 'attr'
          ? `attribute ${s(p, 'attr')} is not defined on <${s(p, 'element')}> (attribute names are case-sensitive); put extensions in a namespace`
          : `<${s(p, 'element')}> is not an RSS element of <${s(p, 'parent')}>; put extensions in a namespace`,
    function* (doc) {
      if (!isRss(doc)) return;
      if (doc.root.ns !== '') {
        yield at(doc.root, { kind: 'root', ns: doc.root.ns });
        return;
      }
      // "Elements and attributes not described on this page" must be namespaced, attributes included.
      const badAttrs = (el: XmlElement): Finding[] =>
        el.attrs.filter((a) => a.ns === '' && !(CORE_ATTRS[el.local] ?? []).includes(a.local)).map((a) => at(el, { kind: 'attr', attr: a.name, element: el.name }));
      const walk = (el: XmlElement, allowed: readonly string[]): Finding[] => {
        const out: Finding[] = [];
        // Containers hold elements only: stray text (`<image>http://…</image>`) is not RSS.
        if (el.text.trim() !== '' && el.local !== 'cloud') out.push(at(el, { kind: 'text', element: el.name, text: el.text.trim().slice(0, 40) }));
        for (const c of el.children) {
          if (c.ns !== '' || c.prefix !== '') continue;
          if (!allowed.includes(c.local)) out.push(at(c, { element: c.name, parent: el.local }));
          else {
            // Loops, not push(...): a spread of 200k findings overflows the call stack.
            for (const f of badAttrs(c)) out.push(f);
            if (CORE_CHILDREN[c.local]) for (const f of walk(c, CORE_CHILDREN[c.local] as readonly string[])) out.push(f);
          }
        }
        return out;
      };
      yield* badAttrs(doc.root);
      yield* walk(doc.root, CORE_CHILDREN.rss as readonly string[]);
    },
    'Readers ignore unknown elements, and a default namespace on `<rss>` hides every RSS element from namespace-aware readers.',
    'Remove the default `xmlns` from `<rss>`; put your own elements in a namespace you declare.'),
  rule('RSS-DOC-012', 'error', 'RSS 2.0 "What is RSS?"; RSS Profile §4.1', 'The root is `<rss version="2.0">`',
    (p) => (s(p, 'version') === '' ? '<rss> has no version attribute: write version="2.0"' : `<rss version="${s(p, 'version')}">: the version must be exactly "2.0"`),
    function* (doc) {
      if (!isRss(doc)) return;
      const version = attr(doc.root, 'version');
      if (version !== '2.0') yield at(doc.root, { version: version ?? '' });
    },
    'Readers pick the parser from the root element and version.', 'Write `<rss version="2.0">`.'),
  rule('RSS-DOC-013', 'error', 'RSS 2.0 "What is RSS?"; RSS Profile §4.1', '`<rss>` contains exactly one `<channel>`',
    (p) => `<rss> contains ${s(p, 'count')} <channel> elements; exactly one is required`,
    function* (doc) {
      if (!isRss(doc)) return;
      const n = kids(doc, doc.root, 'channel').length;
      if (n !== 1) yield at(n > 1 ? (kids(doc, doc.root, 'channel')[1] as XmlElement) : doc.root, { count: n });
    },
    'Without a channel there is no feed; with two, readers show only one.', 'Put everything in a single `<channel>`.'),
  rule('RSS-DOC-014', 'info', 'W3C Feed Validator (InvalidDoctype)', 'No `<!DOCTYPE>`',
    () => 'the document has a DOCTYPE; RSS 2.0 has no DTD and some parsers refuse DOCTYPEs', checkNoDoctype,
    'DTDs invite entity-expansion attacks, so hardened readers refuse them.', 'Remove the DOCTYPE.'),
  rule('RSS-DOC-015', 'error', 'RSS Profile §3.1, §5.2.1', 'HTML in `content:encoded` is escaped or in CDATA, never child elements',
    (p) => `<${s(p, 'element')}> contains the element <${s(p, 'child')}>: escape the HTML or wrap it in CDATA`,
    function* (doc) {
      for (const item of items(doc)) for (const el of nsKids(item, 'encoded', NS.content)) if (el.children[0]) yield at(el.children[0], { element: el.name, child: el.children[0].name });
    },
    'Readers take character data only: raw markup is dropped or breaks the item.', 'Wrap the HTML in `<![CDATA[ … ]]>` or escape it.'),
  rule('RSS-DOC-016', 'info', 'RSS Profile §3.1; W3C Feed Validator (NotHtml)', 'HTML is escaped exactly once',
    (p) => `<${s(p, 'element')}> looks double-escaped ("${s(p, 'sample')}" survives XML parsing): readers will show raw tags or entities`,
    function* (doc) {
      for (const el of htmlElements(doc)) {
        // After XML decoding, HTML should hold `<p>`; `&lt;p&gt;` or `&amp;lt;` means a second layer.
        const m = /&lt;\/?[a-z][a-z0-9]*(?:[\s/]|&gt;)|&amp;(?:amp|lt|gt|quot|#);?/i.exec(el.text);
        if (m) yield at(el, { element: path(el), sample: m[0] });
      }
    },
    'Double escaping makes readers display `<p>` or `&amp;` literally.', 'Escape once: either the serializer or the template, not both.'),
  rule('RSS-DOC-017', 'error', 'RSS 2.0 `<guid>`; W3C Feed Validator (DuplicateValue)', 'Every `guid` is unique in the document',
    (p) => `guid "${s(p, 'guid')}" is already used by the item on line ${s(p, 'first')}`,
    function* (doc) {
      const seen = new Map<string, number>();
      for (const item of items(doc)) {
        for (const g of kids(doc, item, 'guid')) {
          const v = value(g);
          if (v === '') continue;
          // The spec compares guids as opaque strings: permalinks differing only in host case are distinct ids.
          const first = seen.get(v);
          if (first !== undefined) yield at(g, { guid: v, first });
          else seen.set(v, g.line);
        }
      }
    },
    'Readers key items by guid: a duplicate hides one item or merges two.', 'Give each item its own permanent id.'),
];

// ---------------------------------------------------------------------------------------------
// Shared data types (RSS-DT)

const dtRules: Rule<XmlDoc>[] = [
  rule('RSS-DT-001', 'error', 'RSS 2.0 optional channel elements; RFC 822 §5.1; RSS Profile §3.2', 'Dates are RFC 822 date-times',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is not an RFC 822 date-time (e.g. "Wed, 02 Oct 2002 13:00:00 GMT"; UTC, CET and +01:00 are invalid)`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (!r.ok && r.problem === 'syntax') yield at(el, { element: path(el), value: value(el) });
      }
    },
    'Readers sort and age items by date; an unparseable date becomes "now" or is dropped.', 'Format dates with `Date.prototype.toUTCString()`, which gives `Wed, 02 Oct 2002 13:00:00 GMT`.'),
  rule('RSS-DT-002', 'error', 'RFC 822 §5; W3C Feed Validator (IncorrectDOW)', 'Dates are real: existing day, valid time, correct weekday',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}": ${s(p, 'reason')}`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (!r.ok && r.problem !== 'syntax') yield at(el, { element: path(el), value: value(el), reason: r.message });
      }
    },
    'An impossible date is parsed differently by each reader, or rejected.', 'Derive the date from a real instant; never assemble it from parts by hand.'),
  rule('RSS-DT-003', 'warning', 'RFC 1123 §5.2.14; RSS Profile §3.2', 'Years have four digits',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" has a two-digit year`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (r.ok && r.notes.includes('two-digit-year')) yield at(el, { element: path(el), value: value(el) });
      }
    },
    'Two-digit years are read as different centuries by different readers.', 'Write the year with four digits.'),
  rule('RSS-DT-004', 'info', 'RSS Profile §3.2; W3C Feed Validator (ProblematicalRFC822Date)', 'Dates use the canonical form `Ddd, DD Mon YYYY HH:MM:SS +0000`',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is valid but not in the canonical form "Ddd, DD Mon YYYY HH:MM:SS +0000" (or GMT)`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (r.ok && (r.notes.includes('non-canonical') || r.notes.includes('whitespace'))) yield at(el, { element: path(el), value: value(el) });
      }
    },
    'Some readers only parse the most common form.', 'Use `toUTCString()` output.'),
  rule('RSS-DT-005', 'info', 'RSS Profile §3.2; RFC 1123 §5.2.14', 'No single-letter military zones other than Z',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" uses a military zone letter; RFC 822 defined their signs backwards`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (r.ok && r.notes.includes('military-zone')) yield at(el, { element: path(el), value: value(el) });
      }
    },
    'Readers disagree on the offset, so the time is off by up to 12 hours.', 'Use `GMT` or a numeric offset.'),
  rule('RSS-DT-006', 'info', 'RSS Profile §4.1.1.20.8; W3C Feed Validator (ImplausibleDate)', 'Dates are plausible (not placeholders such as 1970-01-01)',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" looks like a placeholder date`,
    function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        // The future half needs the clock, which rules do not have: only the past bound here.
        if (r.ok && !isPlausible(r.date, new Date(8.64e15))) yield at(el, { element: path(el), value: value(el) });
      }
    },
    'Readers sort placeholder-dated items to the bottom or treat them as new forever.', 'Use the real publication date.'),
  rule('RSS-DT-010', 'error', 'RSS 2.0 "Comments"; RSS Profile §3.4', 'URL-valued elements hold absolute URLs with a registered scheme',
    (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    function* (doc) {
      for (const { el, what, url } of urlValues(doc)) {
        const r = checkAbsoluteUrl(url, { allowIri: true });
        if (!r.ok) yield at(el, { element: what, reason: r.problem === 'empty' ? 'is empty: an absolute URL is required' : r.message });
      }
    },
    'RSS has no base URL: a relative link leads nowhere in a reader.', 'Make every URL absolute (`https://example.org/path`) at build time.'),
  rule('RSS-DT-011', 'error', 'RSS Profile §3.4 (RFC 3987 §3.1)', 'Non-ASCII URLs are converted from IRI to URI',
    (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    function* (doc) {
      for (const { el, what, url } of urlValues(doc)) {
        const r = checkAbsoluteUrl(url, { allowIri: true });
        if (r.ok && /[^\x00-\x7F]/.test(url)) yield at(el, { element: what, reason: `"${url.trim()}" contains non-ASCII characters: percent-encode them as UTF-8 (IDNA for the host)` });
      }
    },
    'Many readers pass URLs through unchanged; raw non-ASCII characters then fail to resolve.', 'Percent-encode the UTF-8 bytes of non-ASCII path characters; use the punycode form of the host.'),
  rule('RSS-DT-012', 'info', 'RSS 2.0 "Comments"; RSS Profile §3.4', 'URLs use http or https, with no surrounding whitespace',
    (p) => `<${s(p, 'element')}> "${s(p, 'url')}": ${s(p, 'reason')}`,
    function* (doc) {
      for (const { el, what, url } of urlValues(doc)) {
        const r = checkAbsoluteUrl(url, { allowIri: true });
        if (!r.ok) continue;
        if (r.notes.includes('whitespace')) yield at(el, { element: what, url: url.trim(), reason: 'has whitespace around it' });
        else if (r.notes.includes('not-http')) yield at(el, { element: what, url: url.trim(), reason: `scheme ${r.scheme}: is not http or https` });
      }
    },
    'Readers may not open other schemes, and some do not trim whitespace.', 'Use an https URL with nothing around it.'),
  rule('RSS-DT-020', 'error', 'RSS 2.0 `<author>`, optional channel elements; RSS Profile §3.3', '`managingEditor`, `webMaster` and item `author` contain an e-mail address',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" does not contain an e-mail address (write "user@example.org (Real Name)", or use dc:creator for a name)`,
    function* (doc) {
      const ch = channel(doc);
      const els = [...kids(doc, ch, 'managingEditor'), ...kids(doc, ch, 'webMaster'), ...items(doc).flatMap((i) => kids(doc, i, 'author'))];
      for (const el of els) if (!containsEmail(el.text)) yield at(el, { element: path(el), value: value(el) });
    },
    'Readers parse the address out of these fields; a bare name is shown as garbage or dropped.', 'Use `dc:creator` for a name without an address.'),
  rule('RSS-DT-021', 'info', 'RSS Profile §3.3; W3C Feed Validator (EmailFormat)', 'Addresses are written `user@host.tld (Real Name)`',
    (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is not in the form "user@example.org (Real Name)"`,
    function* (doc) {
      const ch = channel(doc);
      const els = [...kids(doc, ch, 'managingEditor'), ...kids(doc, ch, 'webMaster'), ...items(doc).flatMap((i) => kids(doc, i, 'author'))];
      for (const el of els) if (containsEmail(el.text) && !isCanonicalContact(el.text)) yield at(el, { element: path(el), value: value(el) });
    },
    'That is the form readers know how to split into address and name.', 'Write `user@example.org (Real Name)`.'),
  rule('RSS-DT-022', 'info', 'RSS Profile §5.3.1', 'An item does not have both `author` and `dc:creator`',
    () => 'item has both <author> and <dc:creator>; keep one', function* (doc) {
      for (const item of items(doc)) {
        const creator = nsKids(item, 'creator', NS.dc)[0];
        if (creator && kid(doc, item, 'author')) yield at(creator);
      }
    },
    'Readers show one or the other, unpredictably.', 'Use `author` with an address, or `dc:creator` with a name, not both.'),
  rule('RSS-DT-030', 'error', 'RSS Profile §3.1', 'Character-data elements contain no child elements',
    (p) => `<${s(p, 'element')}> must contain only text, but contains <${s(p, 'child')}>`,
    function* (doc) {
      for (const el of characterDataElements(doc)) if (el.children[0]) yield at(el.children[0], { element: path(el), child: el.children[0].name });
      const ch = channel(doc);
      if (ch) for (const c of kids(doc, ch, 'cloud')) if (c.children[0]) yield at(c.children[0], { element: 'cloud', child: c.children[0].name });
    },
    'Readers read these as text: child elements are dropped or break the parse.', 'Escape markup (`&lt;b&gt;`) or remove it.'),
  rule('RSS-DT-031', 'info', 'RSS Profile §3.1; W3C Feed Validator (ContainsHTML)', 'Plain-text elements contain no HTML or entity text',
    (p) => `<${s(p, 'element')}> contains ${s(p, 'what')} "${s(p, 'sample')}"; readers may show it literally`,
    function* (doc) {
      for (const el of plainTextElements(doc)) {
        const tag = /<\/?(?:a|b|i|em|strong|p|br|div|span|img|font|u|h[1-6]|ul|ol|li|table|script|iframe)\b[^>]*>/i.exec(el.text);
        if (tag) yield at(el, { element: path(el), what: 'HTML', sample: tag[0].slice(0, 40) });
        else {
          const ent = /&(?:[A-Za-z][A-Za-z0-9]{1,8}|#\d+|#x[0-9A-Fa-f]+);/.exec(el.text);
          if (ent) yield at(el, { element: path(el), what: 'entity text', sample: ent[0] });
        }
      }
    },
    'Some readers render titles as HTML and others as text, so markup shows up raw for half of them.', 'Keep titles and categories plain text.'),
  rule('RSS-DT-032', 'info', 'RSS Profile §3.1; W3C Feed Validator (CharacterData)', 'In plain text, `&`, `<` and `>` are written as `&#x26;`, `&#x3C;` and `&#x3E;`',
    (p) => `<${s(p, 'element')}> writes "${s(p, 'sample')}"; the RSS Profile recommends numeric references (&#x26; &#x3C; &#x3E;) in plain text`,
    function* (doc) {
      for (const el of plainTextElements(doc)) {
        if (!/[&<>]/.test(el.text)) continue;
        const m = /&(?:amp|lt|gt);|<!\[CDATA\[/.exec(rawContent(doc, el));
        if (m) yield at(el, { element: path(el), sample: m[0] });
      }
    },
    'Readers that decode plain text as HTML double-decode named entities; numeric ones survive more readers.', 'Emit `&#x26;` for `&` and `&#x3C;` for `<` in titles.'),
  rule('RSS-DT-040', 'error', 'RSS 2.0 optional channel elements; RSS Profile §4.1.1.10; W3C Feed Validator (InvalidLanguage)', '`language` is an RSS or W3C language code',
    (p) => `<language> "${s(p, 'value')}" is not a language code such as "en-us" or "fr"`,
    function* (doc) {
      for (const el of kids(doc, channel(doc), 'language')) if (!isRssLanguage(el.text)) yield at(el, { value: value(el) });
    },
    'Readers use it to pick fonts, hyphenation and speech.', 'Use an ISO 639 code, optionally with a region: `en`, `en-us`, `fr-CA`.'),
];

// ---------------------------------------------------------------------------------------------
// Channel (RSS-CH)

const ONCE_CHANNEL = ['cloud', 'copyright', 'docs', 'generator', 'image', 'language', 'lastBuildDate', 'managingEditor', 'pubDate', 'rating', 'skipDays', 'skipHours', 'textInput', 'ttl', 'webMaster'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function* exactlyOne(doc: XmlDoc, local: string): Generator<Finding> {
  const ch = channel(doc);
  if (!ch) return;
  const els = kids(doc, ch, local);
  if (els.length === 0) yield at(ch, { element: local, problem: 'missing' });
  else if (els.length > 1) yield at(els[1] as XmlElement, { element: local, problem: 'repeated' });
}
const oneMessage = (p: Params): string => (s(p, 'problem') === 'missing' ? `<channel> has no <${s(p, 'element')}>; it is required` : `<channel> has more than one <${s(p, 'element')}>`);

const chRules: Rule<XmlDoc>[] = [
  rule('RSS-CH-001', 'error', 'RSS 2.0 required channel elements; RSS Profile §4.1.1', 'The channel has exactly one `title`', oneMessage, (doc) => exactlyOne(doc, 'title'),
    'Readers list the feed under its title.', 'Add one `<title>` to `<channel>`.'),
  rule('RSS-CH-002', 'error', 'RSS 2.0 required channel elements; RSS Profile §4.1.1.2', 'The channel has exactly one `link`', oneMessage, (doc) => exactlyOne(doc, 'link'),
    'Readers link the feed name to the site.', 'Add one `<link>` with the site URL.'),
  rule('RSS-CH-003', 'error', 'RSS 2.0 required channel elements; RSS Profile §4.1.1.1', 'The channel has exactly one `description`', oneMessage, (doc) => exactlyOne(doc, 'description'),
    'Required by the spec; readers show it in feed details.', 'Add one `<description>` (a sentence about the site).'),
  rule('RSS-CH-004', 'error', 'RSS Profile §4.1.1; W3C Feed Validator (DuplicateElement)', 'Optional channel elements appear at most once',
    (p) => `<channel> has more than one <${s(p, 'element')}>`,
    function* (doc) {
      for (const local of ONCE_CHANNEL) {
        const els = kids(doc, channel(doc), local);
        if (els.length > 1) yield at(els[1] as XmlElement, { element: local });
      }
    },
    'Readers take one of the copies, not necessarily the right one.', 'Keep a single element; only `category` may repeat.'),
  rule('RSS-CH-005', 'warning', 'RSS 2.0 required channel elements; W3C Feed Validator (NotBlank)', 'The channel `title` is not empty',
    () => '<channel><title> is empty', function* (doc) {
      for (const el of kids(doc, channel(doc), 'title')) if (value(el) === '' && el.children.length === 0) yield at(el);
    },
    'A feed without a name is hard to find in a subscription list.', 'Use the site name.'),
  rule('RSS-CH-006', 'info', 'RSS 2.0 required channel elements', 'The channel `link` points to the site, not to the feed',
    (p) => `<channel><link> "${s(p, 'url')}" is the feed itself (its atom:link rel="self"); it should be the HTML site`,
    function* (doc) {
      const ch = channel(doc);
      const link = kid(doc, ch, 'link');
      if (!link) return;
      for (const al of atomLinks(doc)) if (al.parent === ch && attr(al, 'rel') === 'self' && attr(al, 'href')?.trim() === value(link)) yield at(link, { url: value(link) });
    },
    'Readers open the channel link as "visit site".', 'Point `<link>` at the HTML home page.'),
  rule('RSS-CH-007', 'info', 'RSS Profile §4.1.1; W3C Feed Validator (MisplacedItem)', 'All `item` elements come after the other channel elements',
    (p) => `<${s(p, 'element')}> comes after an <item>; put items last`,
    function* (doc) {
      const ch = channel(doc);
      if (!ch) return;
      let sawItem = false;
      for (const c of ch.children) {
        if (c.local === 'item' && c.ns === core(doc)) sawItem = true;
        else if (sawItem) {
          yield at(c, { element: c.name });
          return;
        }
      }
    },
    'Streaming readers may miss channel data that follows the items.', 'Emit channel metadata first, then the items.'),
  rule('RSS-CH-010', 'error', 'RSS 2.0 `<ttl>`; RSS Profile §4.1.1.18; W3C Feed Validator (InvalidPositiveInteger)', '`ttl` is a positive whole number of minutes',
    (p) => `<ttl> "${s(p, 'value')}" must be a positive whole number of minutes (digits only)`,
    function* (doc) {
      for (const el of kids(doc, channel(doc), 'ttl')) if (!/^\d+$/.test(value(el)) || Number(value(el)) === 0) yield at(el, { value: value(el) });
    },
    'Pollers use it to space their requests.', 'Write minutes as digits, e.g. `<ttl>60</ttl>`.'),
  rule('RSS-CH-012', 'error', 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9', '`image` has one `url`, `title` and `link`, and at most one `width`, `height`, `description`',
    (p) => (s(p, 'problem') === 'missing' ? `<image> has no <${s(p, 'element')}>; it is required` : `<image> has more than one <${s(p, 'element')}>`),
    function* (doc) {
      for (const image of kids(doc, channel(doc), 'image')) {
        for (const local of ['url', 'title', 'link']) if (kids(doc, image, local).length === 0) yield at(image, { element: local, problem: 'missing' });
        for (const local of IMAGE_TEXT) {
          const els = kids(doc, image, local);
          if (els.length > 1) yield at(els[1] as XmlElement, { element: local, problem: 'repeated' });
        }
      }
    },
    'Readers need all three to show the logo.', 'Give `<image>` a `url`, `title` and `link`.'),
  rule('RSS-CH-014', 'error', 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9.5-6', '`image/width` is 1-144 and `image/height` is 1-400',
    (p) => `<image><${s(p, 'element')}> "${s(p, 'value')}" must be a whole number from 1 to ${s(p, 'max')}`,
    function* (doc) {
      for (const image of kids(doc, channel(doc), 'image')) {
        for (const [local, max] of [['width', 144], ['height', 400]] as const) {
          for (const el of kids(doc, image, local)) {
            const v = value(el);
            if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) yield at(el, { element: local, value: v, max });
          }
        }
      }
    },
    'Readers size the logo box from these; out-of-range values break layouts.', 'Use the real pixel size within the limits, or leave them out.'),
  rule('RSS-CH-015', 'warning', 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9.1-2; W3C Feed Validator (ImageTitleDoesntMatch)', '`image/title` and `image/link` match the channel `title` and `link`',
    (p) => `<image><${s(p, 'element')}> "${s(p, 'value')}" differs from the channel's "${s(p, 'expected')}"`,
    function* (doc) {
      const ch = channel(doc);
      for (const image of kids(doc, ch, 'image')) {
        for (const local of ['title', 'link']) {
          const mine = kid(doc, image, local);
          const theirs = kid(doc, ch, local);
          if (mine && theirs && value(mine) !== value(theirs)) yield at(mine, { element: local, value: value(mine), expected: value(theirs) });
        }
      }
    },
    'The spec says the image stands for the channel; readers use it as the channel link.', 'Copy the channel title and link into the image.'),
  rule('RSS-CH-016', 'error', 'RSS 2.0 `<textInput>`; RSS Profile §4.1.1.17', '`textInput` has `title`, `description`, `name` and `link`, and a valid `name`',
    (p) => (s(p, 'problem') === 'missing' ? `<textInput> has no <${s(p, 'element')}>; it is required` : `<textInput><name> "${s(p, 'value')}" must start with a letter and use only letters, digits, ":", "-", "." and "_"`),
    function* (doc) {
      for (const ti of kids(doc, channel(doc), 'textInput')) {
        for (const local of TEXTINPUT_TEXT) if (!kid(doc, ti, local)) yield at(ti, { element: local, problem: 'missing' });
        for (const el of kids(doc, ti, 'name')) if (!/^[A-Za-z][A-Za-z0-9:._-]*$/.test(value(el))) yield at(el, { value: value(el), problem: 'name' });
      }
    },
    'Readers that support it need all four to build the form.', 'Add the missing children, or drop `textInput` (see RSS-CH-017).'),
  rule('RSS-CH-017', 'info', 'RSS Profile §4.1.1.17; W3C Feed Validator (AvoidTextInput)', 'Leave out `textInput`',
    () => 'almost no reader supports <textInput>', function* (doc) {
      for (const ti of kids(doc, channel(doc), 'textInput')) yield at(ti);
    },
    'It is ignored nearly everywhere.', 'Remove it.'),
  rule('RSS-CH-018', 'error', 'RSS 2.0 `<cloud>`; RSS Profile §4.1.1.5', '`cloud` is empty and has valid `domain`, `port`, `path`, `registerProcedure` and `protocol`',
    (p) => `<cloud> ${s(p, 'reason')}`,
    function* (doc) {
      for (const cloud of kids(doc, channel(doc), 'cloud')) {
        for (const name of ['domain', 'port', 'path', 'registerProcedure', 'protocol']) if (attr(cloud, name) === undefined) yield at(cloud, { reason: `has no ${name} attribute` });
        const port = attr(cloud, 'port');
        if (port !== undefined && (!/^\d+$/.test(port.trim()) || Number(port) < 1 || Number(port) > 65535)) yield at(cloud, { reason: `port "${port}" must be a positive integer` });
        const protocol = attr(cloud, 'protocol');
        if (protocol !== undefined && !['xml-rpc', 'soap', 'http-post'].includes(protocol.trim().toLowerCase())) yield at(cloud, { reason: `protocol "${protocol}" must be xml-rpc, soap or http-post` });
        if (cloud.text.trim() !== '') yield at(cloud, { reason: 'must be empty' });
      }
    },
    'rssCloud clients register with exactly these values.', 'Give all five attributes, or remove `cloud`.'),
  rule('RSS-CH-019', 'error', 'RSS 2.0 optional channel elements (skipHours); RSS Profile §4.1.1.16; W3C Feed Validator (InvalidHour)', '`skipHours` holds 1-24 distinct `hour` values from 0 to 23',
    (p) => `<skipHours> ${s(p, 'reason')}`,
    function* (doc) {
      for (const sk of kids(doc, channel(doc), 'skipHours')) {
        const hours = kids(doc, sk, 'hour');
        if (hours.length === 0 || hours.length > 24) yield at(sk, { reason: `must hold 1 to 24 <hour> elements, not ${hours.length}` });
        const seen = new Set<number>();
        for (const h of hours) {
          const v = value(h);
          if (!/^\d{1,2}$/.test(v) || Number(v) > 23) yield at(h, { reason: `hour "${v}" must be a whole number from 0 to 23 (GMT; midnight is 0)` });
          else if (seen.has(Number(v))) yield at(h, { reason: `hour ${v} is repeated` });
          else seen.add(Number(v));
        }
      }
    },
    'Pollers skip the listed hours; invalid values are ignored or misread.', 'List each hour 0-23 once.'),
  rule('RSS-CH-020', 'error', 'RSS 2.0 optional channel elements (skipDays); RSS Profile §4.1.1.15', '`skipDays` holds 1-7 distinct day names',
    (p) => `<skipDays> ${s(p, 'reason')}`,
    function* (doc) {
      for (const sk of kids(doc, channel(doc), 'skipDays')) {
        const days = kids(doc, sk, 'day');
        if (days.length === 0 || days.length > 7) yield at(sk, { reason: `must hold 1 to 7 <day> elements, not ${days.length}` });
        const seen = new Set<string>();
        for (const d of days) {
          const v = value(d);
          if (!DAYS.includes(v)) yield at(d, { reason: `day "${v}" must be one of ${DAYS.join(', ')}` });
          else if (seen.has(v)) yield at(d, { reason: `day ${v} is repeated` });
          else seen.add(v);
        }
      }
    },
    'Pollers skip the listed days; other spellings are ignored.', 'Use the English day names with a capital initial, each once.'),
  rule('RSS-CH-021', 'warning', 'RSS 2.0 `<category>`; RSS Profile §4.1.1.4; W3C Feed Validator (NotBlank)', 'Each `category` is non-empty',
    (p) => `<${s(p, 'element')}> is empty`,
    function* (doc) {
      const ch = channel(doc);
      for (const el of [...kids(doc, ch, 'category'), ...items(doc).flatMap((i) => kids(doc, i, 'category'))]) if (value(el) === '' && el.children.length === 0) yield at(el, { element: path(el) });
    },
    'Empty categories show up as blank tags.', 'Remove empty categories.'),
  rule('RSS-CH-024', 'info', 'RSS Profile §4.1.1.7', '`docs` points to the RSS specification',
    (p) => `<docs> "${s(p, 'value')}" is not https://www.rssboard.org/rss-specification`,
    function* (doc) {
      for (const el of kids(doc, channel(doc), 'docs')) {
        if (!/^https?:\/\/(www\.rssboard\.org\/rss-specification|blogs\.law\.harvard\.edu\/tech\/rss|cyber\.(law\.)?harvard\.edu\/rss\/rss\.html|backend\.userland\.com\/rss)\/?$/.test(value(el))) yield at(el, { value: value(el) });
      }
    },
    'It tells people who find the file what format it is.', 'Use `https://www.rssboard.org/rss-specification`.'),
  rule('RSS-CH-025', 'info', 'W3C Feed Validator (MissingDCLanguage)', 'The channel has a `language` (or `xml:lang` on the root)',
    () => 'no <language> (or xml:lang on <rss>): readers cannot tell the language', function* (doc) {
      const ch = channel(doc);
      if (ch && !kid(doc, ch, 'language') && attr(doc.root, 'lang', NS.xml) === undefined && nsKids(ch, 'language', NS.dc).length === 0) yield at(ch);
    },
    'Readers use it for fonts, hyphenation, translation offers and speech.', 'Add `<language>en-us</language>` (your language).'),
];

// ---------------------------------------------------------------------------------------------
// Item (RSS-IT)

const ONCE_ITEM = ['title', 'link', 'description', 'author', 'comments', 'guid', 'pubDate', 'source'];
const itemLabel = (el: XmlElement): string => `item on line ${el.line}`;

const itRules: Rule<XmlDoc>[] = [
  rule('RSS-IT-001', 'error', 'RSS 2.0 "Elements of <item>"; W3C Feed Validator (ItemMustContainTitleOrDescription)', 'Every item has a `title` or a `description`',
    () => '<item> has neither <title> nor <description>; at least one is required',
    function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'title') && !kid(doc, item, 'description')) yield at(item);
    },
    'Readers have nothing to show for such an item.', 'Give the item a title, a description, or both.'),
  rule('RSS-IT-002', 'error', 'RSS Profile §4.1.1.20; W3C Feed Validator (DuplicateElement)', 'Item elements other than `category` and `enclosure` appear at most once',
    (p) => `<item> has more than one <${s(p, 'element')}>`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const local of ONCE_ITEM) {
          const els = kids(doc, item, local);
          if (els.length > 1) yield at(els[1] as XmlElement, { element: local });
        }
      }
    },
    'Readers take one of the copies, not necessarily the right one.', 'Keep a single element per item.'),
  rule('RSS-IT-003', 'warning', 'RSS Profile §4.1.1.20.5; W3C Feed Validator (DuplicateEnclosure)', 'An item has at most one `enclosure`',
    () => '<item> has more than one <enclosure>; most readers use only the first',
    function* (doc) {
      for (const item of items(doc)) {
        const els = kids(doc, item, 'enclosure');
        if (els.length > 1) yield at(els[1] as XmlElement);
      }
    },
    'Podcast clients download only the first enclosure.', 'One media file per item.'),
  rule('RSS-IT-004', 'warning', 'W3C Feed Validator (NotBlank)', 'Item `title`, when present, is not empty',
    () => '<item><title> is empty', function* (doc) {
      for (const item of items(doc)) for (const el of kids(doc, item, 'title')) if (value(el) === '' && el.children.length === 0) yield at(el);
    },
    'Readers show an untitled entry.', 'Leave the title out instead, or write one.'),
  rule('RSS-IT-005', 'error', 'RSS Profile §4.1.1.20.4, §3.1', 'Item `description` is HTML as character data (escaped or CDATA), never child elements',
    (p) => `<item><description> contains the element <${s(p, 'child')}>: escape the HTML or wrap it in CDATA`,
    function* (doc) {
      for (const item of items(doc)) for (const el of kids(doc, item, 'description')) if (el.children[0]) yield at(el.children[0], { child: el.children[0].name });
    },
    'Readers take the text content: raw markup is dropped or breaks the item.', 'Wrap the HTML in `<![CDATA[ … ]]>` or escape it.'),
  rule('RSS-IT-006', 'info', 'RSS Profile §4.1.1.20.4; W3C Feed Validator (ContainsRelRef)', 'No relative `href`/`src` inside HTML content',
    (p) => `<${s(p, 'element')}> has a relative ${s(p, 'attr')}="${s(p, 'url')}"; RSS has no base URL`,
    function* (doc) {
      for (const el of htmlElements(doc)) {
        const m = /\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(el.text.replace(/<!--[\s\S]*?-->/g, ''));
        const url = m ? (m[2] ?? m[3] ?? m[4] ?? '') : undefined;
        if (m && url !== undefined && url !== '' && !url.startsWith('#') && isRelativeReference(url)) yield at(el, { element: path(el), attr: (m[1] as string).toLowerCase(), url });
      }
    },
    'Readers resolve relative links against their own pages: images break and links lead nowhere.', 'Make every `href` and `src` absolute at build time.'),
  rule('RSS-IT-007', 'info', 'W3C Feed Validator (SecurityRisk)', 'No `script`, `iframe`, `embed`, `object` or `on*` attributes in HTML content',
    (p) => `<${s(p, 'element')}> contains ${s(p, 'what')}; readers strip it`,
    function* (doc) {
      for (const el of htmlElements(doc)) {
        const m = /<(script|iframe|embed|object)\b|\s(on[a-z]+)\s*=/i.exec(el.text);
        if (m) yield at(el, { element: path(el), what: m[1] ? `<${m[1].toLowerCase()}>` : `an ${m[2]} attribute` });
      }
    },
    'Readers remove active content, so whatever depends on it is lost.', 'Keep feed HTML static.'),
  rule('RSS-IT-010', 'info', 'RSS 2.0 `<author>`; RSS Profile §4.1.1.20.1', 'A single-author feed uses `managingEditor` rather than the same item `author` everywhere',
    (p) => `every item has the same <author> "${s(p, 'value')}"; a single-author feed can say it once in <managingEditor>`,
    function* (doc) {
      const its = items(doc);
      const authors = its.map((i) => kid(doc, i, 'author')).filter((a): a is XmlElement => a !== undefined);
      if (its.length > 1 && authors.length === its.length && new Set(authors.map(value)).size === 1) yield at(authors[0] as XmlElement, { value: value(authors[0] as XmlElement) });
    },
    'Repeating one address on every item adds noise and exposes it more.', 'Put the address in `managingEditor` and drop item authors.'),
  rule('RSS-IT-011', 'error', 'RSS 2.0 `<enclosure>`; W3C Feed Validator (MissingAttribute)', '`enclosure` has `url`, `length` and `type`',
    (p) => `<enclosure> has no ${s(p, 'attr')} attribute; url, length and type are all required`,
    function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) for (const a of ['url', 'length', 'type']) if (attr(enc, a) === undefined) yield at(enc, { attr: a });
    },
    'Podcast clients need all three to download and play the file.', 'Give the URL, the size in bytes and the MIME type.'),
  rule('RSS-IT-012', 'error', 'RSS 2.0 `<enclosure>`; W3C Feed Validator (InvalidURLAttribute)', '`enclosure/@url` is an absolute http or https URL',
    (p) => `<enclosure> url ${s(p, 'reason')}`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const enc of kids(doc, item, 'enclosure')) {
          const url = attr(enc, 'url');
          if (url === undefined) continue;
          const r = checkAbsoluteUrl(url, { allowIri: true });
          if (!r.ok) yield at(enc, { reason: r.problem === 'empty' ? 'is empty' : r.message });
          else if (r.scheme !== 'http' && r.scheme !== 'https') yield at(enc, { reason: `"${url}" must be http or https` });
        }
      }
    },
    'Podcast clients fetch enclosures over HTTP(S) only.', 'Serve the media over https and give its absolute URL.'),
  rule('RSS-IT-013', 'error', 'RSS 2.0 `<enclosure>`; W3C Feed Validator (UseZeroForUnknown)', '`enclosure/@length` is a non-negative whole number of bytes',
    (p) => `<enclosure> length "${s(p, 'value')}" must be a whole number of bytes (0 when unknown)`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const enc of kids(doc, item, 'enclosure')) {
          const length = attr(enc, 'length');
          if (length !== undefined && !/^\d+$/.test(length.trim())) yield at(enc, { value: length });
        }
      }
    },
    'Clients use it for progress bars and storage decisions.', 'Write the file size in bytes, digits only.'),
  rule('RSS-IT-014', 'info', 'RSS Profile §4.1.1.20.5', '`enclosure/@length` is the real size (0 only when unknowable)',
    () => '<enclosure> length is 0; give the real size in bytes unless it cannot be known',
    function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) if (attr(enc, 'length')?.trim() === '0') yield at(enc);
    },
    'Clients cannot show sizes or check downloads without it.', 'Record the media size at upload time.'),
  rule('RSS-IT-015', 'error', 'RSS 2.0 `<enclosure>`; W3C Feed Validator (InvalidMIMEAttribute)', '`enclosure/@type` is a MIME type',
    (p) => `<enclosure> type "${s(p, 'value')}" is not a MIME type such as "audio/mpeg"`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const enc of kids(doc, item, 'enclosure')) {
          const type = attr(enc, 'type');
          if (type !== undefined && !isMimeType(type)) yield at(enc, { value: type });
        }
      }
    },
    'Clients choose a player from it.', 'Use the media type the server sends, e.g. `audio/mpeg`.'),
  rule('RSS-IT-017', 'error', 'RSS Profile §4.1.1.20.5', '`enclosure` is an empty element',
    () => '<enclosure> must be empty (everything goes in its attributes)',
    function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) if (enc.text.trim() !== '' || enc.children.length > 0) yield at(enc);
    },
    'Readers ignore the content; it usually means the URL was put in the wrong place.', 'Move the URL into the `url` attribute and close the element: `<enclosure … />`.'),
  rule('RSS-IT-018', 'warning', 'RSS 2.0 "Comments"; RSS Profile §4.1.1.20.6; W3C Feed Validator (MissingGuid)', 'Every item has a `guid`',
    () => '<item> has no <guid>; readers then guess identity from the link or title and show edits as new items',
    function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'guid')) yield at(item);
    },
    'Without a stable id, an edited item reappears as unread.', 'Give every item a permanent `guid`.'),
  rule('RSS-IT-019', 'error', 'RSS 2.0 `<guid>`; W3C Feed Validator (InvalidBooleanAttribute)', '`guid/@isPermaLink` is `true` or `false`',
    (p) => `<guid> isPermaLink="${s(p, 'value')}" must be "true" or "false"`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const g of kids(doc, item, 'guid')) {
          const v = attr(g, 'isPermaLink');
          if (v !== undefined && v !== 'true' && v !== 'false') yield at(g, { value: v });
        }
      }
    },
    'Readers compare the attribute to the exact strings.', 'Write `isPermaLink="false"` for ids that are not URLs.'),
  rule('RSS-IT-020', 'error', 'RSS 2.0 `<guid>`; RSS Profile §4.1.1.20.6; W3C Feed Validator (InvalidPermalink)', 'A permalink `guid` (the default) is an absolute http(s) URL',
    (p) => `<guid> "${s(p, 'value')}" is a permalink (isPermaLink is ${s(p, 'how')}) but ${s(p, 'reason')}; add isPermaLink="false" for ids that are not URLs`,
    function* (doc) {
      for (const item of items(doc)) {
        for (const g of kids(doc, item, 'guid')) {
          const flag = attr(g, 'isPermaLink');
          if (flag === 'false' || (flag !== undefined && flag !== 'true')) continue;
          const v = value(g);
          if (v === '') continue;
          const r = checkAbsoluteUrl(g.text, { allowIri: true });
          const how = flag === undefined ? 'true by default' : 'true';
          if (!r.ok) yield at(g, { value: v, how, reason: 'it is not an absolute URL' });
          else if (r.scheme !== 'http' && r.scheme !== 'https') yield at(g, { value: v, how, reason: `scheme ${r.scheme}: is not http or https` });
        }
      }
    },
    'Readers open a permalink guid as the item\'s page.', 'Set `isPermaLink="false"` on `tag:` URIs, UUIDs and database keys.'),
  rule('RSS-IT-021', 'error', 'RSS 2.0 `<guid>`', '`guid` is not empty (uniqueness: RSS-DOC-017)',
    () => '<guid> is empty', function* (doc) {
      for (const item of items(doc)) for (const g of kids(doc, item, 'guid')) if (value(g) === '' && g.children.length === 0) yield at(g);
    },
    'An empty id makes all such items one item to readers.', 'Give every item a permanent id, or leave `guid` out.'),
  rule('RSS-IT-023', 'info', 'W3C Feed Validator (NotSufficientlyUnique); RSS Profile §4.1.1.20.6', 'A `guid` is more than a short number',
    (p) => `<guid> "${s(p, 'value')}" is a bare number; readers merge ids across feeds, so prefer the permalink or a tag: URI`,
    function* (doc) {
      for (const item of items(doc)) for (const g of kids(doc, item, 'guid')) if (/^\d{1,9}$/.test(value(g))) yield at(g, { value: value(g) });
    },
    'Some aggregators key items globally; a small integer collides with other feeds.', 'Use the permalink or `tag:example.org,2024:post-123`.'),
  rule('RSS-IT-026', 'info', 'reader expectation', 'Every item has a `pubDate`',
    () => '<item> has no <pubDate>; readers sort by it', function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'pubDate')) yield at(item);
    },
    'Undated items are shown with the fetch time, which scrambles ordering.', 'Give every item its publication date.'),
  rule('RSS-IT-027', 'error', 'RSS 2.0 `<source>`; RSS Profile §4.1.1.20.9', '`source` has a `url` attribute',
    () => '<source> has no url attribute (the URL of the feed the item came from)',
    function* (doc) {
      for (const item of items(doc)) for (const src of kids(doc, item, 'source')) if (attr(src, 'url') === undefined) yield at(src);
    },
    'Readers link back to the original feed through it.', 'Add `url="https://…/feed.xml"`, with the feed title as content.'),
];

// ---------------------------------------------------------------------------------------------
// Namespaced extensions (RSS-EXT)

/** IANA link relations (https://www.iana.org/assignments/link-relations/). */
const LINK_RELS = new Set(
  (
    'about acl alternate amphtml appendix apple-touch-icon apple-touch-startup-image archives author blocked-by bookmark c2pa-manifest canonical chapter cite-as collection compression-dictionary contents ' +
    'convertedfrom copyright create-form current describedby describes disclosure dns-prefetch duplicate edit edit-form edit-media enclosure external first glossary help hosts hub ' +
    'icon index intervalafter intervalbefore intervalcontains intervaldisjoint intervalduring intervalequals intervalfinishedby intervalfinishes intervalin intervalmeets intervalmetby ' +
    'intervaloverlappedby intervaloverlaps intervalstartedby intervalstarts item last latest-version license linkset lrdd manifest mask-icon me media-feed memento micropub modulepreload ' +
    'monitor monitor-group next next-archive nofollow noopener noreferrer opener openid2.local_id openid2.provider original payment pingback preconnect predecessor-version prefetch ' +
    'preload prerender prev prev-archive preview previous privacy-policy profile publication related replies restconf search section self service service-desc service-doc service-meta ' +
    'sip-trunking-capability sponsored start status stylesheet subsection successor-version sunset tag terms-of-service timegate timemap type ugc up version-history via webmention ' +
    'working-copy working-copy-of'
  ).split(' '),
);

const ITUNES_EXPLICIT = new Set(['true', 'false', 'yes', 'no', 'clean']);
const ITUNES_DURATION = /^(?:\d+|\d+:[0-5]?\d|\d+:[0-5]?\d:[0-5]?\d)(?:\.\d+)?$/;

const extRules: Rule<XmlDoc>[] = [
  rule('RSS-EXT-001', 'info', 'RSS Profile §5.1.1; W3C Feed Validator (MissingAtomSelfLink)', 'The channel has `<atom:link rel="self" type="application/rss+xml" href="…"/>`',
    () => 'no <atom:link rel="self" href="…"/> in <channel>: readers and hubs cannot tell the feed\'s own URL',
    function* (doc) {
      const ch = channel(doc);
      if (ch && !nsKids(ch, 'link', NS.atom).some((l) => attr(l, 'rel') === 'self')) yield at(ch);
    },
    'Readers use it to follow moves; WebSub hubs use it as the topic.', 'Add `<atom:link rel="self" type="application/rss+xml" href="https://…/rss.xml"/>`.'),
  rule('RSS-EXT-002', 'error', 'RSS Profile §5.1.1; RFC 4287 §4.2.7', '`atom:link` has an absolute `href`; `rel`, `type` and `hreflang` are valid',
    (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    function* (doc) {
      for (const l of atomLinks(doc)) {
        const href = attr(l, 'href');
        const params = (reason: string): Finding => at(l, { element: l.name, reason });
        if (href === undefined) yield params('has no href attribute');
        else {
          const r = checkAbsoluteUrl(href, { allowIri: true });
          if (!r.ok) yield params(`href ${r.problem === 'empty' ? 'is empty' : r.message}`);
        }
        const rel = attr(l, 'rel');
        if (rel !== undefined && !LINK_RELS.has(rel.trim()) && !checkAbsoluteUrl(rel, { allowIri: true }).ok) yield params(`rel "${rel}" is neither a registered relation nor an absolute IRI`);
        const type = attr(l, 'type');
        if (type !== undefined && !isMimeType(type)) yield params(`type "${type}" is not a MIME type`);
        const hreflang = attr(l, 'hreflang');
        if (hreflang !== undefined && !isLanguageTag(hreflang)) yield params(`hreflang "${hreflang}" is not a language tag`);
      }
    },
    'Readers and hubs follow these links; a broken one sends them nowhere.', 'Give an absolute `href` and valid `rel`, `type` and `hreflang`.'),
  rule('RSS-EXT-004', 'error', 'RSS Profile §5.2.1', '`content:encoded` appears at most once per item',
    () => '<item> has more than one <content:encoded>', function* (doc) {
      for (const item of items(doc)) {
        const els = nsKids(item, 'encoded', NS.content);
        if (els.length > 1) yield at(els[1] as XmlElement);
      }
    },
    'Readers show only one of them.', 'Merge the content into one `content:encoded`.'),
  rule('RSS-EXT-005', 'info', 'RSS Profile §5.2.1; W3C Feed Validator (NeedDescriptionBeforeContent)', '`description` (summary) comes before `content:encoded` (full text)',
    () => '<content:encoded> comes before <description>; put the summary first',
    function* (doc) {
      for (const item of items(doc)) {
        const enc = nsKids(item, 'encoded', NS.content)[0];
        const desc = kid(doc, item, 'description');
        if (enc && desc && item.children.indexOf(enc) < item.children.indexOf(desc)) yield at(enc);
      }
    },
    'Some readers take the first of the two as the summary.', 'Emit `description` first.'),
  rule('RSS-EXT-006', 'info', 'RSS Profile §5.1.1; W3C Feed Validator (DuplicateSemantics)', 'Core elements are not duplicated by Dublin Core ones',
    (p) => `<${s(p, 'dc')}> duplicates <${s(p, 'core')}>; keep the core element only`,
    function* (doc) {
      const ch = channel(doc);
      const pairs = [['date', 'pubDate'], ['subject', 'category'], ['language', 'language'], ['rights', 'copyright']] as const;
      for (const el of ch ? [ch, ...items(doc)] : []) {
        for (const [dc, coreName] of pairs) {
          const d = nsKids(el, dc, NS.dc)[0];
          if (d && kid(doc, el, coreName)) yield at(d, { dc: `dc:${dc}`, core: coreName });
        }
      }
    },
    'Readers pick one of the two, and they may disagree.', 'Drop the Dublin Core duplicate.'),
  rule('RSS-EXT-007', 'info', 'RSS Profile §5.4.1; W3C Feed Validator (SlashDate)', '`slash:comments` is a non-negative integer, and the channel then has `lastBuildDate`',
    (p) => (s(p, 'value') ? `<slash:comments> "${s(p, 'value')}" is not a non-negative integer` : 'items use <slash:comments> but <channel> has no <lastBuildDate>'),
    function* (doc) {
      const ch = channel(doc);
      let used = false;
      for (const item of items(doc)) {
        for (const c of nsKids(item, 'comments', NS.slash)) {
          used = true;
          if (!/^\d+$/.test(value(c))) yield at(c, { value: value(c) || '(empty)' });
        }
      }
      if (used && ch && !kid(doc, ch, 'lastBuildDate')) yield at(ch);
    },
    'Comment counts change without the items changing; lastBuildDate tells readers to refresh.', 'Add `lastBuildDate`.'),
  rule('RSS-EXT-008', 'error', 'RSS 1.0 Syndication module; W3C Feed Validator (InvalidUpdatePeriod)', '`sy:updatePeriod`, `sy:updateFrequency` and `sy:updateBase` are valid and appear at most once',
    (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    function* (doc) {
      const ch = channel(doc);
      if (!ch) return;
      for (const local of ['updatePeriod', 'updateFrequency', 'updateBase']) {
        const els = nsKids(ch, local, NS.sy);
        if (els.length > 1) yield at(els[1] as XmlElement, { element: `sy:${local}`, reason: 'appears more than once' });
      }
      for (const el of nsKids(ch, 'updatePeriod', NS.sy)) if (!['hourly', 'daily', 'weekly', 'monthly', 'yearly'].includes(value(el))) yield at(el, { element: 'sy:updatePeriod', reason: `"${value(el)}" must be hourly, daily, weekly, monthly or yearly` });
      for (const el of nsKids(ch, 'updateFrequency', NS.sy)) if (!/^\d+$/.test(value(el)) || Number(value(el)) < 1) yield at(el, { element: 'sy:updateFrequency', reason: `"${value(el)}" must be a positive integer` });
      for (const el of nsKids(ch, 'updateBase', NS.sy)) if (!parseW3cDtf(el.text).ok) yield at(el, { element: 'sy:updateBase', reason: `"${value(el)}" is not a W3C-DTF date such as 2000-01-01T12:00+00:00` });
    },
    'Aggregators compute the polling interval from these.', 'Use the exact lowercase period names and a positive frequency.'),
  rule('RSS-EXT-009', 'info', 'RFC 5005 §2, §4; W3C Feed Validator (FeedHistoryRelInEntry)', 'Feed history and paging elements sit only at channel level',
    (p) => `<${s(p, 'element')}> belongs in <channel>, not in <item>`,
    function* (doc) {
      const paging = ['next', 'prev', 'previous', 'first', 'last', 'current', 'prev-archive', 'next-archive'];
      for (const item of items(doc)) {
        for (const el of [...nsKids(item, 'complete', NS.fh), ...nsKids(item, 'archive', NS.fh)]) yield at(el, { element: el.name });
        for (const l of nsKids(item, 'link', NS.atom)) if (paging.includes(attr(l, 'rel') ?? '')) yield at(l, { element: `${l.name} rel="${attr(l, 'rel') ?? ''}"` });
      }
    },
    'Archive-aware readers only look for them in the channel.', 'Move them to `<channel>`.'),
  // Not a digest row: the iTunes podcast namespace is common enough that its closed value sets are worth checking.
  rule('RSS-EXT-010', 'error', 'Apple Podcasts RSS tags (itunes namespace); W3C Feed Validator (InvalidYesNoClean, InvalidDuration, InvalidItunesEpisodeType)', 'iTunes podcast elements hold values from their defined sets',
    (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    function* (doc) {
      const ch = channel(doc);
      if (!ch) return;
      for (const owner of [ch, ...items(doc)]) {
        for (const el of nsKids(owner, 'explicit', NS.itunes)) {
          if (!ITUNES_EXPLICIT.has(value(el).toLowerCase())) yield at(el, { element: 'itunes:explicit', reason: `"${value(el)}" must be true or false (yes, no and clean are also accepted)` });
        }
        for (const el of nsKids(owner, 'image', NS.itunes)) {
          const href = attr(el, 'href');
          if (href === undefined) yield at(el, { element: 'itunes:image', reason: 'has no href attribute' });
          else if (!checkAbsoluteUrl(href).ok || !/^https?:/i.test(href.trim())) yield at(el, { element: 'itunes:image', reason: `href "${href}" must be an absolute http(s) URL` });
        }
      }
      for (const el of nsKids(ch, 'type', NS.itunes)) if (!['episodic', 'serial'].includes(value(el))) yield at(el, { element: 'itunes:type', reason: `"${value(el)}" must be episodic or serial` });
      for (const item of items(doc)) {
        for (const el of nsKids(item, 'duration', NS.itunes)) {
          if (!ITUNES_DURATION.test(value(el))) yield at(el, { element: 'itunes:duration', reason: `"${value(el)}" must be seconds or [HH:]MM:SS with minutes and seconds below 60` });
        }
        for (const el of nsKids(item, 'episodeType', NS.itunes)) if (!['full', 'trailer', 'bonus'].includes(value(el))) yield at(el, { element: 'itunes:episodeType', reason: `"${value(el)}" must be full, trailer or bonus` });
        for (const local of ['episode', 'season']) {
          for (const el of nsKids(item, local, NS.itunes)) if (!/^\d+$/.test(value(el)) || Number(value(el)) < 1) yield at(el, { element: `itunes:${local}`, reason: `"${value(el)}" must be a positive integer` });
        }
      }
    },
    'Podcast directories reject or mis-sort episodes whose iTunes tags hold unknown values.', 'Use the documented values, e.g. `<itunes:explicit>false</itunes:explicit>`, `<itunes:duration>1:02:03</itunes:duration>`.'),
];

/** Every RSS 2.0 rule, document-level first. */
export const rssRules: Rule<XmlDoc>[] = [...docRules, ...dtRules, ...chRules, ...itRules, ...extRules];

/**
 * Digest rows checked by another rule (so one problem is reported once), or not checkable
 * from the document alone. docs/rules.md lists them.
 */
export const rssRowsElsewhere: Record<string, string> = {
  'RSS-CH-008': 'checked by RSS-DT-001 and RSS-DT-002 (channel pubDate and lastBuildDate)',
  'RSS-CH-009': 'needs the previous publication: checked by the build gate (`comparePrevious`)',
  'RSS-CH-011': 'needs the HTTP response: compare with the server configuration (polling.md)',
  'RSS-CH-013': 'not checkable from the document: needs fetching the image',
  'RSS-CH-022': 'advice on taxonomy design, not checkable',
  'RSS-CH-023': 'checked by RSS-DT-010 (channel docs)',
  'RSS-IT-008': 'checked by RSS-DT-010 (item link and comments)',
  'RSS-IT-009': 'checked by RSS-DT-020 (item author)',
  'RSS-IT-016': 'not checkable from the document: needs fetching the media',
  'RSS-IT-022': 'needs the previous publication: checked by the build gate (`comparePrevious`)',
  'RSS-IT-024': 'checked by RSS-DT-001 and RSS-DT-002 (item pubDate)',
  'RSS-IT-025': 'needs the clock: a future pubDate is only knowable at publication time',
  'RSS-IT-028': 'checked by RSS-DT-030 (no child elements) and RSS-CH-021 (non-empty)',
  'RSS-EXT-003': 'needs the URL the feed was fetched from',
};
