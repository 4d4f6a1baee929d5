// RSS 2.0 (RSS Advisory Board, spec revision 2.0.11) and the RSS Best Practices Profile 1.0; ids and levels from the kiosque RSS digest.
import { activeContent, linkValues, outsideCode } from '../html-tags.js';
import { findEntity, findHtmlTag } from '../../values/html-text.js';
import { defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, children, descendants, type XmlDoc, type XmlElement } from '../xml.js';
import { isPlausible, parseRfc822, parseW3cDtf } from '../../values/dates.js';
import { checkAbsoluteUrl, isRelativeReference, type UrlCheck } from '../../values/uri.js';
import { containsEmail, isCanonicalContact } from '../../values/email.js';
import { isLanguageTag, isRssLanguage } from '../../values/language.js';
import { isMimeType as isMimeTypeStrict } from '../../values/mime.js';
import { boundedMemo } from '../../values/memo.js';

/** RSS attribute values may carry whitespace around a media type. */
const isMimeType = (value: string): boolean => isMimeTypeStrict(value.trim());
import {
  checkCdataEnd,
  checkDeclarationFirst,
  checkEncoding,
  checkEntities,
  checkEntityDeclarations,
  checkHasDeclaration,
  checkLegalChars,
  checkNoDoctype,
  checkPrefixesDeclared,
  checkUtf8Declared,
  checkWellFormed,
} from './xml-doc.js';

type Params = Record<string, string | number>;


const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const s = (p: Params, key: string): string => String(p[key] ?? '');
const detail = (p: Params): string => s(p, 'detail');

// ---------------------------------------------------------------------------------------------
// Navigation. Core RSS elements carry the root's namespace (normally none): a wrongly
// namespaced document gets one RSS-DOC-011 error instead of a cascade of "missing" ones.

const core = (doc: XmlDoc): string => doc.root.ns;
const isRss = (doc: XmlDoc): boolean => doc.root.local === 'rss';
const indexed = children;
const kids = (doc: XmlDoc, el: XmlElement | undefined, local: string): XmlElement[] => (el ? indexed(el, local, core(doc)) : []);
const kid = (doc: XmlDoc, el: XmlElement | undefined, local: string): XmlElement | undefined => kids(doc, el, local)[0];
const channel = (doc: XmlDoc): XmlElement | undefined => (isRss(doc) ? kid(doc, doc.root, 'channel') : undefined);
const items = (doc: XmlDoc): XmlElement[] => kids(doc, channel(doc), 'item');
const nsKids = (el: XmlElement | undefined, local: string, ns: string): XmlElement[] => (el ? indexed(el, local, ns) : []);
const path = (el: XmlElement): string => (el.parent && el.parent.parent && el.parent.local !== 'rss' ? `${el.parent.local}/${el.name}` : el.name);
const value = (el: XmlElement): string => el.text.trim();
// HTML escaped twice (RSS-DOC-016): an escaped tag as markup writes it, or an escaped reference.
const ESCAPED_TAG = '(?:p|a|b|i|em|strong|br|div|span|img|ul|ol|li|h[1-6]|blockquote|figure|figcaption|table|tr|td|script|iframe)';
const DOUBLE_ESCAPED = new RegExp(`&lt;/${ESCAPED_TAG}\\s*&gt;|&lt;${ESCAPED_TAG}\\s*/?&gt;|&lt;${ESCAPED_TAG}\\s+[a-z-]+\\s*=|&amp;(?:amp|lt|gt|quot|#)`, 'i');

/** Six rules read each date; parse each distinct text once (bounded, and no WeakMap of 100k elements for the GC to trace). */
const rfc822Memo = boundedMemo(parseRfc822, 10_000);
const rfc822 = (el: XmlElement): ReturnType<typeof parseRfc822> => rfc822Memo(el.text);

/** Dates: channel pubDate/lastBuildDate and item pubDate. */
function* dateElements(doc: XmlDoc): Generator<XmlElement> {
  const ch = channel(doc);
  yield* kids(doc, ch, 'pubDate');
  yield* kids(doc, ch, 'lastBuildDate');
  for (const item of items(doc)) yield* kids(doc, item, 'pubDate');
}

type UrlValue = { el: XmlElement; what: string; url: string; check: UrlCheck };
const urlCache = new WeakMap<XmlDoc, readonly UrlValue[]>();

/**
 * URL-valued elements and attributes with their check (enclosure and guid have their own rules):
 * RSS-DT-010, -011 and -012 each read every one, so they are listed and checked once per document.
 */
function urlValues(doc: XmlDoc): readonly UrlValue[] {
  const cached = urlCache.get(doc);
  if (cached) return cached;
  const made: UrlValue[] = [];
  const add = (el: XmlElement, what: string, url: string): void => {
    made.push({ el, what, url, check: checkAbsoluteUrl(url, { allowIri: true }) });
  };
  const ch = channel(doc);
  for (const el of kids(doc, ch, 'link')) add(el, 'channel/link', el.text);
  for (const el of kids(doc, ch, 'docs')) add(el, 'channel/docs', el.text);
  for (const image of kids(doc, ch, 'image')) {
    for (const el of kids(doc, image, 'url')) add(el, 'image/url', el.text);
    for (const el of kids(doc, image, 'link')) add(el, 'image/link', el.text);
  }
  for (const ti of kids(doc, ch, 'textInput')) for (const el of kids(doc, ti, 'link')) add(el, 'textInput/link', el.text);
  for (const item of items(doc)) {
    for (const el of kids(doc, item, 'link')) add(el, 'item/link', el.text);
    for (const el of kids(doc, item, 'comments')) add(el, 'item/comments', el.text);
    for (const el of kids(doc, item, 'source')) {
      const url = attr(el, 'url');
      if (url !== undefined) add(el, 'source/@url', url);
    }
  }
  urlCache.set(doc, made);
  return made;
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

/** Raw source of an element's content, for rules about how text was escaped. */
function rawContent(doc: XmlDoc, el: XmlElement): string {
  const offset = doc.lines.offset(el.line, el.column);
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
  defineRule<XmlDoc>({
    id: 'RSS-DOC-001',
    level: 'error',
    spec: 'XML 1.0 §2.1; RSS 2.0 "What is RSS?"',
    title: 'The file is well-formed XML 1.0',
    message: (p) => `not well-formed XML: ${detail(p)}`,
    check: checkWellFormed,
    why: 'A reader\'s XML parser stops at the first well-formedness error: the whole feed is unreadable, not just one item.',
    fix: 'Generate the XML with a serializer, never by string concatenation; escape `&` and `<` in text and attribute values.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-002',
    level: 'error',
    spec: 'XML 1.0 §2.8',
    title: 'An XML declaration, if present, is the very first thing in the file',
    message: (p) => detail(p),
    check: checkDeclarationFirst,
    why: 'Parsers reject a declaration preceded by anything (even a blank line from a template).',
    fix: 'Remove whatever precedes `<?xml` (whitespace, BOM of another encoding, comments).',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-003',
    level: 'warning',
    spec: 'XML 1.0 §2.8',
    title: 'The file starts with an XML declaration',
    message: () => 'no XML declaration: start the file with <?xml version="1.0" encoding="UTF-8"?>',
    check: checkHasDeclaration,
    why: 'Without it readers have to guess the version and encoding.',
    fix: 'Start the file with `<?xml version="1.0" encoding="UTF-8"?>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-004',
    level: 'info',
    spec: 'XML 1.0 §4.3.3',
    title: 'The file is UTF-8 and says so',
    message: (p) => (s(p, 'encoding') === 'none' ? 'encoding is not declared: declare encoding="UTF-8"' : `encoding is "${s(p, 'encoding')}": prefer UTF-8, re-encoding the file before changing its declaration`),
    check: checkUtf8Declared,
    why: 'UTF-8 is the one encoding every reader handles; others get mis-decoded by some.',
    fix: 'Encode the file as UTF-8 and declare `encoding="UTF-8"`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-005',
    level: 'error',
    spec: 'XML 1.0 §4.3.3',
    title: 'The bytes decode cleanly in the declared encoding (UTF-8 when none is declared)',
    message: (p) => detail(p),
    check: checkEncoding,
    why: 'A wrong encoding makes the parser fail, or turns accents into mojibake for every reader.',
    fix: 'Declare the encoding the bytes really use, or re-encode as UTF-8.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-006',
    level: 'error',
    spec: 'XML 1.0 §2.2, §4.1',
    title: 'No character outside the XML 1.0 Char range, literal or as a reference',
    message: (p) => detail(p),
    check: checkLegalChars,
    why: 'Control characters (often pasted from Word or PDFs) are fatal to XML parsers.',
    fix: 'Strip C0 controls other than tab, newline and carriage return before serialising.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-007',
    level: 'error',
    spec: 'XML 1.0 §4.1, §4.6',
    title: 'Only the five XML entities and numeric references are used',
    message: (p) => detail(p),
    check: checkEntities,
    why: 'HTML entities such as `&nbsp;` are undefined in XML unless the DOCTYPE declares them (RSS-DOC-018): the parser stops there.',
    fix: 'Write the character itself (UTF-8) or a numeric reference such as `&#160;`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-018',
    level: 'warning',
    spec: 'XML 1.0 §4.1, §4.2',
    title: 'No entities are declared in a DOCTYPE',
    message: (p) => detail(p),
    check: checkEntityDeclarations,
    why: 'XML 1.0 makes entities declared in the DOCTYPE\'s internal subset well-formed, and feedparser expands them; but expansion is how "billion laughs" attacks work, so kiosque and hardened readers do not expand them, and show `&name;` or refuse the feed.',
    fix: 'Write the characters themselves (UTF-8) or numeric references such as `&#160;`, and drop the DOCTYPE.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-008',
    level: 'error',
    spec: 'XML 1.0 §2.4, §2.7',
    title: 'The sequence `]]>` does not appear in text',
    message: (p) => detail(p),
    check: checkCdataEnd,
    why: '`]]>` outside a CDATA section is a well-formedness error.',
    fix: 'Escape the `>` as `&gt;`, or split the CDATA section: `]]]]><![CDATA[>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-009',
    level: 'error',
    spec: 'Namespaces in XML 1.0 §5; RSS Profile §5',
    title: 'Every namespace prefix used is declared',
    message: (p) => `prefix "${s(p, 'prefix')}" is used but never declared with xmlns:${s(p, 'prefix')}`,
    check: checkPrefixesDeclared,
    why: 'Namespace-aware parsers (most readers) reject undeclared prefixes.',
    fix: 'Declare the prefix on `<rss>`, e.g. `xmlns:atom="http://www.w3.org/2005/Atom"`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-010',
    level: 'warning',
    spec: 'RSS Profile §5.1-5.4',
    title: 'Extension namespaces use their exact URIs',
    message: (p) => `namespace "${s(p, 'uri')}"${s(p, 'prefix') ? ` (prefix ${s(p, 'prefix')})` : ''} should be exactly "${s(p, 'expected')}"`,
    check: function* (doc) {
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
    why: 'A namespace URI that is almost right makes the elements unknown: readers silently ignore them.',
    fix: 'Copy the namespace URI exactly, including the trailing slash where there is one.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-011',
    level: 'error',
    spec: 'RSS 2.0 "Extending RSS"; RSS Profile §1',
    title: 'RSS elements are in no namespace and hold what the spec gives them (containers hold elements, not text); others are in a namespace',
    message: (p) =>
      s(p, 'kind') === 'root'
        ? `<rss> must not be in a namespace (found "${s(p, 'ns')}")`
        : s(p, 'kind') === 'text'
          ? `<${s(p, 'element')}> contains the text "${s(p, 'text')}"; it holds elements only`
          : s(p, 'kind') === 'attr'
          ? `attribute ${s(p, 'attr')} is not defined on <${s(p, 'element')}> (attribute names are case-sensitive); put extensions in a namespace`
          : `<${s(p, 'element')}> is not an RSS element of <${s(p, 'parent')}>; put extensions in a namespace`,
    check: function* (doc) {
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
    why: 'Readers ignore unknown elements and text where the spec has elements (`<item>stray text<title>…`: the text is lost, and strict parsers refuse the item), and a default namespace on `<rss>` hides every RSS element from namespace-aware readers.',
    fix: 'Move stray text into the element it belongs to (an item\'s text goes in `<description>`); remove the default `xmlns` from `<rss>`; put your own elements in a namespace you declare.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-012',
    level: 'error',
    spec: 'RSS 2.0 "What is RSS?"; RSS Profile §4.1',
    title: 'The root is `<rss version="2.0">`',
    message: (p) => (s(p, 'version') === '' ? '<rss> has no version attribute: write version="2.0"' : `<rss version="${s(p, 'version')}">: the version must be exactly "2.0"`),
    check: function* (doc) {
      if (!isRss(doc)) return;
      const version = attr(doc.root, 'version');
      if (version !== '2.0') yield at(doc.root, { version: version ?? '' });
    },
    why: 'Readers pick the parser from the root element and version.',
    fix: 'Write `<rss version="2.0">`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-013',
    level: 'error',
    spec: 'RSS 2.0 "What is RSS?"; RSS Profile §4.1',
    title: '`<rss>` contains exactly one `<channel>`',
    message: (p) => `<rss> contains ${s(p, 'count')} <channel> elements; exactly one is required`,
    check: function* (doc) {
      if (!isRss(doc)) return;
      const n = kids(doc, doc.root, 'channel').length;
      if (n !== 1) yield at(n > 1 ? (kids(doc, doc.root, 'channel')[1] as XmlElement) : doc.root, { count: n });
    },
    why: 'Without a channel there is no feed; with two, readers show only one.',
    fix: 'Put everything in a single `<channel>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-014',
    level: 'info',
    spec: 'W3C Feed Validator (InvalidDoctype)',
    title: 'No `<!DOCTYPE>`',
    message: () => 'the document has a DOCTYPE; RSS 2.0 has no DTD and some parsers refuse DOCTYPEs',
    check: checkNoDoctype,
    why: 'DTDs invite entity-expansion attacks, so hardened readers refuse them.',
    fix: 'Remove the DOCTYPE.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-015',
    level: 'error',
    spec: 'RSS Profile §3.1, §5.2.1',
    title: 'HTML in `content:encoded` is escaped or in CDATA, never child elements',
    message: (p) => `<${s(p, 'element')}> contains the element <${s(p, 'child')}>: escape the HTML or wrap it in CDATA`,
    check: function* (doc) {
      for (const item of items(doc)) for (const el of nsKids(item, 'encoded', NS.content)) if (el.children[0]) yield at(el.children[0], { element: el.name, child: el.children[0].name });
    },
    why: 'Readers take character data only: raw markup is dropped or breaks the item.',
    fix: 'Wrap the HTML in `<![CDATA[ … ]]>` or escape it.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-016',
    level: 'info',
    spec: 'RSS Profile §3.1; W3C Feed Validator (NotHtml)',
    title: 'HTML is escaped exactly once',
    message: (p) => `<${s(p, 'element')}> looks double-escaped ("${s(p, 'sample')}" survives XML parsing): readers will show raw tags or entities`,
    check: function* (doc) {
      for (const el of htmlElements(doc)) {
        // After XML decoding, HTML should hold `<p>`; `&lt;p&gt;`, `&lt;/p&gt;`, `&lt;a href=` or `&amp;lt;` is a second
        // layer. Not "x&lt;y" in a formula, nor markup a code sample escapes on purpose.
        const m = DOUBLE_ESCAPED.exec(outsideCode(el.text));
        if (m) yield at(el, { element: path(el), sample: m[0] });
      }
    },
    why: 'Double escaping makes readers display `<p>` or `&amp;` literally.',
    fix: 'Escape once: either the serializer or the template, not both.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DOC-017',
    level: 'error',
    spec: 'RSS 2.0 `<guid>`; W3C Feed Validator (DuplicateValue)',
    title: 'Every `guid` is unique in the document',
    message: (p) => `guid "${s(p, 'guid')}" is already used by the item on line ${s(p, 'first')}`,
    check: function* (doc) {
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
    why: 'Readers key items by guid: a duplicate hides one item or merges two.',
    fix: 'Give each item its own permanent id.',
  }),
];

// ---------------------------------------------------------------------------------------------
// Shared data types (RSS-DT)

const dtRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'RSS-DT-001',
    level: 'error',
    spec: 'RSS 2.0 optional channel elements; RFC 822 §5.1; RSS Profile §3.2',
    title: 'Dates are RFC 822 date-times',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is not an RFC 822 date-time (e.g. "Wed, 02 Oct 2002 13:00:00 GMT"; UTC, CET and +01:00 are invalid)`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (!r.ok && r.problem === 'syntax') yield at(el, { element: path(el), value: value(el) });
      }
    },
    why: 'Readers sort and age items by date; an unparseable date becomes "now" or is dropped.',
    fix: 'Format dates with `Date.prototype.toUTCString()`, which gives `Wed, 02 Oct 2002 13:00:00 GMT`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-002',
    level: 'error',
    spec: 'RFC 822 §5; W3C Feed Validator (IncorrectDOW)',
    title: 'Dates are real: existing day, valid time, correct weekday',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}": ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (!r.ok && r.problem !== 'syntax') yield at(el, { element: path(el), value: value(el), reason: r.message });
      }
    },
    why: 'An impossible date is parsed differently by each reader, or rejected.',
    fix: 'Derive the date from a real instant; never assemble it from parts by hand.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-003',
    level: 'warning',
    spec: 'RFC 1123 §5.2.14; RSS Profile §3.2',
    title: 'Years have four digits',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" has a two-digit year`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (r.ok && r.notes.includes('two-digit-year')) yield at(el, { element: path(el), value: value(el) });
      }
    },
    why: 'Two-digit years are read as different centuries by different readers.',
    fix: 'Write the year with four digits.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-004',
    level: 'info',
    spec: 'RSS Profile §3.2; W3C Feed Validator (ProblematicalRFC822Date)',
    title: 'Dates use the canonical form `Ddd, DD Mon YYYY HH:MM:SS +hhmm` (or GMT)',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is valid but not in the canonical form "Ddd, DD Mon YYYY HH:MM:SS +hhmm" (or GMT)${s(p, 'spaces')}`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (!r.ok) continue;
        // Spaces around a canonical date are the whole difference: shown as written, and said.
        if (r.notes.includes('non-canonical')) yield at(el, { element: path(el), value: value(el), spaces: '' });
        else if (r.notes.includes('whitespace')) yield at(el, { element: path(el), value: el.text, spaces: ': white space around the date' });
      }
    },
    why: 'Some readers only parse the most common form.',
    fix: 'Use `toUTCString()` output.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-005',
    level: 'info',
    spec: 'RSS Profile §3.2; RFC 1123 §5.2.14',
    title: 'No single-letter military zones other than Z',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" uses a military zone letter; RFC 822 defined their signs backwards`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        if (r.ok && r.notes.includes('military-zone')) yield at(el, { element: path(el), value: value(el) });
      }
    },
    why: 'Readers disagree on the offset, so the time is off by up to 12 hours.',
    fix: 'Use `GMT` or a numeric offset.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-006',
    level: 'info',
    spec: 'RSS Profile §4.1.1.20.8; W3C Feed Validator (ImplausibleDate)',
    title: 'Dates are plausible (not placeholders such as 1970-01-01)',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" looks like a placeholder date`,
    check: function* (doc) {
      for (const el of dateElements(doc)) {
        const r = rfc822(el);
        // The future half needs the clock, which rules do not have: only the past bound here.
        if (r.ok && !isPlausible(r.date, new Date(8.64e15))) yield at(el, { element: path(el), value: value(el) });
      }
    },
    why: 'Readers sort placeholder-dated items to the bottom or treat them as new forever.',
    fix: 'Use the real publication date.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-010',
    level: 'error',
    spec: 'RSS 2.0 "Comments"; RSS Profile §3.4',
    title: 'URL-valued elements hold absolute URLs with a registered scheme',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const { el, what, check: r } of urlValues(doc)) {
        if (!r.ok) yield at(el, { element: what, reason: r.problem === 'empty' ? 'is empty: an absolute URL is required' : r.message });
      }
    },
    why: 'RSS has no base URL: a relative link leads nowhere in a reader.',
    fix: 'Make every URL absolute (`https://example.org/path`) at build time.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-011',
    level: 'error',
    spec: 'RSS Profile §3.4 (RFC 3987 §3.1)',
    title: 'Non-ASCII URLs are converted from IRI to URI',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const { el, what, url, check: r } of urlValues(doc)) {
        if (r.ok && /[^\x00-\x7F]/.test(url)) yield at(el, { element: what, reason: `"${url.trim()}" contains non-ASCII characters: percent-encode them as UTF-8 (IDNA for the host)` });
      }
    },
    why: 'Many readers pass URLs through unchanged; raw non-ASCII characters then fail to resolve.',
    fix: 'Percent-encode the UTF-8 bytes of non-ASCII path characters; use the punycode form of the host.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-012',
    level: 'info',
    spec: 'RSS 2.0 "Comments"; RSS Profile §3.4',
    title: 'URLs use http or https, with no surrounding whitespace',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'url')}": ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const { el, what, url, check: r } of urlValues(doc)) {
        if (!r.ok) continue;
        if (r.notes.includes('whitespace')) yield at(el, { element: what, url: url.trim(), reason: 'has whitespace around it' });
        else if (r.notes.includes('not-http')) yield at(el, { element: what, url: url.trim(), reason: `scheme ${r.scheme}: is not http or https` });
      }
    },
    why: 'Readers may not open other schemes, and some do not trim whitespace.',
    fix: 'Use an https URL with nothing around it.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-020',
    level: 'error',
    spec: 'RSS 2.0 `<author>`, optional channel elements; RSS Profile §3.3',
    title: '`managingEditor`, `webMaster` and item `author` contain an e-mail address',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" ${s(p, 'problem')} (write "user@example.org (Real Name)", or use dc:creator for a name)`,
    check: function* (doc) {
      const ch = channel(doc);
      const els = [...kids(doc, ch, 'managingEditor'), ...kids(doc, ch, 'webMaster'), ...items(doc).flatMap((i) => kids(doc, i, 'author'))];
      for (const el of els) {
        // The trailing parentheses hold the name (an RFC 822 comment): an address only there is no address.
        const outside = el.text.replace(/\([^()]*\)\s*$/, '');
        if (containsEmail(outside)) continue;
        yield at(el, { element: path(el), value: value(el), problem: containsEmail(el.text) ? 'has its e-mail address in the parentheses, where the name goes' : 'does not contain an e-mail address' });
      }
    },
    why: 'Readers parse the address out of these fields; a bare name is shown as garbage or dropped.',
    fix: 'Use `dc:creator` for a name without an address.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-021',
    level: 'info',
    spec: 'RSS Profile §3.3; W3C Feed Validator (EmailFormat)',
    title: 'Addresses are written `user@host.tld (Real Name)`',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is not in the form "user@example.org (Real Name)"`,
    check: function* (doc) {
      const ch = channel(doc);
      const els = [...kids(doc, ch, 'managingEditor'), ...kids(doc, ch, 'webMaster'), ...items(doc).flatMap((i) => kids(doc, i, 'author'))];
      for (const el of els) if (containsEmail(el.text) && !isCanonicalContact(el.text)) yield at(el, { element: path(el), value: value(el) });
    },
    why: 'That is the form readers know how to split into address and name.',
    fix: 'Write `user@example.org (Real Name)`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-022',
    level: 'info',
    spec: 'RSS Profile §5.3.1',
    title: 'An item does not have both `author` and `dc:creator`',
    message: () => 'item has both <author> and <dc:creator>; keep one',
    check: function* (doc) {
      for (const item of items(doc)) {
        const creator = nsKids(item, 'creator', NS.dc)[0];
        if (creator && kid(doc, item, 'author')) yield at(creator);
      }
    },
    why: 'Readers show one or the other, unpredictably.',
    fix: 'Use `author` with an address, or `dc:creator` with a name, not both.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-030',
    level: 'error',
    spec: 'RSS Profile §3.1',
    title: 'Character-data elements contain no child elements',
    message: (p) => `<${s(p, 'element')}> must contain only text, but contains <${s(p, 'child')}>`,
    check: function* (doc) {
      for (const el of characterDataElements(doc)) if (el.children[0]) yield at(el.children[0], { element: path(el), child: el.children[0].name });
      const ch = channel(doc);
      if (ch) for (const c of kids(doc, ch, 'cloud')) if (c.children[0]) yield at(c.children[0], { element: 'cloud', child: c.children[0].name });
    },
    why: 'Readers read these as text: child elements are dropped or break the parse.',
    fix: 'Escape markup (`&lt;b&gt;`) or remove it.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-031',
    level: 'info',
    spec: 'RSS Profile §3.1; W3C Feed Validator (ContainsHTML)',
    title: 'Plain-text elements contain no HTML or entity text',
    message: (p) => `<${s(p, 'element')}> contains ${s(p, 'what')} "${s(p, 'sample')}"; readers may show it literally`,
    check: function* (doc) {
      for (const el of plainTextElements(doc)) {
        const tag = findHtmlTag(el.text);
        if (tag) yield at(el, { element: path(el), what: 'HTML', sample: tag });
        else {
          const ent = findEntity(el.text);
          if (ent) yield at(el, { element: path(el), what: 'entity text', sample: ent });
        }
      }
    },
    why: 'Some readers render titles as HTML and others as text, so markup shows up raw for half of them.',
    fix: 'Keep titles and categories plain text.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-032',
    level: 'info',
    spec: 'RSS Profile §3.1; W3C Feed Validator (CharacterData)',
    title: 'In plain text, `&`, `<` and `>` are written as `&#x26;`, `&#x3C;` and `&#x3E;`',
    message: (p) => `<${s(p, 'element')}> writes "${s(p, 'sample')}"; the RSS Profile recommends numeric references (&#x26; &#x3C; &#x3E;) in plain text`,
    check: function* (doc) {
      for (const el of plainTextElements(doc)) {
        if (!/[&<>]/.test(el.text)) continue;
        const m = /&(?:amp|lt|gt);|<!\[CDATA\[/.exec(rawContent(doc, el));
        if (m) yield at(el, { element: path(el), sample: m[0] });
      }
    },
    why: 'Readers that decode plain text as HTML double-decode named entities; numeric ones survive more readers.',
    fix: 'Emit `&#x26;` for `&` and `&#x3C;` for `<` in titles.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-DT-040',
    level: 'error',
    spec: 'RSS 2.0 optional channel elements; RSS Profile §4.1.1.10; W3C Feed Validator (InvalidLanguage)',
    title: '`language` is an RSS or W3C language code',
    message: (p) => `<language> "${s(p, 'value')}" is not a language code such as "en-us" or "fr"`,
    check: function* (doc) {
      for (const el of kids(doc, channel(doc), 'language')) if (!isRssLanguage(el.text)) yield at(el, { value: value(el) });
    },
    why: 'Readers use it to pick fonts, hyphenation and speech.',
    fix: 'Use an ISO 639 code, optionally with a region: `en`, `en-us`, `fr-CA`.',
  }),
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
  defineRule<XmlDoc>({
    id: 'RSS-CH-001',
    level: 'error',
    spec: 'RSS 2.0 required channel elements; RSS Profile §4.1.1',
    title: 'The channel has exactly one `title`',
    message: oneMessage,
    check: (doc) => exactlyOne(doc, 'title'),
    why: 'Readers list the feed under its title.',
    fix: 'Add one `<title>` to `<channel>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-002',
    level: 'error',
    spec: 'RSS 2.0 required channel elements; RSS Profile §4.1.1.2',
    title: 'The channel has exactly one `link`',
    message: oneMessage,
    check: (doc) => exactlyOne(doc, 'link'),
    why: 'Readers link the feed name to the site.',
    fix: 'Add one `<link>` with the site URL.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-003',
    level: 'error',
    spec: 'RSS 2.0 required channel elements; RSS Profile §4.1.1.1',
    title: 'The channel has exactly one `description`',
    message: oneMessage,
    check: (doc) => exactlyOne(doc, 'description'),
    why: 'Required by the spec; readers show it in feed details.',
    fix: 'Add one `<description>` (a sentence about the site).',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-004',
    level: 'error',
    spec: 'RSS Profile §4.1.1; W3C Feed Validator (DuplicateElement)',
    title: 'Optional channel elements appear at most once',
    message: (p) => `<channel> has more than one <${s(p, 'element')}>`,
    check: function* (doc) {
      for (const local of ONCE_CHANNEL) {
        const els = kids(doc, channel(doc), local);
        if (els.length > 1) yield at(els[1] as XmlElement, { element: local });
      }
    },
    why: 'Readers take one of the copies, not necessarily the right one.',
    fix: 'Keep a single element; only `category` may repeat.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-005',
    level: 'warning',
    spec: 'RSS 2.0 required channel elements; W3C Feed Validator (NotBlank)',
    title: 'The channel `title` is not empty',
    message: () => '<channel><title> is empty',
    check: function* (doc) {
      for (const el of kids(doc, channel(doc), 'title')) if (value(el) === '' && el.children.length === 0) yield at(el);
    },
    why: 'A feed without a name is hard to find in a subscription list.',
    fix: 'Use the site name.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-006',
    level: 'info',
    spec: 'RSS 2.0 required channel elements',
    title: 'The channel `link` points to the site, not to the feed',
    message: (p) => `<channel><link> "${s(p, 'url')}" is the feed itself (its atom:link rel="self"); it should be the HTML site`,
    check: function* (doc) {
      const ch = channel(doc);
      const link = kid(doc, ch, 'link');
      if (!link) return;
      for (const al of atomLinks(doc)) if (al.parent === ch && attr(al, 'rel') === 'self' && attr(al, 'href')?.trim() === value(link)) yield at(link, { url: value(link) });
    },
    why: 'Readers open the channel link as "visit site".',
    fix: 'Point `<link>` at the HTML home page.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-007',
    level: 'info',
    spec: 'RSS Profile §4.1.1; W3C Feed Validator (MisplacedItem)',
    title: 'All `item` elements come after the other channel elements',
    message: (p) => `<${s(p, 'element')}> comes after an <item>; put items last`,
    check: function* (doc) {
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
    why: 'Streaming readers may miss channel data that follows the items.',
    fix: 'Emit channel metadata first, then the items.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-010',
    level: 'error',
    spec: 'RSS 2.0 `<ttl>`; RSS Profile §4.1.1.18; W3C Feed Validator (InvalidPositiveInteger)',
    title: '`ttl` is a positive whole number of minutes',
    message: (p) => `<ttl> "${s(p, 'value')}" must be a positive whole number of minutes (digits only)`,
    check: function* (doc) {
      for (const el of kids(doc, channel(doc), 'ttl')) if (!/^\d+$/.test(value(el)) || Number(value(el)) === 0) yield at(el, { value: value(el) });
    },
    why: 'Pollers use it to space their requests.',
    fix: 'Write minutes as digits, e.g. `<ttl>60</ttl>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-012',
    level: 'error',
    spec: 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9',
    title: '`image` has one `url`, `title` and `link`, and at most one `width`, `height`, `description`',
    message: (p) => (s(p, 'problem') === 'missing' ? `<image> has no <${s(p, 'element')}>; it is required` : `<image> has more than one <${s(p, 'element')}>`),
    check: function* (doc) {
      for (const image of kids(doc, channel(doc), 'image')) {
        for (const local of ['url', 'title', 'link']) if (kids(doc, image, local).length === 0) yield at(image, { element: local, problem: 'missing' });
        for (const local of IMAGE_TEXT) {
          const els = kids(doc, image, local);
          if (els.length > 1) yield at(els[1] as XmlElement, { element: local, problem: 'repeated' });
        }
      }
    },
    why: 'Readers need all three to show the logo.',
    fix: 'Give `<image>` a `url`, `title` and `link`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-014',
    level: 'error',
    spec: 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9.5-6',
    title: '`image/width` is 1-144 and `image/height` is 1-400',
    message: (p) => `<image><${s(p, 'element')}> "${s(p, 'value')}" must be a whole number from 1 to ${s(p, 'max')}`,
    check: function* (doc) {
      for (const image of kids(doc, channel(doc), 'image')) {
        for (const [local, max] of [['width', 144], ['height', 400]] as const) {
          for (const el of kids(doc, image, local)) {
            const v = value(el);
            if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) yield at(el, { element: local, value: v, max });
          }
        }
      }
    },
    why: 'Readers size the logo box from these; out-of-range values break layouts.',
    fix: 'Use the real pixel size within the limits, or leave them out.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-015',
    level: 'warning',
    spec: 'RSS 2.0 `<image>`; RSS Profile §4.1.1.9.1-2; W3C Feed Validator (ImageTitleDoesntMatch)',
    title: '`image/title` and `image/link` match the channel `title` and `link`',
    message: (p) => `<image><${s(p, 'element')}> "${s(p, 'value')}" differs from the channel's "${s(p, 'expected')}"`,
    check: function* (doc) {
      const ch = channel(doc);
      for (const image of kids(doc, ch, 'image')) {
        for (const local of ['title', 'link']) {
          const mine = kid(doc, image, local);
          const theirs = kid(doc, ch, local);
          if (mine && theirs && value(mine) !== value(theirs)) yield at(mine, { element: local, value: value(mine), expected: value(theirs) });
        }
      }
    },
    why: 'The spec says the image stands for the channel; readers use it as the channel link.',
    fix: 'Copy the channel title and link into the image.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-016',
    level: 'error',
    spec: 'RSS 2.0 `<textInput>`; RSS Profile §4.1.1.17',
    title: '`textInput` has one `title`, `description`, `name` and `link`, and a valid `name`',
    message: (p) => {
      if (s(p, 'problem') === 'missing') return `<textInput> has no <${s(p, 'element')}>; it is required`;
      if (s(p, 'problem') === 'repeated') return `<textInput> has more than one <${s(p, 'element')}>; it takes exactly one`;
      return `<textInput><name> "${s(p, 'value')}" must start with a letter and use only letters, digits, ":", "-", "." and "_"`;
    },
    check: function* (doc) {
      for (const ti of kids(doc, channel(doc), 'textInput')) {
        for (const local of TEXTINPUT_TEXT) {
          const els = kids(doc, ti, local);
          if (els.length === 0) yield at(ti, { element: local, problem: 'missing' });
          if (els.length > 1) yield at(els[1] as XmlElement, { element: local, problem: 'repeated' });
        }
        for (const el of kids(doc, ti, 'name')) if (!/^[A-Za-z][A-Za-z0-9:._-]*$/.test(value(el))) yield at(el, { value: value(el), problem: 'name' });
      }
    },
    why: 'Readers that support it need all four to build the form.',
    fix: 'Add the missing children, or drop `textInput` (see RSS-CH-017).',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-017',
    level: 'info',
    spec: 'RSS Profile §4.1.1.17; W3C Feed Validator (AvoidTextInput)',
    title: 'Leave out `textInput`',
    message: () => 'almost no reader supports <textInput>',
    check: function* (doc) {
      for (const ti of kids(doc, channel(doc), 'textInput')) yield at(ti);
    },
    why: 'It is ignored nearly everywhere.',
    fix: 'Remove it.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-018',
    level: 'error',
    spec: 'RSS 2.0 `<cloud>`; RSS Profile §4.1.1.5',
    title: '`cloud` is empty and has valid `domain`, `port`, `path`, `registerProcedure` and `protocol`',
    message: (p) => `<cloud> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const cloud of kids(doc, channel(doc), 'cloud')) {
        for (const name of ['domain', 'port', 'path', 'registerProcedure', 'protocol']) if (attr(cloud, name) === undefined) yield at(cloud, { reason: `has no ${name} attribute` });
        const port = attr(cloud, 'port');
        if (port !== undefined && (!/^\d+$/.test(port.trim()) || Number(port) < 1 || Number(port) > 65535)) yield at(cloud, { reason: `port "${port}" must be a positive integer` });
        const protocol = attr(cloud, 'protocol');
        if (protocol !== undefined && !['xml-rpc', 'soap', 'http-post'].includes(protocol.trim().toLowerCase())) yield at(cloud, { reason: `protocol "${protocol}" must be xml-rpc, soap or http-post` });
        if (cloud.text.trim() !== '') yield at(cloud, { reason: 'must be empty' });
      }
    },
    why: 'rssCloud clients register with exactly these values.',
    fix: 'Give all five attributes, or remove `cloud`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-019',
    level: 'error',
    spec: 'RSS 2.0 optional channel elements (skipHours); RSS Profile §4.1.1.16; W3C Feed Validator (InvalidHour)',
    title: '`skipHours` holds 1-24 distinct `hour` values from 0 to 23',
    message: (p) => `<skipHours> ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Pollers skip the listed hours; invalid values are ignored or misread.',
    fix: 'List each hour 0-23 once.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-020',
    level: 'error',
    spec: 'RSS 2.0 optional channel elements (skipDays); RSS Profile §4.1.1.15',
    title: '`skipDays` holds 1-7 distinct day names',
    message: (p) => `<skipDays> ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Pollers skip the listed days; other spellings are ignored.',
    fix: 'Use the English day names with a capital initial, each once.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-021',
    level: 'warning',
    spec: 'RSS 2.0 `<category>`; RSS Profile §4.1.1.4; W3C Feed Validator (NotBlank)',
    title: 'Each `category` is non-empty',
    message: (p) => `<${s(p, 'element')}> is empty`,
    check: function* (doc) {
      const ch = channel(doc);
      for (const el of [...kids(doc, ch, 'category'), ...items(doc).flatMap((i) => kids(doc, i, 'category'))]) if (value(el) === '' && el.children.length === 0) yield at(el, { element: path(el) });
    },
    why: 'Empty categories show up as blank tags.',
    fix: 'Remove empty categories.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-024',
    level: 'info',
    spec: 'RSS Profile §4.1.1.7',
    title: '`docs` points to the RSS specification',
    message: (p) => `<docs> "${s(p, 'value')}" is not https://www.rssboard.org/rss-specification`,
    check: function* (doc) {
      for (const el of kids(doc, channel(doc), 'docs')) {
        if (!/^https?:\/\/(www\.rssboard\.org\/rss-specification|blogs\.law\.harvard\.edu\/tech\/rss|cyber\.(law\.)?harvard\.edu\/rss\/rss\.html|backend\.userland\.com\/rss)\/?$/.test(value(el))) yield at(el, { value: value(el) });
      }
    },
    why: 'It tells people who find the file what format it is.',
    fix: 'Use `https://www.rssboard.org/rss-specification`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-CH-025',
    level: 'info',
    spec: 'W3C Feed Validator (MissingDCLanguage)',
    title: 'The channel has a `language` (or `xml:lang` on the root)',
    message: () => 'no <language> (or xml:lang on <rss>): readers cannot tell the language',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && !kid(doc, ch, 'language') && attr(doc.root, 'lang', NS.xml) === undefined && nsKids(ch, 'language', NS.dc).length === 0) yield at(ch);
    },
    why: 'Readers use it for fonts, hyphenation, translation offers and speech.',
    fix: 'Add `<language>en-us</language>` (your language).',
  }),
];

// ---------------------------------------------------------------------------------------------
// Item (RSS-IT)

const ONCE_ITEM = ['title', 'link', 'description', 'author', 'comments', 'guid', 'pubDate', 'source'];

const itRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'RSS-IT-001',
    level: 'error',
    spec: 'RSS 2.0 "Elements of <item>"; W3C Feed Validator (ItemMustContainTitleOrDescription)',
    title: 'Every item has a `title` or a `description`',
    message: () => '<item> has neither <title> nor <description>; at least one is required',
    check: function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'title') && !kid(doc, item, 'description')) yield at(item);
    },
    why: 'Readers have nothing to show for such an item.',
    fix: 'Give the item a title, a description, or both.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-002',
    level: 'error',
    spec: 'RSS Profile §4.1.1.20; W3C Feed Validator (DuplicateElement)',
    title: 'Item elements other than `category` and `enclosure` appear at most once',
    message: (p) => `<item> has more than one <${s(p, 'element')}>`,
    check: function* (doc) {
      for (const item of items(doc)) {
        for (const local of ONCE_ITEM) {
          const els = kids(doc, item, local);
          if (els.length > 1) yield at(els[1] as XmlElement, { element: local });
        }
      }
    },
    why: 'Readers take one of the copies, not necessarily the right one.',
    fix: 'Keep a single element per item.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-003',
    level: 'warning',
    spec: 'RSS Profile §4.1.1.20.5; W3C Feed Validator (DuplicateEnclosure)',
    title: 'An item has at most one `enclosure`',
    message: () => '<item> has more than one <enclosure>; most readers use only the first',
    check: function* (doc) {
      for (const item of items(doc)) {
        const els = kids(doc, item, 'enclosure');
        if (els.length > 1) yield at(els[1] as XmlElement);
      }
    },
    why: 'Podcast clients download only the first enclosure.',
    fix: 'One media file per item.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-004',
    level: 'warning',
    spec: 'W3C Feed Validator (NotBlank)',
    title: 'Item `title`, when present, is not empty',
    message: () => '<item><title> is empty',
    check: function* (doc) {
      for (const item of items(doc)) for (const el of kids(doc, item, 'title')) if (value(el) === '' && el.children.length === 0) yield at(el);
    },
    why: 'Readers show an untitled entry.',
    fix: 'Leave the title out instead, or write one.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-005',
    level: 'error',
    spec: 'RSS Profile §4.1.1.20.4, §3.1',
    title: 'Item `description` is HTML as character data (escaped or CDATA), never child elements',
    message: (p) => `<item><description> contains the element <${s(p, 'child')}>: escape the HTML or wrap it in CDATA`,
    check: function* (doc) {
      for (const item of items(doc)) for (const el of kids(doc, item, 'description')) if (el.children[0]) yield at(el.children[0], { child: el.children[0].name });
    },
    why: 'Readers take the text content: raw markup is dropped or breaks the item.',
    fix: 'Wrap the HTML in `<![CDATA[ … ]]>` or escape it.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-006',
    level: 'info',
    spec: 'RSS Profile §4.1.1.20.4; W3C Feed Validator (ContainsRelRef)',
    title: 'No relative `href`/`src` inside HTML content',
    message: (p) => `<${s(p, 'element')}> has a relative ${s(p, 'attr')}="${s(p, 'url')}"; RSS has no base URL`,
    check: function* (doc) {
      for (const el of htmlElements(doc)) {
        for (const { attr, url } of linkValues(el.text)) {
          if (url === '' || url.startsWith('#') || !isRelativeReference(url)) continue;
          yield at(el, { element: path(el), attr, url });
          break;
        }
      }
    },
    why: 'Readers resolve relative links against their own pages: images break and links lead nowhere.',
    fix: 'Make every `href` and `src` absolute at build time.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-007',
    level: 'info',
    spec: 'W3C Feed Validator (SecurityRisk)',
    title: 'No `script`, `iframe`, `embed`, `object` or `on*` attributes in HTML content',
    message: (p) => `<${s(p, 'element')}> contains ${s(p, 'what')}; readers strip it`,
    check: function* (doc) {
      for (const el of htmlElements(doc)) {
        const what = activeContent(el.text);
        if (what) yield at(el, { element: path(el), what });
      }
    },
    why: 'Readers remove active content, so whatever depends on it is lost.',
    fix: 'Keep feed HTML static.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-010',
    level: 'info',
    spec: 'RSS 2.0 `<author>`; RSS Profile §4.1.1.20.1',
    title: 'A single-author feed uses `managingEditor` rather than the same item `author` everywhere',
    message: (p) => `every item has the same <author> "${s(p, 'value')}"; a single-author feed can say it once in <managingEditor>`,
    check: function* (doc) {
      const its = items(doc);
      const authors = its.map((i) => kid(doc, i, 'author')).filter((a): a is XmlElement => a !== undefined);
      if (its.length > 1 && authors.length === its.length && new Set(authors.map(value)).size === 1) yield at(authors[0] as XmlElement, { value: value(authors[0] as XmlElement) });
    },
    why: 'Repeating one address on every item adds noise and exposes it more.',
    fix: 'Put the address in `managingEditor` and drop item authors.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-011',
    level: 'error',
    spec: 'RSS 2.0 `<enclosure>`; W3C Feed Validator (MissingAttribute)',
    title: '`enclosure` has `url`, `length` and `type`',
    message: (p) => `<enclosure> has no ${s(p, 'attr')} attribute; url, length and type are all required`,
    check: function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) for (const a of ['url', 'length', 'type']) if (attr(enc, a) === undefined) yield at(enc, { attr: a });
    },
    why: 'Podcast clients need all three to download and play the file.',
    fix: 'Give the URL, the size in bytes and the MIME type.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-012',
    level: 'error',
    spec: 'RSS 2.0 `<enclosure>`; W3C Feed Validator (InvalidURLAttribute)',
    title: '`enclosure/@url` is an absolute http or https URL',
    message: (p) => `<enclosure> url ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Podcast clients fetch enclosures over HTTP(S) only.',
    fix: 'Serve the media over https and give its absolute URL.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-013',
    level: 'error',
    spec: 'RSS 2.0 `<enclosure>`; W3C Feed Validator (UseZeroForUnknown)',
    title: '`enclosure/@length` is a non-negative whole number of bytes',
    message: (p) => `<enclosure> length "${s(p, 'value')}" must be a whole number of bytes (0 when unknown)`,
    check: function* (doc) {
      for (const item of items(doc)) {
        for (const enc of kids(doc, item, 'enclosure')) {
          const length = attr(enc, 'length');
          if (length !== undefined && !/^\d+$/.test(length.trim())) yield at(enc, { value: length });
        }
      }
    },
    why: 'Clients use it for progress bars and storage decisions.',
    fix: 'Write the file size in bytes, digits only.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-014',
    level: 'info',
    spec: 'RSS Profile §4.1.1.20.5',
    title: '`enclosure/@length` is the real size (0 only when unknowable)',
    message: () => '<enclosure> length is 0; give the real size in bytes unless it cannot be known',
    check: function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) if (attr(enc, 'length')?.trim() === '0') yield at(enc);
    },
    why: 'Clients cannot show sizes or check downloads without it.',
    fix: 'Record the media size at upload time.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-015',
    level: 'error',
    spec: 'RSS 2.0 `<enclosure>`; W3C Feed Validator (InvalidMIMEAttribute)',
    title: '`enclosure/@type` is a MIME type',
    message: (p) => `<enclosure> type "${s(p, 'value')}" is not a MIME type such as "audio/mpeg"`,
    check: function* (doc) {
      for (const item of items(doc)) {
        for (const enc of kids(doc, item, 'enclosure')) {
          const type = attr(enc, 'type');
          if (type !== undefined && !isMimeType(type)) yield at(enc, { value: type });
        }
      }
    },
    why: 'Clients choose a player from it.',
    fix: 'Use the media type the server sends, e.g. `audio/mpeg`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-017',
    level: 'error',
    spec: 'RSS Profile §4.1.1.20.5',
    title: '`enclosure` is an empty element',
    message: () => '<enclosure> must be empty (everything goes in its attributes)',
    check: function* (doc) {
      for (const item of items(doc)) for (const enc of kids(doc, item, 'enclosure')) if (enc.text.trim() !== '' || enc.children.length > 0) yield at(enc);
    },
    why: 'Readers ignore the content; it usually means the URL was put in the wrong place.',
    fix: 'Move the URL into the `url` attribute and close the element: `<enclosure … />`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-018',
    level: 'warning',
    spec: 'RSS 2.0 "Comments"; RSS Profile §4.1.1.20.6; W3C Feed Validator (MissingGuid)',
    title: 'Every item has a `guid`',
    message: () => '<item> has no <guid>; readers then guess identity from the link or title and show edits as new items',
    check: function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'guid')) yield at(item);
    },
    why: 'Without a stable id, an edited item reappears as unread.',
    fix: 'Give every item a permanent `guid`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-019',
    level: 'error',
    spec: 'RSS 2.0 `<guid>`; W3C Feed Validator (InvalidBooleanAttribute)',
    title: '`guid/@isPermaLink` is `true` or `false`',
    message: (p) => `<guid> isPermaLink="${s(p, 'value')}" must be "true" or "false"`,
    check: function* (doc) {
      for (const item of items(doc)) {
        for (const g of kids(doc, item, 'guid')) {
          const v = attr(g, 'isPermaLink');
          if (v !== undefined && v !== 'true' && v !== 'false') yield at(g, { value: v });
        }
      }
    },
    why: 'Readers compare the attribute to the exact strings.',
    fix: 'Write `isPermaLink="false"` for ids that are not URLs.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-020',
    level: 'error',
    spec: 'RSS 2.0 `<guid>`; RSS Profile §4.1.1.20.6; W3C Feed Validator (InvalidPermalink)',
    title: 'A permalink `guid` (the default) is an absolute http(s) URL',
    message: (p) => `<guid> "${s(p, 'value')}" is a permalink (isPermaLink is ${s(p, 'how')}) but ${s(p, 'reason')}; add isPermaLink="false" for ids that are not URLs`,
    check: function* (doc) {
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
    why: 'Readers open a permalink guid as the item\'s page.',
    fix: 'Set `isPermaLink="false"` on `tag:` URIs, UUIDs and database keys.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-021',
    level: 'error',
    spec: 'RSS 2.0 `<guid>`',
    title: '`guid` is not empty (uniqueness: RSS-DOC-017)',
    message: () => '<guid> is empty',
    check: function* (doc) {
      for (const item of items(doc)) for (const g of kids(doc, item, 'guid')) if (value(g) === '' && g.children.length === 0) yield at(g);
    },
    why: 'An empty id makes all such items one item to readers.',
    fix: 'Give every item a permanent id, or leave `guid` out.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-023',
    level: 'info',
    spec: 'W3C Feed Validator (NotSufficientlyUnique); RSS Profile §4.1.1.20.6',
    title: 'A `guid` is more than a short number',
    message: (p) => `<guid> "${s(p, 'value')}" is a bare number; readers merge ids across feeds, so prefer the permalink or a tag: URI`,
    check: function* (doc) {
      for (const item of items(doc)) for (const g of kids(doc, item, 'guid')) if (/^\d{1,9}$/.test(value(g))) yield at(g, { value: value(g) });
    },
    why: 'Some aggregators key items globally; a small integer collides with other feeds.',
    fix: 'Use the permalink or `tag:example.org,2024:post-123`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-026',
    level: 'info',
    spec: 'reader expectation',
    title: 'Every item has a `pubDate`',
    message: (p) => (p['dc'] ? '<item> has no <pubDate>, only <dc:date>, which some readers do not read: they sort by pubDate' : '<item> has no <pubDate>; readers sort by it'),
    check: function* (doc) {
      for (const item of items(doc)) if (!kid(doc, item, 'pubDate')) yield at(item, children(item, 'date', NS.dc).length > 0 ? { dc: 1 } : {});
    },
    why: 'Undated items are shown with the fetch time, which scrambles ordering.',
    fix: 'Give every item its publication date.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-IT-027',
    level: 'error',
    spec: 'RSS 2.0 `<source>`; RSS Profile §4.1.1.20.9',
    title: '`source` has a `url` attribute',
    message: () => '<source> has no url attribute (the URL of the feed the item came from)',
    check: function* (doc) {
      for (const item of items(doc)) for (const src of kids(doc, item, 'source')) if (attr(src, 'url') === undefined) yield at(src);
    },
    why: 'Readers link back to the original feed through it.',
    fix: 'Add `url="https://…/feed.xml"`, with the feed title as content.',
  }),
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
  defineRule<XmlDoc>({
    id: 'RSS-EXT-001',
    level: 'info',
    spec: 'RSS Profile §5.1.1; W3C Feed Validator (MissingAtomSelfLink)',
    title: 'The channel has `<atom:link rel="self" type="application/rss+xml" href="…"/>`',
    message: () => 'no <atom:link rel="self" href="…"/> in <channel>: readers and hubs cannot tell the feed\'s own URL',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && !nsKids(ch, 'link', NS.atom).some((l) => attr(l, 'rel') === 'self')) yield at(ch);
    },
    why: 'Readers use it to follow moves; WebSub hubs use it as the topic.',
    fix: 'Add `<atom:link rel="self" type="application/rss+xml" href="https://…/rss.xml"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-002',
    level: 'error',
    spec: 'RSS Profile §5.1.1; RFC 4287 §4.2.7',
    title: '`atom:link` has an absolute `href`; `rel`, `type` and `hreflang` are valid',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Readers and hubs follow these links; a broken one sends them nowhere.',
    fix: 'Give an absolute `href` and valid `rel`, `type` and `hreflang`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-004',
    level: 'error',
    spec: 'RSS Profile §5.2.1',
    title: '`content:encoded` appears at most once per item',
    message: () => '<item> has more than one <content:encoded>',
    check: function* (doc) {
      for (const item of items(doc)) {
        const els = nsKids(item, 'encoded', NS.content);
        if (els.length > 1) yield at(els[1] as XmlElement);
      }
    },
    why: 'Readers show only one of them.',
    fix: 'Merge the content into one `content:encoded`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-005',
    level: 'info',
    spec: 'RSS Profile §5.2.1; W3C Feed Validator (NeedDescriptionBeforeContent)',
    title: '`description` (summary) comes before `content:encoded` (full text)',
    message: () => '<content:encoded> comes before <description>; put the summary first',
    check: function* (doc) {
      for (const item of items(doc)) {
        const enc = nsKids(item, 'encoded', NS.content)[0];
        const desc = kid(doc, item, 'description');
        if (enc && desc && item.children.indexOf(enc) < item.children.indexOf(desc)) yield at(enc);
      }
    },
    why: 'Some readers take the first of the two as the summary.',
    fix: 'Emit `description` first.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-006',
    level: 'info',
    spec: 'RSS Profile §5.1.1; W3C Feed Validator (DuplicateSemantics)',
    title: 'Core elements are not duplicated by Dublin Core ones',
    message: (p) => `<${s(p, 'dc')}> duplicates <${s(p, 'core')}>; keep the core element only`,
    check: function* (doc) {
      const ch = channel(doc);
      const pairs = [['date', 'pubDate'], ['subject', 'category'], ['language', 'language'], ['rights', 'copyright']] as const;
      for (const el of ch ? [ch, ...items(doc)] : []) {
        for (const [dc, coreName] of pairs) {
          const d = nsKids(el, dc, NS.dc)[0];
          if (d && kid(doc, el, coreName)) yield at(d, { dc: `dc:${dc}`, core: coreName });
        }
      }
    },
    why: 'Readers pick one of the two, and they may disagree.',
    fix: 'Drop the Dublin Core duplicate.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-007',
    level: 'info',
    spec: 'RSS Profile §5.4.1; W3C Feed Validator (SlashDate)',
    title: '`slash:comments` is a non-negative integer, and the channel then has `lastBuildDate`',
    message: (p) => (s(p, 'value') ? `<slash:comments> "${s(p, 'value')}" is not a non-negative integer` : 'items use <slash:comments> but <channel> has no <lastBuildDate>'),
    check: function* (doc) {
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
    why: 'Comment counts change without the items changing; lastBuildDate tells readers to refresh.',
    fix: 'Add `lastBuildDate`.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-008',
    level: 'error',
    spec: 'RSS 1.0 Syndication module; W3C Feed Validator (InvalidUpdatePeriod)',
    title: '`sy:updatePeriod`, `sy:updateFrequency` and `sy:updateBase` are valid and appear at most once',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Aggregators compute the polling interval from these.',
    fix: 'Use the exact lowercase period names and a positive frequency.',
  }),
  defineRule<XmlDoc>({
    id: 'RSS-EXT-009',
    level: 'info',
    spec: 'RFC 5005 §2, §4; W3C Feed Validator (FeedHistoryRelInEntry)',
    title: 'Feed history and paging elements sit only at channel level',
    message: (p) => `<${s(p, 'element')}> belongs in <channel>, not in <item>`,
    check: function* (doc) {
      const paging = ['next', 'prev', 'previous', 'first', 'last', 'current', 'prev-archive', 'next-archive'];
      for (const item of items(doc)) {
        for (const el of [...nsKids(item, 'complete', NS.fh), ...nsKids(item, 'archive', NS.fh)]) yield at(el, { element: el.name });
        for (const l of nsKids(item, 'link', NS.atom)) if (paging.includes(attr(l, 'rel') ?? '')) yield at(l, { element: `${l.name} rel="${attr(l, 'rel') ?? ''}"` });
      }
    },
    why: 'Archive-aware readers only look for them in the channel.',
    fix: 'Move them to `<channel>`.',
  }),
  // Not a digest row: the iTunes podcast namespace is common enough that its closed value sets are worth checking.
  defineRule<XmlDoc>({
    id: 'RSS-EXT-010',
    level: 'error',
    spec: 'Apple Podcasts RSS tags (itunes namespace); W3C Feed Validator (InvalidYesNoClean, InvalidDuration, InvalidItunesEpisodeType)',
    title: 'iTunes podcast elements hold values from their defined sets',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
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
    why: 'Podcast directories reject or mis-sort episodes whose iTunes tags hold unknown values.',
    fix: 'Use the documented values, e.g. `<itunes:explicit>false</itunes:explicit>`, `<itunes:duration>1:02:03</itunes:duration>`.',
  }),
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
