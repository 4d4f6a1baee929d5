/**
 * The gate's archive check for the whole set: each feed's chain in each format, from the bytes
 * about to be published, compared with the entries its previous publication's pages held
 * (pages unchanged since are read from the bytes in hand, the others from the target).
 */
import type { Issue } from '../issue.js';
import { ARCHIVE_FOLDER, parsePagePath, type ArchivePage } from '../model/archive.js';
import { FEED_FILES, feedFilePath } from '../model/feed-set.js';
import { FORMATS, type Feed, type Format } from '../model/types.js';
import { sha256 } from '../publish/publish.js';
import type { PageDocs } from '../store/pages.js';
import { archiveOffIssue, backdatedIssue, chainDocOf, checkChain, checkPageFormats, movedIssue, pagesGoneIssue, repagedIssue, retractedIssue, rewrittenIssue, type ChainDoc } from './archive-chain.js';

/** One feed: its subscription documents' bytes, and its pages as this build has them (rendered or left as published). */
export type ArchivedFeed = { feed: Feed; pages: readonly ArchivePage[]; bytes: Record<Format, Uint8Array>; pageDocs: readonly PageDocs[] };

export type ArchiveGateContext = {
  feedBaseUrl: string;
  /** sha256 of each path of the previous publication. */
  published: ReadonlyMap<string, string>;
  readPublished(path: string): Promise<Uint8Array | undefined>;
  /** Ids whose leaving the pages is announced (retracted articles): not reported as lost. */
  announced?: ReadonlySet<string>;
  /** The size of the full pages the feed in `folder` last published, when known, though it has none now. */
  publishedPageSize?: (folder: string) => number | undefined;
};

/**
 * With no entry new to the pages and none lost, a page published full (one of the first `full`)
 * that now holds other entries had one moved by a changed date: that entry, and the first such
 * page. The entry is where the two orders first differ: the one whose removal lines them up again.
 */
function movedEntry(previous: { n: number; ids: readonly string[] }[], docs: readonly ChainDoc[], full: number, known: ReadonlySet<string>): { path: string; id: string } | undefined {
  const now = docs.flatMap((d) => d.ids);
  if (now.some((id) => !known.has(id)) || now.length !== known.size) return undefined;
  const byNumber = new Map(previous.map((p) => [p.n, p]));
  const changed = docs.slice(0, full).find((doc, k) => {
    const was = byNumber.get(k + 1);
    return was !== undefined && (was.ids.length !== doc.ids.length || was.ids.some((id, i) => doc.ids[i] !== id));
  });
  if (!changed) return undefined;
  // Both newest first: pages from the newest, each in feed order.
  const before = [...previous].sort((a, b) => b.n - a.n).flatMap((p) => p.ids).filter((id) => known.has(id));
  const after = [...docs].reverse().flatMap((d) => d.ids);
  const i = before.findIndex((id, k) => after[k] !== id);
  if (i < 0) return undefined;
  // `before[i]` moved down the list (dated earlier) when the rest lines up without it; otherwise `after[i]` moved up.
  const id = before[i + 1] === after[i] ? before[i]! : after[i]!;
  return { path: changed.path, id };
}

export async function checkArchives(feeds: readonly ArchivedFeed[], ctx: ArchiveGateContext): Promise<Issue[]> {
  const issues: Issue[] = [];
  const urlOf = (href: string): string | undefined => {
    if (!href.startsWith(ctx.feedBaseUrl)) return undefined;
    try {
      return decodeURI(href.slice(ctx.feedBaseUrl.length));
    } catch {
      return undefined;
    }
  };
  // Published page paths, once for every feed (a large set has thousands of other files).
  const published = [...ctx.published].filter(([path]) => path.includes(ARCHIVE_FOLDER));
  for (const { feed, pages, bytes, pageDocs } of feeds) {
    const folder = feed.site.folder ?? '';
    let repaged = false;
    let backdated = false;
    let moved = false;
    let retracted = false;
    let shrunk = false;
    // Documents of pages published full that this build rewrites, and those a warning already names.
    const rewritten: string[] = [];
    const hadPages = published.filter(([path]) => parsePagePath(folder, path) !== undefined).length;
    if (pages.length === 0 && !hadPages) continue;
    // Archives turned off (`"archive": false`, or `{ "complete": true }`): no chain to check, only pages to say goodbye to.
    if (pages.length === 0 && (!feed.paging || feed.paging.complete)) {
      issues.push(archiveOffIssue(feedFilePath(folder, FEED_FILES.atom), hadPages / FORMATS.length, feed.paging?.complete === true));
      continue;
    }
    // Pages rendered by this build (the others passed this when they were published).
    for (const docs of pageDocs) if (docs.spooled) issues.push(...checkPageFormats(FORMATS.map((f) => docs.chain[f])));
    // Pages back after the archive was off, at another size: the addresses the full pages had hold other entries.
    const before = hadPages === 0 && pages.length > 1 ? ctx.publishedPageSize?.(folder) : undefined;
    if (before !== undefined && before !== pageDocs[0]!.chain.atom.ids.length) {
      repaged = true;
      issues.push(repagedIssue(pages[0]!.paths.rss, before, pageDocs[0]!.chain.atom.ids.length, [], true));
    }
    for (const format of FORMATS) {
      const subscriptionPath = feedFilePath(folder, FEED_FILES[format]);
      // A chain whose every document is the one published passed this check when it was published.
      const mine = published.filter(([path]) => parsePagePath(folder, path)?.format === format);
      const same = ctx.published.get(subscriptionPath) === sha256(bytes[format]) && mine.length === pages.length
        && pages.every((page, k) => ctx.published.get(page.paths[format]) === pageDocs[k]!.sha256[format]);
      if (same) continue;
      for (let k = 0; k < Math.min(mine.length - 1, pages.length); k++) {
        const path = pages[k]!.paths[format];
        const was = ctx.published.get(path);
        if (was !== undefined && was !== pageDocs[k]!.sha256[format]) rewritten.push(path);
      }
      const subscription = chainDocOf(format, subscriptionPath, bytes[format]);
      const docs = pages.map((_, k) => pageDocs[k]!.chain[format]);
      const now = new Map(docs.map((d, k) => [d.path, { doc: d, sha256: pageDocs[k]!.sha256[format] }]));
      // What the previous publication's pages of this format held, and on which page.
      let previousIds: Set<string> | undefined;
      const previousPages: { n: number; path: string; ids: readonly string[] }[] = [];
      // Page 1 of two or more is full: its size is the page size, now and when it was published.
      const size = pages.length > 1 ? docs[0]!.ids.length : undefined;
      for (const [path, hash] of mine) {
        previousIds ??= new Set();
        const same = now.get(path);
        let ids: string[];
        if (same && same.sha256 === hash) ids = same.doc.ids;
        else {
          const old = await ctx.readPublished(path);
          ids = old ? chainDocOf(format, path, old).ids : [];
        }
        for (const id of ids) if (!ctx.announced?.has(id)) previousIds.add(id);
        previousPages.push({ n: parsePagePath(folder, path)?.n ?? 0, path, ids });
        if (!repaged && size !== undefined && mine.length > 1 && ids.length > 0 && ids.length !== size && parsePagePath(folder, path)?.n === 1) {
          repaged = true;
          const ended = mine.map(([p]) => ({ p, n: parsePagePath(folder, p)?.n ?? 0 })).filter(({ n }) => n > pages.length).sort((a, b) => a.n - b.n).map(({ p }) => p);
          issues.push(repagedIssue(path, ids.length, size, ended));
        }
      }
      // Pages 1 to n - 1 of the n published were full: an entry new to the archive on one of them was dated into it.
      if (!backdated && previousIds !== undefined && previousIds.size > 0) {
        for (const doc of docs.slice(0, mine.length - 1)) {
          const fresh = doc.ids.filter((id) => !previousIds!.has(id));
          if (fresh.length === 0) continue;
          backdated = true;
          issues.push(backdatedIssue(doc.path, fresh[0]!, fresh.length - 1));
          break;
        }
      }
      if (!backdated && !repaged && !moved && previousIds !== undefined) {
        const found = movedEntry(previousPages, docs, mine.length - 1, previousIds);
        if (found) {
          moved = true;
          issues.push(movedIssue(found.path, found.id));
        }
      }
      // A retraction from a page published full: announced, so nothing is lost, but the immutable copies keep the article.
      if (!retracted && ctx.announced !== undefined && ctx.announced.size > 0) {
        const full = Math.min(mine.length - 1, pages.length);
        const first = previousPages.filter((p) => p.n <= full && p.ids.some((id) => ctx.announced!.has(id))).sort((a, b) => a.n - b.n)[0];
        const changed = first ? pages.slice(first.n - 1, full).filter((page, k) => ctx.published.get(page.paths[format]) !== pageDocs[first.n - 1 + k]!.sha256[format]) : [];
        if (changed.length > 0) {
          retracted = true;
          issues.push(retractedIssue(changed[0]!.paths[format], changed.length));
        }
      }
      // The newest pages emptied (their articles retracted or deleted) while the archive stays on: gone, and the last page
      // left, if it was published full, loses its link to them.
      if (!shrunk && !repaged && pages.length > 0 && mine.length > pages.length) {
        shrunk = true;
        // Every format's copy of that page that changed (RSS and Atom link to the next page; JSON Feed only to the older one).
        const lastPage = pages[pages.length - 1]!;
        const unlinked = pages.length <= mine.length - 1 ? LINKED_FORMATS.map((f) => lastPage.paths[f]).filter((path, k) => ctx.published.get(path) !== pageDocs[pages.length - 1]!.sha256[LINKED_FORMATS[k]!]) : [];
        const gone = [...previousPages].filter((p) => p.n > pages.length).sort((a, b) => a.n - b.n);
        issues.push(pagesGoneIssue(gone[0]?.path ?? lastPage.paths[format], mine.length - pages.length, unlinked));
      }
      issues.push(...checkChain(format, subscription, docs, urlOf, previousIds));
    }
    // Every document of a full page rewritten, to purge: the warnings above say why, from the first page they found (a new
    // page size rewrites them all, and says so). The copies ARCHIVE-CHAIN-010 names are listed too: their entries may have moved as well.
    if (rewritten.length > 0 && !repaged) {
      const order = (path: string): number => parsePagePath(folder, path)?.n ?? 0;
      issues.push(rewrittenIssue([...rewritten].sort((a, b) => order(a) - order(b) || FORMAT_ORDER(a) - FORMAT_ORDER(b))));
    }
  }
  return issues;
}

/** The formats whose pages link to the newer page (JSON Feed links only to the older one). */
const LINKED_FORMATS: readonly Format[] = ['rss', 'atom'];
const FORMAT_ORDER = (path: string): number => ['.xml', '.atom', '.json'].findIndex((ext) => path.endsWith(ext));
