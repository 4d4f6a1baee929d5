/**
 * RFC 5005 archived feeds: every entry a feed selects, in fixed-size pages numbered from the
 * oldest, linked to each other and to the subscription document. Pure: the pages are a function
 * of the feed's ordered selection only, never of its subscription window, so an entry the
 * subscription document leaves out (past `limit`, trimmed for size) stays in the chain, and a
 * full page keeps its bytes until one of its articles is edited or removed.
 */
import type { Config } from '../config.js';
import { cleanTags } from './tags.js';
import { isBlank, plainText } from './text.js';
import { encodePath, entryUrl } from './ids.js';
import type { HeadRow } from './records.js';
import type { Candidate } from './select.js';
import { FORMATS, type Entry, type Feed, type Format, type Paging, type Site } from './types.js';
import { isPublishableLanguage } from '../values/language.js';

/** A feed spec's `archive` option: pages of `pageSize` entries, or one complete document (fh:complete, no pages). */
export type ArchiveSpec = { pageSize: number } | { complete: true };

export const DEFAULT_PAGE_SIZE = 100;
/** The main feed is archived unless its spec says `"archive": false`. */
export const DEFAULT_MAIN_ARCHIVE: ArchiveSpec = { pageSize: DEFAULT_PAGE_SIZE };

/** Folder of a feed's pages, inside the feed's own folder. */
export const ARCHIVE_FOLDER = 'archive/';
/** Page file names: stable forever, they are what backfilling clients and caches hold. */
const PAGE_EXTENSIONS: Readonly<Record<Format, string>> = { rss: 'xml', atom: 'atom', json: 'json' };

/** `tags/économie/archive/3.atom`: the published path of page `n` of the feed in `folder`. */
export function pageFilePath(folder: string, n: number, format: Format): string {
  return `${folder}${ARCHIVE_FOLDER}${n}.${PAGE_EXTENSIONS[format]}`;
}

/** Page number and format of a published page path of the feed in `folder`, or undefined. */
export function parsePagePath(folder: string, path: string): { n: number; format: Format } | undefined {
  if (!path.startsWith(`${folder}${ARCHIVE_FOLDER}`)) return undefined;
  const m = /^([1-9][0-9]*)\.(xml|atom|json)$/.exec(path.slice(folder.length + ARCHIVE_FOLDER.length));
  if (!m) return undefined;
  const format = FORMATS.find((f) => PAGE_EXTENSIONS[f] === m[2])!;
  return { n: Number(m[1]), format };
}

/** The `archive` value of a feed spec: `false`, `{ "pageSize": n }` or `{ "complete": true }`; undefined (with a problem) when wrong. */
export function parseArchiveSpec(raw: unknown, at: string, problem: (at: string, message: string) => void): ArchiveSpec | false | undefined {
  if (raw === false) return false;
  const usage = '"archive" must be false, { "pageSize": 100 } (pages of that many entries) or { "complete": true } (one document with every entry)';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(at, usage);
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  const keys = Object.keys(input);
  if (keys.length !== 1 || !(keys[0] === 'pageSize' || keys[0] === 'complete')) {
    problem(at, usage);
    return undefined;
  }
  if (input.complete !== undefined) {
    if (input.complete === true) return { complete: true };
    problem(`${at}/complete`, '"complete" must be true (leave "archive" out, or set it to false, for neither pages nor fh:complete)');
    return undefined;
  }
  const size = input.pageSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 10_000) {
    problem(`${at}/pageSize`, '"pageSize" must be a whole number from 1 to 10000; choose it once: it decides every page\'s URL');
    return undefined;
  }
  return { pageSize: size };
}

export const isPaged = (spec: ArchiveSpec | undefined): spec is { pageSize: number } => spec !== undefined && 'pageSize' in spec;
export const isComplete = (spec: ArchiveSpec | undefined): boolean => spec !== undefined && 'complete' in spec;

/**
 * Splits a feed's entries (newest first, as feeds hold them) into pages: page 1 (index 0) holds
 * the oldest `pageSize`, the last page the newest ones and possibly fewer. Inside a page, the
 * feed's order. Only the last page can be partial, so a new entry changes that page alone (or
 * starts a new one).
 */
export function archivePages<T>(entries: readonly T[], pageSize: number): T[][] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`page size must be a whole number from 1, got ${pageSize}`);
  const pages: T[][] = [];
  for (let end = entries.length; end > 0; end -= pageSize) pages.push(entries.slice(Math.max(0, end - pageSize), end));
  return pages;
}

const linksOf = (base: string, folder: string, n: number): Record<Format, string> => ({
  rss: new URL(encodePath(pageFilePath(folder, n, 'rss')), base).href,
  atom: new URL(encodePath(pageFilePath(folder, n, 'atom')), base).href,
  json: new URL(encodePath(pageFilePath(folder, n, 'json')), base).href,
});

/** One archive page: where it is published and how it links; its entries are made only when it must be rendered (`pageFeed`). */
export type ArchivePage = {
  n: number;
  /** The feed's site as the page shows it: its own self links and folder, no hub. */
  site: Site;
  paging: Paging;
  /** Published path per format. */
  paths: Record<Format, string>;
  /** Full and followed by a newer page: its bytes never change again unless one of its articles does. */
  immutable: boolean;
};

/**
 * The archive of one feed whose selection has `count` entries: the paging of its subscription
 * document, and its pages (page k holds `archivePages(entries, pageSize)[k - 1]`). Pages share
 * the feed's id and title (they are documents of one logical feed, RFC 5005 §1); their self
 * links are their own, and they advertise no hub: nobody subscribes to them.
 */
export function archiveOf(site: Site, count: number, pageSize: number, feedBaseUrl: string): { paging: Paging; pages: ArchivePage[] } {
  const folder = site.folder ?? '';
  const total = Math.ceil(count / pageSize);
  const current = { rss: site.links.rss, atom: site.links.atom, json: site.links.json };
  const pages = Array.from({ length: total }, (_, i): ArchivePage => {
    const n = i + 1;
    const paging: Paging = { archive: true, current };
    if (n > 1) paging.prevArchive = linksOf(feedBaseUrl, folder, n - 1);
    if (n < total) paging.nextArchive = linksOf(feedBaseUrl, folder, n + 1);
    const pageSite: Site = { ...site, links: { ...site.links, ...linksOf(feedBaseUrl, folder, n) }, folder: `${folder}${ARCHIVE_FOLDER}`, hubs: [] };
    // Not the polling interval: a page's bytes must not change when the schedule does (full pages are immutable).
    delete pageSite.ttlMinutes;
    return {
      n,
      site: pageSite,
      paging,
      paths: { rss: pageFilePath(folder, n, 'rss'), atom: pageFilePath(folder, n, 'atom'), json: pageFilePath(folder, n, 'json') },
      // Every page but the newest is full; the newest gains a next-archive link when the next one starts.
      immutable: n < total,
    };
  });
  return { paging: total > 0 ? { prevArchive: linksOf(feedBaseUrl, folder, total) } : {}, pages };
}

/** The page as a feed document: its entries (newest first), dated by the newest of them. */
export function pageFeed(page: ArchivePage, entries: Entry[]): Feed {
  let updated = 0;
  for (const entry of entries) updated = Math.max(updated, entry.updated.getTime());
  return { site: page.site, entries, updated: new Date(updated), paging: page.paging };
}

/**
 * What an article's headline on a page is made of, as one string (the page fingerprints are
 * made of these), or undefined when its head makes no headline: a blank title or an unusable
 * `url`, the cases `headlineEntry` refuses. From the head row alone, so an unchanged page is
 * recognised without making any entry.
 */
export function headlineKey(file: string, row: HeadRow, config: Pick<Config, 'url'>): string | undefined {
  return hasHeadline(file, row, config) ? `${file}\u001e${row.join('\u001e')}` : undefined;
}

/** Whether the head makes a headline (`headlineKey` is defined), without making its key. */
export function hasHeadline(file: string, row: HeadRow, config: Pick<Config, 'url'>): boolean {
  if (isBlank(row[12])) return false;
  const url = row[13].trim();
  return url === '' || entryUrl(config.url, file, url) !== undefined;
}

/**
 * An archive page's entry, from the article's front matter alone: id, link, title, dates,
 * authors' names, tags, language and the `summary` it writes, never its body. Rendering every
 * body of a large store is what archives cannot afford (BENCHMARKS.md: ~5.6 ms a body, so
 * ~9 minutes for 100k), and an entry's page must not depend on whether its body happened to be
 * read. Undefined when the head cannot make an entry (no title, an unusable url): such an
 * article is rejected, with its reason, when its body is read for a subscription document.
 */
export function headlineEntry(candidate: Candidate, config: Pick<Config, 'url' | 'author'>): Entry | undefined {
  const head = candidate.head;
  const title = plainText(head.title ?? '');
  const url = entryUrl(config.url, head.file, head.url?.trim() || undefined);
  if (isBlank(title) || !url) return undefined;
  const authors = head.authors.map((name) => plainText(name)).filter((name) => name !== '').map((name) => ({ name }));
  if (authors.length === 0 && config.author) authors.push({ name: config.author.name });
  const entry: Entry = {
    id: candidate.id,
    url,
    title,
    published: candidate.published,
    updated: candidate.updated,
    authors,
    contentHtml: '',
    summary: plainText(head.summary ?? ''),
    tags: cleanTags(head.tags),
    headline: true,
    source: { file: head.file, line: 1 },
  };
  const lang = head.lang?.trim();
  if (lang && isPublishableLanguage(lang)) entry.lang = lang;
  return entry;
}
