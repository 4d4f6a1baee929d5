/**
 * The store stage as the pipeline calls it: heads of every article, selection, then the
 * bodies of only the newest `limit`, replacing any that turn out broken by the next ones.
 */
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import { selectArticles, type Candidate } from '../model/select.js';
import { articleUrl, siteFromConfig, toEntry, toFeed } from '../model/to-feed.js';
import type { Entry, Feed } from '../model/types.js';
import { VERSION } from '../version.js';
import { readBody, readStore, type StoreStats } from './read.js';
import { createRenderer } from './render.js';

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
  const renderer = createRenderer(opts.renderTimeoutMs !== undefined ? { timeoutMs: opts.renderTimeoutMs } : {});
  try {
    const store = await readStore(config.articles, { ...(opts.cacheFile ? { cacheFile: opts.cacheFile } : {}), ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
    const selection = selectArticles(store.heads, config, now);
    const issues = [...store.issues, ...selection.issues];
    const entries: Entry[] = [];
    let rejected = 0;
    let rendered = 0;
    let next = 0;
    const { candidates } = selection;
    while (entries.length < config.limit && next < candidates.length) {
      // Read the next batch of bodies together; broken ones are replaced by the following candidates.
      const batch: Candidate[] = candidates.slice(next, next + (config.limit - entries.length));
      next += batch.length;
      const results = await Promise.all(batch.map(async (candidate) => {
        const body = readBody(config.articles, candidate.head.file, opts.maxBytes);
        if (!body.value) return { issues: body.issues };
        const base = articleUrl(candidate, body.value, config) ?? config.url;
        const html = await renderer.render(body.value.text, body.value.kind, base);
        rendered++;
        if (!html.ok) {
          return { issues: [...body.issues, { rule: html.reason === 'timeout' ? 'store-too-complex' : 'store-render-failed', level: 'error' as const, file: candidate.head.file, message: `the body could not be rendered: ${html.message}` }] };
        }
        const entry = toEntry(candidate, body.value, html.html, config);
        return { entry: entry.value, issues: [...body.issues, ...entry.issues] };
      }));
      for (const result of results) {
        issues.push(...result.issues);
        if (result.entry) entries.push(result.entry);
        else rejected++;
      }
    }
    const feed = toFeed(siteFromConfig(config, VERSION), entries);
    return {
      feed,
      accepted: candidates.length - rejected,
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
