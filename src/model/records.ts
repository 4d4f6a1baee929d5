/**
 * What the store hands the model: plain records of articles, as read and type-checked, before
 * any fallback or normalisation (that is model/to-feed.ts). The store produces these; the
 * model never reads files or knows how they were parsed.
 */

export type SourceFormat = 'md' | 'json';

export type RawPerson = { name: string; email?: string; url?: string };

/** One media item as written: numbers stay text (YAML reads every scalar as a string) until the model checks them. */
export type RawEnclosure = { url: string; type?: string; length?: string; title?: string; duration?: string };

/**
 * A retraction as written: `retracted: true`, or `retracted: { date, notice }` (the date as
 * written, checked by selection). `retracted: false` is no retraction.
 */
export type RawRetraction = { retracted: boolean; date?: string; notice?: string };

/** One article's checked fields, body excluded (store/schema.ts derives its checks from the same names). */
export type ArticleFields = {
  title?: string;
  date?: string;
  updated?: string;
  id?: string;
  url?: string;
  author?: RawPerson[];
  authors?: RawPerson[];
  summary?: string;
  tags?: string[];
  image?: string;
  lang?: string;
  draft?: boolean;
  /** Audio, video or documents; `media` is the same list under another name. */
  enclosures?: RawEnclosure[];
  media?: RawEnclosure[];
  /** Podcast episode and season numbers, as written (positive whole numbers). */
  episode?: string;
  season?: string;
  explicit?: boolean;
  /** `full`, `trailer` or `bonus`, as written: Apple's `itunes:episodeType`. */
  episodeType?: string;
  /** Withdrawn by the newsroom: out of every feed, announced by an RFC 6721 tombstone in Atom. */
  retracted?: RawRetraction;
};

/** Line of each key, for pointing issues at it. */
export type FieldLines = Partial<Record<keyof ArticleFields, number>>;

/** What selection needs about every article; the rest is read again for the few published. */
export type ArticleHead = {
  /** Relative to the store, `/` separators. */
  file: string;
  format: SourceFormat;
  date?: string;
  updated?: string;
  id?: string;
  draft: boolean;
  /** As written (`lang`), for choosing the feeds of one language. */
  lang?: string;
  /** As written, for choosing the feeds of a tag. */
  tags: string[];
  /** Author names as written (`authors`, else `author`), for choosing the feeds of an author. */
  authors: string[];
  /** Set when the article is retracted (`retracted: false` leaves it unset). */
  retraction?: { date?: string; notice?: string };
  /** As written: what an archive page shows of an article whose body it does not read (model/archive.ts). */
  title?: string;
  url?: string;
  summary?: string;
  /** Lines of the keys above, for issues raised while selecting. */
  lines: FieldLines;
};

/** Joins a list in one row cell; a value cannot hold it (it is replaced by a space). */
const SEP = '\u001f';
const joinList = (list: readonly string[]): string => list.map((v) => (v.includes(SEP) ? v.replaceAll(SEP, ' ') : v)).join(SEP);
export const splitList = (cell: string): string[] => (cell === '' ? [] : cell.split(SEP));

/**
 * A head as one flat row (the cache's shape and what selection reads): format, date, updated,
 * id ('' when absent), draft, the lines of those keys (0 when absent), then lang, tags and
 * author names (lists joined by U+001F, see `splitList`), then the retraction ('' when none, else
 * JSON `[date, notice, line]`: only the few retracted rows pay for it), then title, url and summary
 * ('' when absent) for archive pages. 100k rows cost far less to parse,
 * hold and collect than 100k heads with their `lines` objects and arrays.
 */
export type HeadRow = [
  format: SourceFormat, date: string, updated: string, id: string, draft: 0 | 1, dateLine: number, updatedLine: number, idLine: number,
  lang: string, tags: string, authors: string, retraction: string, title: string, url: string, summary: string,
];

export function rowOf(head: ArticleHead): HeadRow {
  // '' means absent, so a present but empty id becomes a blank one, which selection refuses alike.
  return [
    head.format, head.date ?? '', head.updated ?? '', head.id === undefined ? '' : head.id || ' ', head.draft ? 1 : 0, head.lines.date ?? 0, head.lines.updated ?? 0, head.lines.id ?? 0,
    head.lang ?? '', joinList(head.tags), joinList(head.authors),
    head.retraction ? JSON.stringify([head.retraction.date ?? '', head.retraction.notice ?? '', head.lines.retracted ?? 0]) : '',
    head.title ?? '', head.url ?? '', head.summary ?? '',
  ];
}

/** The retraction cell of a row, decoded; undefined when the article is not retracted. */
export function retractionOf(row: HeadRow): { date?: string; notice?: string; line?: number } | undefined {
  if (!row[11]) return undefined;
  const [date, notice, line] = JSON.parse(row[11]) as [string, string, number];
  return { ...(date ? { date } : {}), ...(notice ? { notice } : {}), ...(line ? { line } : {}) };
}

export function headOf(file: string, row: HeadRow): ArticleHead {
  const head: ArticleHead = { file, format: row[0], draft: row[4] === 1, tags: splitList(row[9]), authors: splitList(row[10]), lines: {} };
  if (row[1]) head.date = row[1];
  if (row[2]) head.updated = row[2];
  if (row[3]) head.id = row[3];
  if (row[8]) head.lang = row[8];
  if (row[12]) head.title = row[12];
  if (row[13]) head.url = row[13];
  if (row[14]) head.summary = row[14];
  if (row[5]) head.lines.date = row[5];
  if (row[6]) head.lines.updated = row[6];
  if (row[7]) head.lines.id = row[7];
  const retraction = retractionOf(row);
  if (retraction) {
    const { line, ...rest } = retraction;
    head.retraction = rest;
    if (line) head.lines.retracted = line;
  }
  return head;
}

/** Heads as columns, one row per valid article: `files[i]` has head `rows[i]`. */
export type HeadColumns = { readonly files: readonly string[]; readonly rows: readonly HeadRow[] };

/** A whole article, read when it is about to be published. */
export type ArticleBody = {
  fields: ArticleFields;
  lines: FieldLines;
  kind: 'markdown' | 'html';
  text: string;
};
