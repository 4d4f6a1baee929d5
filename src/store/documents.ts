/**
 * The feed documents of the last publication, remembered by a fingerprint of what went into
 * each feed: its site fields, tombstones and archive links, and for each entry every field but the body, plus the identity
 * (size, mtime, ctime, inode) of the file the body came from. A feed whose fingerprint has not
 * changed is taken from out/ (its bytes checked against the manifest) instead of rendered again:
 * a rebuild of a large set with nothing changed renders nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEED_FILES, feedFilePath } from '../model/feed-set.js';
import { FORMATS, type Entry, type Feed, type Format } from '../model/types.js';
import { VERSION } from '../version.js';
import { readState, sweepStateTemps, writeState } from './state.js';

const FORMAT = 'kiosque-document-cache/1';

type DocumentCache = {
  format: string;
  version: string;
  /** Per feed folder: its fingerprint and the sha256 of each of its documents. */
  feeds: Record<string, { fingerprint: string; sha256: Record<Format, string> }>;
  /** Per published document path: what validating those bytes found, counted. */
  findings?: Record<string, Findings & { sha256: string }>;
  /** Per feed folder: the `updated` it was published with (ISO), which the next publication never dates back from. */
  updated?: Record<string, string>;
};

/** What validating a document found, counted. */
export type Findings = { errors: number; warnings: number };

export type Documents = {
  /** The three documents of `feed` as last published, when nothing that goes into them changed. */
  reuse(feed: Feed, published: ReadonlyMap<string, string>): Record<Format, Buffer> | undefined;
  /** Remembers what a feed was rendered from, once its bytes are known. */
  remember(feed: Feed, bytes: Record<Format, Buffer>, sha256: (data: Uint8Array) => string): void;
  /**
   * What validating the document at `path` found when it had these bytes: a document published as
   * it was is not validated again, and the report still says what it holds.
   */
  findings(path: string, sha256: string): Findings | undefined;
  recordFindings(path: string, sha256: string, findings: Findings): void;
  /** The `updated` the feed in `folder` was last published with, when known. */
  publishedUpdated(folder: string): Date | undefined;
  recordUpdated(folder: string, updated: Date): void;
  /** Saves the fingerprints of this publication (call after it succeeded). */
  save(): void;
};

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export function openDocuments(outDir: string, cacheFile: string, stampOf: (entry: Entry) => string | undefined): Documents {
  sweepStateTemps(cacheFile);
  const loaded = readState<DocumentCache>(cacheFile, FORMAT);
  const previous = loaded?.feeds ?? {};
  // Written by this release only (readState), so by the rules this one applies.
  const previousFindings = loaded?.findings ?? {};
  const previousUpdated = loaded?.updated ?? {};
  const next: DocumentCache['feeds'] = {};
  const nextFindings: NonNullable<DocumentCache['findings']> = {};
  const nextUpdated: NonNullable<DocumentCache['updated']> = {};
  const fingerprints = new Map<Feed, string | undefined>();
  const fingerprint = (feed: Feed): string | undefined => {
    if (fingerprints.has(feed)) return fingerprints.get(feed);
    // Tombstones and RFC 5005 links only when there are some, so the fingerprints of feeds without them stay as they
    // were. The links matter on their own: turning pages on, or a page fewer, changes them and not the entries.
    const parts: unknown[] = [feed.site, feed.updated.toISOString(), ...(feed.tombstones?.length ? [feed.tombstones] : []), ...(feed.paging ? [{ paging: feed.paging }] : [])];
    let complete = true;
    for (const entry of feed.entries) {
      const stamp = stampOf(entry);
      // A file too fresh to be trusted by its identity is rendered, as its body is read.
      if (stamp === undefined) complete = false;
      const { contentHtml: _body, ...fields } = entry;
      parts.push(stamp, fields);
    }
    const value = complete ? sha(JSON.stringify(parts)) : undefined;
    fingerprints.set(feed, value);
    return value;
  };
  return {
    reuse(feed, published) {
      const folder = feed.site.folder ?? '';
      const print = fingerprint(feed);
      const prior = previous[folder];
      if (!print || !prior || prior.fingerprint !== print) return undefined;
      const out: Partial<Record<Format, Buffer>> = {};
      for (const format of FORMATS) {
        const path = feedFilePath(folder, FEED_FILES[format]);
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
    remember(feed, bytes, hash) {
      const print = fingerprint(feed);
      if (print) next[feed.site.folder ?? ''] = { fingerprint: print, sha256: { rss: hash(bytes.rss), atom: hash(bytes.atom), json: hash(bytes.json) } };
    },
    findings(path, hash) {
      const known = Object.hasOwn(previousFindings, path) ? previousFindings[path] : undefined;
      return known?.sha256 === hash ? { errors: known.errors, warnings: known.warnings } : undefined;
    },
    recordFindings(path, hash, findings) {
      nextFindings[path] = { sha256: hash, ...findings };
    },
    publishedUpdated(folder) {
      const iso = Object.hasOwn(previousUpdated, folder) ? previousUpdated[folder] : undefined;
      return iso === undefined ? undefined : new Date(iso);
    },
    recordUpdated(folder, updated) {
      nextUpdated[folder] = updated.toISOString();
    },
    save() {
      try {
        const data: DocumentCache = { format: FORMAT, version: VERSION, feeds: next, findings: nextFindings, updated: nextUpdated };
        writeState(cacheFile, data);
      } catch {
        // Only a missed shortcut: the next build renders every feed.
      }
    },
  };
}
