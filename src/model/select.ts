/**
 * Which articles are published, in which order: pure, from the heads of the whole store,
 * the configuration and the clock value passed in.
 */
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import type { ArticleHead } from '../store/schema.js';
import { parseIsoDate } from './dates.js';
import { entryId } from './ids.js';

/** A publishable article: valid head, dates resolved, id minted. */
export type Candidate = {
  head: ArticleHead;
  id: string;
  published: Date;
  updated: Date;
};

export type Selection = {
  /** Newest first; equal dates by id ascending. Already published (date <= now), duplicates removed. */
  candidates: Candidate[];
  drafts: number;
  /** Dated after `now`. */
  scheduled: number;
  /** The earliest date of a scheduled article, so a scheduler can say when it appears. */
  nextEmbargo?: Date;
  issues: Issue[];
};

/** Newest first, then id ascending (code-unit order, not locale), so choice and order never vary. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const diff = b.published.getTime() - a.published.getTime();
  if (diff !== 0) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Drafts and embargoed articles are counted, not reported. Of two articles with one id the
 * first by path is kept and the second rejected (paths are stable, so the choice is too).
 * An `updated` earlier than `date` is a warning and falls back to `date`.
 */
export function selectArticles(heads: readonly ArticleHead[], config: Pick<Config, 'idPrefix' | 'timezone'>, now: Date): Selection {
  const issues: Issue[] = [];
  const byId = new Map<string, string>();
  const candidates: Candidate[] = [];
  let drafts = 0;
  let scheduled = 0;
  let nextEmbargo: number | undefined;
  const sorted = [...heads].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const head of sorted) {
    if (head.draft) {
      drafts++;
      continue;
    }
    const file = head.file;
    const date = parseIsoDate(head.date ?? '', config.timezone);
    if (!date.ok) {
      issues.push({ rule: 'store-invalid-date', level: 'error', file, ...(head.lines.date ? { line: head.lines.date } : {}), message: `"date": ${date.reason}` });
      continue;
    }
    let updated = date.date;
    if (head.updated !== undefined && head.updated.trim() !== '') {
      const parsed = parseIsoDate(head.updated, config.timezone);
      if (!parsed.ok) {
        issues.push({ rule: 'store-invalid-date', level: 'error', file, ...(head.lines.updated ? { line: head.lines.updated } : {}), message: `"updated": ${parsed.reason}` });
        continue;
      }
      if (parsed.date.getTime() < date.date.getTime()) {
        issues.push({ rule: 'store-updated-before-date', level: 'warning', file, ...(head.lines.updated ? { line: head.lines.updated } : {}), message: '"updated" is earlier than "date": the date is used instead' });
      } else {
        updated = parsed.date;
      }
    }
    const explicit = head.id?.trim();
    if (explicit !== undefined && (explicit === '' || /\s/.test(explicit))) {
      issues.push({ rule: 'store-bad-field-type', level: 'error', file, ...(head.lines.id ? { line: head.lines.id } : {}), message: '"id" must be a non-empty string without spaces' });
      continue;
    }
    const id = entryId(config.idPrefix, file, explicit || undefined);
    const first = byId.get(id);
    if (first !== undefined) {
      issues.push({ rule: 'store-duplicate-id', level: 'error', file, ...(head.lines.id ? { line: head.lines.id } : {}), message: `id "${id}" is already used by ${first}: this article is not published` });
      continue;
    }
    byId.set(id, file);
    if (date.date.getTime() > now.getTime()) {
      scheduled++;
      if (nextEmbargo === undefined || date.date.getTime() < nextEmbargo) nextEmbargo = date.date.getTime();
      continue;
    }
    candidates.push({ head, id, published: date.date, updated });
  }
  candidates.sort(compareCandidates);
  return { candidates, drafts, scheduled, ...(nextEmbargo !== undefined ? { nextEmbargo: new Date(nextEmbargo) } : {}), issues };
}
