// Extension modules common to RSS 2.0 and Atom 1.0 (Creative Commons, Trackback, Dublin Core, Slash, Threading RFC 4685, W3C Geo, GeoRSS, wfw, admin), checked as the W3C Feed Validator does.
import { defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, children, type XmlDoc, type XmlElement } from '../xml.js';
import { checkAbsoluteUrl } from '../../values/uri.js';
import { isRssLanguage } from '../../values/language.js';
import { parseRfc3339, parseW3cDtf } from '../../values/dates.js';

type Params = Record<string, string | number>;

const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const s = (p: Params, key: string): string => String(p[key] ?? '');
const value = (el: XmlElement): string => el.text.trim();
const shown = (el: XmlElement): string => value(el) || '(empty)';

// ---------------------------------------------------------------------------------------------
// Where extension elements are read: the feed-level and item-level containers of either format.
// Only their direct children are checked, so RDF islands and embedded markup are left alone.

type Level = 'feed' | 'item';
type Container = { el: XmlElement; level: Level };

const containerCache = new WeakMap<XmlDoc, Container[]>();
/** The feed-level and item-level elements, computed once per document (every rule walks them). */
function containersOf(doc: XmlDoc): Container[] {
  let out = containerCache.get(doc);
  if (!out) {
    out = findContainers(doc);
    containerCache.set(doc, out);
  }
  return out;
}

function findContainers(doc: XmlDoc): Container[] {
  const root = doc.root;
  if (root.ns === NS.atom && root.local === 'feed') {
    return [{ el: root, level: 'feed' }, ...children(root, 'entry', NS.atom).map((el) => ({ el, level: 'item' as const }))];
  }
  if (root.ns === NS.atom && root.local === 'entry') return [{ el: root, level: 'item' }];
  if (root.local === 'rss') {
    const out: Container[] = [];
    for (const ch of children(root, 'channel', root.ns)) {
      out.push({ el: ch, level: 'feed' });
      for (const item of children(ch, 'item', root.ns)) out.push({ el: item, level: 'item' });
    }
    return out;
  }
  return [];
}

type Placed = { el: XmlElement; level: Level };
const namespaceCache = new WeakMap<XmlDoc, Map<string, Placed[]>>();
/** The containers' children grouped by namespace, in document order, built once per document. */
function byNamespace(doc: XmlDoc): Map<string, Placed[]> {
  let map = namespaceCache.get(doc);
  if (!map) {
    map = new Map();
    for (const c of containersOf(doc)) {
      for (const el of c.el.children) {
        const list = map.get(el.ns);
        if (list) list.push({ el, level: c.level });
        else map.set(el.ns, [{ el, level: c.level }]);
      }
    }
    namespaceCache.set(doc, map);
  }
  return map;
}

function* elements(doc: XmlDoc, ns: string, locals: readonly string[], level?: Level): Generator<XmlElement> {
  for (const x of byNamespace(doc).get(ns) ?? []) if ((level === undefined || x.level === level) && locals.includes(x.el.local)) yield x.el;
}

const isAtom = (doc: XmlDoc): boolean => doc.root.ns === NS.atom;
/** Atom carries IRIs; RSS requires URIs (non-ASCII percent-encoded). */
const urlProblem = (doc: XmlDoc, raw: string): string | undefined => {
  const r = checkAbsoluteUrl(raw, { allowIri: isAtom(doc) });
  return r.ok ? undefined : r.message;
};

const NON_NEGATIVE = /^\+?\d+$/;
const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const COORD = /^[-+]?\d+\.?\d*[ ,][-+]?\d+\.?\d*$/;


/** Every extension rule; each maps to an Error class of the W3C Feed Validator. */
export const extRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'EXT-CC-001',
    level: 'error',
    spec: 'Creative Commons RSS Module (creativeCommons:license); W3C Feed Validator (InvalidFullLink)',
    title: '`creativeCommons:license` holds the absolute URL of a license',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be the absolute URL of a license: ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.creativeCommons, ['license'])) {
        const reason = urlProblem(doc, el.text);
        if (reason) yield at(el, { element: el.name, value: shown(el), reason });
      }
    },
    why: 'Readers and aggregators link to the license; a name such as "Attribution-NonCommercial" leads nowhere.',
    fix: 'Write the license URL, e.g. `<creativeCommons:license>https://creativecommons.org/licenses/by/4.0/</creativeCommons:license>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-CC-002',
    level: 'error',
    spec: 'Creative Commons RDF (cc:license rdf:resource); W3C Feed Validator (MissingAttribute, InvalidURIAttribute)',
    title: '`cc:license` has an `rdf:resource` attribute holding an absolute URL',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.cc, ['license'])) {
        const resource = attr(el, 'resource', NS.rdf);
        if (resource === undefined) {
          if (el.children.length === 0) yield at(el, { element: el.name, reason: 'has no rdf:resource attribute naming the license URL' });
          continue;
        }
        const reason = urlProblem(doc, resource);
        if (reason) yield at(el, { element: el.name, reason: `rdf:resource ${reason}` });
      }
    },
    why: 'The license is an RDF resource: without an absolute URL readers cannot tell which license applies.',
    fix: 'Write `<cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-TB-001',
    level: 'error',
    spec: 'Trackback RSS module (madskills.com); W3C Feed Validator (UndefinedElement)',
    title: '`trackback:ping` and `trackback:about` appear only inside an item or entry',
    message: (p) => `<${s(p, 'element')}> is not allowed in <${s(p, 'parent')}>: it belongs in an item or entry`,
    check: function* (doc) {
      const parents = [doc.root, ...containersOf(doc).filter((c) => c.level === 'feed').map((c) => c.el)];
      for (const parent of new Set(parents)) {
        if (parent.ns === NS.atom && parent.local === 'entry') continue;
        for (const el of parent.children) {
          if (el.ns === NS.trackback && (el.local === 'ping' || el.local === 'about')) yield at(el, { element: el.name, parent: parent.name });
        }
      }
    },
    why: 'A trackback URL names one post; at feed level readers cannot tell which post it is for.',
    fix: 'Move it into the `item` or `entry` it belongs to.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-TB-002',
    level: 'error',
    spec: 'Trackback RSS module (madskills.com); W3C Feed Validator (InvalidFullLink)',
    title: '`trackback:ping` and `trackback:about` hold absolute URLs',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be an absolute URL: ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.trackback, ['ping', 'about'], 'item')) {
        // RDF-style `rdf:resource` is accepted as well as element text.
        const raw = attr(el, 'resource', NS.rdf) ?? el.text;
        const reason = urlProblem(doc, raw);
        if (reason) yield at(el, { element: el.name, value: raw.trim() || '(empty)', reason });
      }
    },
    why: 'Blog software posts trackbacks to this URL; a relative or malformed one fails silently.',
    fix: 'Write the full URL, e.g. `<trackback:ping>https://example.org/trackback/42</trackback:ping>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-TB-003',
    level: 'error',
    spec: 'Trackback RSS module (madskills.com); W3C Feed Validator (DuplicateElement)',
    title: 'An item or entry has at most one `trackback:ping`',
    message: () => 'more than one <trackback:ping> in this item or entry: keep one',
    check: function* (doc) {
      for (const c of containersOf(doc)) {
        if (c.level !== 'item') continue;
        const pings = children(c.el, 'ping', NS.trackback);
        if (pings.length > 1) yield at(pings[1] as XmlElement);
      }
    },
    why: 'Clients ping one URL per post; which of several is meant is undefined.',
    fix: 'Keep a single `trackback:ping` (use `trackback:about` for the posts it refers to).',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-DC-001',
    level: 'error',
    spec: 'Dublin Core Metadata Element Set 1.1 (dc:date, W3C-DTF); W3C Feed Validator (InvalidW3CDTFDate)',
    title: '`dc:date` is a W3C-DTF date',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.dc, ['date'])) {
        const r = parseW3cDtf(el.text);
        if (!r.ok) yield at(el, { element: el.name, value: shown(el), reason: r.message });
      }
    },
    why: 'Readers sort and show items by this date; one they cannot parse is dropped or shown as "now".',
    fix: 'Write e.g. `2002-10-02T10:00:00-05:00` (not an RFC 822 date such as `Wed, 02 Oct 2002`).',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-DC-002',
    level: 'error',
    spec: 'Dublin Core Metadata Element Set 1.1 (dc:language, RFC 5646 / ISO 639); W3C Feed Validator (InvalidLanguage)',
    title: '`dc:language` is a language code',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" is not a language code such as "en", "en-us" or "fr"`,
    check: function* (doc) {
      for (const el of elements(doc, NS.dc, ['language'])) if (!isRssLanguage(el.text)) yield at(el, { element: el.name, value: shown(el) });
    },
    why: 'Readers use it for fonts, hyphenation, translation offers and speech.',
    fix: 'Write an ISO 639 code, optionally with a region: `en`, `en-us`, `fr-CA`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-DC-003',
    level: 'error',
    spec: 'DCMI Metadata Terms (dcterms:created, issued, modified, W3C-DTF); W3C Feed Validator (InvalidW3CDTFDate)',
    title: '`dcterms:created`, `dcterms:issued` and `dcterms:modified` are W3C-DTF dates',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.dcterms, ['created', 'issued', 'modified'])) {
        const r = parseW3cDtf(el.text);
        if (!r.ok) yield at(el, { element: el.name, value: shown(el), reason: r.message });
      }
    },
    why: 'Readers that use these dates cannot parse any other format.',
    fix: 'Write e.g. `2002-10-02T10:00:00-05:00`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-SLASH-001',
    level: 'error',
    spec: 'RSS 1.0 Slash module (slash:comments); W3C Feed Validator (InvalidNonNegativeInteger)',
    title: '`slash:comments` is a non-negative integer',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be a non-negative integer (a count of comments)`,
    check: function* (doc) {
      for (const el of elements(doc, NS.slash, ['comments'], 'item')) if (!NON_NEGATIVE.test(value(el))) yield at(el, { element: el.name, value: shown(el) });
    },
    why: 'Readers show it as a comment count; anything else is shown as 0 or garbage.',
    fix: 'Write digits only, e.g. `<slash:comments>12</slash:comments>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-THR-001',
    level: 'error',
    spec: 'RFC 4685 §3 (thr:in-reply-to); W3C Feed Validator',
    title: '`thr:in-reply-to` has a `ref` attribute',
    message: (p) => `<${s(p, 'element')}> has no ref attribute naming the resource it replies to`,
    check: function* (doc) {
      for (const c of containersOf(doc)) {
        for (const el of children(c.el, 'in-reply-to', NS.thr)) if (attr(el, 'ref') === undefined) yield at(el, { element: el.name });
      }
    },
    why: 'Threading readers attach a reply to its parent by this id; without it the reply floats free.',
    fix: 'Add `ref="…"` with the id (the `atom:id` or `guid`) of the item replied to.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-THR-002',
    level: 'error',
    spec: 'RFC 4685 §5 (thr:total); W3C Feed Validator (InvalidNonNegativeInteger)',
    title: '`thr:total` is a non-negative integer',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be a non-negative integer (the number of replies)`,
    check: function* (doc) {
      for (const el of elements(doc, NS.thr, ['total'], 'item')) if (!NON_NEGATIVE.test(value(el))) yield at(el, { element: el.name, value: shown(el) });
    },
    why: 'Readers show it as a reply count.',
    fix: 'Write digits only, e.g. `<thr:total>3</thr:total>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-DC-004',
    level: 'error',
    spec: 'Dublin Core Metadata Element Set 1.1; W3C Feed Validator (DuplicateElement)',
    title: '`dc:date` and `dc:language` appear at most once per channel, item, feed or entry',
    message: (p) => `<${s(p, 'element')}> appears more than once in <${s(p, 'parent')}>: keep one`,
    check: function* (doc) {
      for (const c of containersOf(doc)) {
        for (const local of ['date', 'language']) {
          const els = children(c.el, local, NS.dc);
          if (els.length > 1) yield at(els[1] as XmlElement, { element: (els[1] as XmlElement).name, parent: c.el.name });
        }
      }
    },
    why: 'Readers take one of them, and which one is not defined.',
    fix: 'Keep a single `dc:date` (the publication date) and a single `dc:language`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-THR-003',
    level: 'error',
    spec: 'RFC 4685 §4 (thr:count, thr:updated on replies links); W3C Feed Validator',
    title: 'On a link, `thr:count` is a non-negative integer and `thr:updated` an RFC 3339 date-time',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'attr')}="${s(p, 'value')}" ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const c of containersOf(doc)) {
        for (const link of children(c.el, 'link', NS.atom)) {
          const count = attr(link, 'count', NS.thr);
          if (count !== undefined && !NON_NEGATIVE.test(count.trim())) yield at(link, { element: link.name, attr: 'thr:count', value: count, reason: 'must be a non-negative integer' });
          const updated = attr(link, 'updated', NS.thr);
          if (updated !== undefined) {
            const r = parseRfc3339(updated);
            if (!r.ok) yield at(link, { element: link.name, attr: 'thr:updated', value: updated, reason: `is ${r.message}` });
          }
        }
      }
    },
    why: 'Readers show the reply count and when the replies last changed.',
    fix: 'Write e.g. `<link rel="replies" href="…" thr:count="3" thr:updated="2005-07-28T12:10:00Z"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-GEO-001',
    level: 'error',
    spec: 'W3C Basic Geo (WGS84 lat/long) vocabulary; W3C Feed Validator (InvalidLatitude, InvalidLongitude)',
    title: '`geo:lat`/`geo:long` (and `geourl:`, `icbm:` latitude/longitude) are decimal degrees in range',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be a decimal number of degrees between ${s(p, 'min')} and ${s(p, 'max')}`,
    check: function* (doc) {
      const axes: [string, string, number][] = [
        [NS.geo, 'lat', 90], [NS.geo, 'long', 180],
        [NS.geourl, 'latitude', 90], [NS.geourl, 'longitude', 180],
        [NS.icbm, 'latitude', 90], [NS.icbm, 'longitude', 180],
      ];
      const candidates: XmlElement[] = [];
      for (const c of containersOf(doc)) {
        for (const el of c.el.children) {
          candidates.push(el);
          if (el.ns === NS.geo && el.local === 'Point') for (const c of el.children) candidates.push(c);
        }
      }
      for (const el of candidates) {
        const axis = axes.find(([ns, local]) => el.ns === ns && el.local === local);
        if (!axis) continue;
        const max = axis[2];
        const v = value(el);
        if (!DECIMAL.test(v) || Math.abs(Number(v)) > max) yield at(el, { element: el.name, value: shown(el), min: -max, max });
      }
    },
    why: 'Map views place the item at these coordinates; out-of-range or non-numeric values put it nowhere.',
    fix: 'Write decimal degrees, latitude first: `<geo:lat>48.8566</geo:lat>`, `<geo:long>2.3522</geo:long>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-GEO-002',
    level: 'error',
    spec: 'GeoRSS Simple (georss:point); W3C Feed Validator (InvalidCoord)',
    title: '`georss:point` is two decimal numbers, latitude then longitude',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be "latitude longitude" in decimal degrees, e.g. "45.256 -71.92"`,
    check: function* (doc) {
      for (const el of elements(doc, NS.georss, ['point'])) if (!COORD.test(value(el).replace(/\s+/g, ' '))) yield at(el, { element: el.name, value: shown(el) });
    },
    why: 'Map views place the item at this point; a malformed one puts it nowhere.',
    fix: 'Write `<georss:point>45.256 -71.92</georss:point>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-WFW-001',
    level: 'error',
    spec: 'Well-Formed Web Comment API (wfw:comment, wfw:commentRss); W3C Feed Validator (InvalidFullLink)',
    title: '`wfw:comment` and `wfw:commentRss` hold absolute URLs',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be an absolute URL: ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.wfw, ['comment', 'commentRss', 'commentRSS'], 'item')) {
        const reason = urlProblem(doc, el.text);
        if (reason) yield at(el, { element: el.name, value: shown(el), reason });
      }
    },
    why: 'Readers fetch the comment feed and post comments to these URLs; relative ones cannot be resolved.',
    fix: 'Write the full URL, e.g. `<wfw:commentRss>https://example.org/42/comments/feed</wfw:commentRss>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-OS-001',
    level: 'error',
    spec: 'OpenSearch 1.1 response elements (and the OpenSearch RSS 1.0 namespace); W3C Feed Validator (InvalidNonNegativeInteger, InvalidInteger)',
    title: '`opensearch:totalResults` and `itemsPerPage` are non-negative integers, `startIndex` an integer',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be ${s(p, 'expected')}`,
    check: function* (doc) {
      for (const ns of [NS.opensearch, NS.opensearch10]) {
        for (const el of elements(doc, ns, ['totalResults', 'itemsPerPage', 'startIndex'], 'feed')) {
          const signed = el.local === 'startIndex';
          if (!(signed ? INTEGER : NON_NEGATIVE).test(value(el))) yield at(el, { element: el.name, value: shown(el), expected: signed ? 'an integer' : 'a non-negative integer' });
        }
      }
    },
    why: 'Readers page through search results with these numbers.',
    fix: 'Write digits only, e.g. `<opensearch:totalResults>4230000</opensearch:totalResults>`.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-FB-001',
    level: 'error',
    spec: 'FeedBurner extension namespace (feedburner:origLink, origEnclosureLink); W3C Feed Validator (InvalidFullLink)',
    title: '`feedburner:origLink` and `feedburner:origEnclosureLink` hold absolute URLs',
    message: (p) => `<${s(p, 'element')}> "${s(p, 'value')}" must be an absolute URL: ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.feedburner, ['origLink', 'origEnclosureLink'], 'item')) {
        const reason = urlProblem(doc, el.text);
        if (reason) yield at(el, { element: el.name, value: shown(el), reason });
      }
    },
    why: 'Readers use it as the item\'s real address, bypassing the redirect.',
    fix: 'Write the full URL of the original item.',
  }),
  defineRule<XmlDoc>({
    id: 'EXT-ADMIN-001',
    level: 'error',
    spec: 'RSS 1.0 Admin module (admin:generatorAgent, admin:errorReportsTo); W3C Feed Validator (MissingAttribute, InvalidURIAttribute)',
    title: '`admin:generatorAgent` and `admin:errorReportsTo` have an `rdf:resource` holding an absolute URI',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const el of elements(doc, NS.admin, ['generatorAgent', 'errorReportsTo'], 'feed')) {
        const resource = attr(el, 'resource', NS.rdf);
        if (resource === undefined) {
          yield at(el, { element: el.name, reason: 'has no rdf:resource attribute' });
          continue;
        }
        const reason = urlProblem(doc, resource);
        if (reason) yield at(el, { element: el.name, reason: `rdf:resource ${reason}` });
      }
    },
    why: 'The module names the generator and the error contact as RDF resources, not text.',
    fix: 'Write `<admin:errorReportsTo rdf:resource="mailto:feeds@example.org"/>`.',
  }),
];
