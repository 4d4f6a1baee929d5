import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkFeed, checkFeeds, gateWorkers, type FeedCheck } from '../../src/validate/check-feeds.js';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { basicFeed } from '../render/fixtures/feed.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function check(folder: string, broken = false): FeedCheck {
  const atom = renderAtom(basicFeed);
  return {
    docs: [
      { format: 'rss', file: `${folder}rss.xml`, bytes: bytes(renderRss(basicFeed)), changed: true },
      // A dropped closing tag: not well-formed, and no longer the same items as the other two.
      { format: 'atom', file: `${folder}atom.xml`, bytes: bytes(broken ? atom.replace('</feed>', '') : atom), changed: true },
      { format: 'json', file: `${folder}feed.json`, bytes: bytes(renderJson(basicFeed)), changed: true },
    ],
  };
}

describe('the gate of a feed set', () => {
  it('finds on worker threads exactly what the main thread finds, feed by feed, in order', async () => {
    // Enough feeds for a worker thread (a hundred each).
    const checks = Array.from({ length: 240 }, (_, i) => check(`tags/t${i}/`, i === 9));
    const found = await checkFeeds(checks);
    expect(found).toHaveLength(240);
    expect(found).toEqual(checks.map(checkFeed));
    expect(found[9]!.some((issue) => issue.level === 'error' && issue.file === 'tags/t9/atom.xml')).toBe(true);
    expect(found.filter((issues, i) => i !== 9).flat().filter((issue) => issue.level === 'error')).toEqual([]);
  });

  it('takes checks made on demand one at a time, each once, and answers them in the order they were made', async () => {
    const made: string[] = [];
    let busy = 0;
    let overlapped = false;
    // A plain async iterator, not a generator: nothing but checkFeeds keeps two requests from overlapping.
    const onDemand: AsyncIterable<FeedCheck> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<FeedCheck>> => {
          overlapped ||= busy > 0;
          busy++;
          // A page being rendered: other threads ask for more meanwhile.
          await new Promise((r) => setTimeout(r, 2));
          busy--;
          const i = made.length;
          if (i === 140) return { done: true, value: undefined };
          made.push(`archive/${i}/`);
          return { done: false, value: check(`archive/${i}/`, i === 4) };
        },
      }),
    };
    const found = await checkFeeds(onDemand, 140);
    expect(made).toEqual(Array.from({ length: 140 }, (_, i) => `archive/${i}/`));
    expect(overlapped).toBe(false);
    expect(found).toEqual(made.map((folder, i) => checkFeed(check(folder, i === 4))));
    expect(found[4]!.some((issue) => issue.level === 'error' && issue.file === 'archive/4/atom.xml')).toBe(true);
  });

  it('keeps a few dozen feeds on the main thread and shares hundreds of checks with worker threads', () => {
    // A feed set of 39 feeds: a second isolate would cost as much as it saves.
    expect(gateWorkers(39)).toBe(0);
    expect(gateWorkers(99)).toBe(0);
    // The main feed and its 978 archive pages: as many workers as the CPUs allow, one per hundred checks at most.
    expect(gateWorkers(979)).toBe(Math.min(availableParallelism() - 1, 10));
  });

  it('does not check a feed none of whose documents changed', async () => {
    const unchanged = check('tags/old/', true);
    for (const doc of unchanged.docs) doc.changed = false;
    expect(await checkFeeds([unchanged])).toEqual([[]]);
  });
});
