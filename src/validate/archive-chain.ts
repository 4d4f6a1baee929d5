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
};

const issue = (rule: RuleInfo, file: string, detail: string): Issue => ({ rule: rule.id, level: rule.level, file, message: rule.message({ detail }), spec: rule.spec });

const LINK = /<(?:atom:)?link\b[^>]*>/g;
const ATTR = /\s([\w:-]+)="([^"]*)"/g;

/** Links, flags and ids of a document kiosque rendered (its own, fixed markup: a scan, not a parse). */
export function chainDocOf(format: Format, path: string, bytes: Uint8Array): ChainDoc {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const doc: ChainDoc = { path, archive: false, complete: false, ids: [] };
  if (format === 'json') {
    const json = JSON.parse(text) as { feed_url?: string; next_url?: string; items?: { id?: string }[] };
    if (json.feed_url !== undefined) doc.self = json.feed_url;
    if (json.next_url !== undefined) doc.prevArchive = json.next_url;
    for (const item of json.items ?? []) if (item.id !== undefined) doc.ids.push(String(item.id));
    return doc;
  }
  const firstItem = text.search(format === 'rss' ? /<item>/ : /<entry[\s>]/);
  const head = firstItem === -1 ? text : text.slice(0, firstItem);
  for (const [tag] of head.matchAll(LINK)) {
    const attrs: Record<string, string> = {};
    for (const [, name, value] of tag.matchAll(ATTR)) attrs[name!] = decodeEntities(value!);
    const href = attrs.href;
    if (href === undefined) continue;
    if (attrs.rel === 'self') doc.self = href;
    else if (attrs.rel === 'current') doc.current = href;
    else if (attrs.rel === 'prev-archive') doc.prevArchive = href;
    else if (attrs.rel === 'next-archive') doc.nextArchive = href;
  }
  doc.archive = /<fh:archive\s*\/?>/.test(head);
  doc.complete = /<fh:complete\s*\/?>/.test(head);
  if (firstItem !== -1) {
    const id = format === 'rss' ? /<guid\b[^>]*>([^<]*)<\/guid>/g : /<entry[\s>][\s\S]*?<id>([^<]*)<\/id>/g;
    for (const [, raw] of text.slice(firstItem).matchAll(id)) doc.ids.push(decodeEntities(raw!));
  }
  // Matches are views into the document's text: kept as they are, the ids and links of a build's
  // 3,000 archive documents held every text alive (~280 MB of a 100k store's build). Copied flat.
  return JSON.parse(JSON.stringify(doc)) as ChainDoc;
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
  for (const id of previousIds ?? []) if (!seen.has(id)) issues.push(issue(chainRules.lost, subscription.path, `entry ${id} was in the archive pages and is in none now`));
  return issues;
}
