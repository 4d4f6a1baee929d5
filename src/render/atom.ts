// Atom 1.0 (RFC 4287) with RFC 3339 dates; enclosures as rel="enclosure" links; extensions: media (Media RSS 1.5.1) for images, fh and paging links (RFC 5005), at (RFC 6721) for retractions.
/**
 * The feed head comes from the `feed` package and is corrected here; entries are written
 * here. Why the split: `feed` 6.0.0 runs entry ids through `new URL()` (it throws on an id
 * that is not a URL and rewrites the ones that are, while ids must stay verbatim), writes
 * plain-text titles and summaries as `type="html"` (a reader then drops a bare `&`), omits
 * the category `term`, guesses `image/jpg` enclosures without a length, and splits only the
 * first `]]>` of a CDATA section. Its head needs only the corrections below.
 */
import type { Entry, Feed, Person, Site } from '../model/types.js';
import { asUri, feedAuthor, feedLibHead, rfc3339, stylesheetHref } from './feed-lib.js';
import { imageElement } from './media.js';
import { FH_NS, pagingElements, usesFh } from './paging.js';
import { tombstoneElement, TOMBSTONES_NS } from './tombstones.js';
import {
  cdataEl,
  childElements,
  el,
  insertAfter,
  onlyChild,
  parseXmlTree,
  serializeXml,
  setText,
  textEl,
  xmlBytes,
  type XmlElement,
} from './xml.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const MEDIA_NS = 'http://search.yahoo.com/mrss/';

function renderPerson(name: 'author', person: Person): XmlElement {
  return el(name, {}, [
    textEl('name', person.name),
    ...(person.email !== undefined ? [textEl('email', person.email)] : []),
    ...(person.url !== undefined ? [textEl('uri', asUri(person.url))] : []),
  ]);
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function renderEntry(entry: Entry, site: Site): XmlElement {
  // An article that names no language is in the site's, which a tag feed mostly in another must then say.
  const own = entry.lang ?? site.articleLanguage;
  const lang = own !== undefined && !sameLanguage(own, site.language) ? own : undefined;
  const children: XmlElement[] = [
    textEl('id', entry.id),
    // Titles and summaries are plain text in the model: type="text", escaped once.
    textEl('title', entry.title, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: asUri(entry.url) }),
    // RFC 4287 §4.2.7.2: every enclosure is a link, with its length (always known, see model/media.ts).
    ...(entry.enclosures ?? []).map((e) => el('link', { rel: 'enclosure', type: e.type, length: String(e.length), href: asUri(e.url), title: e.title })),
    textEl('published', rfc3339(entry.published)),
    textEl('updated', rfc3339(entry.updated)),
    ...entry.authors.map((person) => renderPerson('author', person)),
    ...entry.tags.map((tag) => el('category', { term: tag })),
  ];
  if (entry.summary !== '') children.push(textEl('summary', entry.summary, { type: 'text' }));
  // An archive page's entry has no body: its alternate link stands in for content (RFC 4287 §4.1.1).
  if (!entry.headline) children.push(cdataEl('content', entry.contentHtml, { type: 'html' }));
  // The lead image is no enclosure (its byte length is often unknown, RFC 4287 §4.2.7.6): Media RSS needs only the URL.
  if (entry.image !== undefined) children.push(imageElement(entry.image, entry.imageSize));
  return el('entry', { 'xml:lang': lang }, children);
}

function correctLink(link: XmlElement, type: string): void {
  link.attrs = { rel: link.attrs.rel, type, href: link.attrs.href };
}

/** Completes the feed head `feed` wrote. */
function correctHead(feed: XmlElement, site: Site, paging: Feed['paging']): XmlElement {
  // xml-js rewrites a literal `&amp;` in text to `&`: put the model's values back, verbatim.
  setText(onlyChild(feed, 'id'), site.id);
  const title = onlyChild(feed, 'title');
  setText(title, site.title);
  title.attrs = { type: 'text' };
  const subtitle = childElements(feed, 'subtitle')[0];
  if (subtitle !== undefined) {
    setText(subtitle, site.description);
    subtitle.attrs = { type: 'text' };
  }
  const rights = childElements(feed, 'rights')[0];
  if (rights !== undefined && site.copyright !== undefined) {
    setText(rights, site.copyright);
    rights.attrs = { type: 'text' };
  }
  const generator = onlyChild(feed, 'generator');
  generator.attrs = { uri: asUri(site.generator.uri), version: site.generator.version };
  setText(generator, site.generator.name);

  // Always present (ATOM-F-004), with the model's values rather than `feed`'s normalised ones.
  const author = onlyChild(feed, 'author');
  author.children = renderPerson('author', feedAuthor(site)).children;

  for (const link of childElements(feed, 'link')) {
    if (link.attrs.rel === 'alternate') correctLink(link, 'text/html');
    if (link.attrs.rel === 'self') correctLink(link, 'application/atom+xml');
  }
  // `feed` advertises one hub only.
  insertAfter(
    feed,
    'link',
    site.hubs.slice(1).map((hub) => el('link', { rel: 'hub', href: asUri(hub) })),
  );
  insertAfter(feed, 'link', pagingElements(paging, 'atom'));
  return el('feed', { xmlns: ATOM_NS, 'xmlns:media': MEDIA_NS, ...(usesFh(paging) ? { 'xmlns:fh': FH_NS } : {}), 'xml:lang': site.language }, feed.children);
}

export function renderAtom(feed: Feed): string {
  return serializeXml(atomTree(feed), { stylesheet: stylesheetHref(feed.site) });
}

/** `renderAtom`'s text as UTF-8 bytes. */
export function renderAtomBytes(feed: Feed): Buffer {
  return xmlBytes(atomTree(feed), { stylesheet: stylesheetHref(feed.site) });
}

function atomTree(feed: Feed): XmlElement {
  const root = correctHead(parseXmlTree(feedLibHead(feed.site, feed.updated).atom1()), feed.site, feed.paging);
  // Tombstones are feed-level extension elements: after the metadata, before the entries (RFC 4287 §4.1.1).
  if (feed.tombstones?.length) {
    const { 'xml:lang': lang, ...namespaces } = root.attrs;
    root.attrs = { ...namespaces, 'xmlns:at': TOMBSTONES_NS, 'xml:lang': lang };
    root.children.push(...feed.tombstones.map(tombstoneElement));
  }
  // Feed metadata first, then the entries (ATOM-DOC-009), in the model's order.
  root.children.push(...feed.entries.map((entry) => renderEntry(entry, feed.site)));
  return root;
}
