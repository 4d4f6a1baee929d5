/**
 * Archive pages of the last publication, remembered by a fingerprint of everything that goes
 * into a page (its site fields, paging links and headline entries, all from the heads), with
 * the sha256 of each of its documents and what the chain check reads of them. A page whose
 * fingerprint has not changed and whose documents are the ones published is neither rendered
 * nor read again: after one new article only the newest page is rendered, and a rebuild with
 * nothing changed touches no page at all.
 */
import { createHash } from 'node:crypto';
import type { ArchivePage } from '../model/archive.js';
import type { Format } from '../model/types.js';
import type { ChainDoc } from '../validate/archive-chain.js';
import { VERSION } from '../version.js';
import { readState, sweepStateTemps, writeState } from './state.js';

const FORMAT = 'kiosque-page-cache/1';

/** A page's three documents: their bytes when rendered by this build, their hashes and chain view always. */
export type PageDocs = { bytes?: Record<Format, Buffer>; sha256: Record<Format, string>; chain: Record<Format, ChainDoc> };

type Links = Omit<ChainDoc, 'path' | 'ids'>;
type PageCache = {
  format: string;
  version: string;
  /** Per page (its Atom path). Entry ids are the same in the three formats (the gate's cross-check), so they are kept once. */
  pages: Record<string, { fingerprint: string; sha256: Record<Format, string>; ids: string[]; links: Record<Format, Links> }>;
};

export type Pages = {
  /** What `page` was when last published, if nothing that goes into it changed and its documents are still the published ones. */
  reuse(page: ArchivePage, published: ReadonlyMap<string, string>): PageDocs | undefined;
  remember(page: ArchivePage, docs: PageDocs): void;
  /** Saves this publication's pages (call after it succeeded). */
  save(): void;
};

const fingerprintOf = (page: ArchivePage): string =>
  createHash('sha256').update(JSON.stringify([page.feed.site, page.feed.paging, page.feed.updated, page.feed.entries])).digest('hex');

const FORMATS = ['rss', 'atom', 'json'] as const;

export function openPages(cacheFile: string): Pages {
  sweepStateTemps(cacheFile);
  const previous = readState<PageCache>(cacheFile, FORMAT)?.pages ?? {};
  const next: PageCache['pages'] = {};
  const prints = new WeakMap<ArchivePage, string>();
  const fingerprint = (page: ArchivePage): string => {
    let print = prints.get(page);
    if (print === undefined) prints.set(page, (print = fingerprintOf(page)));
    return print;
  };
  return {
    reuse(page, published) {
      const prior = Object.hasOwn(previous, page.paths.atom) ? previous[page.paths.atom] : undefined;
      if (!prior || prior.fingerprint !== fingerprint(page)) return undefined;
      if (!FORMATS.every((f) => published.get(page.paths[f]) === prior.sha256[f])) return undefined;
      const chain = {} as Record<Format, ChainDoc>;
      for (const f of FORMATS) chain[f] = { ...prior.links[f], path: page.paths[f], ids: prior.ids };
      return { sha256: prior.sha256, chain };
    },
    remember(page, docs) {
      const links = {} as Record<Format, Links>;
      for (const f of FORMATS) {
        const { path: _path, ids: _ids, ...rest } = docs.chain[f];
        links[f] = rest;
      }
      next[page.paths.atom] = { fingerprint: fingerprint(page), sha256: docs.sha256, ids: docs.chain.atom.ids, links };
    },
    save() {
      try {
        const data: PageCache = { format: FORMAT, version: VERSION, pages: next };
        writeState(cacheFile, data);
      } catch {
        // Only a missed shortcut: the next build renders every page.
      }
    },
  };
}
