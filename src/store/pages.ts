/**
 * Archive pages of the last publication, remembered by a fingerprint of everything that goes
 * into a page (its site fields, paging links and headline entries, all from the heads). A page
 * whose fingerprint has not changed is taken from out/ (its bytes checked against the
 * manifest) instead of rendered again: after one new article only the newest page is rendered.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchivePage } from '../model/archive.js';
import { FORMATS, type Format } from '../model/types.js';
import { VERSION } from '../version.js';
import { readState, sweepStateTemps, writeState } from './state.js';

const FORMAT = 'kiosque-page-cache/1';

type PageCache = {
  format: string;
  version: string;
  /** Per page (its Atom path): fingerprint and the sha256 of each format. */
  pages: Record<string, { fingerprint: string; sha256: Record<Format, string> }>;
};

export type Pages = {
  /** The three documents of `page` as last published, when nothing that goes into them changed. */
  reuse(page: ArchivePage, published: ReadonlyMap<string, string>): Record<Format, Buffer> | undefined;
  remember(page: ArchivePage, bytes: Record<Format, Buffer>, sha256: (data: Uint8Array) => string): void;
  /** Saves the fingerprints of this publication (call after it succeeded). */
  save(): void;
};

const fingerprintOf = (page: ArchivePage): string =>
  createHash('sha256').update(JSON.stringify([page.feed.site, page.feed.paging, page.feed.updated, page.feed.entries])).digest('hex');

export function openPages(outDir: string, cacheFile: string): Pages {
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
      const prior = previous[page.paths.atom];
      if (!prior || prior.fingerprint !== fingerprint(page)) return undefined;
      const out: Partial<Record<Format, Buffer>> = {};
      for (const format of FORMATS) {
        const path = page.paths[format];
        if (published.get(path) !== prior.sha256[format]) return undefined;
        try {
          const data = readFileSync(join(outDir, path));
          if (createHash('sha256').update(data).digest('hex') !== prior.sha256[format]) return undefined;
          out[format] = data;
        } catch {
          return undefined;
        }
      }
      return out as Record<Format, Buffer>;
    },
    remember(page, bytes, hash) {
      next[page.paths.atom] = { fingerprint: fingerprint(page), sha256: { rss: hash(bytes.rss), atom: hash(bytes.atom), json: hash(bytes.json) } };
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
