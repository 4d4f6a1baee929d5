// Adapter from the kiosque Feed model to the `feed` package 6.0.0 (jpmonette/feed) options and items.
/**
 * The only module that knows the `feed` package's shapes. The renderers ask it for a
 * configured generator and correct what `feed` gets wrong (see rss.ts, atom.ts, json.ts).
 * Every string handed over is stripped of XML-illegal characters first: `feed` passes them
 * through, and the three formats should carry the same text.
 */
import { Feed as FeedLib } from 'feed';
import type { Author, FeedOptions, Item } from 'feed';
import { fromFolder, STYLESHEET_FILE } from '../model/feed-set.js';
import type { Entry, Feed, Person, Site } from '../model/types.js';
import { stripIllegalXmlChars as clean } from '../values/xml-chars.js';

/** The stylesheet is published once, at the root of out/: relative to a feed in a folder, it is up there. */
export function stylesheetHref(site: Site): string {
  return fromFolder(site.folder ?? '', STYLESHEET_FILE);
}
export const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

/** RFC 822 as RFC 1123 profiles it (`Fri, 28 Feb 2020 16:30:00 GMT`); the same call `feed` uses, never locale-dependent. */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 in UTC with `Z`; the same call `feed` uses. */
export function rfc3339(date: Date): string {
  return date.toISOString();
}

export function generatorLabel(site: Site): string {
  return `${site.generator.name} ${site.generator.version}`;
}

/**
 * Atom needs a feed-level author unless every entry has one (RFC 4287 §4.1.1); the model
 * gives every entry authors, but a feed must not become invalid if one slips through,
 * so the site itself stands in when no site author is configured.
 */
export function feedAuthor(site: Site): Person {
  return site.author ?? { name: site.title };
}

function toAuthor(person: Person): Author {
  return {
    name: clean(person.name),
    ...(person.email !== undefined ? { email: clean(person.email) } : {}),
    ...(person.url !== undefined ? { link: person.url } : {}),
  };
}

function toOptions(site: Site, updated: Date): FeedOptions {
  return {
    id: site.id,
    title: clean(site.title),
    description: clean(site.description),
    link: site.url,
    language: site.language,
    // Always the model's date: without it `feed` stamps the build time and the bytes change every run.
    updated,
    generator: clean(generatorLabel(site)),
    docs: RSS_DOCS,
    ...(site.ttlMinutes !== undefined ? { ttl: site.ttlMinutes } : {}),
    feedLinks: { rss: site.links.rss, atom: site.links.atom, json: site.links.json },
    ...(site.hubs[0] !== undefined ? { hub: site.hubs[0] } : {}),
    author: toAuthor(feedAuthor(site)),
    ...(site.copyright !== undefined ? { copyright: clean(site.copyright) } : {}),
    // RSS <image> must be GIF/JPEG/PNG within 144x400 and `image` also becomes the Atom logo (2:1):
    // an arbitrary site icon fits neither, so only the square icon slots get it.
    ...(site.icon !== undefined ? { favicon: site.icon } : {}),
  };
}

function toItem(entry: Entry): Item {
  const summary = clean(entry.summary);
  return {
    title: clean(entry.title),
    id: entry.id,
    link: entry.url,
    date: entry.updated,
    published: entry.published,
    ...(summary !== '' ? { description: summary } : {}),
    content: clean(entry.contentHtml),
    // feed reads author[0] unguarded: an empty list would crash it.
    ...(entry.authors.length > 0 ? { author: entry.authors.map(toAuthor) } : {}),
    category: entry.tags.map((tag) => ({ name: clean(tag), term: clean(tag) })),
    ...(entry.image !== undefined ? { image: entry.image } : {}),
  };
}

/**
 * Site-level metadata only. The XML renderers take the channel/feed head from `feed` and write
 * the items themselves: `feed`'s item writers are wrong on most item fields for us (see rss.ts).
 */
export function feedLibHead(site: Site, updated: Date): FeedLib {
  return new FeedLib(toOptions(site, updated));
}

/** Site metadata and every entry, in the model's order (newest first). */
export function feedLibWithItems(feed: Feed): FeedLib {
  const lib = new FeedLib(toOptions(feed.site, feed.updated));
  for (const entry of feed.entries) lib.addItem(toItem(entry));
  return lib;
}

/**
 * RSS and Atom carry URIs, not IRIs (RSS Profile §3.4): `feed` runs links through `new URL()`,
 * which percent-encodes and punycodes; the renderers do the same for the links they write.
 * Not for ids, which are opaque and must stay verbatim. A value that does not parse is passed
 * through unchanged for the validator to report, rather than thrown from a renderer.
 */
export function asUri(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
