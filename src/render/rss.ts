// RSS 2.0 (spec revision 2.0.11) with the RSS Best Practices Profile; extensions: atom, content, dc, media (Media RSS 1.5.1), fh (RFC 5005), and for podcasts itunes (Apple Podcasts) and podcast (Podcasting 2.0).
/**
 * The channel head comes from the `feed` package and is corrected here; items are written
 * here. Why the split: `feed` 6.0.0's item writer is wrong on most item fields for us (a bare
 * name in <author>, an enclosure with length="0" and a type guessed from the extension
 * (`image/jpg`), only the first `]]>` of a CDATA section split), and its text escaping is
 * lossy (xml-js turns a literal `&amp;` into `&`). Patching its item output would be string
 * surgery on every field; its head needs only the additions below.
 */
import type { Entry, Feed, Site } from '../model/types.js';
import { asUri, feedLibHead, generatorLabel, rfc822, stylesheetHref } from './feed-lib.js';
import { imageElement, mediaContent } from './media.js';
import { FH_NS, pagingElements, usesFh } from './paging.js';
import { PODCAST_NAMESPACES, podcastChannel, podcastItem } from './podcast.js';
import {
  cdataEl,
  childElements,
  el,
  insertAfter,
  onlyChild,
  parseXmlTree,
  serializeXml,
  setText,
  xmlBytes,
  textEl,
  type XmlElement,
} from './xml.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
} as const;

/** RSS <description> is HTML; a plain-text summary must be escaped once to show as written. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderItem(entry: Entry, site: Site): XmlElement {
  const children: XmlElement[] = [
    textEl('title', entry.title),
    textEl('link', asUri(entry.url)),
    // Our ids are tag: URIs, not the item's URL: isPermaLink must say so (RSS-IT-020).
    textEl('guid', entry.id, { isPermaLink: 'false' }),
    textEl('pubDate', rfc822(entry.published)),
    // dc:creator, never <author>: that element wants an e-mail address, and the Profile
    // (§5.3.1) forbids giving an item both.
    ...entry.authors.map((person) => textEl('dc:creator', person.name)),
    ...entry.tags.map((tag) => textEl('category', tag)),
  ];
  if (entry.headline) {
    // An archive page's entry has no body: its summary alone, when the article writes one.
    if (entry.summary !== '') children.push(cdataEl('description', escapeHtml(entry.summary)));
  } else if (entry.summary !== '') {
    // Profile §5.2.1: the summary in description, before the full text in content:encoded.
    children.push(cdataEl('description', escapeHtml(entry.summary)), cdataEl('content:encoded', entry.contentHtml));
  } else {
    children.push(cdataEl('description', entry.contentHtml));
  }
  // One <enclosure> per item (most readers use only the first, RSS-IT-003); the rest as Media RSS.
  // Every length is known: the store rejects an enclosure without one rather than write length="0".
  const [first, ...rest] = entry.enclosures ?? [];
  if (first !== undefined) children.push(el('enclosure', { url: asUri(first.url), length: String(first.length), type: first.type }));
  children.push(...rest.map(mediaContent));
  // The lead image needs no byte length in Media RSS, so it stays there even when it is remote.
  if (entry.image !== undefined) children.push(imageElement(entry.image, entry.imageSize));
  if (site.podcast) children.push(...podcastItem(entry));
  return el('item', {}, children);
}

/** Completes the channel head `feed` wrote. */
function correctHead(rss: XmlElement, site: Site, updated: Date, paging: Feed['paging']): XmlElement {
  const channel = onlyChild(rss, 'channel');
  // xml-js rewrites a literal `&amp;` in text to `&`: put the model's text back.
  setText(onlyChild(channel, 'title'), site.title);
  setText(onlyChild(channel, 'description'), site.description);
  setText(onlyChild(channel, 'generator'), generatorLabel(site));
  const copyright = childElements(channel, 'copyright')[0];
  if (copyright !== undefined && site.copyright !== undefined) setText(copyright, site.copyright);

  // The content date doubles as the channel pubDate; never the clock (RSS-CH-009).
  insertAfter(channel, 'lastBuildDate', [textEl('pubDate', rfc822(updated))]);
  // managingEditor must hold an e-mail address; without one, leave it out.
  if (site.author?.email !== undefined) {
    insertAfter(channel, 'language', [textEl('managingEditor', `${site.author.email} (${site.author.name})`)]);
  }
  // `feed` advertises one hub only.
  insertAfter(
    channel,
    'atom:link',
    site.hubs.slice(1).map((hub) => el('atom:link', { href: asUri(hub), rel: 'hub' })),
  );
  insertAfter(channel, 'atom:link', pagingElements(paging, 'rss'));
  // A podcast's channel fields go after the others; its two namespaces are declared only in podcast feeds.
  if (site.podcast) channel.children.push(...podcastChannel(site.podcast));
  // Declare every prefix the items may use, in a fixed order.
  return el('rss', { version: '2.0', ...NAMESPACES, ...(site.podcast ? PODCAST_NAMESPACES : {}), ...(usesFh(paging) ? { 'xmlns:fh': FH_NS } : {}) }, [channel]);
}

function rssTree(feed: Feed): XmlElement {
  const rss = correctHead(parseXmlTree(feedLibHead(feed.site, feed.updated).rss2()), feed.site, feed.updated, feed.paging);
  // Items after every other channel child (Profile §4.1.1), in the model's order.
  onlyChild(rss, 'channel').children.push(...feed.entries.map((entry) => renderItem(entry, feed.site)));
  return rss;
}

export function renderRss(feed: Feed): string {
  return serializeXml(rssTree(feed), { stylesheet: stylesheetHref(feed.site) });
}

/** `renderRss`'s text as UTF-8 bytes. */
export function renderRssBytes(feed: Feed): Buffer {
  return xmlBytes(rssTree(feed), { stylesheet: stylesheetHref(feed.site) });
}
