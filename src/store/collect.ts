/**
 * The store stage as the pipeline calls it: heads of every article, selection, then the
 * bodies of only the newest `limit`, replacing any that turn out broken by the next ones.
 */
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import { selectColumns, type Candidate } from '../model/select.js';
import { articleUrl, siteFromConfig, toEntry, toFeed } from '../model/to-feed.js';
import type { Entry, Feed } from '../model/types.js';
import { VERSION } from '../version.js';
import type { ArticleBody } from '../model/records.js';
import { readBody } from './body.js';
import { readStore, type StoreStats } from './read.js';
import { createRenderer } from './render.js';
import { readState, sweepStateTemps, writeState } from './state.js';

const BODY_CACHE_FORMAT = 'kiosque-body-cache/1';

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

export type CollectOptions = { cacheFile?: string; maxBytes?: number; renderTimeoutMs?: number };

export type Collected = {
  feed: Feed;
  /** Valid, published articles found (within the limit or not). */
  accepted: number;
  drafts: number;
  /** Dated after `now`. */
  scheduled: number;
  nextEmbargo?: Date;
  issues: Issue[];
  stats: StoreStats & { rendered: number };
};

export async function collectFeed(config: Config, now: Date, opts: CollectOptions = {}): Promise<Collected> {
  const bodyCacheFile = opts.cacheFile ? opts.cacheFile.replace(/(\.json)?$/, '.bodies.json') : undefined;
  if (bodyCacheFile) sweepStateTemps(bodyCacheFile);
  const loaded = bodyCacheFile ? readState<BodyCache>(bodyCacheFile, BODY_CACHE_FORMAT) : undefined;
  const bodyCache = loaded && loaded.siteUrl === config.url ? loaded.entries : {};
  const nextBodyCache: BodyCache['entries'] = {};
  // Without rendered bodies to reuse, start the workers now so they load while the store is walked.
  const renderer = createRenderer({ ...(opts.renderTimeoutMs !== undefined ? { timeoutMs: opts.renderTimeoutMs } : {}), eager: Object.keys(bodyCache).length === 0 });
  try {
    const store = await readStore(config.articles, { ...(opts.cacheFile ? { cacheFile: opts.cacheFile } : {}), ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
    const selection = selectColumns(store.columns, config, now);
    const issues = [...store.issues, ...selection.issues];
    const entries: Entry[] = [];
    let rejected = 0;
    let rendered = 0;
    let next = 0;
    while (entries.length < config.limit && next < selection.count) {
      // Read the next batch of bodies together; broken ones are replaced by the following candidates.
      const batch: Candidate[] = selection.slice(next, next + (config.limit - entries.length));
      next += batch.length;
      const results = await Promise.all(batch.map(async (candidate) => {
        const file = candidate.head.file;
        const stamp = candidate.row === undefined ? undefined : store.stampAt(candidate.row);
        const hit = stamp !== undefined && Object.hasOwn(bodyCache, file) ? bodyCache[file] : undefined;
        if (hit && hit.stamp === stamp) {
          nextBodyCache[file] = hit;
          const entry = toEntry(candidate, { fields: hit.fields, lines: hit.lines, kind: 'html', text: '' }, hit.html, config);
          return { entry: entry.value, issues: [...hit.issues, ...entry.issues] };
        }
        const body = readBody(config.articles, file, opts.maxBytes);
        if (!body.value) return { issues: body.issues };
        const base = articleUrl(candidate, body.value, config) ?? config.url;
        const html = await renderer.render(body.value.text, body.value.kind, base);
        rendered++;
        if (!html.ok) {
          return { issues: [...body.issues, { rule: html.reason === 'timeout' ? 'store-too-complex' : 'store-render-failed', level: 'error' as const, file: candidate.head.file, message: `the body could not be rendered: ${html.message}` }] };
        }
        if (stamp !== undefined) nextBodyCache[file] = { stamp, fields: body.value.fields, lines: body.value.lines, html: html.html, issues: body.issues };
        const entry = toEntry(candidate, body.value, html.html, config);
        return { entry: entry.value, issues: [...body.issues, ...entry.issues] };
      }));
      for (const result of results) {
        issues.push(...result.issues);
        if (result.entry) entries.push(result.entry);
        else rejected++;
      }
    }
    if (bodyCacheFile && !sameKeys(bodyCache, nextBodyCache)) {
      try {
        const data: BodyCache = { format: BODY_CACHE_FORMAT, version: VERSION, siteUrl: config.url, entries: nextBodyCache };
        writeState(bodyCacheFile, data);
      } catch {
        // Only a missed shortcut: the store cache already reports an unwritable cache directory.
      }
    }
    const feed = toFeed(siteFromConfig(config, VERSION), entries);
    return {
      feed,
      accepted: selection.count - rejected,
      drafts: selection.drafts,
      scheduled: selection.scheduled,
      ...(selection.nextEmbargo ? { nextEmbargo: selection.nextEmbargo } : {}),
      issues,
      stats: { ...store.stats, rendered },
    };
  } finally {
    await renderer.close();
  }
}

function sameKeys(a: BodyCache['entries'], b: BodyCache['entries']): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && kb.every((k) => Object.hasOwn(a, k) && a[k]!.stamp === b[k]!.stamp);
}
