/**
 * Byte budgets end to end, through the real CLI on a copy of the sample store: a feed over its
 * budget is published trimmed, under the budget and valid, with the report naming what was
 * trimmed; the gate does not take the entries left out for the budget as lost; an article too
 * large for the budget on its own is rejected by name while the rest is published.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { NOW, SITE, makeSite, runCli } from './run-cli.js';

type Report = {
  published: boolean;
  issues: { rule: string; level: string; file: string; message: string }[];
  rejected: { file: string; rule: string; reason: string }[];
  feeds: { feed: string; format: string; bytes: number; items: number; path: string }[];
};

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await makeSite(dir);
});
afterEach(() => cleanup());

const configure = (config: Record<string, unknown>): Promise<void> => writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, ...config }));
const build = async (): Promise<{ code: number | null; report: Report }> => {
  const r = await runCli(['build', '--json', '--now', NOW], { cwd: dir, timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};
const MAIN_ONLY = [{ path: '' }];

describe('a feed over its byte budget', () => {
  it('is published under the budget, valid, with the trimmed entries named, and the gate takes the drops as announced', async () => {
    await configure({ feeds: MAIN_ONLY });
    const before = await build();
    expect(before.report.published).toBe(true);
    const fullItems = before.report.feeds[0]!.items;
    expect(Math.max(...before.report.feeds.map((f) => f.bytes))).toBeGreaterThan(12_000);

    await configure({ feeds: MAIN_ONLY, maxBytes: 12_000 });
    const { code, report } = await build();
    expect(code).toBe(0);
    expect(report.published).toBe(true);
    for (const feed of report.feeds) {
      expect(feed.bytes, feed.format).toBeLessThanOrEqual(12_000);
      expect((await readFile(feed.path)).byteLength).toBe(feed.bytes);
    }
    // The same entries in the three documents, fewer than before: the oldest, the seed dispatch, was left out.
    const items = new Set(report.feeds.map((f) => f.items));
    expect([...items]).toHaveLength(1);
    expect([...items][0]).toBeLessThan(fullItems);
    const trimmed = report.issues.filter((i) => i.rule === 'feed-budget-trimmed');
    expect(trimmed.map((i) => i.file).sort()).toEqual(['atom.xml', 'feed.json', 'rss.xml']);
    expect(trimmed.every((i) => i.level === 'warning' && i.message.includes('left out (') && i.message.includes('2020/02/poutine-erdogan-idlib.md'))).toBe(true);
    expect((await readFile(join(dir, 'out/rss.xml'), 'utf8'))).not.toContain('poutine-erdogan-idlib');
    expect(report.issues.filter((i) => i.rule === 'KIOSQUE-GONE-001' || i.level === 'error')).toEqual([]);

    const validated = await runCli(['validate', '--json', 'out/rss.xml', 'out/atom.xml', 'out/feed.json'], { cwd: dir });
    expect(validated.code).toBe(0);
    const files = (JSON.parse(validated.stdout) as { files: { issues: { level: string }[] }[] }).files;
    expect(files.flatMap((f) => f.issues).filter((i) => i.level === 'error')).toEqual([]);

    // Nothing changed: the same bytes, and the trim is reported again.
    const again = await build();
    expect(again.report.feeds.map((f) => f.bytes)).toEqual(report.feeds.map((f) => f.bytes));
    expect(again.report.issues.filter((i) => i.rule === 'feed-budget-trimmed')).toHaveLength(3);
  });

  it('applies a feed specification\'s own maxBytes to that feed only', async () => {
    await configure({ feeds: [{ path: '' }, { path: 'europe/', select: { tags: 'Europe' }, maxBytes: 4000 }] });
    const { report } = await build();
    expect(report.published).toBe(true);
    const trimmed = new Set(report.issues.filter((i) => i.rule === 'feed-budget-trimmed').map((i) => i.file));
    expect([...trimmed].sort()).toEqual(['europe/atom.xml', 'europe/feed.json', 'europe/rss.xml']);
    expect(report.feeds.filter((f) => f.feed === 'europe/').every((f) => f.bytes <= 4000)).toBe(true);
  });
});

describe('an article larger than the budget on its own', () => {
  it('reaches subscribers with its summary, however new, and the build says which article', async () => {
    await configure({ feeds: MAIN_ONLY, maxBytes: 30_000 });
    await writeFile(join(dir, 'articles/2025/11/dossier-complet.md'), `---\ntitle: Le dossier complet\ndate: 2025-11-30T10:00:00+01:00\nsummary: Deux ans d’enquête, en entier.\n---\n\n${'Un paragraphe du dossier, très long. '.repeat(40)}\n\n`.repeat(30));
    const { code, report } = await build();
    expect(code).toBe(0);
    expect(report.published).toBe(true);
    expect(report.rejected).toEqual([]);
    expect(report.issues.filter((i) => i.rule === 'feed-article-summarised')).toEqual([expect.objectContaining({ file: '2025/11/dossier-complet.md', level: 'warning' })]);
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const text = await readFile(join(dir, 'out', file), 'utf8');
      expect(text, file).toContain('dossier-complet');
      expect(text, file).toContain('Deux ans d’enquête, en entier.');
      expect(text, file).not.toContain('Un paragraphe du dossier');
      expect(Buffer.byteLength(text), file).toBeLessThanOrEqual(30_000);
    }
  });

  it('is rejected with its file and reason when even its summary is too large, and every other article is published', async () => {
    await configure({ feeds: MAIN_ONLY, maxBytes: 30_000 });
    await writeFile(join(dir, 'articles/2025/10/dossier-complet.md'), `---\ntitle: Le dossier complet\ndate: 2025-10-31T10:00:00+01:00\nsummary: ${'Un résumé beaucoup trop long. '.repeat(1200)}\n---\n\nLe dossier.\n`);
    const { code, report } = await build();
    expect(code).toBe(2);
    expect(report.published).toBe(true);
    expect(report.rejected).toEqual([expect.objectContaining({ file: '2025/10/dossier-complet.md', rule: 'feed-article-over-budget' })]);
    expect(report.rejected[0]!.reason).toContain('budget of 30000 bytes');
    const rss = await readFile(join(dir, 'out/rss.xml'), 'utf8');
    expect(rss).not.toContain('dossier-complet');
    expect(rss).toContain('ecb-holds-rates');
  });
});

describe('a feed declared complete that does not fit its budget', () => {
  it('is published without fh:complete, with a warning, so readers never drop articles it had to leave out', async () => {
    await configure({ feeds: [{ path: '', archive: { complete: true } }] });
    const whole = await build();
    expect(whole.report.published).toBe(true);
    expect(await readFile(join(dir, 'out/atom.xml'), 'utf8')).toContain('<fh:complete/>');
    expect(whole.report.issues.filter((i) => i.rule === 'feed-complete-over-budget')).toEqual([]);

    await configure({ feeds: [{ path: '', archive: { complete: true } }], maxBytes: 12_000 });
    const { code, report } = await build();
    expect(code).toBe(0);
    expect(report.published).toBe(true);
    for (const file of ['out/atom.xml', 'out/rss.xml']) expect(await readFile(join(dir, file), 'utf8'), file).not.toContain('fh:complete');
    expect(report.issues.filter((i) => i.rule === 'feed-complete-over-budget')).toEqual([
      expect.objectContaining({ level: 'warning', file: 'atom.xml', message: expect.stringContaining('published without fh:complete') }),
    ]);
    expect(report.feeds.every((f) => f.bytes <= 12_000 && f.items < whole.report.feeds[0]!.items)).toBe(true);
    expect(report.issues.filter((i) => i.level === 'error')).toEqual([]);
  });
});
