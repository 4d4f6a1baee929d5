/**
 * Which articles are published, in which order: pure, from the heads of the whole store,
 * the configuration and the clock value passed in.
 */
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import { headOf, retractionOf, rowOf, type ArticleHead, type HeadColumns } from './records.js';
import type { Retraction } from './retraction.js';
import { inSkippedTime, inRepeatedTime, parseIsoInstant } from './dates.js';
import { entryId, entryUrl } from './ids.js';

/** A publishable article: valid head, dates resolved, id minted. */
export type Candidate = {
  head: ArticleHead;
  id: string;
  published: Date;
  updated: Date;
  /** Index of its head in the columns it was selected from. */
  row?: number;
};

export type Selection = {
  /** How many articles are publishable (date <= now, duplicates removed), within the limit or not. */
  count: number;
  /**
   * Candidates `start` to `end` (exclusive) in publication order: newest first, equal dates by
   * id ascending. Built on demand, so a 100k store costs objects for the few published only.
   */
  slice(start: number, end: number): Candidate[];
  /** Every candidate, in the same order (all `count` of them: for small stores and tests). */
  readonly candidates: Candidate[];
  /** Rows (in the columns selected from) of every candidate, in no particular order. */
  rows: readonly number[];
  /** Rows of the candidates of ranks 0 to `end` (exclusive), in publication order. */
  rowsInOrder(end: number): number[];
  /** Publication order between two rows (negative: `a` first); rows the selection does not carry come last, in row order. */
  compareRows(a: number, b: number): number;
  /** The candidate whose head is row `row`; undefined when that row is not publishable. */
  candidateOfRow(row: number): Candidate | undefined;
  drafts: number;
  /** Dated after `now`. */
  scheduled: number;
  /** The earliest instant the selection changes by the clock alone: a scheduled article appears, an update dated later takes effect, or a scheduled retraction does. */
  nextEmbargo?: Date;
  /** Articles published once and retracted at or before `now`: in no feed, announced by tombstones. */
  retractions: Retraction[];
  /** Ids that more than one file claims, with the rows claiming each, the one that keeps it first. */
  shared: ReadonlyMap<string, readonly number[]>;
  issues: Issue[];
};

/** Newest first, then id ascending (code-unit order, not locale), so choice and order never vary. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const diff = b.published.getTime() - a.published.getTime();
  if (diff !== 0) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const byFile = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Drafts and embargoed articles are counted, not reported. Of two articles with one id the
 * first by path is kept and the second rejected (paths are stable, so the choice is too), unless
 * `keepers` names the row that keeps it (`keepersOf`: the one the last publication carried).
 * An `updated` earlier than `date`, or later than `now`, is a warning and falls back to `date`.
 */
export function selectArticles(heads: readonly ArticleHead[], config: Pick<Config, 'idPrefix' | 'timezone'>, now: Date): Selection {
  return selectColumns({ files: heads.map((h) => h.file), rows: heads.map(rowOf) }, config, now);
}

/** `selectArticles` over heads held as columns (see `HeadColumns`). */
export function selectColumns(columns: HeadColumns, config: Pick<Config, 'idPrefix' | 'timezone'>, now: Date, keepers?: ReadonlyMap<string, number>): Selection {
  const { files, rows } = columns;
  const issues: Issue[] = [];
  const byId = new Map<string, number>();
  const shared = new Map<string, number[]>();
  let drafts = 0;
  let scheduled = 0;
  let nextEmbargo: number | undefined;
  const nowMs = now.getTime();
  // Path order decides which of two equal ids wins; the store usually hands rows over in it already.
  let order: number[] | undefined;
  for (let i = 1; i < files.length; i++) {
    if (files[i - 1]! > files[i]!) {
      order = Array.from(files.keys()).sort((a, b) => byFile(files[a]!, files[b]!));
      break;
    }
  }
  // Candidates as parallel columns; objects are made only for the ones asked for.
  const rowOfCandidate: number[] = [];
  const publishedMs: number[] = [];
  const updatedMs: number[] = [];
  const retractions: Retraction[] = [];
  for (let k = 0; k < files.length; k++) {
    const i = order ? order[k]! : k;
    const row = rows[i]!;
    if (row[4] === 1) {
      drafts++;
      continue;
    }
    const file = files[i]!;
    const at = (line: number): { line?: number } => (line ? { line } : {});
    const published = parseIsoInstant(row[1], config.timezone);
    if (typeof published === 'string') {
      issues.push({ rule: 'store-invalid-date', level: 'error', file, ...at(row[5]), message: `"date": ${published}` });
      continue;
    }
    const skipped = (key: 'date' | 'updated' | 'retracted.date', text: string, instant: number, line: number): void => {
      if (inSkippedTime(text, config.timezone, instant)) {
        issues.push({ rule: 'store-date-skipped', level: 'warning', file, ...at(line), message: `"${key}": ${/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `the midnight that starts ${text.trim()}` : text.trim()} never happened in ${config.timezone}, whose clocks skipped it; it is read as ${new Date(instant).toISOString()}, later on the clock` });
        return;
      }
      // An embargo in the hour the clocks go back over: one of the two readings lifts it an hour early or late.
      const second = inRepeatedTime(text, config.timezone, instant);
      if (second !== undefined) {
        issues.push({ rule: 'store-date-repeated', level: 'warning', file, ...at(line), message: `"${key}": ${text.trim()} happened twice in ${config.timezone}, whose clocks went back over it; it is read as ${new Date(instant).toISOString()}, the first time, not ${new Date(second).toISOString()}: give its offset to say which` });
      }
    };
    skipped('date', row[1], published, row[5]);
    let updated = published;
    if (row[2] !== '' && row[2].trim() !== '') {
      const parsed = parseIsoInstant(row[2], config.timezone);
      if (typeof parsed === 'string') {
        issues.push({ rule: 'store-invalid-date', level: 'error', file, ...at(row[6]), message: `"updated": ${parsed}` });
        continue;
      }
      skipped('updated', row[2], parsed, row[6]);
      if (parsed < published) {
        issues.push({ rule: 'store-updated-before-date', level: 'warning', file, ...at(row[6]), message: '"updated" is earlier than "date": the date is used instead' });
      } else if (parsed > nowMs && published <= nowMs) {
        // A typo (2027 for 2026) would date the feed itself in the future, and readers would sort the item above newer ones
        // for as long. Like a date, it takes effect when its time comes, and the scheduler wakes up for it.
        issues.push({ rule: 'store-updated-in-future', level: 'warning', file, ...at(row[6]), message: `"updated" (${new Date(parsed).toISOString()}) is later than now: an update cannot have happened yet; "date" is used until then` });
        if (nextEmbargo === undefined || parsed < nextEmbargo) nextEmbargo = parsed;
      } else {
        updated = parsed;
      }
    }
    // An absent id is '' in a row; a present but blank one is refused. Spaces and other characters an IRI cannot hold are encoded (entryId).
    const explicit = row[3] === '' ? undefined : row[3].trim();
    if (explicit === '') {
      issues.push({ rule: 'store-bad-field-type', level: 'error', file, ...at(row[7]), message: '"id" must not be blank: remove it to use the path, or give a permanent id' });
      continue;
    }
    const id = entryId(config.idPrefix, file, explicit || undefined);
    const invisible = explicit ? [...new Set(explicit.match(/[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/gu))] : [];
    if (invisible.length > 0) {
      const codes = invisible.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
      const bidi = invisible.some((c) => /\p{Bidi_Control}/u.test(c));
      issues.push({
        rule: 'store-id-invisible', level: 'warning', file, ...at(row[7]),
        message: `"id" holds the invisible character${codes.length > 1 ? 's' : ''} ${codes.join(', ')}${bidi ? ', which reorder how the id shows and which IRIs may not hold (RFC 3987 §4.1)' : ''}: it is published as written, since a changed id shows the article again as new; if the article is not published yet, retype the id without ${codes.length > 1 ? 'them' : 'it'}`,
      });
    }
    const keeper = keepers?.get(id);
    const first = keeper !== undefined && keeper !== i ? keeper : byId.get(id);
    if (first !== undefined) {
      const claims = shared.get(id);
      if (claims) claims.push(i);
      else shared.set(id, [first, i]);
      const whose = rows[first]![11] ? `the id of ${files[first]}, retracted: the id of a retracted article stays taken` : first === keeper ? `the id of ${files[first]}, the article the last publication carried under it` : `used by ${files[first]}`;
      // Two names that print alike: one in NFC, one in NFD (a store synced from a Mac), which readers of the message cannot tell apart.
      const twin = files[first] !== file && files[first]!.normalize('NFC') === file.normalize('NFC')
        ? ` (the two file names differ only in how their accents are encoded, NFC and NFD, as a store copied from a Mac can leave them: keep one of the two files)` : '';
      issues.push({ rule: 'store-duplicate-id', level: 'error', file, ...at(row[7]), message: `id "${id}" is already ${whose}${twin}: this article is not published` });
      continue;
    }
    byId.set(id, i);
    // A retracted article keeps its id (no other file may take it), and leaves every feed once its retraction is due.
    const retraction = row[11] ? retractionOf(row) : undefined;
    if (retraction) {
      let when = updated;
      if (retraction.date !== undefined) {
        const parsed = parseIsoInstant(retraction.date, config.timezone);
        if (typeof parsed === 'string') {
          issues.push({ rule: 'store-invalid-date', level: 'error', file, ...at(retraction.line ?? 0), message: `"retracted.date": ${parsed}` });
          continue;
        }
        // Read as an embargo is: a retraction in the repeated autumn hour takes effect an hour early or late.
        skipped('retracted.date', retraction.date, parsed, retraction.line ?? 0);
        when = parsed;
      }
      if (when <= nowMs) {
        // One never published (still embargoed) has nothing to take back and nothing to announce.
        if (published <= nowMs) {
          retractions.push({
            row: i, file, id, published: new Date(published), when: new Date(when), dated: retraction.date !== undefined,
            ...(retraction.notice !== undefined ? { notice: retraction.notice } : {}), ...(retraction.line ? { line: retraction.line } : {}),
          });
        }
        continue;
      }
      // Retracted later: published until then, and the scheduler wakes up for it like for an embargo.
      if (nextEmbargo === undefined || when < nextEmbargo) nextEmbargo = when;
    }
    if (published > nowMs) {
      scheduled++;
      if (nextEmbargo === undefined || published < nextEmbargo) nextEmbargo = published;
      continue;
    }
    rowOfCandidate.push(i);
    publishedMs.push(published);
    updatedMs.push(updated);
  }
  // Ids are made again when asked for rather than held: 100k of them took ~10 MB for the whole build.
  const idOf = (c: number): string => {
    const i = rowOfCandidate[c]!;
    const explicit = rows[i]![3];
    return entryId(config.idPrefix, files[i]!, explicit === '' ? undefined : explicit.trim());
  };
  const count = rowOfCandidate.length;
  /**
   * Newest first, then id ascending (as compareCandidates). Ids are made only for the candidates
   * that share a date with another, once each: most stores have few such ties, some (dates
   * without a time) have many, and a sort compares each candidate ~17 times at 100k.
   */
  const inRankOrder = (candidates: number[]): number[] => {
    candidates.sort((a, b) => publishedMs[b]! - publishedMs[a]!);
    for (let start = 0; start < candidates.length;) {
      let end = start + 1;
      while (end < candidates.length && publishedMs[candidates[end]!] === publishedMs[candidates[start]!]) end++;
      if (end - start > 1) {
        const tied = candidates.slice(start, end).map((c) => ({ c, id: idOf(c) }));
        tied.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        tied.forEach((t, k) => (candidates[start + k] = t.c));
      }
      start = end;
    }
    return candidates;
  };
  // Only the first few ranks are ever asked for: rank those, and the rest if asked.
  let ranked: number[] = [];
  const rankAtLeast = (wanted: number): void => {
    if (ranked.length >= Math.min(wanted, count)) return;
    const k = Math.min(count, Math.max(wanted, ranked.length * 2, 64));
    const all = Array.from(rowOfCandidate.keys());
    if (k === count) {
      ranked = inRankOrder(all);
      return;
    }
    // Everything dated at or after the k-th newest date, ordered; ties at that date are all kept, so the first k are exact.
    const threshold = Float64Array.from(publishedMs).sort()[count - k]!;
    ranked = inRankOrder(all.filter((c) => publishedMs[c]! >= threshold));
  };
  const candidateOf = (c: number): Candidate => {
    const i = rowOfCandidate[c]!;
    return { head: headOf(files[i]!, rows[i]!), id: idOf(c), published: new Date(publishedMs[c]!), updated: new Date(updatedMs[c]!), row: i };
  };
  const candidateAt = (rank: number): Candidate => candidateOf(ranked[rank]!);
  let byRow: Int32Array | undefined;
  const candidateIndex = (row: number): number => {
    if (!byRow) {
      byRow = new Int32Array(rows.length).fill(-1);
      rowOfCandidate.forEach((i, c) => (byRow![i] = c));
    }
    return byRow[row] ?? -1;
  };
  const candidateOfRow = (row: number): Candidate | undefined => {
    const c = candidateIndex(row);
    return c < 0 ? undefined : candidateOf(c);
  };
  // As inRankOrder orders candidates: newest first, equal dates by id ascending.
  const compareRows = (a: number, b: number): number => {
    const ca = candidateIndex(a);
    const cb = candidateIndex(b);
    if (ca < 0 || cb < 0) return ca < 0 && cb < 0 ? a - b : Number(ca < 0) - Number(cb < 0);
    const byDate = publishedMs[cb]! - publishedMs[ca]!;
    if (byDate !== 0) return byDate;
    const ia = idOf(ca);
    const ib = idOf(cb);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
  const rowsInOrder = (end: number): number[] => {
    rankAtLeast(end);
    const out: number[] = [];
    for (let r = 0; r < Math.min(end, count); r++) out.push(rowOfCandidate[ranked[r]!]!);
    return out;
  };
  const slice = (start: number, end: number): Candidate[] => {
    rankAtLeast(end);
    const out: Candidate[] = [];
    for (let r = Math.max(0, start); r < Math.min(end, count); r++) out.push(candidateAt(r));
    return out;
  };
  return {
    count,
    slice,
    get candidates() {
      return slice(0, count);
    },
    rows: rowOfCandidate,
    rowsInOrder,
    compareRows,
    candidateOfRow,
    drafts,
    scheduled,
    ...(nextEmbargo !== undefined ? { nextEmbargo: new Date(nextEmbargo) } : {}),
    retractions,
    shared,
    issues,
  };
}

/** What the last publication carried under an id: enough to tell which of the files claiming it is that article. */
export type PublishedItem = { title?: string; published?: number; link?: string };

/**
 * Of the files claiming one id, the one the last publication carried under it keeps it: the one
 * with most of its title, date and link (a copy made as a template keeps the title and date, not
 * the link, which comes from the path). A file arriving beside a published article (a CMS export
 * `budget.json` beside `budget.md`) would otherwise take its id when its path sorts first, and
 * readers would see the published item silently replaced. Only ids whose keeper is not already
 * the first by path are returned.
 */
export function keepersOf(
  shared: ReadonlyMap<string, readonly number[]>, columns: HeadColumns, published: ReadonlyMap<string, PublishedItem>, site: Pick<Config, 'timezone' | 'url'>,
  arrived: ReadonlySet<number> = new Set(),
): Map<string, number> {
  const keepers = new Map<string, number>();
  const plain = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();
  for (const [id, claims] of shared) {
    const item = published.get(id);
    const scores = claims.map((row) => {
      if (!item) return 0;
      const [, date, , , , , , , , , , , title, url] = columns.rows[row]!;
      return Number(item.title !== undefined && plain(title) === plain(item.title))
        + Number(item.published !== undefined && parseIsoInstant(date, site.timezone) === item.published)
        + Number(item.link !== undefined && entryUrl(site.url, columns.files[row]!, url.trim() || undefined) === item.link);
    });
    const best = Math.max(...scores);
    // Among the best (or when nothing was published to tell), the one file the last build already had beats newcomers: an
    // export that copied the title, date and path stem of `budget.md` arrived after it.
    let tied = claims.filter((_, k) => scores[k] === best);
    const known = tied.filter((row) => !arrived.has(row));
    if (tied.length > 1 && known.length === 1) tied = known;
    if (tied.length !== 1 || (best === 0 && tied.length === claims.length)) continue;
    if (tied[0] !== claims[0]) keepers.set(id, tied[0]!);
  }
  return keepers;
}

/** Of the files claiming one id, a retracted one keeps it: its tombstone tells readers to delete that id, and no new article may take it. */
export function retractedKeepers(shared: ReadonlyMap<string, readonly number[]>, rows: HeadColumns['rows']): Map<string, number> {
  const keepers = new Map<string, number>();
  for (const [id, claims] of shared) {
    const retracted = claims.find((row) => rows[row]![11] !== '');
    if (retracted !== undefined) keepers.set(id, retracted);
  }
  return keepers;
}
