/**
 * Checks that need more than one document: the three outputs of one build must carry the same
 * items (`crossCheck`), and ids must stay stable against the last publication (`comparePrevious`:
 * RSS-CH-009, RSS-IT-022, ATOM-F-010, ATOM-E-010, ATOM-E-013, JF-ITEM-004). Pure: bytes in, Issues out.
 */
import { createHash } from 'node:crypto';
import type { Issue } from '../issue.js';
import type { Format } from '../model/types.js';
import { parseXml } from './parse.js';
import { defineInfo, detailMessage, type RuleInfo } from './rule.js';
import { parseRfc3339, parseRfc822 } from '../values/dates.js';
import { NS, attr, type XmlDoc, type XmlElement } from './xml.js';
import { plainOf, type JsonDoc } from './json/doc.js';
import { detached } from '../values/memo.js';

/** One item as the cross-format checks see it. */
export type ItemSummary = {
  id?: string;
  link?: string;
  title?: string;
  /** Publication instant in ms (RSS pubDate, Atom published or updated, JSON date_published). */
  published?: number;
  /** Last-modified instant in ms, where the format has one (Atom updated, JSON date_modified). */
  updated?: number;
  /** A digest of the item's full content (RSS content:encoded, Atom content, JSON content_html; archive pages carry none), when long enough to tell one article from another. */
  content?: string;
  /** The first enclosure's URL (RSS enclosure, Atom link rel="enclosure", JSON Feed's first attachment): a podcast episode's audio. */
  enclosure?: string;
  /** Its length in bytes: the same file moved with its article to another folder keeps it and its name, not its URL. */
  enclosureLength?: string;
  line?: number;
  pointer?: string;
};

/** Content shorter than this ("Texte.", a photo's caption) is too common to say two items are one article. */
const CONTENT_KEY_MIN = 200;
/**
 * The item's own address is taken out of its content first: images and links beside the article resolve against it, so
 * an article renamed with its folder of images would otherwise read as other content.
 */
const contentKey = (text: string | undefined, link?: string): string | undefined =>
  text !== undefined && text.length >= CONTENT_KEY_MIN ? createHash('sha256').update((link ? text.split(link).join('') : text).trim()).digest('base64') : undefined;

export type FeedSummary = {
  /** Atom feed/id; JSON Feed feed_url; RSS has none. */
  id?: string;
  /** RSS lastBuildDate, Atom feed/updated. */
  updated?: number;
  updatedRaw?: string;
  /** RSS channel `podcast:guid`: the show's identity in the Podcasting 2.0 namespace. */
  podcastGuid?: string;
  items: ItemSummary[];
  /** Atom's RFC 6721 tombstones: each `ref` with its `when` in ms. */
  deleted?: Map<string, number>;
};

const PODCAST_NS = 'https://podcastindex.org/namespace/1.0';

const m = detailMessage;
const previousWhy = 'Readers key items by id: a changed id shows an old item again as new, a reused one hides a new item.';
const previousFix = 'Derive ids from something that never changes (the file path or a minted tag: URI), never from the URL or the title.';

/** The build gate's rules: the same definition as any validator rule, checked here against other documents. */
export const gateRules = {
  cross: defineInfo({
    id: 'KIOSQUE-CROSS-001', level: 'error', spec: 'kiosque: README.md#kiosque-build-also-npm-run-feeds',
    title: 'The RSS, Atom and JSON outputs of one build carry the same items in the same order: ids, links, titles and publication instants',
    message: m,
    why: 'Readers subscribed to different formats of one site must see the same items; a difference is a rendering bug.',
    fix: 'Report it: all three renderers take the same feed model, so a difference is a bug in kiosque.',
  }),
  rssUpdated: defineInfo({
    id: 'RSS-CH-009', level: 'warning', spec: 'RSS Profile §4.1.1.11',
    title: '`lastBuildDate` changes only when the content changes (compared with the last publication)',
    message: m,
    why: 'A date that moves with every build changes the ETag, so every poller downloads the whole feed again for nothing.',
    fix: 'Derive lastBuildDate from the newest item, not from the build time.',
  }),
  rssItemId: defineInfo({
    id: 'RSS-IT-022', level: 'warning', spec: 'RSS 2.0 `<guid>`; RSS Profile §4.1.1.20.6',
    title: 'An item keeps its guid across publications, and a guid is never reused for another item',
    message: m, why: previousWhy, fix: previousFix,
  }),
  atomFeedId: defineInfo({
    id: 'ATOM-F-010', level: 'error', spec: 'RFC 4287 §4.2.6',
    title: '`feed/id` never changes between publications',
    message: m,
    why: 'Readers identify the feed by its id: a new one makes them treat it as another feed.',
    fix: 'Set `idPrefix` once in kiosque.config.json and never change it.',
  }),
  atomEntryId: defineInfo({
    id: 'ATOM-E-010', level: 'error', spec: 'RFC 4287 §4.2.6',
    title: 'An entry keeps its id across publications, and an id is never reused for another entry',
    message: m, why: previousWhy, fix: previousFix,
  }),
  atomUpdated: defineInfo({
    id: 'ATOM-E-013', level: 'info', spec: 'RFC 4287 §4.2.15',
    title: '`feed/updated` moves only when the entries change (compared with the last publication)',
    message: m,
    why: 'A date that moves with every build changes the ETag, so every poller downloads the whole feed again for nothing.',
    fix: 'Derive feed/updated from the newest entry, not from the build time.',
  }),
  podcastGuid: defineInfo({
    id: 'KIOSQUE-PODCAST-GUID', level: 'error', spec: 'Podcasting 2.0 namespace, `<podcast:guid>`',
    title: 'A podcast keeps its `podcast:guid` across publications',
    message: m,
    why: 'The guid is the show\'s identity for life, across moves of its feed: directories and apps that key on it would list the moved feed as a new show, without its subscribers.',
    fix: 'Set the podcast\'s `guid` in its feed specification to the guid it was published with.',
  }),
  restored: defineInfo({
    id: 'KIOSQUE-RESTORED-001', level: 'warning', spec: 'RFC 6721 §3',
    title: 'An entry announced deleted comes back updated after its removal',
    message: m,
    why: 'Readers that honour tombstones dropped the entry; "a removal dated at or after the update wins", so one back with an older `updated` stays hidden from them, while readers that ignore tombstones show it as it was.',
    fix: 'If the article is back on purpose (a retraction withdrawn, a file restored), give it an `updated` date later than the removal named, and say in its text what changed.',
  }),
  redated: defineInfo({
    id: 'KIOSQUE-REDATED-001', level: 'warning', spec: 'RFC 4287 §4.2.9, §4.2.15',
    title: 'Entries already published keep their publication date',
    message: m,
    why: 'Readers sort and mark entries by date: an entry whose published date moves may show again as new, or change places in every reader, and full archive pages (cached for a year) keep the old date.',
    fix: 'If it was not meant: set `timezone` back (dates written without an offset are read in it), or give the article its date back. Write dates with their offset (`2026-11-20T10:00:00+01:00`) so no setting can move them.',
  }),
  jsonItemId: defineInfo({
    id: 'JF-ITEM-004', level: 'warning', spec: 'JSON Feed 1.1, Items',
    title: 'An item keeps its id across publications, and an id is never reused for another item',
    message: m, why: previousWhy, fix: previousFix,
  }),
};

/** An Issue of a gate rule: its level and message come from the definition. */
function gateIssue(rule: RuleInfo, file: string, detail: string, item?: ItemSummary): Issue {
  return { rule: rule.id, level: rule.level, file, message: rule.message({ detail }), spec: rule.spec, ...(item ? where(item) : {}) };
}

export const CROSS_RULE = gateRules.cross.id;

const textOf = (el: XmlElement | undefined): string | undefined => (el ? deepText(el).trim() : undefined);
/** Text a summary keeps: summaries live as long as the bytes, and must not keep each document's whole text (memo.ts). */
const kept = (text: string | undefined): string | undefined => (text === undefined ? undefined : detached(text));
function deepText(el: XmlElement): string {
  // XHTML titles keep their text in descendants; iterative to stay stack-safe.
  let out = '';
  const stack: XmlElement[] = [el];
  while (stack.length > 0) {
    const top = stack.pop() as XmlElement;
    out += top.text;
    for (let i = top.children.length - 1; i >= 0; i--) stack.push(top.children[i] as XmlElement);
  }
  return out;
}
const kid = (el: XmlElement, local: string, ns: string): XmlElement | undefined => el.children.find((c) => c.local === local && c.ns === ns);
const kidsOf = (el: XmlElement, local: string, ns: string): XmlElement[] => el.children.filter((c) => c.local === local && c.ns === ns);
const instant822 = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const r = parseRfc822(v);
  return r.ok ? r.date.getTime() : undefined;
};
const instant3339 = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const r = parseRfc3339(v);
  return r.ok ? r.date.getTime() : undefined;
};

/** The build asks crossCheck and comparePrevious about the same (never mutated) buffers: parse each once. */
const summaries = new WeakMap<Uint8Array, { format: Format; summary: FeedSummary | undefined }>();

/** Extracts the per-item identity of a feed; undefined when the bytes are not that format. */
export function summarise(format: Format, bytes: Uint8Array): FeedSummary | undefined {
  const known = summaries.get(bytes);
  if (known && known.format === format) return known.summary;
  const summary = summariseUncached(format, bytes);
  summaries.set(bytes, { format, summary });
  return summary;
}

/**
 * Keeps the summary of `bytes` from a tree already parsed from them (by the validator): parsing a
 * feed's documents again for the cross-format check repeated the most expensive part of validating
 * them (for JSON Feed, decoding its text again), and made as much garbage again.
 */
export function rememberSummary(format: Format, bytes: Uint8Array, doc: XmlDoc | JsonDoc): void {
  if ('encoding' in doc) {
    if (format === 'json') summaries.set(bytes, { format, summary: doc.root ? summariseJsonValue(plainOf(doc.root)) : undefined });
  } else if (format !== 'json') summaries.set(bytes, { format, summary: summariseXml(format, doc) });
}

function summariseUncached(format: Format, bytes: Uint8Array): FeedSummary | undefined {
  if (format === 'json') return summariseJson(bytes);
  const { doc } = parseXml(bytes, '');
  return doc ? summariseXml(format, doc) : undefined;
}

function summariseXml(format: 'rss' | 'atom', doc: XmlDoc): FeedSummary | undefined {
  const root = doc.root;
  if (format === 'rss') {
    if (root.local !== 'rss') return undefined;
    const ch = kid(root, 'channel', root.ns);
    if (!ch) return { items: [] };
    const lbd = kept(textOf(kid(ch, 'lastBuildDate', root.ns)));
    const summary: FeedSummary = { items: [] };
    const guid = kept(textOf(kid(ch, 'guid', PODCAST_NS)));
    if (guid) summary.podcastGuid = guid;
    if (lbd !== undefined) {
      summary.updatedRaw = lbd;
      const t = instant822(lbd);
      if (t !== undefined) summary.updated = t;
    }
    for (const item of kidsOf(ch, 'item', root.ns)) {
      const s: ItemSummary = { line: item.line };
      const id = kept(textOf(kid(item, 'guid', root.ns)));
      const link = kept(textOf(kid(item, 'link', root.ns)));
      const title = kept(textOf(kid(item, 'title', root.ns)));
      const published = instant822(textOf(kid(item, 'pubDate', root.ns)));
      const content = contentKey(textOf(kid(item, 'encoded', NS.content)), link);
      if (content) s.content = content;
      const enclosureEl = kid(item, 'enclosure', root.ns);
      const enclosure = enclosureEl ? kept(attr(enclosureEl, 'url')?.trim()) : undefined;
      if (enclosure) s.enclosure = enclosure;
      const length = enclosureEl ? kept(attr(enclosureEl, 'length')?.trim()) : undefined;
      if (length && length !== '0') s.enclosureLength = length;
      if (id) s.id = id;
      if (link) s.link = link;
      if (title !== undefined) s.title = title;
      if (published !== undefined) s.published = published;
      summary.items.push(s);
    }
    return summary;
  }
  if (root.local !== 'feed' || root.ns !== NS.atom) return undefined;
  const summary: FeedSummary = { items: [] };
  const feedId = kept(textOf(kid(root, 'id', NS.atom)));
  if (feedId) summary.id = feedId;
  const upd = kept(textOf(kid(root, 'updated', NS.atom)));
  if (upd !== undefined) {
    summary.updatedRaw = upd;
    const t = instant3339(upd);
    if (t !== undefined) summary.updated = t;
  }
  for (const tombstone of kidsOf(root, 'deleted-entry', NS.at)) {
    const ref = kept(attr(tombstone, 'ref')?.trim());
    const when = instant3339(attr(tombstone, 'when')?.trim());
    if (ref !== undefined && when !== undefined) (summary.deleted ??= new Map()).set(ref, when);
  }
  for (const entry of kidsOf(root, 'entry', NS.atom)) {
    const s: ItemSummary = { line: entry.line };
    const id = kept(textOf(kid(entry, 'id', NS.atom)));
    const alt = kidsOf(entry, 'link', NS.atom).find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
    const title = kept(textOf(kid(entry, 'title', NS.atom)));
    const updated = instant3339(textOf(kid(entry, 'updated', NS.atom)));
    const published = instant3339(textOf(kid(entry, 'published', NS.atom)));
    const href = alt ? kept(attr(alt, 'href')?.trim()) : undefined;
    const content = contentKey(textOf(kid(entry, 'content', NS.atom)), href);
    if (content) s.content = content;
    const enclosureLink = kidsOf(entry, 'link', NS.atom).find((l) => attr(l, 'rel') === 'enclosure');
    const enclosure = enclosureLink ? kept(attr(enclosureLink, 'href')?.trim()) : undefined;
    if (enclosure) s.enclosure = enclosure;
    const length = enclosureLink ? kept(attr(enclosureLink, 'length')?.trim()) : undefined;
    if (length && length !== '0') s.enclosureLength = length;
    if (id) s.id = id;
    if (href) s.link = href;
    if (title !== undefined) s.title = title;
    if (updated !== undefined) s.updated = updated;
    const pub = published ?? updated;
    if (pub !== undefined) s.published = pub;
    summary.items.push(s);
  }
  return summary;
}

function summariseJson(bytes: Uint8Array): FeedSummary | undefined {
  let value: unknown;
  try {
    let text = new TextDecoder().decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return summariseJsonValue(value);
}

function summariseJsonValue(value: unknown): FeedSummary | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const feed = value as Record<string, unknown>;
  const summary: FeedSummary = { items: [] };
  if (typeof feed['feed_url'] === 'string') summary.id = kept(feed['feed_url']);
  const items = Array.isArray(feed['items']) ? feed['items'] : [];
  items.forEach((raw: unknown, i: number) => {
    const s: ItemSummary = { pointer: `/items/${i}` };
    if (typeof raw === 'object' && raw !== null) {
      const item = raw as Record<string, unknown>;
      // Detached: strings of the validator's tree may be slices of the whole document's text.
      const str = (k: string): string | undefined => kept(typeof item[k] === 'string' ? (item[k] as string) : typeof item[k] === 'number' ? String(item[k]) : undefined);
      const id = str('id');
      if (id !== undefined) s.id = id;
      const url = str('url');
      if (url !== undefined) s.link = url;
      const title = str('title');
      if (title !== undefined) s.title = title.trim();
      const published = instant3339(str('date_published'));
      const modified = instant3339(str('date_modified'));
      if (published !== undefined) s.published = published;
      if (modified !== undefined) s.updated = modified;
      const content = contentKey(str('content_html'), url);
      if (content) s.content = content;
      const first = Array.isArray(item['attachments']) ? (item['attachments'] as unknown[])[0] : undefined;
      const enclosure = typeof first === 'object' && first !== null && typeof (first as Record<string, unknown>)['url'] === 'string' ? kept((first as Record<string, string>)['url']!.trim()) : undefined;
      if (enclosure) s.enclosure = enclosure;
      const size = typeof first === 'object' && first !== null ? (first as Record<string, unknown>)['size_in_bytes'] : undefined;
      if (typeof size === 'number' && size > 0) s.enclosureLength = String(size);
    }
    summary.items.push(s);
  });
  return summary;
}

const where = (item: ItemSummary): Pick<Issue, 'line' | 'pointer'> => (item.pointer !== undefined ? { pointer: item.pointer } : item.line !== undefined ? { line: item.line } : {});
const describe = (item: ItemSummary, index: number): string => `item ${index + 1}${item.id ? ` (${item.id})` : ''}`;
const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.floor(ms / 1000));

/**
 * The outputs of one build carry the same items, in the same order, with the same ids, links,
 * titles and publication instants (compared to the second, RSS dates have no fractions).
 */
export function crossCheck(outputs: { format: Format; file: string; bytes: Uint8Array }[]): Issue[] {
  const issues: Issue[] = [];
  const parsed = outputs.map((o) => ({ ...o, summary: summarise(o.format, o.bytes) }));
  const base = parsed.find((p) => p.summary !== undefined);
  if (!base || !base.summary) return issues;
  const issue = (file: string, item: ItemSummary | undefined, message: string): void => {
    issues.push(gateIssue(gateRules.cross, file, message, item));
  };
  for (const other of parsed) {
    if (other === base || !other.summary) continue;
    const a = base.summary.items;
    const b = other.summary.items;
    if (a.length !== b.length) {
      issue(other.file, undefined, `${other.file} has ${b.length} items but ${base.file} has ${a.length}`);
      continue;
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i] as ItemSummary;
      const y = b[i] as ItemSummary;
      if (x.id !== y.id) {
        issue(other.file, y, `${describe(y, i)} has id "${y.id ?? ''}" but ${base.file} has "${x.id ?? ''}" at the same position (same items, same order expected)`);
        continue;
      }
      if (x.link !== y.link) issue(other.file, y, `${describe(y, i)} links to "${y.link ?? ''}" but ${base.file} links to "${x.link ?? ''}"`);
      if (x.title !== y.title) issue(other.file, y, `${describe(y, i)} is titled "${y.title ?? ''}" but "${x.title ?? ''}" in ${base.file}`);
      if (seconds(x.published) !== seconds(y.published)) {
        const fmt = (ms: number | undefined): string => (ms === undefined ? 'none' : new Date(ms).toISOString());
        issue(other.file, y, `${describe(y, i)} is dated ${fmt(y.published)} but ${fmt(x.published)} in ${base.file}`);
      }
    }
  }
  return issues;
}

type PreviousRules = { itemId: RuleInfo; feedId?: RuleInfo; updated?: RuleInfo };
const PREVIOUS_RULES: Record<Format, PreviousRules> = {
  rss: { itemId: gateRules.rssItemId, updated: gateRules.rssUpdated },
  atom: { itemId: gateRules.atomEntryId, feedId: gateRules.atomFeedId, updated: gateRules.atomUpdated },
  json: { itemId: gateRules.jsonItemId },
};

/**
 * Compares a new build with the last published one: an item id that changed for the same link,
 * an id reused for a different item, a changed feed id, and a feed date that moved while the
 * items stayed identical (the ETag then changes for nothing).
 */
/**
 * What the comparison knows of the feed beyond its two documents: how many items it carries at most (`limit`: an
 * item that left at the old end of a full feed was pushed out), the ids retracted (gone on purpose, not renamed), and
 * whether it is an archive page (whose re-dated entries the chain rules report).
 */
export type PreviousContext = { limit?: number; retracted?: ReadonlySet<string>; page?: boolean; idPrefix?: string };

/** From this many items of one document whose ids changed only in their prefix, one finding says so for all. */
const PREFIX_CHANGES_TOLD = 3;

/**
 * The prefix `was` had when `now` is the same id under another prefix. With the configured `idPrefix`, exactly: `now` is
 * it plus a key, and `was` another prefix plus that key (`https://a.example/ids/x` to `https://a.example/id/x`). Without
 * it (a feed checked on its own), a tag URI's, up to its last colon (`tag:a.example,2020:x` to `tag:b.example,2000:x`).
 */
function prefixOnly(was: string, now: string, idPrefix?: string): string | undefined {
  if (now === was) return undefined;
  if (idPrefix !== undefined) {
    const key = now.startsWith(idPrefix) ? now.slice(idPrefix.length) : undefined;
    // An old id under the configured prefix is an article's own id changed (`…:2025/11/long-slug` to `…:slug`), not a prefix.
    return key && was.endsWith(key) && was.length > key.length && !was.startsWith(idPrefix) ? was.slice(0, -key.length) : undefined;
  }
  const prefix = was.slice(0, was.lastIndexOf(':') + 1);
  return prefix.length > 0 && now.endsWith(`:${was.slice(prefix.length)}`) ? prefix : undefined;
}

export function comparePrevious(format: Format, previous: Uint8Array, next: Uint8Array, file: string, context: PreviousContext = {}): Issue[] {
  const before = summarise(format, previous);
  const after = summarise(format, next);
  if (!before || !after) return [];
  const rules = PREVIOUS_RULES[format];
  const issues: Issue[] = [];
  const push = (r: RuleInfo, item: ItemSummary | undefined, message: string): void => {
    issues.push(gateIssue(r, file, message, item));
  };

  const byLink = new Map<string, ItemSummary>();
  const byId = new Map<string, ItemSummary>();
  for (const item of before.items) {
    if (item.link) byLink.set(item.link, item);
    if (item.id) byId.set(item.id, item);
  }
  // Ids that changed in their prefix only (`idPrefix` edited, or `url` changed with none set): told once per document
  // from PREFIX_CHANGES_TOLD on, not once per item, which flooded a report with thousands of lines.
  const prefixChanges: { item: ItemSummary; was: string; prefix: string; message: string }[] = [];
  const idChanged = (item: ItemSummary, was: ItemSummary, message: (fix: string) => string): void => {
    const prefix = prefixOnly(was.id!, item.id!, context.idPrefix);
    if (prefix === undefined) push(rules.itemId, item, message(`If its file was renamed, give it its id back in its front matter: id: "${was.id}"`));
    else prefixChanges.push({ item, was: was.id!, prefix, message: message(`Only its prefix changed: set "idPrefix" back to "${prefix}" in the configuration`) });
  };
  for (const [item, was] of movedItems(before, after, context)) {
    if (item.link !== undefined && item.link === was.link) continue; // reported below, by its link
    idChanged(item, was, (fix) => `"${item.title}" had id "${was.id}" in the last publication and now has "${item.id}" (${sameParts(item, was)}${item.link !== undefined && was.link !== undefined ? ', new link' : ''}): readers will show it again as new. ${fix}`);
  }
  const reused = new Set<ItemSummary>();
  for (const item of after.items) {
    const sameLink = item.link ? byLink.get(item.link) : undefined;
    if (sameLink?.id && item.id && sameLink.id !== item.id) {
      idChanged(item, sameLink, (fix) => `the item at ${item.link} had id "${sameLink.id}" in the last publication and now has "${item.id}": readers will show it again as new. ${fix}`);
    }
    const sameId = item.id ? byId.get(item.id) : undefined;
    if (sameId && sameId.link && item.link && sameId.link !== item.link && (!sameLink || sameLink === sameId)) {
      // An id keeps its item while the item's link moves (a site reorganised, a file renamed with its id kept, a
      // headline rewritten with its slug): an item published at the same instant is the same article, edited. Only
      // another date with another title, or with no title to compare, another date at a link new to the feed, is another item.
      const sameTitle = sameId.title !== undefined && item.title !== undefined ? sameId.title === item.title : undefined;
      const samePublished = sameId.published !== undefined && item.published !== undefined ? sameId.published === item.published : undefined;
      const wasOther = samePublished !== true && (sameTitle === false || (sameTitle === undefined && !byLink.has(item.link)));
      if (wasOther) {
        reused.add(item);
        push(rules.itemId, item, `id "${item.id}" belonged to ${sameId.link}${sameId.title ? ` ("${sameId.title}")` : ''} in the last publication and now to ${item.link}: an id must never be reused for another item`);
      }
    }
  }

  if (before.podcastGuid && after.podcastGuid && before.podcastGuid !== after.podcastGuid) {
    push(gateRules.podcastGuid, undefined, `podcast:guid changed from "${before.podcastGuid}" to "${after.podcastGuid}" : podcast apps and directories would take it for a new show (without a guid of its own, a podcast's derives from its feed's URL, so moving the feed changes it). Set "guid": "${before.podcastGuid}" under the feed's "podcast"`);
  }
  // Once per feed (its Atom document): a changed timezone moves every entry written without an offset.
  if (format === 'atom' && !context.page) {
    const moved = after.items.filter((item) => {
      const was = item.id && !reused.has(item) ? byId.get(item.id) : undefined;
      return was?.published !== undefined && item.published !== undefined && seconds(was.published) !== seconds(item.published);
    });
    if (moved.length > 0) {
      const first = moved[0]!;
      const was = byId.get(first.id!)!;
      push(gateRules.redated, first, `${moved.length} entr${moved.length === 1 ? 'y' : 'ies'} of this document already published ${moved.length === 1 ? 'has' : 'have'} a new publication date, the first "${first.title ?? first.id}" from ${new Date(was.published!).toISOString()} to ${new Date(first.published!).toISOString()} (a changed timezone re-reads every date written without an offset, on archive pages too: ARCHIVE-CHAIN-012 names the pages rewritten)`);
    }
  }
  // Announced deleted last time, back now, and not updated since: RFC 6721 readers keep it hidden.
  if (before.deleted) {
    for (const item of after.items) {
      const when = item.id === undefined ? undefined : before.deleted.get(item.id);
      if (when === undefined || (item.updated !== undefined && item.updated > when)) continue;
      push(gateRules.restored, item, `"${item.title ?? item.id}" (${item.id}) was announced deleted in the last publication (at:deleted-entry when="${new Date(when).toISOString()}") and is back${item.updated === undefined ? '' : `, updated ${new Date(item.updated).toISOString()}`}: readers that honour the removal keep it hidden; give it an "updated" date after the removal`);
    }
  }
  const byPrefix = new Map<string, typeof prefixChanges>();
  for (const change of prefixChanges) byPrefix.set(change.prefix, [...(byPrefix.get(change.prefix) ?? []), change]);
  for (const [prefix, changes] of byPrefix) {
    if (changes.length < PREFIX_CHANGES_TOLD) {
      for (const { item, message } of changes) push(rules.itemId, item, message);
      continue;
    }
    const { item, was } = changes[0]!;
    const now = item.id!.slice(0, item.id!.length - (was.length - prefix.length));
    push(rules.itemId, item, `${changes.length} items had ids starting "${prefix}" in the last publication and now "${now}" (the first "${was}", now "${item.id}"): readers will show them all again as new. Only the prefix changed: set "idPrefix" back to "${prefix}" in the configuration`);
  }
  if (rules.feedId && before.id && after.id && before.id !== after.id) {
    const prefix = prefixOnly(before.id, after.id, context.idPrefix);
    push(rules.feedId, undefined, `feed id changed from "${before.id}" to "${after.id}"; readers will treat it as a different feed${prefix !== undefined ? `. Only its prefix changed: set "idPrefix" back to "${prefix}" in the configuration` : ''}`);
  }
  if (rules.updated && before.updatedRaw !== undefined && after.updatedRaw !== undefined && before.updatedRaw !== after.updatedRaw && sameItems(before.items, after.items) && onlyDateMoved(previous, next, before.updatedRaw, after.updatedRaw)) {
    const name = format === 'rss' ? 'lastBuildDate' : 'feed updated';
    push(rules.updated, undefined, `${name} changed from "${before.updatedRaw}" to "${after.updatedRaw}" although the items are identical: derive it from the content, not the build time`);
  }
  return issues;
}

/**
 * Items back under a new id, each with the item of the last publication it was: one gone and one new that agree on
 * two of title, publication instant and content. Where ids and links derive from file paths, that is a renamed file,
 * often renamed with its headline (the slug follows the title) or with its date corrected.
 */
export function movedItems(before: FeedSummary, after: FeedSummary, context: Pick<PreviousContext, 'limit' | 'retracted'> = {}): Map<ItemSummary, ItemSummary> {
  // Any two of date, title, full content and the episode's audio: a renamed episode whose title and notes were rewritten
  // keeps its date and its audio file (its URL, or, moved with it, its name and size).
  const keys = (item: ItemSummary): (string | undefined)[] => item.id === undefined ? [] : [
    item.title !== undefined && item.published !== undefined ? `d t ${item.published} ${item.title}` : undefined,
    item.content !== undefined && item.published !== undefined ? `d c ${item.published} ${item.content}` : undefined,
    item.content !== undefined && item.title !== undefined ? `t c ${item.title} ${item.content}` : undefined,
    item.enclosure !== undefined && item.published !== undefined ? `d e ${item.published} ${item.enclosure}` : undefined,
    item.enclosure !== undefined && item.title !== undefined ? `t e ${item.title} ${item.enclosure}` : undefined,
    item.enclosure !== undefined && item.content !== undefined ? `c e ${item.content} ${item.enclosure}` : undefined,
    // The same audio file moved with its article to another folder: another URL, but the same file name, the same length to
    // the byte, and the same date. (Two shows' episodes of one morning may well declare one length.)
    item.enclosureLength !== undefined && item.enclosure !== undefined && item.published !== undefined
      ? `d l ${item.published} ${item.enclosureLength} ${item.enclosure.slice(item.enclosure.lastIndexOf('/') + 1)}` : undefined,
  ];
  const afterIds = new Set(after.items.map((item) => item.id));
  const beforeIds = new Set(before.items.map((item) => item.id));
  const gone = new Map<string, ItemSummary>();
  // An item older than every one a full feed keeps left its window (`limit`): it was pushed out, not renamed, however
  // much a newer one resembles it (a daily show's episodes share their title and notes). One retracted left on purpose.
  const full = context.limit !== undefined && after.items.length >= context.limit;
  const oldest = full ? after.items.reduce<number | undefined>((min, item) => (item.published === undefined ? min : min === undefined ? item.published : Math.min(min, item.published)), undefined) : undefined;
  for (const item of before.items) {
    if (afterIds.has(item.id) || (item.id !== undefined && context.retracted?.has(item.id))) continue;
    if (oldest !== undefined && item.published !== undefined && item.published < oldest) continue;
    for (const k of keys(item)) if (k !== undefined && !gone.has(k)) gone.set(k, item);
  }
  const moved = new Map<ItemSummary, ItemSummary>();
  if (gone.size === 0) return moved;
  const taken = new Set<ItemSummary>();
  for (const item of after.items) {
    if (beforeIds.has(item.id)) continue;
    const was = keys(item).map((k) => (k === undefined ? undefined : gone.get(k))).find((w) => w !== undefined && !taken.has(w));
    if (was === undefined) continue;
    moved.set(item, was);
    taken.add(was);
  }
  return moved;
}

/** What an item back under a new id kept of the one it was, for the message. */
function sameParts(item: ItemSummary, was: ItemSummary): string {
  const same = [
    ...(item.title !== undefined && item.title === was.title ? ['title'] : []),
    ...(item.published !== undefined && item.published === was.published ? ['date'] : []),
    ...(item.content !== undefined && item.content === was.content ? ['content'] : []),
    ...(item.enclosure !== undefined && item.enclosure === was.enclosure ? ['audio or video file']
      : item.enclosureLength !== undefined && item.enclosureLength === was.enclosureLength ? ['audio or video file name and size'] : []),
  ];
  return `same ${same.slice(0, -1).join(', ')}${same.length > 1 ? ' and ' : ''}${same[same.length - 1] ?? ''}`;
}

/**
 * Whether `next` is `previous` with its feed date written anew and nothing else. The summaries
 * compare what identifies items, not their text: an article corrected with a new `updated`
 * moves the feed date rightly, and an RSS item carries no date of its own to show it.
 */
function onlyDateMoved(previous: Uint8Array, next: Uint8Array, from: string, to: string): boolean {
  const text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const a = text(previous);
  const b = text(next);
  if (a.length - from.length + to.length !== b.length) return false;
  // One occurrence of the old date is the feed's: an item's date may read the same.
  for (let at = a.indexOf(from); at !== -1; at = a.indexOf(from, at + 1)) {
    if (b.startsWith(to, at) && a.slice(0, at) === b.slice(0, at) && a.slice(at + from.length) === b.slice(at + to.length)) return true;
  }
  return false;
}

function sameItems(a: ItemSummary[], b: ItemSummary[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] as ItemSummary;
    return x.id === y.id && x.link === y.link && x.title === y.title && x.published === y.published && x.updated === y.updated;
  });
}
