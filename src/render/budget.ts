// Byte budgets (kiosque README "Byte budgets"): each of a feed's RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents within a size pollers accept.
/**
 * Many polling services cap a fetch at a few MB, and a cut-off XML document is a broken feed.
 * A feed whose document would exceed its budget is trimmed, in this order: the oldest entries
 * carry their summary instead of their full content (oldest first, as few as needed), then the
 * oldest entries are left out (the archives keep them). Summaries are chosen per format, on its
 * own bytes; entries are left out of all three alike, so the documents keep carrying the same
 * items (the gate's cross-format check). An article whose content alone exceeds the budget carries
 * its summary, wherever it stands; one too large even so is left out of the feed. Both are
 * reported. Pure: the renderers are deterministic, so the same feed and
 * budget always give the same bytes.
 */
import type { Issue } from '../issue.js';
import { FEED_FILES, feedFilePath } from '../model/feed-set.js';
import { FORMATS, type Entry, type Feed, type Format } from '../model/types.js';
import { renderAtomBytes } from './atom.js';
import { renderJsonBytes } from './json.js';
import { renderRssBytes } from './rss.js';

export type Rendered = Record<Format, Buffer>;

const RENDER: Record<Format, (feed: Feed) => Buffer> = { rss: renderRssBytes, atom: renderAtomBytes, json: renderJsonBytes };

export function renderAll(feed: Feed): Rendered {
  return { rss: renderRssBytes(feed), atom: renderAtomBytes(feed), json: renderJsonBytes(feed) };
}

export type Budgeted = {
  /** The entries all three documents carry (the dropped and oversize ones left out), full content. */
  feed: Feed;
  bytes: Rendered;
  /** False when the documents fit as they were. */
  trimmed: boolean;
  /** Per format, the entries that carry their summary instead of their content. */
  summarised: Record<Format, Entry[]>;
  /** The oldest entries, left out of all three documents. */
  dropped: Entry[];
  /** Entries whose document alone, with nothing else, exceeds the budget even summarised: left out. */
  oversize: Entry[];
  /** Entries whose document alone exceeds the budget with their content, not with their summary: summarised in all three. */
  shortened: Entry[];
  /** The feed was declared complete (fh:complete) but not every entry fits: it is published without the claim. */
  incomplete?: true;
};

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Content this small is kept as it is when there is no summary to give instead: an article that is a photo and a caption. */
const SMALL_CONTENT = 2048;

/**
 * The entry with its summary as its content: what a summary-only feed gives. Without a summary
 * (a body with no paragraph of text), a small body stays whole and a large one becomes a link to
 * the article: an item with no content at all shows readers nothing.
 */
function summarise(entry: Entry): Entry {
  if (entry.summary !== '') return { ...entry, contentHtml: `<p>${escapeHtml(entry.summary)}</p>` };
  if (Buffer.byteLength(entry.contentHtml) <= SMALL_CONTENT) return entry;
  return { ...entry, contentHtml: `<p><a href="${escapeHtml(entry.url)}">${escapeHtml(entry.title)}</a></p>` };
}

/**
 * Smallest k in [lo, hi] with size(k) <= max, size shrinking as k grows and size(lo - 1) known to
 * exceed max; hi + 1 when none fits. Sizes are nearly linear in k (each entry summarised or left
 * out saves about the same), so the next k is interpolated between the bracket's two sizes,
 * with a bisection whenever that shrinks the bracket by less than half: a few renders, not log2(n).
 */
function firstFitting(lo: number, hi: number, size: (k: number) => number, max: number): number {
  if (lo > hi) return lo;
  let a = lo - 1;
  let sa = size(a);
  let b = hi;
  let sb = size(b);
  if (sb > max) return hi + 1;
  let bisect = false;
  while (b - a > 1) {
    const width = b - a;
    const guess = bisect ? (a + b) >>> 1 : a + Math.ceil(((sa - max) * width) / Math.max(1, sa - sb));
    const k = Math.min(b - 1, Math.max(a + 1, guess));
    const sk = size(k);
    if (sk <= max) [b, sb] = [k, sk];
    else [a, sa] = [k, sk];
    bisect = !bisect && b - a > width / 2;
  }
  return b;
}

const fitsAll = (bytes: Rendered, maxBytes: number): boolean => FORMATS.every((f) => bytes[f].byteLength <= maxBytes);

/**
 * The feed's documents within `maxBytes` each. `first` is the feed as rendered (or reused):
 * when it fits, nothing else is rendered.
 */
export function fitBudget(feed: Feed, maxBytes: number, first: Rendered = renderAll(feed)): Budgeted {
  if (fitsAll(first, maxBytes)) return { feed, bytes: first, trimmed: false, summarised: { rss: [], atom: [], json: [] }, dropped: [], oversize: [], shortened: [] };

  // An entry can only be too large alone if its text is: escaping at most multiplies it by six (`&` as `&#x26;`), markup adds a little.
  const empty: Record<Format, number> = { rss: 0, atom: 0, json: 0 };
  for (const f of FORMATS) empty[f] = RENDER[f]({ ...feed, entries: [] }).byteLength;
  const headroom = maxBytes - Math.max(...FORMATS.map((f) => empty[f]));
  const alone = (e: Entry): boolean => FORMATS.some((f) => RENDER[f]({ ...feed, entries: [e] }).byteLength > maxBytes);
  const tooLarge = feed.entries.filter((e) => {
    const text = Buffer.byteLength(e.contentHtml) + Buffer.byteLength(e.summary) + Buffer.byteLength(e.title);
    return 6 * text + 4096 > headroom && alone(e);
  });
  // Summarised, most still fit: the flagship long read reaches subscribers with its summary rather than not at all.
  const oversize = tooLarge.filter((e) => alone(summarise(e)));
  const shortened = tooLarge.filter((e) => !oversize.includes(e));
  // `originals` are what the returned feed carries (full content); `entries` what is rendered.
  const originals = oversize.length ? feed.entries.filter((e) => !oversize.includes(e)) : feed.entries;
  const entries = shortened.length ? originals.map((e) => (shortened.includes(e) ? summarise(e) : e)) : originals;
  const n = entries.length;

  // Sizes of each format with the `dropped` oldest left out and the `summarised` oldest of the rest summarised, each rendered once.
  const memo = new Map<string, Buffer>();
  if (tooLarge.length === 0) for (const f of FORMATS) memo.set(`${f} 0 0`, first[f]);
  const variant = (dropped: number, summarised: number): Entry[] => {
    const kept = entries.slice(0, n - dropped);
    return summarised === 0 ? kept : [...kept.slice(0, kept.length - summarised), ...kept.slice(kept.length - summarised).map(summarise)];
  };
  const render = (f: Format, dropped: number, summarised: number): Buffer => {
    const key = `${f} ${dropped} ${summarised}`;
    let bytes = memo.get(key);
    if (!bytes) {
      bytes = RENDER[f]({ ...feed, entries: variant(dropped, summarised) });
      memo.set(key, bytes);
    }
    return bytes;
  };
  const size = (f: Format, dropped: number, summarised: number): number => render(f, dropped, summarised).byteLength;
  const fits = (f: Format, dropped: number, summarised: number): boolean => size(f, dropped, summarised) <= maxBytes;

  // Summaries first; only when every remaining entry is summarised and it still does not fit, the oldest go, in all three alike.
  let dropped = 0;
  for (const f of FORMATS) {
    if (fits(f, dropped, 0) || fits(f, dropped, n - dropped)) continue;
    // Even with every entry left out it may not fit (a head larger than the budget): then the feed is published empty.
    dropped = Math.min(n, firstFitting(dropped + 1, n, (d) => size(f, d, n - d), maxBytes));
  }
  const summarised = { rss: [] as Entry[], atom: [] as Entry[], json: [] as Entry[] };
  const bytes = { ...first };
  const kept = n - dropped;
  for (const f of FORMATS) {
    const s = Math.min(kept, fits(f, dropped, 0) ? 0 : firstFitting(1, kept, (k) => size(f, dropped, k), maxBytes));
    bytes[f] = render(f, dropped, s);
    summarised[f] = originals.slice(kept - s, kept);
  }
  if (feed.paging?.complete && (dropped > 0 || oversize.length > 0)) {
    // fh:complete tells readers to forget every entry the document lacks (RFC 5005 §2): a document that lost some
    // for its budget must not say it, or readers would delete articles that still exist.
    const { complete: _, ...paging } = feed.paging;
    const { paging: __, ...rest } = feed;
    return { ...fitBudget(Object.keys(paging).length ? { ...rest, paging } : rest, maxBytes), incomplete: true };
  }
  return { feed: { ...feed, entries: originals.slice(0, kept) }, bytes, trimmed: true, summarised, dropped: originals.slice(n - dropped), oversize, shortened: shortened.filter((e) => originals.indexOf(e) < kept) };
}

const MAX_NAMED = 10;
const named = (entries: readonly Entry[]): string => {
  const files = entries.map((e) => e.source.file);
  return files.length <= MAX_NAMED ? files.join(', ') : `${files.slice(0, MAX_NAMED).join(', ')} and ${files.length - MAX_NAMED} more`;
};
const feedName = (folder: string): string => (folder === '' ? 'the main feed' : `the feed ${folder}`);

/**
 * What a trim is reported as: one `feed-budget-trimmed` warning per document trimmed, naming the
 * articles summarised and left out; one `feed-article-summarised` warning per article that only
 * fits summarised, and one `feed-article-over-budget` error per article too large even so.
 */
export function budgetIssues(result: Budgeted, folder: string, maxBytes: number): Issue[] {
  const issues: Issue[] = [];
  for (const entry of result.oversize) {
    issues.push({
      rule: 'feed-article-over-budget', level: 'error', file: entry.source.file,
      message: `the article alone makes a document of ${feedName(folder)} larger than its budget of ${maxBytes} bytes, even with its summary instead of its content: it is left out of that feed; shorten its title and summary, or raise "maxBytes"`,
    });
  }
  for (const entry of result.shortened) {
    issues.push({
      rule: 'feed-article-summarised', level: 'warning', file: entry.source.file,
      message: `the article's content alone makes a document of ${feedName(folder)} larger than its budget of ${maxBytes} bytes: that feed carries its summary instead; shorten it, move media out of its body, or raise "maxBytes"`,
    });
  }
  if (!result.trimmed) return issues;
  if (result.incomplete) {
    issues.push({
      rule: 'feed-complete-over-budget', level: 'warning', file: feedFilePath(folder, FEED_FILES.atom),
      message: `${feedName(folder)} is declared complete, but ${result.dropped.length + result.oversize.length} of its articles do not fit its budget of ${maxBytes} bytes: it is published without fh:complete, so readers keep the entries it no longer carries`,
    });
  }
  for (const f of FORMATS) {
    const summarised = result.summarised[f];
    if (summarised.length === 0 && result.dropped.length === 0) continue;
    const parts = [
      ...(summarised.length ? [`${summarised.length} oldest entr${summarised.length === 1 ? 'y carries its' : 'ies carry their'} summary instead of the full content (${named(summarised)})`] : []),
      ...(result.dropped.length ? [`the ${result.dropped.length} oldest ${result.dropped.length === 1 ? 'is' : 'are'} left out (${named(result.dropped)})`] : []),
    ];
    issues.push({
      rule: 'feed-budget-trimmed', level: 'warning', file: feedFilePath(folder, FEED_FILES[f]),
      message: `${feedName(folder)} would exceed its budget of ${maxBytes} bytes in ${FEED_FILES[f]}: ${parts.join('; ')}`,
    });
  }
  return issues;
}
