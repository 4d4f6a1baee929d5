/**
 * The gate every feed of the set passes before the set is published: each changed document
 * on its own, against what readers already have, and the feed's three formats together. Pure
 * per feed (`checkFeed`); hundreds of feeds or archive pages are checked on every CPU (the main
 * thread and worker threads), since they are independent.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Issue } from '../issue.js';
import type { Format } from '../model/types.js';
import { collectWhenGrown } from '../heap.js';
import { compiledWorker } from '../workers.js';
import { unannouncedDepartures } from './departures.js';
import { comparePrevious, crossCheck, rememberSummary } from './gate.js';
import { validateDocument, type Profile } from './validate.js';
import type { XmlDoc } from './xml.js';
import type { JsonDoc } from './json/doc.js';

/**
 * The three documents of one feed; `changed` ones are validated, and those published as they are whose findings
 * are not known (`recheck`); `previous` is what is published now.
 * `departures` is set for a feed that carries every article: an item leaving it left the site,
 * which must be announced (the ids in `announced`: retracted, or dropped for the byte budget), unless the
 * feed's `limit` pushed it out; `beyond` are the ids it still selects past its window (an article redated there).
 * `cross: false` skips comparing the formats' items (archive pages: the chain check compares their ids, without parsing them again).
 */
export type FeedCheck = {
  docs: { format: Format; file: string; bytes: Uint8Array; changed: boolean; previous?: Uint8Array; profile?: Profile; recheck?: true }[];
  departures?: { announced: string[]; limit: number; beyond?: string[] };
  /** The most items the feed carries, and the ids that left it on purpose (retracted, or left out for the budget): for the comparison with the last publication. */
  limit?: number;
  retracted?: string[];
  cross?: false;
  /** The configured id prefix: an id changed only in its prefix is told as an `idPrefix` edit, whatever the prefix's scheme. */
  idPrefix?: string;
};

export function checkFeed(check: FeedCheck): Issue[] {
  const issues: Issue[] = [];
  const context = { ...(check.limit !== undefined ? { limit: check.limit } : {}), ...(check.retracted ? { retracted: new Set(check.retracted) } : {}), ...(check.cross === false ? { page: true } : {}), ...(check.idPrefix !== undefined ? { idPrefix: check.idPrefix } : {}) };
  for (const doc of check.docs) {
    if (!doc.changed && !doc.recheck) continue;
    // What the comparisons below read of the document is taken from the validator's tree rather than parsed again.
    const summarised = check.cross !== false || doc.previous !== undefined || check.departures !== undefined;
    const parsed = summarised ? (tree: XmlDoc | JsonDoc): void => rememberSummary(doc.format, doc.bytes, tree) : undefined;
    issues.push(...validateDocument(doc.bytes, doc.file, { ...(doc.profile ? { profile: doc.profile } : {}), ...(parsed ? { parsed } : {}) }).issues);
    if (doc.previous) issues.push(...comparePrevious(doc.format, doc.previous, doc.bytes, doc.file, context));
  }
  if (check.cross !== false && check.docs.some((d) => d.changed)) issues.push(...crossCheck(check.docs.map((d) => ({ format: d.format, file: d.file, bytes: d.bytes }))));
  // The three formats carry the same items (crossCheck): one is enough to tell what left, Atom by preference.
  const compared = check.departures && [...check.docs].sort((a, b) => Number(b.format === 'atom') - Number(a.format === 'atom')).find((d) => d.changed && d.previous);
  if (compared) {
    const { announced, limit, beyond } = check.departures!;
    issues.push(...unannouncedDepartures(compared.format, compared.previous!, compared.bytes, compared.file, new Set(announced), limit, new Set(beyond)));
  }
  return issues;
}

/** Feeds queued per worker. */
const IN_FLIGHT = 4;

/**
 * Checks per worker thread. A worker loads the validators (~0.2 s) and warms them up in an isolate of its
 * own, with compiler threads of its own. Measured on a 100k store, 2 CPUs: the set's 39 feeds (117 documents)
 * took as long with one as without (2.7-3.0 s with the feeds' rendering), and 60 MB more; the main feed's 978
 * archive pages 25.1 s with one, 38.0 s without.
 */
const PARALLEL_FEEDS = 100;

/** The worker threads `checkFeeds` starts for `count` checks (besides the main thread). */
export function gateWorkers(count: number): number {
  return count >= PARALLEL_FEEDS ? Math.min(availableParallelism() - 1, Math.ceil(count / PARALLEL_FEEDS)) : 0;
}

/**
 * Checks every feed; the result lists each feed's issues, in the order given, whichever thread
 * checked it. The main thread takes feeds from the same queue as the workers (one fewer heap
 * than CPUs). A worker that fails leaves its feeds to the main thread: the gate never gets weaker.
 *
 * `checks` may be made as they are taken (`count` of them): a build renders each archive page
 * when a thread asks for it, so the workers validate pages while the main thread renders the
 * next ones, instead of waiting for all of them.
 *
 * With `collects` (the default), each thread collects its garbage when its heap has grown
 * (heap.ts `collectWhenGrown`): the feed set's ~120 full-content documents. Without, V8 decides:
 * a build with archive pages collects on its own terms, and collecting as the checker's heap
 * grew made the main feed's build with its 978 pages 51.9 s instead of 37.7 s (100k store).
 */
export async function checkFeeds(checks: Iterable<FeedCheck> | AsyncIterable<FeedCheck>, count = Array.isArray(checks) ? checks.length : 0, options: { collects?: boolean } = {}): Promise<Issue[][]> {
  const source: AsyncIterator<FeedCheck> | Iterator<FeedCheck> = Symbol.asyncIterator in checks ? checks[Symbol.asyncIterator]() : checks[Symbol.iterator]();
  // A check is let go once answered: an archive build's pages would otherwise all be held until the last is checked.
  const taken: (FeedCheck | undefined)[] = [];
  const results: (Issue[] | undefined)[] = [];
  // One taker at a time: a source that renders must not be asked twice at once.
  let taking: Promise<unknown> = Promise.resolve();
  let done = false;
  /** The next check that needs validating (its index), or undefined once the source is spent. */
  const take = (): Promise<number | undefined> => {
    const next = taking.then(async () => {
      while (!done) {
        const step = await source.next();
        if (step.done) {
          done = true;
          break;
        }
        const i = taken.push(step.value) - 1;
        if (step.value.docs.some((d) => d.changed || d.recheck)) return i;
        results[i] = [];
        taken[i] = undefined;
      }
      return undefined;
    });
    taking = next;
    return next;
  };
  const collects = options.collects !== false;
  const url = compiledWorker('check-feeds-worker.js', import.meta.url);
  const workers = url ? gateWorkers(count) : 0;
  const runWorker = (): Promise<void> => new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url!, { workerData: { collects } });
    } catch {
      resolve();
      return;
    }
    // Feeds sent and not answered yet, in order. A worker's answer waits for the main thread, itself busy
    // checking a feed (or collecting garbage): with a few feeds queued, the worker starts the next meanwhile
    // instead of idling (a quarter of its time on 3,000 archive pages with one in flight).
    const inFlight: number[] = [];
    let filling = false;
    const send = async (): Promise<void> => {
      if (filling) return;
      filling = true;
      while (inFlight.length < IN_FLIGHT) {
        // A source that fails fails the main thread's turn too, which reports it.
        const i = await take().catch(() => undefined);
        if (i === undefined) break;
        inFlight.push(i);
        worker.postMessage(taken[i]);
      }
      filling = false;
      if (inFlight.length === 0) void worker.terminate().then(() => resolve());
    };
    worker.on('message', (issues: Issue[]) => {
      const i = inFlight.shift()!;
      results[i] = issues;
      taken[i] = undefined;
      void send();
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
    void send();
  });
  const runHere = async (): Promise<void> => {
    for (let i = await take(); i !== undefined; i = await take()) {
      results[i] = checkFeed(taken[i]!);
      taken[i] = undefined;
      if (collects) collectWhenGrown();
      // Let the workers' messages in between two feeds.
      await new Promise((r) => setImmediate(r));
    }
  };
  await Promise.all([...Array.from({ length: workers }, runWorker), runHere()]);
  // What a failed worker had in flight is checked here.
  return taken.map((check, i) => results[i] ?? checkFeed(check!));
}
