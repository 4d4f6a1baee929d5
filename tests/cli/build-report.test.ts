import { describe, expect, it } from 'vitest';
import { formatBuildReport, toJsonReport } from '../../src/cli/build-report.js';
import type { Config } from '../../src/config.js';
import type { BuildReport, FeedReport } from '../../src/pipeline.js';
import type { PingResult } from '../../src/publish/websub.js';

const report = (hubs: PingResult[]): BuildReport => ({
  published: true, feeds: [], accepted: 0, drafts: 0, scheduled: 0, rejected: [], issues: [], hubs, durationMs: 5,
});
const config = { out: '/srv/out', articles: '/srv/articles' } as Config;
const ping = (hub: string, n: number, ok: boolean, error?: string): PingResult => ({ hub, topic: `https://e.org/tags/t${n}/rss.xml`, ok, attempts: ok ? 1 : 0, ...(error ? { error } : {}) });

describe('build report', () => {
  it('sums up the pings of a whole feed set in one line per hub, with the first reason a ping failed', () => {
    const hubs = [
      ...Array.from({ length: 30 }, (_, i) => ping('https://hub.example/', i, true)),
      ...Array.from({ length: 30 }, (_, i) => ping('https://down.example/', i, false, 'ECONNREFUSED')),
      ping('https://flaky.example/', 1, true),
      ping('https://flaky.example/', 2, false, 'HTTP 503'),
    ];
    const text = formatBuildReport(report(hubs), config, { color: false });
    const lines = text.split('\n').filter((l) => l.includes(' hub '));
    expect(lines).toEqual([
      '  hub https://hub.example/: notified of 30 feeds',
      '  hub https://down.example/: failed (ECONNREFUSED)',
      '  hub https://flaky.example/: notified of 1 feed, 1 failed (HTTP 503)',
    ]);
  });

  it('tells a finding found alike in many files once, counting the other files, and each of a few on its own line', () => {
    const icon = (n: number) => ({ rule: 'JF-TOP-012', level: 'warning' as const, file: `tags/t${n}/feed.json`, message: 'no icon', pointer: '' });
    const issues = [
      { rule: 'store-many-tags', level: 'warning' as const, file: 'keywords.md', line: 4, message: '3000 tags on one article' },
      ...Array.from({ length: 3000 }, (_, n) => icon(n)),
      { rule: 'JF-TOP-012', level: 'warning' as const, file: 'podcast/feed.json', message: 'no favicon', pointer: '' },
      { rule: 'JF-TOP-012', level: 'warning' as const, file: 'x/feed.json', message: 'no favicon', pointer: '' },
    ];
    const text = formatBuildReport({ ...report([]), issues }, config, { color: false });
    const problems = text.slice(text.indexOf('Problems'), text.indexOf('Published'));
    expect(problems.split('\n').filter(Boolean)).toEqual([
      'Problems (3003):',
      '  keywords.md:4 warning store-many-tags 3000 tags on one article',
      '  tags/t0/feed.json:/ warning JF-TOP-012 no icon',
      '    and the same in 2999 other files: tags/t1/feed.json, tags/t2/feed.json, tags/t3/feed.json, … (see --json)',
      '  podcast/feed.json:/ warning JF-TOP-012 no favicon',
      '  x/feed.json:/ warning JF-TOP-012 no favicon',
    ]);
  });

  it('counts rejected articles, not reasons: an article too large for two feeds is one article, listed under each reason', () => {
    const over = (feed: string) => ({ file: 'big.md', reason: `too large for ${feed}`, rule: 'feed-article-over-budget' });
    const rejected = [over('rss.xml'), over('tags/x/rss.xml'), { file: 'bad.md', line: 2, reason: 'bad YAML', rule: 'store-bad-yaml' }];
    const text = formatBuildReport({ ...report([]), storeRead: true, accepted: 7, rejected }, config, { color: false });
    expect(text).toMatch(/Articles in \S*articles\/: 7 accepted, 2 rejected\n/);
    expect(text).toContain('Rejected articles (2), everything else was kept:');
    expect(text.split('\n').filter((l) => l.startsWith('  big.md  too large'))).toHaveLength(2);
  });

  it('places a rejected article at its column too when known: a JSON article exported on one line says little by its line', () => {
    const rejected = [{ file: 'export.json', line: 1, column: 480, reason: "not valid JSON: expected a value, found 't'", rule: 'store-bad-json' }, { file: 'bad.md', line: 2, reason: 'bad YAML', rule: 'store-bad-yaml' }];
    const text = formatBuildReport({ ...report([]), storeRead: true, accepted: 7, rejected }, config, { color: false });
    expect(text).toContain("  export.json:1:480  not valid JSON: expected a value, found 't'  [store-bad-json]");
    expect(text).toContain('  bad.md:2  bad YAML  [store-bad-yaml]');
    expect((toJsonReport({ ...report([]), rejected }) as { rejected: unknown[] }).rejected).toEqual([
      { file: 'export.json', line: 1, column: 480, reason: "not valid JSON: expected a value, found 't'", rule: 'store-bad-json' },
      { file: 'bad.md', line: 2, reason: 'bad YAML', rule: 'store-bad-yaml' },
    ]);
  });

  it('gives no article counts when the build stopped before reading the store: "0 accepted" would read as an emptied store', () => {
    const failed = { ...report([]), published: false, failure: 'cannot create the lock /srv/out/.kiosque/lock: permission denied' };
    expect(formatBuildReport(failed, config, { color: false })).not.toMatch(/accepted/);
    expect(formatBuildReport({ ...failed, storeRead: true }, config, { color: false })).toMatch(/0 accepted, 0 rejected/);
  });

  it('lines up the item counts of the feeds it lists, one item or many', () => {
    const feed = (folder: string, file: string, items: number): FeedReport => ({
      feed: folder, group: folder === '' ? 'main' : 'tags', format: 'rss', path: `/srv/out/${folder}${file}`, items, bytes: 5000, sha256: 'ab'.repeat(32), changed: true, errors: 0, warnings: 0,
    });
    const feeds = [feed('', 'rss.xml', 50), feed('', 'atom.xml', 1), feed('tags/climat/', 'rss.xml', 1), feed('tags/économie/', 'rss.xml', 12), feed('tags/europe/', 'rss.xml', 120)];
    const text = formatBuildReport({ ...report([]), feeds }, config, { color: false });
    const counts = text.split('\n').filter((l) => / items? /.test(l)).map((l) => / (\d+) items? /.exec(l)!);
    expect(counts.map((m) => m[1])).toEqual(['50', '1', '1', '12', '120']);
    // The last digit of each count in the same column, for the main feed's files and for the others.
    const ends = counts.map((m) => m.index + 1 + m[1]!.length);
    expect(new Set(ends.slice(0, 2)).size).toBe(1);
    expect(new Set(ends.slice(2)).size).toBe(1);
  });
});
