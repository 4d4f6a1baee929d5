/**
 * Archive pages of the last publication, remembered by a fingerprint of everything that goes
 * into a page (its site fields, paging links and the head of each of its articles), with
 * the sha256 of each of its documents and what the chain check reads of them. A page whose
 * fingerprint has not changed and whose documents are the ones published is neither rendered
 * nor read again: after one new article only the newest page is rendered, and a rebuild with
 * nothing changed touches no page at all.
 */
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { looksPublished, type PublishedFile } from '../publish/manifest.js';
import { ARCHIVE_FOLDER, pageFilePath, parsePagePath, type ArchivePage } from '../model/archive.js';
import type { Format } from '../model/types.js';
import type { ChainDoc } from '../validate/archive-chain.js';
import { VERSION } from '../version.js';
import { readState, sweepStateTemps, writeState } from './state.js';

// /2: an entry's tags are each written once whatever their spelling (model/tags.ts); /1 pages would keep both spellings.
// /3: RSS pages lost their <ttl>, and JSON page items' content_text became the front matter's summary; /2 pages would keep both.
const FORMAT = 'kiosque-page-cache/3';

/** A page's three documents: when rendered by this build, their size and how to read them back (publish/spool.ts); their hashes and chain view always. */
export type PageDocs = { spooled?: Record<Format, { bytes: number; load: () => Uint8Array }>; sha256: Record<Format, string>; chain: Record<Format, ChainDoc> };

type Links = Omit<ChainDoc, 'path' | 'ids'>;
type PageCache = {
  format: string;
  version: string;
  /** Per page (its Atom path). Entry ids are the same in the three formats (the gate's cross-check), so they are kept once. */
  pages: Record<string, { fingerprint: string; sha256: Record<Format, string>; ids: string[]; links: Record<Format, Links> }>;
  /**
   * Per feed folder, the size its full pages were last published with, kept after its archive is turned off: pages
   * turned on again at another size come back at the same addresses with other entries, and that is told.
   */
  sizes?: Record<string, number>;
};

export type Pages = {
  /** The fingerprint of `page` holding the articles whose `headlineKey`s are `keys`. */
  fingerprint(page: ArchivePage, keys: readonly string[]): string;
  /**
   * What a full page was when last published, if its fingerprint is the same and its documents
   * are the published ones, whole on disk (by size: the publisher checks immutable files so too).
   * The newest page is always rendered again: it is small, and the publisher re-hashes it.
   */
  reuse(page: ArchivePage, fingerprint: string, published: ReadonlyMap<string, PublishedFile>): PageDocs | undefined;
  remember(page: ArchivePage, fingerprint: string, docs: PageDocs): void;
  /** The size of the full pages the feed in `folder` last published (page 1 of two or more), even if it has none now. */
  publishedPageSize(folder: string): number | undefined;
  /** Ids of the entries on the pages of the feed in `folder` when they were last published. */
  publishedIds(folder: string): ReadonlySet<string>;
  /** Saves this publication's pages (call after it succeeded). */
  save(): void;
  /** Drops the saved pages: the next build renders every page. */
  forget(): void;
};

const FORMATS = ['rss', 'atom', 'json'] as const;

/** The file and its compressed bodies as published (size and time): one edited in place is rendered again. */
const asPublished = (outDir: string, file: PublishedFile): boolean => [file, ...Object.values(file.encodings)].every((v) => {
  try {
    return looksPublished(statSync(join(outDir, v.path)), v, file.lastModified);
  } catch {
    return false;
  }
});

/** Per feed folder with two pages or more, the size of its page 1 (full). */
function sizesOf(pages: PageCache['pages']): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [path, page] of Object.entries(pages)) {
    const folder = path.slice(0, path.lastIndexOf(ARCHIVE_FOLDER));
    if (parsePagePath(folder, path)?.n === 1 && Object.hasOwn(pages, pageFilePath(folder, 2, 'atom'))) sizes[folder] = page.ids.length;
  }
  return sizes;
}

/** `salt`: what else decides a headline from a head (site URL, time zone, id prefix). */
export function openPages(outDir: string, cacheFile: string, salt: string): Pages {
  sweepStateTemps(cacheFile);
  const state = readState<PageCache>(cacheFile, FORMAT);
  const previous = state?.pages ?? {};
  const sizes = { ...sizesOf(previous), ...state?.sizes };
  const next: PageCache['pages'] = {};
  const idsByFolder = new Map<string, Set<string>>();
  return {
    publishedPageSize: (folder) => (Object.hasOwn(sizes, folder) ? sizes[folder] : undefined),
    publishedIds(folder) {
      let ids = idsByFolder.get(folder);
      if (!ids) {
        ids = new Set();
        for (const [path, page] of Object.entries(previous)) if (parsePagePath(folder, path)) for (const id of page.ids) ids.add(id);
        idsByFolder.set(folder, ids);
      }
      return ids;
    },
    fingerprint(page, keys) {
      // A page's place in the chain and its entries, not the feed's title, description, artwork or generator:
      // a full page is cached for good, so renaming the site (or a tag's spelling flipping) must not rewrite them all.
      const hash = createHash('sha256').update(JSON.stringify([salt, page.site.id, page.site.links, page.site.folder ?? '', page.paging]));
      for (const key of keys) hash.update('\n').update(key);
      return hash.digest('hex');
    },
    reuse(page, fingerprint, published) {
      const prior = Object.hasOwn(previous, page.paths.atom) ? previous[page.paths.atom] : undefined;
      if (!page.immutable || !prior || prior.fingerprint !== fingerprint) return undefined;
      for (const f of FORMATS) {
        const file = published.get(page.paths[f]);
        if (file?.sha256 !== prior.sha256[f] || !asPublished(outDir, file)) return undefined;
      }
      const chain = {} as Record<Format, ChainDoc>;
      for (const f of FORMATS) chain[f] = { ...prior.links[f], path: page.paths[f], ids: prior.ids };
      return { sha256: prior.sha256, chain };
    },
    remember(page, fingerprint, docs) {
      const links = {} as Record<Format, Links>;
      for (const f of FORMATS) {
        const { path: _path, ids: _ids, ...rest } = docs.chain[f];
        links[f] = rest;
      }
      next[page.paths.atom] = { fingerprint, sha256: docs.sha256, ids: docs.chain.atom.ids, links };
    },
    forget() {
      rmSync(cacheFile, { force: true });
    },
    save() {
      try {
        const data: PageCache = { format: FORMAT, version: VERSION, pages: next, sizes: { ...sizes, ...sizesOf(next) } };
        writeState(cacheFile, data);
      } catch {
        // Only a missed shortcut: the next build renders every page.
      }
    },
  };
}
