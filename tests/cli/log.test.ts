import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, runLogEvent } from '../../src/cli/log.js';
import type { BuildReport } from '../../src/pipeline.js';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += chunk.toString(); done(); } }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

const clock = () => new Date('2026-11-25T12:34:56.789Z');

describe('service logs', () => {
  it('write one JSON object per line when stdout is not a terminal', () => {
    const out = sink(false);
    const log = createLogger(out.stream, clock);
    log({ event: 'published', changed: ['rss'], durationMs: 12 });
    log({ event: 'run-failed', reason: 'validation errors' });
    const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { time: '2026-11-25T12:34:56.789Z', event: 'published', changed: ['rss'], durationMs: 12 },
      { time: '2026-11-25T12:34:56.789Z', event: 'run-failed', reason: 'validation errors' },
    ]);
  });

  it('write short readable lines for a person at a terminal', () => {
    const out = sink(true);
    createLogger(out.stream, clock)({ event: 'published', changed: ['rss', 'atom'], durationMs: 12 });
    expect(out.text()).toBe('12:34:56 published changed=["rss","atom"] durationMs=12\n');
  });

  it('name a run\'s problems, errors first then warnings, at most five: a warning said once (a feed no longer published) reaches the service log', () => {
    const issue = (level: 'error' | 'warning', n: number) => ({ rule: `R-${n}`, level, file: `f${n}.md`, line: n, message: `m${n}` });
    const report = { published: true, feeds: [], rejected: [], hubs: [], durationMs: 1, issues: [issue('warning', 1), issue('error', 2), ...[3, 4, 5, 6, 7].map((n) => issue('warning', n))] } as unknown as BuildReport;
    const event = runLogEvent(report, 'schedule');
    expect(event).toMatchObject({ event: 'published', errors: 1, warnings: 6 });
    expect(event['problems']).toEqual(['f2.md:2 R-2 m2', 'f1.md:1 R-1 m1', 'f3.md:3 R-3 m3', 'f4.md:4 R-4 m4', 'f5.md:5 R-5 m5']);
    expect(runLogEvent({ ...report, issues: [] }, 'schedule')).not.toHaveProperty('problems');
  });

  it('mark a publication with nothing new as unchanged, and name the feeds new in it, ten at most', () => {
    const feed = (folder: string, changed: boolean, added = false) => ({ feed: folder, format: 'rss', changed, ...(added ? { added: true } : {}) });
    const base = { published: true, rejected: [], hubs: [], durationMs: 1, issues: [] };
    const quiet = runLogEvent({ ...base, feeds: [feed('', false), feed('tags/a/', false)] } as unknown as BuildReport, 'schedule');
    expect(quiet).toMatchObject({ event: 'published', unchanged: true, feedsChanged: 0 });
    expect(quiet).not.toHaveProperty('feedsAdded');
    const grown = runLogEvent({ ...base, feeds: [feed('', true), feed('tags/soak/', true, true), feed('tags/soak/', true, true), feed('tags/endurance/', true, true)] } as unknown as BuildReport, 'schedule');
    expect(grown).not.toHaveProperty('unchanged');
    expect(grown['feedsAdded']).toEqual(['tags/soak/', 'tags/endurance/']);
    const first = runLogEvent({ ...base, feeds: Array.from({ length: 12 }, (_, i) => feed(`tags/t${i}/`, true, true)) } as unknown as BuildReport, 'schedule');
    expect(first['feedsAdded']).toEqual([...Array.from({ length: 10 }, (_, i) => `tags/t${i}/`), '… and 2 more']);
  });

  it('count a run that failed with no error issue (its output unwritable) as one error, its reason the first problem, so alerts on errors see it', () => {
    const report = {
      published: false, feeds: [], rejected: [], hubs: [], durationMs: 1, failure: 'cannot write out/.kiosque/spool: EACCES',
      issues: [{ rule: 'store-cache-unwritable', level: 'warning', file: 'out/.kiosque/store-cache.json', message: 'cannot write the cache (EACCES)' }],
    } as unknown as BuildReport;
    const event = runLogEvent(report, 'schedule');
    expect(event).toMatchObject({ event: 'run-failed', errors: 1, warnings: 1, reason: 'cannot write out/.kiosque/spool: EACCES' });
    expect(event['problems']).toEqual(['error cannot write out/.kiosque/spool: EACCES', 'out/.kiosque/store-cache.json store-cache-unwritable cannot write the cache (EACCES)']);
    // A run skipped for another's lease is no failure of this one.
    expect(runLogEvent({ ...report, skipped: {}, issues: [] } as BuildReport, 'schedule')).toMatchObject({ event: 'run-skipped', errors: 0 });
  });
});
