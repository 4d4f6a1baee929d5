// RFC 5005 (Feed Paging and Archiving) §2 "Complete Feeds" and §4 "Archived Feeds", in one RSS 2.0 or Atom 1.0 document.
/**
 * What one document can show of the archive markup: the fh elements, and the current,
 * prev-archive and next-archive links at feed level (in RSS, atom:link). The chain itself
 * (pages reachable, links answered both ways) needs every page: the build gate checks it
 * (validate/archive-chain.ts).
 */
import { defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, children, type XmlDoc, type XmlElement } from '../xml.js';
import { resolveUnderBases } from '../../values/uri.js';

type Params = Record<string, string | number>;
const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const s = (p: Params, key: string): string => String(p[key] ?? '');

const ARCHIVE_RELS = ['current', 'prev-archive', 'next-archive'] as const;

/** The feed-level element: Atom `feed`, RSS `channel`; undefined for anything else (an Atom entry document). */
function head(doc: XmlDoc): XmlElement | undefined {
  const root = doc.root;
  if (root.ns === NS.atom) return root.local === 'feed' ? root : undefined;
  return root.local === 'rss' ? children(root, 'channel', root.ns)[0] : undefined;
}

type Facts = { head: XmlElement; archive: XmlElement[]; complete: XmlElement[]; links: Map<string, XmlElement[]>; self?: string; resolve(link: XmlElement): string | undefined };

/** IANA's registry IRI of a relation: RFC 4287 §4.2.7.2 makes `rel="http://www.iana.org/assignments/relation/prev-archive"` the same as `prev-archive`. */
const IANA = 'http://www.iana.org/assignments/relation/';
const relName = (rel: string): string => (rel.startsWith(IANA) ? rel.slice(IANA.length) : rel);

const factsCache = new WeakMap<XmlDoc, Facts | null>();
function facts(doc: XmlDoc): Facts | undefined {
  let known = factsCache.get(doc);
  if (known === undefined) {
    const h = head(doc);
    if (!h) known = null;
    else {
      const links = new Map<string, XmlElement[]>();
      const outer = [attr(doc.root, 'base', NS.xml), ...(h === doc.root ? [] : [attr(h, 'base', NS.xml)])];
      const resolve = (link: XmlElement): string | undefined => {
        const href = attr(link, 'href')?.trim();
        return href ? resolveUnderBases(href, [...outer, attr(link, 'base', NS.xml)], doc.url) : undefined;
      };
      let self: string | undefined;
      for (const link of children(h, 'link', NS.atom)) {
        const rel = relName((attr(link, 'rel') ?? 'alternate').trim());
        links.set(rel, [...(links.get(rel) ?? []), link]);
        if (rel === 'self' && self === undefined) self = resolve(link);
      }
      known = { head: h, archive: children(h, 'archive', NS.fh), complete: children(h, 'complete', NS.fh), links, resolve, ...(self !== undefined ? { self } : {}) };
    }
    factsCache.set(doc, known);
  }
  return known ?? undefined;
}

const hrefOf = (link: XmlElement): string | undefined => attr(link, 'href')?.trim();
const linkName = (doc: XmlDoc): string => (doc.root.ns === NS.atom ? 'link' : 'atom:link');

export const rfc5005Rules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'RFC5005-001',
    level: 'error',
    spec: 'RFC 5005 §2, §4',
    title: 'A document is not both an archive page (`fh:archive`) and a complete feed (`fh:complete`)',
    message: () => 'fh:archive and fh:complete in one document: an archive page holds part of a feed, a complete feed all of it',
    check: function* (doc) {
      const f = facts(doc);
      if (f && f.archive.length > 0 && f.complete.length > 0) yield at(f.complete[0]!);
    },
    why: 'A client that trusts fh:complete drops every entry the document does not hold, so a page marked complete deletes the rest of the history from its view.',
    fix: 'Keep fh:archive on archive pages and fh:complete only on a subscription document that carries every entry.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-002',
    level: 'error',
    spec: 'RFC 5005 §2, §4',
    title: '`fh:archive` and `fh:complete` are empty elements, at most one of each',
    message: (p) => `<${s(p, 'element')}> ${s(p, 'problem')}`,
    check: function* (doc) {
      const f = facts(doc);
      if (!f) return;
      for (const list of [f.archive, f.complete]) {
        for (const [i, el] of list.entries()) {
          if (i > 0) yield at(el, { element: el.name, problem: 'appears more than once' });
          else if (el.text.trim() !== '' || el.children.length > 0) yield at(el, { element: el.name, problem: 'must be empty' });
        }
      }
    },
    why: 'The element is a flag: content in it means nothing to clients and suggests a confusion with another element.',
    fix: 'Write `<fh:archive/>` or `<fh:complete/>`, once, at feed level.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-003',
    level: 'error',
    spec: 'RFC 5005 §2',
    title: 'A complete feed (`fh:complete`) has no archive links',
    message: (p) => `fh:complete with <${s(p, 'element')} rel="${s(p, 'rel')}">: a complete feed has no archive pages`,
    check: function* (doc) {
      const f = facts(doc);
      if (!f || f.complete.length === 0) return;
      for (const rel of ['prev-archive', 'next-archive']) for (const link of f.links.get(rel) ?? []) yield at(link, { element: linkName(doc), rel });
    },
    why: 'Clients treat a complete feed as the whole feed and do not follow its archive links, so whatever the pages hold is never read.',
    fix: 'Either carry every entry and drop the archive links, or drop fh:complete and publish archive pages.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-004',
    level: 'warning',
    spec: 'RFC 5005 §4',
    title: 'An archive page (`fh:archive`) links to the subscription document with rel="current"',
    message: (p) => `an archive page without <${s(p, 'element')} rel="current">`,
    check: function* (doc) {
      const f = facts(doc);
      if (f && f.archive.length > 0 && !f.links.has('current')) yield at(f.archive[0]!, { element: linkName(doc) });
    },
    why: 'A reader who lands on an archive page (from a search engine, say) finds the feed to subscribe to through this link.',
    fix: 'Add `rel="current"` with the URL of the subscription document.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-005',
    level: 'error',
    spec: 'RFC 5005 §4',
    title: 'rel="current" names the subscription document: never the document itself, and only in archive pages',
    message: (p) => `<${s(p, 'element')} rel="current"> ${s(p, 'problem')}`,
    check: function* (doc) {
      const f = facts(doc);
      if (!f) return;
      for (const link of f.links.get('current') ?? []) {
        if (f.archive.length === 0) yield at(link, { element: linkName(doc), problem: 'in a document without fh:archive: only archive pages point to the subscription document' });
        else if (f.self !== undefined && f.resolve(link) === f.self) yield at(link, { element: linkName(doc), problem: 'points at this archive page itself, which is not a subscription document' });
      }
    },
    why: 'Clients subscribe to what rel="current" names; an archive page named there never gets a new entry.',
    fix: 'Point rel="current" at the subscription document (the feed readers subscribe to), from archive pages only.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-006',
    level: 'error',
    spec: 'RFC 5005 §4',
    title: 'At most one link of each archive relation (current, prev-archive, next-archive), each with an href that is not the document itself',
    message: (p) => `<${s(p, 'element')} rel="${s(p, 'rel')}"> ${s(p, 'problem')}`,
    check: function* (doc) {
      const f = facts(doc);
      if (!f) return;
      for (const rel of ARCHIVE_RELS) {
        for (const [i, link] of (f.links.get(rel) ?? []).entries()) {
          const href = hrefOf(link);
          if (i > 0) yield at(link, { element: linkName(doc), rel, problem: 'appears more than once: a client follows one' });
          else if (!href) yield at(link, { element: linkName(doc), rel, problem: 'has no href' });
          else if (rel !== 'current' && f.self !== undefined && f.resolve(link) === f.self) yield at(link, { element: linkName(doc), rel, problem: 'points at the document itself: a client walking the archive loops' });
        }
      }
    },
    why: 'A backfilling client follows these links one page at a time; two of them, none, or one back to the same page breaks the walk.',
    fix: 'Write one link per relation, to the neighbouring page.',
  }),
  defineRule<XmlDoc>({
    id: 'RFC5005-007',
    level: 'warning',
    spec: 'RFC 5005 §4',
    title: 'Only archive pages have a next-archive link: nothing is newer than the subscription document',
    message: (p) => `<${s(p, 'element')} rel="next-archive"> in a document without fh:archive`,
    check: function* (doc) {
      const f = facts(doc);
      if (!f || f.archive.length > 0) return;
      for (const link of f.links.get('next-archive') ?? []) yield at(link, { element: linkName(doc) });
    },
    why: 'The subscription document is the newest part of the feed; next-archive there sends clients to an older page while they expect newer entries.',
    fix: 'Use prev-archive for the newest archive page, and add fh:archive to archive pages.',
  }),
];
