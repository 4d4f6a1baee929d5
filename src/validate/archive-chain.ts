/**
 * The build gate's check of a feed's RFC 5005 archive chain, in one format: walked from the
 * subscription document through prev-archive links as a backfilling client does, every page
 * reachable, each link answered by the opposite one, every entry on exactly one page, no entry
 * of the subscription document or of the previous publication's chain missing. It reads what
 * was rendered, not the model, so a renderer bug cannot slip past. Pure: bytes in, Issues out.
 */
import type { Issue } from '../issue.js';
import type { Format } from '../model/types.js';
import { decodeEntities } from './parse.js';
import { defineInfo, detailMessage, type RuleInfo } from './rule.js';

/** What the chain check needs of one document: its links, its fh flags, its entry ids in order. */
export type ChainDoc = {
  /** Published path. */
  path: string;
  self?: string;
  current?: string;
  prevArchive?: string;
  nextArchive?: string;
  archive: boolean;
  complete: boolean;
  ids: string[];
};

const m = detailMessage;
const chainWhy = 'Archive services and new subscribers backfill a feed by following prev-archive from the subscription document; a broken link or a page left out loses history for them.';
const chainFix = 'Report it: kiosque writes the chain from one paging model, so a broken chain is a bug in kiosque.';

export const chainRules = {
  unreachable: defineInfo({
    id: 'ARCHIVE-CHAIN-001', level: 'error', spec: 'RFC 5005 §4',
    title: 'Every archive page is reachable from the subscription document through prev-archive links',
    message: m, why: chainWhy, fix: chainFix,
  }),
  links: defineInfo({
    id: 'ARCHIVE-CHAIN-002', level: 'error', spec: 'RFC 5005 §4',
    title: "Archive links agree both ways: a page's next-archive leads back to the page whose prev-archive led to it, and its current link to the subscription document",
    message: m, why: chainWhy, fix: chainFix,
  }),
  duplicate: defineInfo({
    id: 'ARCHIVE-CHAIN-003', level: 'error', spec: 'RFC 5005 §4',
    title: 'Each entry is on exactly one archive page',
    message: m,
    why: 'A client that backfills without de-duplicating shows an entry twice; one that does keeps whichever copy it read last.',
    fix: chainFix,
  }),
  missing: defineInfo({
    id: 'ARCHIVE-CHAIN-004', level: 'error', spec: 'RFC 5005 §4',
    title: 'Every entry of the subscription document is on an archive page',
    message: m,
    why: 'Once it leaves the subscription document, an entry that no page carries is lost to every client that was not polling then.',
    fix: chainFix,
  }),
  formats: defineInfo({
    id: 'ARCHIVE-CHAIN-006', level: 'error', spec: 'RFC 5005 §4; kiosque: README.md#archives-rfc-5005',
    title: 'The RSS, Atom and JSON Feed documents of one archive page carry the same entries in the same order',
    message: m,
    why: 'Clients backfilling different formats of one feed must get the same history; a difference is a rendering bug.',
    fix: chainFix,
  }),
  lost: defineInfo({
    id: 'ARCHIVE-CHAIN-005', level: 'warning', spec: 'RFC 5005 §4',
    title: 'No entry of the previous publication disappears from the archive chain unannounced',
    message: m,
    why: 'Archives are the history subscribers rely on: an entry that silently vanishes from them is usually an article deleted or renamed by mistake.',
    fix: 'Restore the article (or its file name: the id derives from it), or retract it deliberately.',
  }),
  repaged: defineInfo({
    id: 'ARCHIVE-CHAIN-007', level: 'warning', spec: 'RFC 5005 §4',
    title: 'Full archive pages keep the size they were published with',
    message: m,
    why: 'A full page is published for good (served as immutable for a year): a new page size rewrites every full page while caches and backfilled clients keep the old ones, so a client walking the chain through a cache gets entries twice or misses some.',
    fix: 'Set the feed\'s `archive.pageSize` back to the size the message gives.',
  }),
  backdated: defineInfo({
    id: 'ARCHIVE-CHAIN-008', level: 'warning', spec: 'RFC 5005 §4',
    title: 'A new entry joins the newest archive page: none is dated into a page published full',
    message: m,
    why: 'Pages hold entries in date order, so an article dated before the newest full page (backdated, or imported) goes into that page and pushes one entry along every later one: full pages, served as immutable for a year, are all rewritten, and a client backfilling through a cache may miss the new entry.',
    fix: 'If the article is news, date it when it is published and say in its text when the events took place. Importing old articles rewrites the pages once: expected then.',
  }),
  off: defineInfo({
    id: 'ARCHIVE-CHAIN-010', level: 'warning', spec: 'RFC 5005 §4',
    title: 'A feed keeps the archive pages it published',
    message: m,
    why: 'Turning a feed\'s archive off (`"archive": false` or `{ "complete": true }`) ends its pages, and so does retracting or deleting every article of its newest page: they answer 410 from then on, and archive services and new subscribers can no longer backfill from them; caches keep the full pages they hold, the last of which still links to the page gone.',
    fix: 'If it was not meant, put the feed\'s `archive` back as it was (`{ "pageSize": 100 }`): the same pages come back, with the same entries and links. After a retraction emptied the newest page, purge the page before it from the CDN: it is rewritten without its link to the page gone.',
  }),
  retracted: defineInfo({
    id: 'ARCHIVE-CHAIN-011', level: 'warning', spec: 'RFC 5005 §4; RFC 8246',
    title: 'No article is retracted from a page published full',
    message: m,
    why: 'A full page is served as immutable for a year, so caches and browsers never ask for it again: the article retracted from it leaves only the copies of clients that had none, stays readable in every other, and every later entry moves one place along, so a client backfilling through a cache may miss one.',
    fix: 'Expected after a retraction. Purge the pages named from the CDN in front of the feeds (`publish.purge` does it for a bucket); browsers keep their copies until they expire.',
  }),
  rewritten: defineInfo({
    id: 'ARCHIVE-CHAIN-012', level: 'warning', spec: 'RFC 5005 §4; RFC 8246',
    title: 'A page published full keeps its bytes, and a build that rewrites one names it',
    message: m,
    why: 'A full page is served as immutable for a year, so caches and browsers never ask for it again: an article edited, deleted, or moved to another feed (another language, author or tag) rewrites the pages it was on, and every later one when it leaves them, while clients backfilling through a cache get the old copies, the old text in them, and may miss an entry that moved along.',
    fix: 'Expected after a correction. Purge the documents named from the CDN in front of the feeds (`publish.purge` does it for a bucket); if an article was deleted by mistake, restore it.',
  }),
  moved: defineInfo({
    id: 'ARCHIVE-CHAIN-009', level: 'warning', spec: 'RFC 5005 §4',
    title: 'A page published full keeps its entries: none moves to another page',
    message: m,
    why: 'Pages hold entries in date order, so changing the date of an article already on a full page moves it to another page and shifts the entries in between: those full pages, served as immutable for a year, are rewritten, and a client backfilling through a cache may see the article twice or not at all.',
    fix: 'Correct a date on a full page only when it was wrong; say when an article was updated with `updated`, which moves nothing.',
  }),
};

/** Lost entries told one by one up to this many. */
const LOST_LISTED = 5;

const issue = (rule: RuleInfo, file: string, detail: string): Issue => ({ rule: rule.id, level: rule.level, file, message: rule.message({ detail }), spec: rule.spec });

/** Page 1 (`path`) was published holding `was` entries (`wasOff`: before the archive was turned off), and is now made of `now`; `ended`, the pages of this format there are no longer (fewer, larger pages). */
export const repagedIssue = (path: string, was: number, now: number, ended: readonly string[] = [], wasOff = false): Issue => issue(chainRules.repaged, path,
  `archive pages of ${was} entries were published${wasOff ? ' before this feed\'s archive was turned off' : ''}, and this build makes them of ${now}: ${wasOff ? 'they come back at the same addresses with other entries' : 'every full page is rewritten'}, while caches keep the old ones for a year${
    ended.length > 0 ? `, and ${ended.length === 1 ? `${ended[0]} is` : `${ended.length} pages (${ended[0]} to ${ended[ended.length - 1]}) are`} no longer published (410 for the clients that hold ${ended.length === 1 ? 'its address' : 'their addresses'})` : ''
  }; set "pageSize" back to ${was}`);

/** `id`, new to the archive, is on `path`, which was a full page in the last publication. */
export const backdatedIssue = (path: string, id: string, more: number): Issue => issue(chainRules.backdated, path,
  `entry ${id}${more > 0 ? ` (and ${more} more)` : ''} is new and dated into a page published full: this page and every later one are rewritten with entries moved along, while caches keep the old ones for a year`);

/** The feed of `path` published `pages` archive pages and has none now: its archive was turned off. */
export const archiveOffIssue = (path: string, pages: number, complete = false): Issue => issue(chainRules.off, path,
  complete
    ? `this feed is now declared complete (its document holds every item, whatever its limit), and its ${pages} archive page${pages === 1 ? ' is' : 's are'} no longer published: clients that backfill through them find them gone (410), and the document grows with the feed`
    : `this feed's archive is off, and its ${pages} archive page${pages === 1 ? ' is' : 's are'} no longer published: backfilling clients lose its history`);

/** Pages from `path` (`count` of them) are no longer published though the feed keeps its archive: their articles left, and `rewritten`, the page before published full, lost its links to them. */
export const pagesGoneIssue = (path: string, count: number, rewritten: readonly string[]): Issue => issue(chainRules.off, path,
  `this archive page${count > 1 ? ` and ${count - 1} after it` : ''} no longer ${count > 1 ? 'hold' : 'holds'} any article (retracted or removed) and ${count > 1 ? 'answer' : 'answers'} 410 from now on${rewritten.length > 0 ? `; ${rewritten.join(' and ')}, published full and served as immutable, ${rewritten.length > 1 ? 'are' : 'is'} rewritten without ${rewritten.length > 1 ? 'their links' : 'its link'} to it, while caches keep the old ${rewritten.length > 1 ? 'copies' : 'copy'} for a year: purge ${rewritten.length > 1 ? 'them' : 'it'} from the CDN` : ''}`);

/** Page `path`, published full, now holds other entries though none is new or lost: `id` (a date changed) moved them. */
export const movedIssue = (path: string, id: string): Issue => issue(chainRules.moved, path,
  `entry ${id} changed places: a changed date moved it to another page, so this page, published full, and every page up to the one it moved to are rewritten with entries moved along, while caches keep the old ones for a year`);

/** Documents of pages published full (`paths`, in page order) that this build rewrites, which no other warning named. */
export const rewrittenIssue = (paths: readonly string[]): Issue => {
  const shown = paths.length > 9 ? paths.slice(0, 6) : paths;
  return issue(chainRules.rewritten, paths[0]!,
    `${paths.length} document${paths.length > 1 ? 's' : ''} of pages published full ${paths.length > 1 ? 'are' : 'is'} rewritten (an article on ${paths.length > 1 ? 'them' : 'it'} changed, joined or left the feed, or the site's address or time zone changed): ${shown.join(', ')}${shown.length < paths.length ? ` and ${paths.length - shown.length} more` : ''}; served as immutable, the old ${paths.length > 1 ? 'copies stay' : 'copy stays'} in caches for a year: purge ${paths.length > 1 ? 'them' : 'it'} from the CDN`);
};

/** `count` pages published full, the first `path`, are rewritten because an article on one of them was retracted. */
export const retractedIssue = (path: string, count: number): Issue => issue(chainRules.retracted, path,
  `an article retracted from this page, published full and served as immutable, rewrites it${count > 1 ? ` and ${count - 1} later full page${count === 2 ? '' : 's'}, whose entries move along` : ''}, while caches and browsers keep the old copies, the retracted article in them, for a year: purge ${count > 1 ? 'them' : 'it'} from the CDN`);

const LINK = /<(?:atom:)?link\b[^>]*>/g;
const ATTR = /\s([\w:-]+)="([^"]*)"/g;

/**
 * Links, flags and ids of a document kiosque rendered (its own, fixed markup: a scan, not a parse).
 * The scan reads the bytes as Latin-1, one character per byte, and only the values it keeps are
 * decoded as UTF-8: an archive page's UTF-8 text is a string of over 128 KB as soon as it holds a
 * curly apostrophe, which V8 allocates apart, page by page (~0.5 ms each, 3,000 documents a build).
 */
export function chainDocOf(format: Format, path: string, bytes: Uint8Array): ChainDoc {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  // Offsets in `text` are byte offsets: a value found there is read back from the bytes.
  const utf8 = (start: number, end: number): string => buffer.toString('utf8', start, end);
  const doc: ChainDoc = { path, archive: false, complete: false, ids: [] };
  if (format === 'json') {
    // JSON.stringify escapes only control characters and lone surrogates: a value parsed from the
    // Latin-1 text holds its UTF-8 bytes, one per character, to be decoded. An escape above
    // U+007F (written by other hands) has no UTF-8 bytes there: such a document is decoded whole.
    const latin1 = !/\\u(?!00[0-7])/.test(text);
    const json = JSON.parse(latin1 ? text : buffer.toString('utf8')) as { feed_url?: string; next_url?: string; items?: { id?: string }[] };
    const fromLatin1 = (value: string): string => (latin1 ? Buffer.from(value, 'latin1').toString('utf8') : value);
    if (json.feed_url !== undefined) doc.self = fromLatin1(json.feed_url);
    if (json.next_url !== undefined) doc.prevArchive = fromLatin1(json.next_url);
    for (const item of json.items ?? []) if (item.id !== undefined) doc.ids.push(fromLatin1(String(item.id)));
    return doc;
  }
  const firstItem = text.search(format === 'rss' ? /<item>/ : /<entry[\s>]/);
  const headEnd = firstItem === -1 ? text.length : firstItem;
  LINK.lastIndex = 0;
  for (let tag = LINK.exec(text); tag && tag.index < headEnd; tag = LINK.exec(text)) {
    const attrs: Record<string, string> = {};
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(tag[0]); a; a = ATTR.exec(tag[0])) {
      const start = tag.index + a.index + a[0].length - 1 - a[2]!.length;
      attrs[a[1]!] = decodeEntities(utf8(start, start + a[2]!.length));
    }
    const href = attrs.href;
    if (href === undefined) continue;
    if (attrs.rel === 'self') doc.self = href;
    else if (attrs.rel === 'current') doc.current = href;
    else if (attrs.rel === 'prev-archive') doc.prevArchive = href;
    else if (attrs.rel === 'next-archive') doc.nextArchive = href;
  }
  const head = text.slice(0, headEnd);
  doc.archive = /<fh:archive\s*\/?>/.test(head);
  doc.complete = /<fh:complete\s*\/?>/.test(head);
  if (firstItem !== -1) {
    const id = format === 'rss' ? /<guid\b[^>]*>([^<]*)<\/guid>/g : /<entry[\s>][\s\S]*?<id>([^<]*)<\/id>/g;
    id.lastIndex = firstItem;
    for (let m = id.exec(text); m; m = id.exec(text)) {
      const end = m.index + m[0].length - (format === 'rss' ? '</guid>' : '</id>').length;
      doc.ids.push(decodeEntities(utf8(end - m[1]!.length, end)));
    }
  }
  return doc;
}

/** The same page in the three formats: the same entry ids, in the same order. */
export function checkPageFormats(docs: readonly ChainDoc[]): Issue[] {
  const [first, ...others] = docs;
  const issues: Issue[] = [];
  for (const other of others) {
    if (other.ids.length !== first!.ids.length || other.ids.some((id, i) => id !== first!.ids[i])) {
      issues.push(issue(chainRules.formats, other.path, `its entries differ from those of ${first!.path} (${other.ids.length} and ${first!.ids.length} entries)`));
    }
  }
  return issues;
}

/**
 * Walks one format's chain from `subscription` through `pages` (every page published for the
 * feed, by path; `urlOf` maps a link to the path it names). `previousIds`: the entries the
 * previous publication's chain held, when there was one.
 */
export function checkChain(format: Format, subscription: ChainDoc, pages: readonly ChainDoc[], urlOf: (href: string) => string | undefined, previousIds?: ReadonlySet<string>): Issue[] {
  // JSON Feed can say only next_url (the older page): no fh:archive, current or way back.
  const relations = format !== 'json';
  const issues: Issue[] = [];
  const byPath = new Map(pages.map((p) => [p.path, p]));
  const seen = new Map<string, string>();
  const visited = new Set<string>();
  let newer: ChainDoc = subscription;
  let href = subscription.prevArchive;
  while (href !== undefined) {
    const path = urlOf(href);
    const page = path === undefined ? undefined : byPath.get(path);
    if (!page) {
      issues.push(issue(chainRules.links, newer.path, `prev-archive ${href} names no archive page of this feed`));
      break;
    }
    if (visited.has(page.path)) {
      issues.push(issue(chainRules.links, newer.path, `prev-archive ${href} leads back to ${page.path}: the chain loops`));
      break;
    }
    visited.add(page.path);
    if (relations && !page.archive) issues.push(issue(chainRules.links, page.path, 'an archive page without fh:archive'));
    if (relations && page.current !== subscription.self) issues.push(issue(chainRules.links, page.path, `current is ${page.current ?? 'missing'}, not the subscription document ${subscription.self ?? subscription.path}`));
    if (relations && newer !== subscription && newer.self !== undefined && page.nextArchive !== undefined && page.nextArchive !== newer.self) {
      issues.push(issue(chainRules.links, page.path, `next-archive is ${page.nextArchive}, but the page that leads here is ${newer.self}`));
    }
    if (relations && newer !== subscription && page.nextArchive === undefined) {
      issues.push(issue(chainRules.links, page.path, `no next-archive back to ${newer.self ?? newer.path}, whose prev-archive leads here`));
    }
    if (newer === subscription && page.nextArchive !== undefined) {
      issues.push(issue(chainRules.links, page.path, `the newest page has next-archive ${page.nextArchive}: nothing is newer but the subscription document`));
    }
    for (const id of page.ids) {
      const first = seen.get(id);
      if (first !== undefined) issues.push(issue(chainRules.duplicate, page.path, `entry ${id} is also on ${first}`));
      else seen.set(id, page.path);
    }
    newer = page;
    href = page.prevArchive;
  }
  for (const page of pages) if (!visited.has(page.path)) issues.push(issue(chainRules.unreachable, page.path, `no prev-archive link from ${subscription.path} leads to this page`));
  for (const id of subscription.ids) if (!seen.has(id)) issues.push(issue(chainRules.missing, subscription.path, `entry ${id} is on no archive page`));
  const lost = [...previousIds ?? []].filter((id) => !seen.has(id));
  // Past a handful, one finding for them all: every id changed at once (`idPrefix` edited) is not a thousand problems.
  if (lost.length <= LOST_LISTED) for (const id of lost) issues.push(issue(chainRules.lost, subscription.path, `entry ${id} was in the archive pages and is in none now`));
  else issues.push(issue(chainRules.lost, subscription.path, `${lost.length} entries were in the archive pages and are in none now: ${lost.slice(0, LOST_LISTED).join(', ')} and ${lost.length - LOST_LISTED} more`));
  return issues;
}
