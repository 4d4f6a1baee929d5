/**
 * The store stage as the pipeline calls it: the heads of every article, read once (or taken
 * from the cache) and selected once; then, for the feeds of the set, the bodies of the
 * articles they carry, each read, rendered and sanitised once however many feeds carry it.
 * A body that turns out broken is replaced, in every feed, by the next article that feed selects.
 */
import type { Probe } from './probe.js';
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import { hasArchivePages, indexArticles, pickRows, planFeedSet, rankingOf, type ArticleIndex, type PlannedFeed } from '../model/feed-set.js';
import type { ArticleBody, HeadColumns } from '../model/records.js';
import { keepersOf, retractedKeepers, selectColumns, type PublishedItem, type Selection } from '../model/select.js';
import { articleUrl, siteFromConfig, toEntry, toFeed } from '../model/to-feed.js';
import type { Entry, Feed } from '../model/types.js';
import { VERSION } from '../version.js';
import { readBody } from './body.js';
import { findMediaFiles, mediaDirsOf } from './media.js';
import { mediaUrls } from '../model/media.js';
import { readStore, type StoreStats } from './read.js';
import { createRenderer, type Renderer } from './render.js';
import { pool } from '../pool.js';
import { readState, sweepStateTemps, writeState } from './state.js';

// /2: the fields gained enclosures and episode numbers, which /1 entries would silently lack.
// /3: embeds became links (content.ts); /2 bodies would keep them removed until their article changed.
// /4: task-list checkboxes became ☑ and ☐, and an image without a loadable address its alt text (content.ts); /3 bodies would keep the old forms.
// /5: the fields gained episodeType, which /4 entries would silently lack.
// /6: CR LF became LF in bodies, and more link schemes are kept (content.ts); /5 bodies would keep the old forms.
// /7: what the page hides is left out, MathML kept, an inline SVG becomes its name (content.ts); /6 bodies would keep the old forms.
const BODY_CACHE_FORMAT = 'kiosque-body-cache/10';
/** Bodies read and queued for rendering at most at once: bounds memory when a large set needs thousands. */
const BODIES_IN_FLIGHT = 256;

/**
 * Rendered bodies of the last published articles, keyed by the file's identity and the site
 * URL their links were resolved against: a rebuild with nothing changed reads no article.
 */
type BodyCache = {
  format: string;
  version: string;
  siteUrl: string;
  entries: Record<string, { stamp: string; fields: ArticleBody['fields']; lines: ArticleBody['lines']; html: string; issues: Issue[] }>;
};

export type CollectOptions = {
  cacheFile?: string; maxBytes?: number; renderTimeoutMs?: number; probed?: Probe;
  /**
   * Ids several files claim: the file that kept each in the last publication (`kept`), and for an id it does not
   * settle, what that publication carried under it (`lookup`, which reads published documents).
   */
  sharedIds?: { kept: ReadonlyMap<string, string>; lookup: (ids: readonly string[]) => Promise<ReadonlyMap<string, PublishedItem>> };
};

export type CollectStats = StoreStats & { rendered: number };

/** The store, read once: what every feed of the set selects from. */
export type Store = {
  columns: HeadColumns;
  selection: Selection;
  /** Tags, languages and authors of the publishable articles. */
  index: ArticleIndex;
  /** Store problems so far; reading bodies adds to them. */
  issues: Issue[];
  stats: CollectStats;
  /** Valid, published articles found (within any feed's limit or not). */
  accepted(): number;
  /** Ids of the articles rejected so far (a broken body, or a file an edit broke, whose last good head is kept). */
  rejectedIds(): string[];
  /** Rows holding the last good head of a file an edit broke (store/read.ts). */
  kept: ReadonlySet<number>;
  /** Identity of the file an entry's body came from, when old enough to be trusted (see store/read.ts). */
  stampOf(entry: Entry): string | undefined;
  /** The entries of each feed, newest first: bodies read and rendered once for all of them. */
  fill(feeds: readonly PlannedFeed[]): Promise<Entry[][]>;
  /** Head rows of every article `feed` selects, newest first (no body is read): what its archive pages hold. */
  everything(feed: PlannedFeed): number[];
  /** Of each id several files claim, the file that keeps it: for the next build to keep it there (CollectOptions.sharedIds). */
  keptIds(): Map<string, string>;
  /** Saves the rendered bodies for the next build and stops the render workers. */
  close(): Promise<void>;
};

export async function openStore(config: Config, now: Date, opts: CollectOptions = {}): Promise<Store> {
  const bodyCacheFile = opts.cacheFile ? opts.cacheFile.replace(/(\.json)?$/, '.bodies.json') : undefined;
  if (bodyCacheFile) sweepStateTemps(bodyCacheFile);
  const loaded = bodyCacheFile ? readState<BodyCache>(bodyCacheFile, BODY_CACHE_FORMAT) : undefined;
  const bodyCache = loaded && loaded.siteUrl === config.url ? loaded.entries : {};
  const nextBodyCache: BodyCache['entries'] = {};
  // Made when the first bodies are asked for, not during the walk: a worker started while the
  // walk runs in V8's memory-saving mode keeps that mode's 1 MB young generation for its whole
  // life (heap.ts); on a feed set's ~2,000 bodies it spent 1.3 s of its 3.3 s of work collecting garbage.
  let renderer: Renderer | undefined;
  const rendererNow = (): Renderer => (renderer ??= createRenderer({
    ...(opts.renderTimeoutMs !== undefined ? { timeoutMs: opts.renderTimeoutMs } : {}),
    // Without rendered bodies to reuse, most rows need one: start loading a worker before the first is read.
    eager: Object.keys(bodyCache).length === 0,
  }));
  const store = await readStore(config.articles, {
    ...(opts.cacheFile ? { cacheFile: opts.cacheFile } : {}), ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}), ...(opts.probed ? { probed: opts.probed } : {}),
    headlines: hasArchivePages(config.feeds),
  });
  let selection = selectColumns(store.columns, config, now);
  if (selection.shared.size > 0 && opts.sharedIds) {
    // The keeper the last publication had, while it still claims the id; the published documents are read only for the others.
    // A retracted article keeps its id whatever the path order.
    const keepers = new Map<string, number>();
    const retracted = retractedKeepers(selection.shared, store.columns.rows);
    const unsettled = new Map<string, readonly number[]>();
    for (const [id, claims] of selection.shared) {
      const kept = retracted.get(id) ?? claims.find((row) => store.columns.files[row] === opts.sharedIds!.kept.get(id));
      if (kept === undefined) unsettled.set(id, claims);
      else if (kept !== claims[0]) keepers.set(id, kept);
    }
    if (unsettled.size > 0) {
      const published = await opts.sharedIds.lookup([...unsettled.keys()]);
      for (const [id, row] of keepersOf(unsettled, store.columns, published, config, store.arrived)) keepers.set(id, row);
    }
    if (keepers.size > 0) selection = selectColumns(store.columns, config, now, keepers);
  }
  const index = indexArticles(store.columns, selection, { language: config.language, ...(config.author ? { authorName: config.author.name } : {}) }, store.kept);
  const issues = [...store.issues, ...selection.issues];
  const stats: CollectStats = { ...store.stats, rendered: 0 };
  const entries = new Map<number, Entry>();
  const stamps = new Map<Entry, string>();
  // A broken file's last good head (store/read.ts) holds its archive place; its body is not read.
  const rejected = new Set<number>([...store.kept].filter((row) => selection.candidateOfRow(row) !== undefined));

  const mediaDirs = mediaDirsOf(config);
  // Media files can change without their article: they are looked at on every build, only for the articles published.
  const filesOf = (candidate: Parameters<typeof articleUrl>[0], body: ArticleBody): ReturnType<typeof findMediaFiles> | undefined => {
    if (body.fields.image === undefined && body.fields.enclosures === undefined && body.fields.media === undefined) return undefined;
    const url = articleUrl(candidate, body, config);
    return url === undefined ? undefined : findMediaFiles(mediaUrls(body.fields, url), mediaDirs);
  };

  const readOne = async (row: number): Promise<{ entry?: Entry; issues: Issue[] }> => {
    const candidate = selection.candidateOfRow(row)!;
    const file = candidate.head.file;
    const stamp = store.stampAt(row);
    const hit = stamp !== undefined && Object.hasOwn(bodyCache, file) ? bodyCache[file] : undefined;
    if (hit && hit.stamp === stamp) {
      nextBodyCache[file] = hit;
      const cached: ArticleBody = { fields: hit.fields, lines: hit.lines, kind: 'html', text: '' };
      const entry = toEntry(candidate, cached, hit.html, config, filesOf(candidate, cached));
      return { ...(entry.value ? { entry: entry.value } : {}), issues: [...hit.issues, ...entry.issues] };
    }
    const body = readBody(config.articles, file, opts.maxBytes);
    if (!body.value) return { issues: body.issues };
    const base = articleUrl(candidate, body.value, config) ?? config.url;
    const html = await rendererNow().render(body.value.text, body.value.kind, base);
    stats.rendered++;
    if (!html.ok) {
      return { issues: [...body.issues, { rule: html.reason === 'timeout' ? 'store-too-complex' : 'store-render-failed', level: 'error', file, message: `the body could not be rendered: ${html.message}` }] };
    }
    if (stamp !== undefined) nextBodyCache[file] = { stamp, fields: body.value.fields, lines: body.value.lines, html: html.html, issues: body.issues };
    const entry = toEntry(candidate, body.value, html.html, config, filesOf(candidate, body.value));
    return { ...(entry.value ? { entry: entry.value } : {}), issues: [...body.issues, ...entry.issues] };
  };

  let ranked: ReturnType<typeof rankingOf> | undefined;
  const ranking = (): ReturnType<typeof rankingOf> => (ranked ??= rankingOf(selection));
  return {
    columns: store.columns,
    selection,
    keptIds: () => new Map([...selection.shared].map(([id, claims]) => [id, store.columns.files[claims[0]!]!])),
    index,
    issues,
    stats,
    accepted: () => selection.count - rejected.size,
    kept: store.kept,
    rejectedIds: () => [...rejected].flatMap((row) => selection.candidateOfRow(row)?.id ?? []),
    stampOf: (entry) => stamps.get(entry),
    everything(feed) {
      return feed.rows
        ? [...ranking().inOrder(feed.rows)]
        : ranking().rowsInOrder(selection.count).filter((row) => feed.matches(row));
    },
    async fill(feeds) {
      const ranking = ranked ??= rankingOf(selection);
      // Its first worker loads while the first bodies are read.
      rendererNow();
      for (;;) {
        const picks = feeds.map((feed) => pickRows(feed, ranking, rejected));
        const needed = new Set<number>();
        for (const rows of picks) for (const row of rows) if (!entries.has(row)) needed.add(row);
        if (needed.size === 0) return picks.map((rows) => rows.map((row) => entries.get(row)!));
        // Broken bodies are found here; the next round picks the following articles in their place.
        const rows = [...needed];
        const results: Awaited<ReturnType<typeof readOne>>[] = [];
        // A window, not batches: at the end of each batch, both render workers waited for the slower one.
        await pool(rows, BODIES_IN_FLIGHT, async (row, k) => {
          results[k] = await readOne(row);
        });
        // In row order, whichever worker finished first: the report's order does not depend on timing.
        results.forEach((result, k) => {
          issues.push(...result.issues);
          if (result.entry) {
            entries.set(rows[k]!, result.entry);
            const stamp = store.stampAt(rows[k]!);
            if (stamp !== undefined) stamps.set(result.entry, stamp);
          } else rejected.add(rows[k]!);
        });
      }
    },
    async close() {
      // The render threads are done: their memory (~65-80 MB for a feed set's two) goes before the cache's text is made.
      await renderer?.close();
      try {
        if (bodyCacheFile && !sameKeys(bodyCache, nextBodyCache)) {
          const data: BodyCache = { format: BODY_CACHE_FORMAT, version: VERSION, siteUrl: config.url, entries: nextBodyCache };
          writeState(bodyCacheFile, data);
        }
      } catch {
        // Only a missed shortcut: the store cache already reports an unwritable cache directory.
      }
    },
  };
}

export type Collected = {
  feed: Feed;
  /** Valid, published articles found (within the limit or not). */
  accepted: number;
  drafts: number;
  /** Dated after `now`. */
  scheduled: number;
  nextEmbargo?: Date;
  issues: Issue[];
  stats: CollectStats;
};

/** The main feed alone (the whole store, newest `limit`), through the same stage as the set. */
export async function collectFeed(config: Config, now: Date, opts: CollectOptions = {}): Promise<Collected> {
  const store = await openStore(config, now, opts);
  try {
    const site = siteFromConfig(config, VERSION);
    const { feeds } = planFeedSet([{ path: '', minItems: 1, minValues: 1 }], store.index, { ...site, feedBaseUrl: config.feedBaseUrl, limit: config.limit });
    const [entries] = await store.fill(feeds);
    const { selection } = store;
    return {
      feed: toFeed(site, entries!),
      accepted: store.accepted(),
      drafts: selection.drafts,
      scheduled: selection.scheduled,
      ...(selection.nextEmbargo ? { nextEmbargo: selection.nextEmbargo } : {}),
      issues: store.issues,
      stats: store.stats,
    };
  } finally {
    await store.close();
  }
}

function sameKeys(a: BodyCache['entries'], b: BodyCache['entries']): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && kb.every((k) => Object.hasOwn(a, k) && a[k]!.stamp === b[k]!.stamp);
}
