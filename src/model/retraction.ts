/**
 * Retractions (RFC 6721, "The Atom deleted-entry Element"): a retracted article is in no feed,
 * and the Atom document of each feed that would have carried it announces it with a tombstone
 * for a period after the retraction. Which feeds, and until when, is decided here from the
 * selection and the build's `now`, never the clock. Pure.
 */
import type { Issue } from '../issue.js';
import type { Entry, Tombstone } from './types.js';
import { isPaged, type ArchiveSpec } from './archive.js';

/** A retracted article, as selection found it. */
export type Retraction = {
  /** Its head row, for asking each feed whether it would have carried it. */
  row: number;
  file: string;
  id: string;
  published: Date;
  /** When it was retracted: `retracted.date`, else its `updated` (its `date` when it has none). */
  when: Date;
  /** True when `retracted.date` was written. */
  dated: boolean;
  notice?: string;
  line?: number;
};

/** How long tombstones are published after a retraction, unless configured. */
export const DEFAULT_TOMBSTONE_DAYS = 30;
const DAY_MS = 86_400_000;

/** What a feed is asked: does it select this row, how many entries does it carry at most, and has it RFC 5005 archive pages. */
export type TombstoneFeed = { matches(row: number): boolean; limit: number; archive?: ArchiveSpec };

const stillAnnounced = (r: Retraction, now: Date, days: number): boolean => now.getTime() < r.when.getTime() + days * DAY_MS;

/**
 * The tombstones of one feed: the retractions within the period whose article the feed selects
 * and would still carry among its newest `limit` (a feed that has fewer entries would carry it;
 * otherwise it must sort before the last one, newest first and equal dates by id). A feed with
 * archive pages carried every article it selects, on a page if not in its newest `limit`: its
 * backfilled readers hold those too, and will not fetch a full page again (RFC 5005 §4 makes
 * them permanent; kiosque serves them as immutable), so the subscription document is the only
 * place that reaches them. Newest retraction first, then by id, so the bytes never vary.
 */
export function tombstonesFor(retractions: readonly Retraction[], feed: TombstoneFeed, entries: readonly Entry[], now: Date, days: number): Tombstone[] {
  return carried(retractions, feed, entries)
    .filter((r) => stillAnnounced(r, now, days))
    .sort((a, b) => b.when.getTime() - a.when.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({ ref: r.id, when: r.when, ...(r.notice !== undefined ? { comment: r.notice } : {}) }));
}

/**
 * When the feed last lost an article to a retraction, tombstone period or not: a change to the
 * feed as significant as a new entry (RFC 4287 §4.2.15; RSS 2.0's lastBuildDate, "the last time
 * the content of the channel changed"). Without it, retracting the newest article dated the
 * feed back to the one before, in the very document announcing the retraction, and readers that
 * skip a feed whose date did not move would miss the tombstone. From the store, never the clock.
 */
export function lastRetraction(retractions: readonly Retraction[], feed: TombstoneFeed, entries: readonly Entry[]): Date | undefined {
  let last: Date | undefined;
  for (const r of carried(retractions, feed, entries)) if (!last || r.when > last) last = r.when;
  return last;
}

/** The retractions whose article the feed selects and would carry (see tombstonesFor), whatever their period. */
function carried(retractions: readonly Retraction[], feed: TombstoneFeed, entries: readonly Entry[]): Retraction[] {
  const last = !isPaged(feed.archive) && entries.length >= feed.limit ? entries[entries.length - 1] : undefined;
  const withinWindow = (r: Retraction): boolean => {
    if (!last) return true;
    const diff = r.published.getTime() - last.published.getTime();
    return diff > 0 || (diff === 0 && r.id < last.id);
  };
  return retractions.filter((r) => feed.matches(r.row) && withinWindow(r));
}

/**
 * A retraction without a date of its own counts from the article's `updated` (or `date`): when
 * that is already past the period, no tombstone is published, which is worth saying, unless an
 * earlier publication announced it (`announced`): its period then ran its course.
 */
export function retractionIssues(retractions: readonly Retraction[], now: Date, days: number, announced: ReadonlySet<string> = new Set()): Issue[] {
  return retractions
    .filter((r) => !r.dated && !stillAnnounced(r, now, days) && !announced.has(r.id))
    .map((r) => ({
      rule: 'store-retraction-unannounced',
      level: 'warning' as const,
      file: r.file,
      ...(r.line ? { line: r.line } : {}),
      message: `retracted without a date, so counted from its "updated" or "date" (${r.when.toISOString()}), more than ${days} days ago: no tombstone tells Atom readers to drop their copy; write "retracted: { date: … }" with the day it was withdrawn`,
    }));
}

/** When the first tombstone still announced at `now` expires: the build's output changes then, with nothing else changing. */
export function nextTombstoneExpiry(retractions: readonly Retraction[], now: Date, days: number): Date | undefined {
  let next: number | undefined;
  for (const r of retractions) {
    const end = r.when.getTime() + days * DAY_MS;
    if (end > now.getTime() && (next === undefined || end < next)) next = end;
  }
  return next === undefined ? undefined : new Date(next);
}
