/**
 * The gate's archive check for the whole set: each feed's chain in each format, from the bytes
 * about to be published, compared with the entries its previous publication's pages held
 * (pages unchanged since are read from the bytes in hand, the others from the target).
 */
import type { Issue } from './issue.js';
import { parsePagePath, type ArchivePage } from './model/archive.js';
import { FEED_FILES, feedFilePath } from './model/feed-set.js';
import { FORMATS, type Feed, type Format } from './model/types.js';
import { sha256 } from './publish/publish.js';
import { chainDocOf, checkChain } from './validate/archive-chain.js';

export type ArchivedFeed = { feed: Feed; pages: readonly ArchivePage[]; bytes: Record<Format, Uint8Array>; pageBytes: readonly Record<Format, Uint8Array>[] };

export type ArchiveGateContext = {
  feedBaseUrl: string;
  /** sha256 of each path of the previous publication. */
  published: ReadonlyMap<string, string>;
  readPublished(path: string): Promise<Uint8Array | undefined>;
};

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
  for (const { feed, pages, bytes, pageBytes } of feeds) {
    const folder = feed.site.folder ?? '';
    const hadPages = [...ctx.published.keys()].some((path) => parsePagePath(folder, path) !== undefined);
    if (pages.length === 0 && !hadPages) continue;
    for (const format of FORMATS) {
      const subscription = chainDocOf(format, feedFilePath(folder, FEED_FILES[format]), bytes[format]);
      const docs = pages.map((page, k) => chainDocOf(format, page.paths[format], pageBytes[k]![format]));
      const now = new Map(docs.map((d, k) => [d.path, { doc: d, bytes: pageBytes[k]![format] }]));
      // What the previous publication's pages of this format held.
      let previousIds: Set<string> | undefined;
      for (const [path, hash] of ctx.published) {
        const at = parsePagePath(folder, path);
        if (!at || at.format !== format) continue;
        previousIds ??= new Set();
        const same = now.get(path);
        let ids: string[];
        if (same && sha256(same.bytes) === hash) ids = same.doc.ids;
        else {
          const old = await ctx.readPublished(path);
          ids = old ? chainDocOf(format, path, old).ids : [];
        }
        for (const id of ids) previousIds.add(id);
      }
      issues.push(...checkChain(format, subscription, docs, urlOf, previousIds));
    }
  }
  return issues;
}
