// JSON Feed 1.1 (https://jsonfeed.org/version/1.1), RFC 8259 JSON with RFC 3339 dates; next_url for RFC 5005 archive pages.
/**
 * `feed` 6.0.0 writes JSON Feed 1.0: the 1.0 version URL, a single `author` (first one only),
 * no `language`, `authors` or `hubs`. Its output is parsed back (JSON round-trips losslessly)
 * and upgraded here: the fields it gets right are kept, the 1.1 ones added, and the keys
 * written in a fixed order with `version` first.
 */
import type { Entry, Feed, Person, Site } from '../model/types.js';
import { feedLibWithItems } from './feed-lib.js';
import { utf8Of } from './utf8.js';
import { stripIllegalXmlChars as clean } from '../values/xml-chars.js';

/** The subset of `feed`'s JSON Feed 1.0 output that is kept. */
type LegacyItem = {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  image?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
};
type LegacyFeed = {
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  items: LegacyItem[];
};

type JsonAuthor = { name: string; url?: string };

// JSON Feed authors have name, url and avatar; there is no e-mail field.
function toJsonAuthor(person: Person): JsonAuthor {
  return { name: clean(person.name), ...(person.url !== undefined ? { url: person.url } : {}) };
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list !== undefined && list.length > 0 ? list : undefined;
}

function upgradeItem(item: LegacyItem, entry: Entry, articleLanguage: string | undefined): Record<string, unknown> {
  // An archive page's entry has no body; JSON Feed still wants content, so the summary (or the title) is its text.
  const headline = entry.headline === true;
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: headline ? undefined : item.content_html,
    content_text: headline ? entry.summary || item.title : undefined,
    summary: headline ? undefined : item.summary,
    image: item.image,
    date_published: item.date_published,
    date_modified: item.date_modified,
    authors: nonEmpty(entry.authors.map(toJsonAuthor)),
    tags: nonEmpty(item.tags),
    language: entry.lang ?? articleLanguage,
    attachments: nonEmpty((entry.enclosures ?? []).map((e) => ({
      url: e.url,
      mime_type: e.type,
      title: e.title === undefined ? undefined : clean(e.title),
      size_in_bytes: e.length,
      duration_in_seconds: e.duration,
    }))),
  };
}

type JsonDocument = Record<string, unknown> & { items: Record<string, unknown>[] };

function upgrade(legacy: LegacyFeed, site: Site, entries: Entry[], paging: Feed['paging']): JsonDocument {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: legacy.title,
    home_page_url: legacy.home_page_url,
    feed_url: legacy.feed_url,
    description: legacy.description,
    // JSON Feed has no archive relations: next_url leads to the next older archive page (README, Archives).
    next_url: paging?.prevArchive?.json,
    icon: site.icon,
    favicon: site.icon,
    language: site.language,
    authors: site.author !== undefined ? [toJsonAuthor(site.author)] : undefined,
    hubs: nonEmpty(site.hubs.map((url) => ({ type: 'WebSub', url }))),
    items: legacy.items.map((item, i) => {
      const entry = entries[i];
      // feedLibWithItems adds one item per entry, in order.
      if (entry === undefined || entry.id !== item.id) throw new Error(`feed item ${i} does not match its entry`);
      return upgradeItem(item, entry, site.articleLanguage);
    }),
  };
}

export function renderJson(feed: Feed): string {
  // Undefined members are dropped by JSON.stringify: optional fields are simply absent.
  return `${JSON.stringify(jsonDocument(feed), null, 2)}\n`;
}

/**
 * `renderJson`'s text as UTF-8 bytes, stringified item by item (see utf8.ts): the items of
 * `JSON.stringify(document, null, 2)` are those of `JSON.stringify(item, null, 2)` indented by
 * two levels, since no JSON string holds a raw line break.
 */
export function renderJsonBytes(feed: Feed): Buffer {
  const doc = jsonDocument(feed);
  const { items } = doc;
  // In place of the items, so that every key keeps its position.
  const head = JSON.stringify({ ...doc, items: ITEMS }, null, 2);
  const at = head.indexOf(ITEMS_JSON);
  // Only a site value holding the marker itself would get here: the whole text then, the same bytes.
  if (at === -1 || head.indexOf(ITEMS_JSON, at + 1) !== -1) return Buffer.from(renderJson(feed), 'utf8');
  const pieces = [head.slice(0, at)];
  if (items.length === 0) pieces.push('[]');
  else {
    pieces.push('[\n');
    items.forEach((item, i) => pieces.push(`${i > 0 ? ',\n' : ''}    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}`));
    pieces.push('\n  ]');
  }
  pieces.push(head.slice(at + ITEMS_JSON.length), '\n');
  return utf8Of(pieces);
}

/** Stands for the items in the document's head. */
const ITEMS = '\u0000kiosque items\u0000';
const ITEMS_JSON = JSON.stringify(ITEMS);

/** Entries given to `feed` at a time: its text for all of an archive page's entries at once is over 128 KB (see utf8.ts). */
const LEGACY_BATCH = 16;

function jsonDocument(feed: Feed): JsonDocument {
  // `feed` writes each item from its entry alone: its output in batches holds the same items.
  const legacy = (entries: Entry[]): LegacyFeed => JSON.parse(feedLibWithItems({ ...feed, entries }).json1()) as LegacyFeed;
  const items: LegacyItem[] = [];
  for (let i = 0; i < feed.entries.length; i += LEGACY_BATCH) items.push(...legacy(feed.entries.slice(i, i + LEGACY_BATCH)).items);
  return upgrade({ ...legacy([]), items }, feed.site, feed.entries, feed.paging);
}
