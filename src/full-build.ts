/**
 * The build proper, once the lock is held and nothing allows repeating the last report:
 * collect the store once, select per feed, render each feed and archive page in three formats,
 * validate them, publish the whole set as one publication, record what the next build may
 * repeat, and ping the hubs. pipeline.ts loads this module only then, so a rebuild with
 * nothing changed never loads the renderers and validators.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import { collectNow, leanWhile } from './heap.js';
import { checkFeeds, gateWorkers, type FeedCheck } from './validate/check-feeds.js';
import { isError, type Issue } from './issue.js';
import { FEED_FILES, feedFilePath, feedFolderOf, incompleteIssue, INDEX_FILE, movedFeeds, OPML_FILE, planFeedSet, siteOfFeed, STYLESHEET_FILE, vanishedFeeds, type Group, type PlanHistory, type PlannedFeed } from './model/feed-set.js';
import { publishedTwice, siteFromConfig, toFeed } from './model/to-feed.js';
import { FORMATS, MEDIA_TYPES, type Entry, type Feed, type Format, type Paging, type Site } from './model/types.js';
import { STATE_DIR, type PublishedFile } from './publish/manifest.js';
import { openSpool, SpoolError, type Spool } from './publish/spool.js';
import { openAsideCompressor, type Compressed, type Compressor } from './publish/compress.js';
import { sha256, type PublishFile } from './publish/publish.js';
import { addOwed } from './publish/pings.js';
import type { Probe } from './store/probe.js';
import { manifestKey, recordLastBuild } from './unchanged.js';
import { renderIndexHtml } from './render/html.js';
import { renderOpml } from './render/opml.js';
import { budgetIssues, fitBudget, renderAll, type Budgeted, type Rendered } from './render/budget.js';
import { renderFeedXsl } from './render/xsl.js';
import { openStore, type Store } from './store/collect.js';
import { readKeptIds, saveKeptIds } from './store/kept-ids.js';
import { readTombstoned, saveTombstoned } from './store/tombstoned.js';
import type { PublishedItem } from './model/select.js';
import { openDocuments, type Documents } from './store/documents.js';
import { mayPassNextTime } from './store/files.js';
import { findMediaFile, mediaDirsOf } from './store/media.js';
import { localRef } from './model/media.js';
import { FOLDER_UNREADABLE } from './store/walk.js';
import { gateRules, summarise } from './validate/gate.js';
import { feedGoneIssues, goneFeeds } from './validate/departures.js';
import { episodesOf } from './model/podcast.js';
import { lastRetraction, nextTombstoneExpiry, retractionIssues, tombstonesFor } from './model/retraction.js';
import { appleRules, artworkProblem } from './validate/rules/apple-podcasts.js';
import { ARCHIVE_FOLDER, archiveOf, archivePages, hasHeadline, headlineEntry, headlineKey, isComplete, isPaged, pageFeed, parsePagePath, type ArchivePage } from './model/archive.js';
import { openPages, type PageDocs, type Pages } from './store/pages.js';
import { chainDocOf } from './validate/archive-chain.js';
import { checkArchives } from './validate/archive-gate.js';
import { CACHE_FILE, DOCUMENT_CACHE_FILE, KEPT_IDS_FILE, PAGE_CACHE_FILE, TOMBSTONED_FILE, type BuildReport, type Rejection, type Run } from './pipeline.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * An archive page as collected: its fingerprint, and either its documents as published (`known`)
 * or how to make the feed to render. Made when rendered, not before: a cold build of 100k
 * articles would otherwise hold 100k entries until every page is rendered.
 */
type CollectedPage = { page: ArchivePage; fingerprint: string; known?: PageDocs; feed?: () => Feed };

type CollectedSet = {
  /**
   * `everything`: the feed selects every article, so one leaving it left the site; `limit`: the most entries it carries;
   * `maxBytes`: its documents' budget; `pages`: the feed's archive pages, oldest first, when it has any; `guidFromUrl`: a
   * podcast declared on its own whose guid the configuration leaves to its URL, so that a move changes it; `beyond`
   * (feeds of every article): the ids it selects past its subscription window, where an article redated out of it went.
   */
  feeds: { group: Group; feed: Feed; everything: boolean; limit: number; maxBytes: number; pages?: CollectedPage[]; guidFromUrl?: true; beyond?: string[] }[];
  /** Ids of the retracted articles: their disappearance is announced, not lost. */
  retracted: string[];
  /** Of each id several files claim, the file that keeps it. */
  keptIds: Map<string, string>;
  /** Ids of the rejected articles that had been read: their leaving a feed is explained by the rejection the report lists. */
  rejected: string[];
  /** Identity of the file each entry's body came from (see store/documents.ts). */
  stampOf: Map<Entry, string | undefined>;
  accepted: number;
  drafts: number;
  scheduled: number;
  nextEmbargo?: Date;
  issues: Issue[];
  /** Problems that stop the publication like a validation error (podcast artwork kiosque can measure). */
  blocking: Issue[];
  /** The first instant after `now` at which the same store gives other feeds: an embargo or a dated retraction due, a tombstone period over. */
  until?: Date;
};

const ARTWORK_RULE = appleRules.find((r) => r.id === 'APPLE-CH-002')!;

/** An article rejected for its body that a published archive page holds: the page keeps it, public, until the file is fixed. */
const keptOnPagesIssue = (file: string): Issue => ({
  rule: 'store-kept-last-good', level: 'warning', file,
  message: 'the archive pages that carried this article keep it as they published it, so that later pages do not shift, though it is rejected: it is out of the subscription feeds until the file is fixed',
});

/** A podcast feed carries its episodes only, and its artwork, when it is a local file, is measured against Apple's limits. */
function asPodcast(feed: Feed, config: Config): { entries: Entry[]; issues: Issue[]; blocking: Issue[] } {
  const folder = feed.site.folder ?? '';
  const episodes = episodesOf(feed.entries, { folder: folder || '/', rss: feedFilePath(folder, FEED_FILES.rss), type: feed.site.podcast!.type });
  const blocking: Issue[] = [];
  const dirs = mediaDirsOf(config);
  const image = feed.site.podcast!.image;
  // `cover.png?v=2` (to have apps fetch new artwork) is still that file: a static server ignores the query.
  const file = image.replace(/[?#].*$/s, '');
  const artwork = findMediaFile(file, dirs);
  const local = artwork ? undefined : localRef(file, dirs);
  // A local name with no file behind it is a link to nothing: Apple refuses a show whose artwork does not load.
  const problem = artwork ? artworkProblem(artwork) : local && `${image} is no file: nothing is at ${local.root === 'media' ? `"${local.path}" in the media folder` : `"${local.path}" in the store`}`;
  if (problem) blocking.push({ rule: ARTWORK_RULE.id, level: ARTWORK_RULE.level, file: feedFilePath(folder, FEED_FILES.rss), message: ARTWORK_RULE.message({ reason: problem }) });
  return { entries: episodes.value, issues: episodes.issues, blocking };
}

/** Archive pages rendered between two full collections in the gate (see pageChecks). */
const PAGES_PER_COLLECTION = 128;

/** What collectSet needs to tell which archive pages are as published. */
type PageContext = {
  cache: Pages; published: ReadonlyMap<string, PublishedFile>; readPublished?: (path: string) => Promise<Uint8Array | undefined>;
  /** Of each id several files claimed, the file that kept it in the last publication (KEPT_IDS_FILE). */
  keptIds: ReadonlyMap<string, string>;
  /** Ids whose retraction an earlier publication announced with a tombstone (TOMBSTONED_FILE). */
  tombstoned: ReadonlySet<string>;
};

/**
 * A feed's archive: pages over everything it selects, from the heads, whatever its subscription
 * document carries; entries are made only for the pages whose heads changed since they were published.
 */
function collectArchive(store: Store, planned: PlannedFeed, pageSize: number, site: Site, config: Config, pageContext: PageContext, keptOnPages: Set<string>): { paging: Paging; pages: CollectedPage[] } {
  const { files, rows } = store.columns;
  // A broken file's last good head keeps the place it had on a published page, and so does an article rejected for its
  // body (an enclosure without a length); one that never had any (it was embargoed, or new) gets none: a rejected
  // article is published nowhere, and a page that held it would change once it is fixed.
  const rejected = new Set(store.rejectedIds());
  const placed = store.kept.size > 0 || rejected.size > 0 ? pageContext.cache.publishedIds(site.folder ?? '') : undefined;
  const headlines = store.everything(planned).filter((row) => {
    if (!hasHeadline(files[row]!, rows[row]!, config)) return false;
    if (!store.kept.has(row) && rejected.size === 0) return true;
    const { id } = store.selection.candidateOfRow(row)!;
    if (!store.kept.has(row) && !rejected.has(id)) return true;
    // A head kept from before says so itself (store-kept-last-good); an article rejected for its body is told here.
    if (placed!.has(id) && !store.kept.has(row)) keptOnPages.add(files[row]!);
    return placed!.has(id);
  });
  const slices = archivePages(headlines, pageSize);
  const archive = archiveOf(site, headlines.length, pageSize, config.feedBaseUrl);
  const pages = archive.pages.map((page, k): CollectedPage => {
    const pageRows = slices[k]!;
    // A page's keys at a time: all of them at once were ~50 MB of a 100k store's rebuild.
    const fingerprint = pageContext.cache.fingerprint(page, pageRows.map((row) => headlineKey(files[row]!, rows[row]!, config)!));
    const known = pageContext.cache.reuse(page, fingerprint, pageContext.published);
    if (known) return { page, fingerprint, known };
    return { page, fingerprint, feed: () => pageFeed(page, pageRows.map((row) => headlineEntry(store.selection.candidateOfRow(row)!, config)!)) };
  });
  return { paging: archive.paging, pages };
}

/**
 * What the last publication carried under `ids` (title, date and link): read from its feeds' JSON
 * documents, then from archive pages, newest first, until every id is found. Asked only when
 * files share an id, so a store without that never reads a published document here.
 */
async function publishedItems(pageContext: PageContext, ids: readonly string[]): Promise<Map<string, PublishedItem>> {
  const found = new Map<string, PublishedItem>();
  const { readPublished } = pageContext;
  if (!readPublished) return found;
  const wanted = new Set(ids);
  const pageNumber = (path: string): number => {
    const page = parsePagePath(path.slice(0, path.lastIndexOf(ARCHIVE_FOLDER)), path);
    return page?.format === 'json' ? page.n : 0;
  };
  const paths = [...pageContext.published.keys()];
  const documents = [
    ...paths.filter((path) => path.endsWith(FEED_FILES.json) && feedFolderOf(path) !== undefined),
    ...paths.filter((path) => pageNumber(path) > 0).sort((a, b) => pageNumber(b) - pageNumber(a)),
  ];
  for (const path of documents) {
    const bytes = await readPublished(path);
    for (const item of (bytes && summarise('json', bytes)?.items) || []) {
      if (item.id === undefined || !wanted.has(item.id) || found.has(item.id)) continue;
      found.set(item.id, { ...(item.title !== undefined ? { title: item.title } : {}), ...(item.published !== undefined ? { published: item.published } : {}), ...(item.link !== undefined ? { link: item.link } : {}) });
    }
    if (found.size === wanted.size) break;
  }
  return found;
}

async function collectSet(config: Config, now: Date, site: Site, pageContext: PageContext, probed: Probe | undefined, endLean: () => void, renderTimeoutMs?: number): Promise<CollectedSet> {
  // 1. Collect once: every head of the store parsed once (or taken from the cache), dated and ordered.
  const store = await openStore(config, now, {
    cacheFile: join(config.out, CACHE_FILE), ...(probed ? { probed } : {}), ...(renderTimeoutMs !== undefined ? { renderTimeoutMs } : {}),
    sharedIds: { kept: pageContext.keptIds, lookup: (ids) => publishedItems(pageContext, ids) },
  });
  try {
    // 2. Select per feed: the set is planned from those same heads; each article's body is read
    // and rendered once, whichever feeds carry it.
    const folders = new Set<string>();
    for (const path of pageContext.published.keys()) {
      const folder = feedFolderOf(path);
      if (folder !== undefined) folders.add(folder);
    }
    const setSite = { ...site, feedBaseUrl: config.feedBaseUrl, limit: config.limit, ...(config.author ? { authorName: config.author.name } : {}) };
    const history: PlanHistory = { published: (folder) => folders.has(folder), compareRows: store.selection.compareRows };
    let plan = planFeedSet(config.feeds, store.index, setSite, history);
    // A folder two values want that the last publication had: who held it is who its readers read, so planned again knowing that.
    const contested = plan.contested.filter((folder) => folders.has(folder));
    if (contested.length > 0 && pageContext.readPublished) {
      const held = new Map<string, Set<string>>();
      for (const folder of contested) {
        const bytes = await pageContext.readPublished(feedFilePath(folder, FEED_FILES.json));
        const ids = bytes ? summarise('json', bytes)?.items.map((item) => item.id).filter((id): id is string => id !== undefined) : undefined;
        if (ids) held.set(folder, new Set(ids));
      }
      plan = planFeedSet(config.feeds, store.index, setSite, { ...history, heldIds: (folder) => held.get(folder), idOfRow: (row) => store.selection.candidateOfRow(row)?.id });
    }
    // The heads are read: rendering the bodies is short-lived garbage, out of the memory-saving mode (heap.ts).
    endLean();
    const entries = await store.fill(plan.feeds);
    const podcastIssues: Issue[] = [];
    const duplicates: Issue[] = [];
    const blocking: Issue[] = [];
    const { retractions } = store.selection;
    const rejectedIds = new Set(store.rejectedIds());
    const incomplete: Issue[] = [];
    const keptOnPages = new Set<string>();
    const feeds = plan.feeds.map((planned, i): CollectedSet['feeds'][number] => {
      let feed = toFeed(siteOfFeed(site, planned, config.idPrefix, config.feedBaseUrl), entries[i]!);
      let everything = planned.everything;
      const maxBytes = planned.maxBytes ?? config.maxBytes;
      if (feed.site.podcast) {
        const podcast = asPodcast(feed, config);
        podcastIssues.push(...podcast.issues);
        blocking.push(...podcast.blocking);
        // With no episode left, the date of the articles it selected, not 1970.
        feed = podcast.entries.length > 0 ? toFeed(feed.site, podcast.entries) : { ...toFeed(feed.site, []), updated: feed.updated };
        // Episodes only: an article leaving the podcast may still be on the site.
        everything = false;
      }
      // Atom announces the retracted articles this feed would still carry, or carried on its archive pages (RFC 6721).
      const tombstones = tombstonesFor(retractions, planned, entries[i]!, now, config.tombstoneDays);
      if (tombstones.length > 0) feed = { ...feed, tombstones };
      const retracted = lastRetraction(retractions, planned, entries[i]!);
      if (retracted && retracted > feed.updated) feed = { ...feed, updated: retracted };
      // A feed of every article holds every copy of one (a tag feed would only repeat it); two such feeds, the same copies.
      if (everything) duplicates.push(...publishedTwice(feed.entries));
      // Ids only, taken now: a closure would keep the store's heads alive through the build.
      const shown = everything ? new Set(feed.entries.map((e) => e.id)) : undefined;
      const beyond = shown ? store.everything(planned).map((row) => store.selection.candidateOfRow(row)!.id).filter((id) => !shown.has(id)) : undefined;
      const kept = {
        group: planned.group, everything, limit: planned.limit, maxBytes, ...(beyond ? { beyond } : {}),
        ...(planned.podcast && planned.podcast.guid === undefined && !planned.perValue ? { guidFromUrl: true as const } : {}),
      };
      if (isComplete(planned.archive)) {
        // A rejected article it selects is missing from it: declared complete, it would tell readers that honour fh:complete
        // (RFC 5005 §2) to delete their copy. Complete again once the article is fixed.
        const missing = rejectedIds.size === 0 ? [] : store.everything(planned).filter((row) => rejectedIds.has(store.selection.candidateOfRow(row)!.id));
        if (missing.length > 0) {
          incomplete.push(incompleteIssue(feed.site.folder ?? '', missing.map((row) => store.columns.files[row]!)));
          return { ...kept, feed };
        }
        return { ...kept, feed: { ...feed, paging: { complete: true } } };
      }
      if (!isPaged(planned.archive)) return { ...kept, feed };
      const archive = collectArchive(store, planned, planned.archive.pageSize, feed.site, config, pageContext, keptOnPages);
      return { ...kept, feed: { ...feed, paging: archive.paging }, pages: archive.pages };
    });
    // The main feed leads the report, as it always has.
    feeds.sort((a, b) => Number(b.group === 'main') - Number(a.group === 'main'));
    const { selection } = store;
    const expiry = nextTombstoneExpiry(retractions, now, config.tombstoneDays);
    const until = [selection.nextEmbargo, expiry].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      ...(until ? { until } : {}),
      feeds,
      retracted: retractions.map((r) => r.id),
      rejected: store.rejectedIds(),
      keptIds: store.keptIds(),
      stampOf: new Map(entries.flat().map((entry) => [entry, store.stampOf(entry)])),
      accepted: store.accepted(),
      drafts: selection.drafts,
      scheduled: selection.scheduled,
      ...(selection.nextEmbargo ? { nextEmbargo: selection.nextEmbargo } : {}),
      issues: [...store.issues, ...plan.issues, ...podcastIssues, ...incomplete, ...[...keptOnPages].map(keptOnPagesIssue), ...new Map(duplicates.map((i) => [`${i.file}\u0000${i.message}`, i])).values(), ...retractionIssues(retractions, now, config.tombstoneDays, pageContext.tombstoned)],
      blocking,
    };
  } finally {
    await store.close();
  }
}

export async function fullBuild(run: Run): Promise<BuildReport> {
  // Rendered archive pages wait for the publication on disk (publish/spool.ts), whatever becomes of the build.
  let spool: Spool;
  try {
    spool = openSpool(join(run.config.out, STATE_DIR, 'spool'));
  } catch (err) {
    // The out dir is the first thing a build under a lease writes (the lock file is elsewhere): a disk or permission problem, said as one.
    const message = `cannot write ${join(run.config.out, STATE_DIR)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    run.report.issues.push({ rule: 'publish-failed', level: 'error', file: run.config.out, message });
    run.report.failure = `${message}; the previous publication is unchanged`;
    return run.finish();
  }
  // The feed documents are compressed while the gate validates them (4.); that compressor ends with the build, published or not.
  let aside: Compressor | undefined;
  try {
    return await build(run, spool, (count) => (aside = openAsideCompressor(count)));
  } catch (err) {
    if (!(err instanceof SpoolError)) throw err;
    run.report.failure = `${err.message}; the previous publication is unchanged`;
    return run.finish();
  } finally {
    spool.close();
    await aside?.close();
  }
}

async function build(run: Run, spool: Spool, openAside: (count: number) => Compressor): Promise<BuildReport> {
  const { config, options, report, finish, stopped, signal, lock, target, previousManifest, probed, inputs, lastBuildFile, owedBefore, recordOwed, pingOwed, refused } = run;
  const site = siteFromConfig(config, options.version);
  const publishedHash = new Map(previousManifest?.files.map((f) => [f.path, f.sha256]));
  const tombstoned = readTombstoned(join(config.out, TOMBSTONED_FILE));
  const pageCache = openPages(config.out, join(config.out, PAGE_CACHE_FILE), JSON.stringify([config.url, config.timezone, config.idPrefix]));
  // 1-2. Collect once, select per feed (below); the store's heads are released once the feeds have their entries.
  const collected = await leanWhile((endLean) => collectSet(config, options.now, site, { cache: pageCache, published: new Map(previousManifest?.files.map((f) => [f.path, f])), readPublished: (path) => target.readPublished(previousManifest, path), keptIds: readKeptIds(join(config.out, KEPT_IDS_FILE)), tombstoned }, probed, endLean, options.renderTimeoutMs));
  const { feeds, stampOf, retracted, rejected: rejectedIds } = collected;
  // A store that cannot be read is not a store with nothing in it: publishing would empty every feed and its archive pages.
  const unreadable = collected.issues.filter((issue) => issue.rule === FOLDER_UNREADABLE);
  if (unreadable.length > 0) {
    report.issues.push(...unreadable);
    const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more folder${unreadable.length > 2 ? 's' : ''})` : '';
    report.failure = `${unreadable[0]!.file === '.' ? '' : `${unreadable[0]!.file}: `}${unreadable[0]!.message}${more}; the previous publication stays`;
    return finish();
  }
  report.storeRead = true;
  report.accepted = collected.accepted;
  report.drafts = collected.drafts;
  report.scheduled = collected.scheduled;
  if (collected.nextEmbargo) report.nextEmbargo = collected.nextEmbargo.toISOString();
  for (const issue of collected.issues) {
    if (isError(issue)) {
      const rejection: Rejection = { file: issue.file, reason: issue.message, rule: issue.rule };
      if (issue.line !== undefined) rejection.line = issue.line;
      // Where a line alone says little: a JSON article exported on one line.
      if (issue.line !== undefined && issue.column !== undefined) rejection.column = issue.column;
      report.rejected.push(rejection);
    } else report.issues.push(issue);
  }
  report.issues.push(...collected.blocking);
  // An empty store where the last publication carried items is far more often a mount point with nothing mounted, or
  // every file broken at once, than a newsroom withdrawing everything: publishing would empty every feed, answer 410
  // for every tag feed (readers unsubscribe) and remove the archive pages. Doing it on purpose takes --allow-empty.
  if (collected.accepted === 0 && !options.allowEmpty) {
    const carried = await lastCarried(previousManifest, target);
    if (carried) {
      const store = `the article store ${config.articles}`;
      const rejected = report.rejected.length;
      const why = rejected > 0 ? `every article of ${store} was rejected (${rejected})` : `${store} holds no article to publish`;
      const message = `${why}, and the last publication's ${carried.path} carried ${carried.items} item${carried.items === 1 ? '' : 's'}; to empty the feeds on purpose, build with --allow-empty`;
      report.issues.push({ rule: STORE_EMPTIED, level: 'error', file: '.', message });
      report.failure = `${message}; the previous publication stays`;
      refused();
      return finish();
    }
  }
  const documents = openDocuments(config.out, join(config.out, DOCUMENT_CACHE_FILE), (entry) => stampOf.get(entry));
  await neverDatedBack(feeds, documents, previousManifest, target, options.now);
  report.issues.push(...feeds.filter(({ group, feed }) => group !== 'main' && !feed.site.podcast && feed.entries.length === 0).map(({ feed }): Issue => ({
    rule: 'feed-empty', level: 'warning', file: feedFilePath(feed.site.folder ?? '', FEED_FILES.rss),
    message: `the feed ${feed.site.folder} selects no article: it is published empty (its "select" names a folder, tag or language no published article has?)`,
  })));
  if (stopped()) return finish();

  // 3. Render every feed in its three formats; one made from exactly what made its published bytes is taken from out/.
  // Each document within its byte budget: a trimmed feed carries fewer entries or summaries (render/budget.ts), and is
  // rendered again next time rather than reused, so its report is never lost. Feeds are rendered in order, as the gate asks for them (4.).
  const budgeted: Budgeted[] = [];
  const rendered: Rendered[] = [];
  const renderFeed = (i: number): void => {
    const { feed, maxBytes } = feeds[i]!;
    const result = fitBudget(feed, maxBytes, documents.reuse(feed, publishedHash) ?? renderAll(feed));
    if (!result.trimmed) documents.remember(feed, result.bytes, sha256);
    for (const issue of budgetIssues(result, feed.site.folder ?? '', maxBytes)) {
      if (isError(issue)) report.rejected.push({ file: issue.file, reason: issue.message, rule: issue.rule });
      else report.issues.push(issue);
    }
    feeds[i]!.feed = result.feed;
    budgeted[i] = result;
    rendered[i] = result.bytes;
  };
  // Archive pages likewise: a page is rendered when something that goes into it changed, else left as published, unread.
  const pageDocs: PageDocs[][] = feeds.map(({ pages }) => (pages ?? []).map(({ page, fingerprint, known }) => {
    if (known) pageCache.remember(page, fingerprint, known);
    return known ?? { sha256: { rss: '', atom: '', json: '' }, chain: {} as PageDocs['chain'] };
  }));
  // A rendered page's bytes go to the spool at once, and to the gate; the publication reads them back from the spool.
  const renderPage = ({ page, fingerprint, feed }: CollectedPage): { docs: PageDocs; bytes: Record<Format, Buffer> } => {
    const bytes = renderAll(feed!());
    const docs: Required<PageDocs> = { spooled: {} as Required<PageDocs>['spooled'], sha256: { rss: '', atom: '', json: '' }, chain: {} as PageDocs['chain'] };
    for (const format of FORMATS) {
      docs.sha256[format] = sha256(bytes[format]);
      docs.chain[format] = chainDocOf(format, page.paths[format], bytes[format]);
      docs.spooled[format] = { bytes: bytes[format].byteLength, load: spool.put(bytes[format]) };
    }
    pageCache.remember(page, fingerprint, docs);
    return { docs, bytes };
  };

  // What collecting left is garbage: freed, and the heap compacted, before the gate's threads grow their own heaps (heap.ts).
  collectNow({ compact: true });

  // 4. Validate each feed: each document, the three together, and each against what readers
  // already have. Bytes identical to the current publication passed this same gate when they
  // were published, so a feed whose bytes did not change is not parsed again. A feed is rendered
  // when the gate asks for it, and its changed documents are compressed on another thread while
  // the gate validates them: the publication of a 100k store's set (39 feeds) then took ~0.5 s
  // instead of 2.1-2.4 s. Hundreds of checks (archive pages) are shared with worker threads (validate/check-feeds.ts).
  const checks: FeedCheck[] = [];
  const hashes = new Map<Uint8Array, string>();
  const toRender = feeds.reduce((n, { pages }) => n + (pages ?? []).filter((p) => !p.known).length, 0);
  // The .gz and .br bodies of each changed document, for the publication to write. Only while the gate keeps to the
  // main thread: with worker threads validating too, no CPU is left, and thousands of feeds' bodies would wait in memory.
  const aside = gateWorkers(feeds.length + toRender) === 0 ? openAside(feeds.length * FORMATS.length) : undefined;
  const compressed = new Map<Uint8Array, Promise<Compressed>>();
  async function* feedChecks(): AsyncGenerator<FeedCheck> {
    for (const i of feeds.keys()) {
      renderFeed(i);
      const { feed } = feeds[i]!;
      const folder = feed.site.folder ?? '';
      const bytes = rendered[i]!;
      const docs: FeedCheck['docs'] = [];
      for (const format of FORMATS) {
        const file = feedFilePath(folder, FEED_FILES[format]);
        const hash = sha256(bytes[format]);
        hashes.set(bytes[format], hash);
        const changed = publishedHash.get(file) !== hash;
        if (changed && aside) {
          const job = aside.compress(file, bytes[format]);
          // Failing, it fails the publication that asks for it; a build stopped before publishing never asks.
          job.catch(() => undefined);
          compressed.set(bytes[format], job);
        }
        const previous = changed ? await target.readPublished(previousManifest, file) : undefined;
        // A podcast's RSS must also meet Apple Podcasts' requirements (the APPLE-* rules).
        const profile = format === 'rss' && feed.site.podcast ? { profile: 'apple-podcasts' as const } : {};
        // Published as it is: validated when it was, and again only when what that found is not known.
        const recheck = !changed && !documents.findings(file, hash);
        docs.push({ format, file, bytes: bytes[format], changed, ...(previous ? { previous } : {}), ...profile, ...(recheck ? { recheck } : {}) });
      }
      // Left out for the budget is announced too, like a retraction; a rejected article's departure, by its rejection.
      const left = [...budgeted[i]!.dropped, ...budgeted[i]!.oversize].map((e) => e.id);
      // Still published past the window (its date moved it there): sent to the checking thread only when the feed changed.
      const beyond = docs.some((d) => d.changed && d.previous) ? feeds[i]!.beyond ?? [] : [];
      const departures = { announced: [...retracted, ...left, ...rejectedIds], limit: feeds[i]!.limit, beyond };
      const check: FeedCheck = { docs, limit: feeds[i]!.limit, retracted: [...retracted, ...left], idPrefix: config.idPrefix, ...(feeds[i]!.everything ? { departures } : {}) };
      checks.push(check);
      yield check;
    }
  }
  // Each archive page to render is checked like a feed: each changed document, against its previous bytes, the three
  // together. A page is rendered when a thread of the gate asks for it, so pages are validated while the next render.
  async function* pageChecks(): AsyncGenerator<FeedCheck> {
    let pagesRendered = 0;
    for (const [i, { pages }] of feeds.entries()) {
      for (const [k, collectedPage] of (pages ?? []).entries()) {
        if (collectedPage.known) continue;
        // What rendering and checking pages leave behind reaches V8's old generation, which it lets grow
        // by hundreds of MB before collecting (100k store, default set: a peak of 0.70-0.79 GB, in the
        // gate); a full collection every 128 pages (~0.1 s each) kept it at 0.59-0.62 GB.
        if (++pagesRendered % PAGES_PER_COLLECTION === 0) collectNow();
        const { page } = collectedPage;
        const { docs: made, bytes: pageBytes } = renderPage(collectedPage);
        pageDocs[i]![k] = made;
        const hashOf = made.sha256;
        const docs: FeedCheck['docs'] = [];
        for (const format of FORMATS) {
          const bytes = pageBytes[format];
          const changed = publishedHash.get(page.paths[format]) !== hashOf[format];
          const previous = changed ? await target.readPublished(previousManifest, page.paths[format]) : undefined;
          docs.push({ format, file: page.paths[format], bytes, changed, ...(previous ? { previous } : {}) });
        }
        yield { docs, cross: false, idPrefix: config.idPrefix };
      }
    }
  }
  async function* everyCheck(): AsyncGenerator<FeedCheck> {
    yield* feedChecks();
    yield* pageChecks();
  }
  const found = await checkFeeds(everyCheck(), feeds.length + toRender, { collects: toRender === 0 });
  // A finding in a page names its article too: the page is made again (its entries are not kept), only when one has a finding.
  const pagesByPath = new Map(feeds.flatMap(({ pages }) => (pages ?? []).flatMap((p) => FORMATS.map((f) => [p.page.paths[f], p] as const))));
  const remade = new Map<CollectedPage, { feed: Feed; docs: FeedCheck['docs'] }>();
  report.issues.push(...found.slice(feeds.length).flat().map((issue) => {
    const collectedPage = pagesByPath.get(issue.file);
    if (!collectedPage?.feed || (issue.line === undefined && issue.pointer === undefined)) return issue;
    let page = remade.get(collectedPage);
    if (!page) {
      const feed = collectedPage.feed();
      const bytes = renderAll(feed);
      page = { feed, docs: FORMATS.map((format) => ({ format, file: collectedPage.page.paths[format], bytes: bytes[format], changed: true })) };
      remade.set(collectedPage, page);
    }
    return namingArticle(issue, page.feed, page.docs);
  }));
  // And each feed's chain, walked as a backfilling client does.
  report.issues.push(...await checkArchives(feeds.map(({ feed, pages }, i) => ({ feed, pages: (pages ?? []).map((p) => p.page), bytes: rendered[i]!, pageDocs: pageDocs[i]! })), {
    feedBaseUrl: config.feedBaseUrl, published: publishedHash, readPublished: (path) => target.readPublished(previousManifest, path), announced: new Set(retracted),
    publishedPageSize: (folder) => pageCache.publishedPageSize(folder),
  }));
  for (const [i, { group, feed }] of feeds.entries()) {
    const issues = found[i]!.map((issue) => namingArticle(issue, feed, checks[i]!.docs));
    report.issues.push(...issues);
    for (const doc of checks[i]!.docs) {
      const mine = issues.filter((x) => x.file === doc.file);
      const hash = hashes.get(doc.bytes)!;
      const validated = doc.changed || doc.recheck;
      const findings = (!validated && documents.findings(doc.file, hash)) || { errors: mine.filter(isError).length, warnings: mine.filter((x) => x.level === 'warning').length };
      documents.recordFindings(doc.file, hash, findings);
      report.feeds.push({
        feed: feed.site.folder ?? '',
        group,
        format: doc.format,
        path: join(config.out, doc.file),
        items: feed.entries.length,
        bytes: doc.bytes.byteLength,
        sha256: hash,
        changed: false,
        ...(previousManifest && !publishedHash.has(doc.file) ? { added: true as const } : {}),
        ...findings,
      });
    }
  }
  report.issues.push(...await movedPodcasts(feeds, previousManifest, target));
  const errors = report.issues.filter(isError);
  if (errors.length > 0) {
    report.failure = `${errors.length} validation error${errors.length === 1 ? '' : 's'}; the previous publication stays`;
    refused();
    return finish();
  }
  if (stopped()) return finish();

  // 5. Publish the whole set as one publication: every feed of this build, or none. The documents the gate
  // parsed are garbage, freed before the compression threads start.
  collectNow({ compact: true });
  const main = feeds.find(({ group }) => group === 'main');
  const outputs: PublishFile[] = [];
  for (const [i, { feed }] of feeds.entries()) {
    const folder = feed.site.folder ?? '';
    for (const format of FORMATS) {
      const data = rendered[i]![format];
      const job = compressed.get(data);
      outputs.push({ path: feedFilePath(folder, FEED_FILES[format]), mediaType: MEDIA_TYPES[format], data, selfUrl: feed.site.links[format], ...(job ? { compressed: () => job } : {}) });
    }
    if (folder !== '') outputs.push({ path: feedFilePath(folder, INDEX_FILE), mediaType: 'text/html; charset=utf-8', data: utf8(renderIndexHtml(feed, { timeZone: config.timezone, interfaceLanguage: config.language })), selfUrl: feed.site.links.html });
    for (const [k, { page }] of (feeds[i]!.pages ?? []).entries()) {
      const docs = pageDocs[i]![k]!;
      for (const format of FORMATS) {
        const common = { path: page.paths[format], mediaType: MEDIA_TYPES[format], selfUrl: page.site.links[format], ...(page.immutable ? { immutable: true } : {}) };
        // A page left as published was found intact (by size) a moment ago; if the publisher finds it damaged now, the next build renders it.
        const damaged = (): Uint8Array => {
          pageCache.forget();
          throw new Error('its published copy was damaged during the build; the next build renders it again');
        };
        outputs.push({ ...common, sha256: docs.sha256[format], ...(docs.spooled?.[format] ?? { load: damaged }) });
      }
    }
  }
  const home = main?.feed ?? toFeed(site, []);
  outputs.push(
    { path: INDEX_FILE, mediaType: 'text/html; charset=utf-8', data: utf8(renderIndexHtml(home, { directory: feeds, alternates: main !== undefined, timeZone: config.timezone, interfaceLanguage: config.language })), selfUrl: site.links.html },
    { path: STYLESHEET_FILE, mediaType: 'text/xsl; charset=utf-8', data: utf8(renderFeedXsl(site)), selfUrl: site.links.xsl },
    { path: OPML_FILE, mediaType: 'text/x-opml; charset=utf-8', data: utf8(renderOpml(site, feeds)), selfUrl: new URL(OPML_FILE, config.feedBaseUrl).href },
  );
  // A feed of the last publication that no article falls in now, while some article is rejected, may have lost its
  // articles to the rejection (a file caught half-written by a sync): its last publication stays, rather than a 410
  // that makes its readers unsubscribe for good. Once the store builds without rejections, a feed still empty goes.
  if (report.rejected.length > 0 && previousManifest) {
    const files = new Map(previousManifest.files.map((f) => [f.path, f]));
    const vanished = vanishedFeeds([...files.keys()], feeds.map(({ feed }) => feed.site.folder ?? ''), config.moved?.map((m) => m.from));
    for (const [folder, paths] of vanished) {
      const kept: PublishFile[] = [];
      for (const path of paths) {
        const data = await target.readPublished(previousManifest, path);
        const entry = files.get(path)!;
        if (data) kept.push({ path, mediaType: entry.mediaType, data, ...(previousManifest.selfUrls[path] ? { selfUrl: previousManifest.selfUrls[path] } : {}), ...(entry.immutable ? { immutable: true } : {}) });
      }
      if (kept.length !== paths.length) continue;
      outputs.push(...kept);
      const n = report.rejected.length;
      report.issues.push({
        rule: 'feed-kept-while-rejected', level: 'warning', file: feedFilePath(folder, FEED_FILES.rss),
        message: `${folder} has no article in this build while ${n} article${n === 1 ? ' is' : 's are'} rejected: its last publication stays, rather than a 410 that would make its readers unsubscribe, until the store builds without rejections`,
      });
    }
  }
  if (!(await lock.stillHeld())) {
    report.failure = 'the lease was lost before publishing; another instance takes over';
    return finish();
  }
  // The pings this publication will owe are recorded before it goes live, so a run killed before pinging leaves them to the next.
  const owing = config.hubs.length > 0
    ? addOwed(owedBefore, feeds.flatMap(({ feed }, i) => checks[i]!.docs.filter((d) => d.changed).map((d) => feed.site.links[d.format])), new Date())
    : undefined;
  await recordOwed(owing);
  const previousPaths = [...(previousManifest?.files.map((f) => f.path) ?? []), ...(previousManifest?.moved?.map((m) => m.path) ?? [])];
  const moved = movedFeeds(config, feeds.map(({ feed }) => feed.site.folder ?? ''), config.file, previousPaths, new Set(outputs.map((o) => o.path)), previousManifest?.gone.map((g) => g.path));
  report.issues.push(...moved.issues);
  const published = await target.publish(outputs, {
    maxAge: config.ttlMinutes * 60, hubs: config.hubs, now: options.now, moved: moved.value,
    ...(lock.fence !== undefined ? { fence: lock.fence } : {}), ...(signal ? { signal } : {}),
  });
  if (!published.value) {
    report.issues.push(...published.issues);
    // A write cut off because the lease was lost (the database session ended) is the lease's failure, not the target's.
    report.failure = lock.lost?.aborted
      ? `the lease was lost while publishing (${(lock.lost.reason as Error | undefined)?.message ?? 'the database session ended'}); another instance takes over`
      : published.issues[0]?.message ?? 'publishing failed';
    await recordOwed(owedBefore);
    return finish();
  }
  report.published = true;
  report.issues.push(...published.issues);
  // Its readers unsubscribe at the 410 they get from now on: a renamed tag loses them without a word otherwise.
  report.issues.push(...feedGoneIssues(goneFeeds(published.value.gone)));
  for (const { feed } of feeds) documents.recordUpdated(feed.site.folder ?? '', feed.updated);
  documents.save();
  pageCache.save();
  saveKeptIds(join(config.out, KEPT_IDS_FILE), collected.keptIds);
  saveTombstoned(join(config.out, TOMBSTONED_FILE), tombstoned, retracted, feeds.flatMap(({ feed }) => (feed.tombstones ?? []).map((t) => t.ref)));
  // A file found damaged on disk and written again with its bytes is no news: reported as repaired, no hub told.
  const repaired = new Set(published.value.repaired);
  const changed = new Set(published.value.changed.filter((path) => !repaired.has(path)));
  for (const f of report.feeds) {
    const path = feedFilePath(f.feed, FEED_FILES[f.format]);
    f.changed = changed.has(path);
    if (repaired.has(path)) f.repaired = true;
  }
  for (const { feed, pages } of feeds) {
    if (pages === undefined) continue;
    const written = pages.reduce((n, { page }) => n + FORMATS.filter((f) => changed.has(page.paths[f])).length, 0);
    (report.archives ??= []).push({ feed: feed.site.folder ?? '', pages: pages.length, written });
  }

  // The next builds with the same inputs repeat this report, as long as nothing is due.
  // Not when an article was rejected for what may pass next time with the same stats (a failed read, a render out of time).
  if (inputs && published.value.changed.length === 0 && published.value.gone.length === 0 && report.failure === undefined
    && !report.rejected.some(mayPassNextTime)) {
    // Keyed by the manifest now live, as the next build will read it.
    recordLastBuild(lastBuildFile, { ...inputs, manifest: manifestKey(await target.readManifest()) }, collected.until, { ...report, durationMs: 0 });
  }

  await options.onPublished?.();

  // 6. Tell the hubs, one topic per feed document whose bytes changed, and only those, plus what earlier runs still
  // owe; a hub failure never fails the build, and its topics stay owed to the next run.
  const topics = feeds.flatMap(({ feed }) => FORMATS.filter((f) => changed.has(feedFilePath(feed.site.folder ?? '', FEED_FILES[f]))).map((f) => feed.site.links[f]));
  await pingOwed(addOwed(owing, topics, new Date()), topics);
  return finish();
}

/**
 * A podcast declared in a new folder, with the guid its URL gives (none in the configuration), while a podcast of the
 * last publication is no longer published: most likely the show moved, and its guid with it. Its identity is the old guid (Podcasting 2.0), which
 * the gate compares only at one address; here, across the move.
 */
async function movedPodcasts(collected: CollectedSet['feeds'], manifest: Run['previousManifest'], target: Run['target']): Promise<Issue[]> {
  if (!manifest) return [];
  const fresh = collected.filter((c) => c.guidFromUrl && !manifest.files.some((x) => x.path === feedFilePath(c.feed.site.folder ?? '', FEED_FILES.rss))).map((c) => c.feed);
  if (fresh.length === 0) return [];
  const issues: Issue[] = [];
  for (const folder of vanishedFeeds(manifest.files.map((f) => f.path), collected.map((c) => c.feed.site.folder ?? '')).keys()) {
    const bytes = await target.readPublished(manifest, feedFilePath(folder, FEED_FILES.rss));
    const guid = bytes ? summarise('rss', bytes)?.podcastGuid : undefined;
    if (!guid) continue;
    for (const feed of fresh) {
      const rule = gateRules.podcastGuid;
      issues.push({
        rule: rule.id, level: rule.level, spec: rule.spec, file: feedFilePath(feed.site.folder ?? '', FEED_FILES.rss),
        message: rule.message({ detail: `the podcast ${feed.site.folder} is new and the podcast ${folder}, podcast:guid "${guid}", is no longer published: if the show moved, set "guid": "${guid}" under its "podcast" (and list ${folder} under "moved"), or podcast apps take it for a new show; if it is another show, give it a guid of its own` }),
      });
    }
  }
  return issues;
}

/**
 * A feed's `updated` never moves back from the one it was last published with: an article deleted or drafted, an
 * episode whose enclosure was removed, change the feed as much as a new one (RFC 4287 §4.2.15, "the most recent
 * instant in time when the entry or feed was modified in a way the publisher considers significant"; RSS 2.0's
 * lastBuildDate, "the last time the content of the channel changed"), and readers that skip a feed whose date went
 * back would miss that. The date is kept, not moved to the clock, so the same store gives the same bytes. An empty
 * feed never published is dated by the site's newest article, never 1970. What the last publication was dated with
 * comes from the document cache, or, once, from its Atom document.
 */
async function neverDatedBack(feeds: CollectedSet['feeds'], documents: Documents, manifest: Run['previousManifest'], target: Run['target'], now: Date): Promise<void> {
  let newest = 0;
  for (const { feed } of feeds) newest = Math.max(newest, feed.updated.getTime());
  const published = new Set(manifest?.files.map((f) => f.path));
  for (const f of feeds) {
    const folder = f.feed.site.folder ?? '';
    let last = documents.publishedUpdated(folder)?.getTime();
    const atom = feedFilePath(folder, FEED_FILES.atom);
    if (last === undefined && published.has(atom)) {
      const bytes = await target.readPublished(manifest, atom);
      last = bytes ? summarise('atom', bytes)?.updated : undefined;
    }
    // Never past this build's clock, though: a last publication dated later was built with a clock ahead (`--now`).
    const floor = Math.min(now.getTime(), last !== undefined && last > 0 ? last : f.feed.entries.length === 0 && f.feed.updated.getTime() === 0 ? newest : 0);
    if (floor > f.feed.updated.getTime()) f.feed = { ...f.feed, updated: new Date(floor) };
  }
}

/**
 * A finding inside an item of a feed document names the article it comes from: `feed.json:53:18` alone sends an
 * editor reading the generated file. The item is found by its JSON pointer, or by the line it starts on.
 */
export function namingArticle(issue: Issue, feed: Feed, docs: FeedCheck['docs']): Issue {
  const doc = docs.find((d) => d.file === issue.file);
  if (!doc) return issue;
  let index: number | undefined;
  const pointer = issue.pointer !== undefined ? /^\/items\/(\d+)(?:\/|$)/.exec(issue.pointer) : null;
  if (pointer) index = Number(pointer[1]);
  else if (issue.line !== undefined && doc.format !== 'json') {
    const items = summarise(doc.format, doc.bytes)?.items ?? [];
    for (const [k, item] of items.entries()) if (item.line !== undefined && item.line <= issue.line) index = k;
  }
  const entry = index === undefined ? undefined : feed.entries[index];
  return entry ? { ...issue, message: `${issue.message} (article ${entry.source.file})` } : issue;
}

const STORE_EMPTIED = 'store-emptied';

/** The first of the last publication's JSON subscription feeds (the cheapest to count) that carried items, if any did. */
async function lastCarried(manifest: Run['previousManifest'], target: Run['target']): Promise<{ path: string; items: number } | undefined> {
  for (const { path } of manifest?.files ?? []) {
    if (path !== FEED_FILES.json && !path.endsWith(`/${FEED_FILES.json}`)) continue;
    const bytes = await target.readPublished(manifest, path);
    const items = bytes ? (summarise('json', bytes)?.items.length ?? 0) : 0;
    if (items > 0) return { path, items };
  }
  return undefined;
}
