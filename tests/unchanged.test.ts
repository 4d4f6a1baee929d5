/**
 * The no-change shortcut through the real CLI on a copy of the sample store: a rebuild with
 * nothing changed repeats the last no-change build's report without reading the store, and
 * every input that can change the feeds (an article, a file beside it, the media folder, the
 * configuration, an embargo coming due, the live publication) makes the next build a full one.
 */
import { mkdir, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { build as buildIn } from '../src/pipeline.js';
import { makeSite, runCli, SITE } from './cli/run-cli.js';
import { tempDir } from './helpers.js';
import { startHub } from './servers/hub.js';

type Report = { published: boolean; unchanged?: true; feeds: { path: string; sha256: string; changed: boolean; repaired?: true; items: number }[]; issues: unknown[]; rejected: unknown[]; accepted: number; nextEmbargo?: string; durationMs: number };

const NOW = '2026-11-25T12:00:00Z';
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('kiosque-unchanged-'));
  await makeSite(dir, { feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }] });
  await age('articles');
});

/**
 * Files modified within two seconds of a build are never trusted as unchanged (a same-size
 * edit within one clock tick would go unseen): the copied store is dated a minute back, as a
 * store edited a while ago would be. Edits in the tests are aged the same way.
 */
async function age(...paths: string[]): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  for (const path of paths) {
    const full = join(dir, path);
    const entries = await readdir(full, { recursive: true, withFileTypes: true }).catch(() => undefined);
    if (!entries) {
      await utimes(full, past, past);
      continue;
    }
    for (const e of entries) if (e.isFile()) await utimes(join(e.parentPath, e.name), past, past);
  }
}
afterEach(() => cleanup());

const build = async (now = NOW): Promise<Report> => {
  const r = await runCli(['build', '--json', '--now', now], { cwd: dir, timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.code === 0 || r.code === 2, r.stdout).toBe(true);
  return JSON.parse(r.stdout) as Report;
};
const comparable = ({ durationMs: _, unchanged: __, ...rest }: Report): Omit<Report, 'durationMs' | 'unchanged'> => rest;

/** A build after a first one, then one with nothing changed: the record the next builds compare with. */
async function settled(now = NOW): Promise<Report> {
  await build(now);
  const full = await build(now);
  expect(full.unchanged).toBeUndefined();
  expect(full.feeds.every((f) => !f.changed)).toBe(true);
  return full;
}

describe('a rebuild with nothing changed', () => {
  it('repeats the report of the last full build, feed for feed, and leaves the publication as it was', async () => {
    const full = await settled();
    const rss = await readFile(join(dir, 'out/rss.xml'));
    const later = await build('2026-11-25T12:15:00Z');
    expect(later.unchanged).toBe(true);
    expect(comparable(later)).toEqual(comparable(full));
    expect(await readFile(join(dir, 'out/rss.xml'))).toEqual(rss);
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).stdout).toContain('Nothing changed since the last build');
  });

  it('is not taken the first time after a change: that build compares with the publication it replaced', async () => {
    await build();
    expect((await build()).unchanged).toBeUndefined();
    expect((await build()).unchanged).toBe(true);
  });
});

describe('the next build reads the store again when', () => {
  it('an article was edited, and publishes the edit', async () => {
    await settled();
    const file = join(dir, 'articles/2020/02/poutine-erdogan-idlib.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n---\n/, '\n---\n\nMise à jour : un paragraphe ajouté.\n'));
    await age('articles/2020/02/poutine-erdogan-idlib.md');
    const next = await build();
    expect(next.unchanged).toBeUndefined();
    expect(next.feeds.some((f) => f.changed)).toBe(true);
    expect(await readFile(join(dir, 'out/feed.json'), 'utf8')).toContain('Mise à jour : un paragraphe ajouté.');
  });

  it('a file beside the articles changed, or the media folder did', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, feeds: [{ path: '' }], media: 'media' }));
    await mkdir(join(dir, 'media'), { recursive: true });
    await writeFile(join(dir, 'media/cover.txt'), 'v1');
    await writeFile(join(dir, 'articles/notes.txt'), 'v1');
    await age('media', 'articles/notes.txt');
    await settled();
    expect((await build()).unchanged).toBe(true);
    await writeFile(join(dir, 'articles/notes.txt'), 'v2, longer');
    await age('articles/notes.txt');
    expect((await build()).unchanged).toBeUndefined();
    expect((await build()).unchanged).toBe(true);
    await writeFile(join(dir, 'media/cover.txt'), 'v2, longer');
    await age('media');
    expect((await build()).unchanged).toBeUndefined();
  });

  it('a body ran out of time to render: a loaded machine may be the cause, so it is rendered again rather than its rejection repeated', async () => {
    await rm(join(dir, 'articles'), { recursive: true });
    await mkdir(join(dir, 'articles'));
    await writeFile(join(dir, 'articles/one.md'), '---\ntitle: One\ndate: 2020-01-01T00:00:00Z\n---\n\nText.\n');
    await age('articles');
    const { value: config } = await loadConfig(undefined, dir);
    // No time at all: every body runs out of it, whatever the machine (the CLI's limit is 10 s).
    const run = (renderTimeoutMs: number) => buildIn(config!, { now: new Date(NOW), lockWaitMs: 0, version: 'test', renderTimeoutMs });
    await run(0);
    for (const round of ['second', 'third']) {
      const next = await run(0);
      expect(next.unchanged, round).toBeUndefined();
      expect(next.rejected.map((r) => [r.file, r.rule]), round).toEqual([['one.md', 'store-too-complex']]);
    }
    // With time enough, it is published.
    expect((await run(60_000)).rejected).toEqual([]);
  });

  it('a file could not be read: the same stats may read fine next time, so no build is taken as "nothing changed" after one', async () => {
    // A name in Latin-1 (from an old share): listed, never opened, on every build.
    const latin1 = Buffer.from(`${join(dir, 'articles')}/caf\xe9.md`, 'latin1');
    await writeFile(latin1, '---\ntitle: Café\ndate: 2020-01-01T00:00:00Z\n---\n\nx\n');
    await utimes(latin1, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await build();
    for (const round of ['second', 'third']) {
      const next = await build();
      expect(next.unchanged, round).toBeUndefined();
      expect(next.rejected, round).toEqual([expect.objectContaining({ rule: 'store-unreadable' })]);
    }
  });

  it('the configuration changed', async () => {
    await settled();
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }], limit: 3 }));
    const next = await build();
    expect(next.unchanged).toBeUndefined();
    expect(next.feeds.find((f) => f.path.endsWith('out/rss.xml'))!.items).toBe(3);
  });

  it('an embargoed article comes due, and is published then, not before', async () => {
    await mkdir(join(dir, 'articles/2026/11'), { recursive: true });
    const embargoed = join(dir, 'articles/2026/11/budget-vote.md');
    await writeFile(embargoed, '---\ntitle: Le vote du budget\ndate: 2026-11-25T18:00:00+01:00\nlang: fr\n---\n\nLe budget est voté.\n');
    await age('articles/2026/11/budget-vote.md');
    const full = await settled();
    expect(full.nextEmbargo).toBe('2026-11-25T17:00:00.000Z');
    expect((await build('2026-11-25T16:59:59Z')).unchanged).toBe(true);
    const due = await build('2026-11-25T17:00:00Z');
    expect(due.unchanged).toBeUndefined();
    expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain('Le vote du budget');
  });

  it('the clock went back before the recorded build', async () => {
    await settled();
    expect((await build('2026-11-25T11:59:59Z')).unchanged).toBeUndefined();
  });

  it('the live publication is not the one the record was made with, and repairs it', async () => {
    await settled();
    // As if the out dir had been restored from an older copy, or emptied.
    await rm(join(dir, 'out/.kiosque/current'));
    const next = await build();
    expect(next.unchanged).toBeUndefined();
    expect(next.published).toBe(true);
    expect(await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8')).toContain('rss.xml');
  });

  it('a published file was damaged since (truncated, or edited in place with its size kept), and repairs it', async () => {
    await settled();
    const rss = await readFile(join(dir, 'out/rss.xml'));
    await truncate(join(dir, 'out/rss.xml'), 100);
    const repaired = await build();
    expect(repaired.unchanged).toBeUndefined();
    expect(await readFile(join(dir, 'out/rss.xml'))).toEqual(rss);
    // Repaired, not changed: readers' copies were never out of date, so no hub is told and the report says so.
    const main = repaired.feeds.find((f) => f.path.endsWith('out/rss.xml'))!;
    expect(main).toMatchObject({ changed: false, repaired: true });
    expect(repaired.feeds.filter((f) => f.changed || f.repaired).map((f) => f.path.slice(f.path.indexOf('out/')))).toEqual(['out/rss.xml']);
    expect((await build()).unchanged).toBe(true);
    // Same size, new time: an edit in place.
    const atom = await readFile(join(dir, 'out/atom.xml'));
    await writeFile(join(dir, 'out/atom.xml'), Buffer.from(atom.toString('latin1').replace('<title', '<TITLE'), 'latin1'));
    expect((await build()).unchanged).toBeUndefined();
    expect(await readFile(join(dir, 'out/atom.xml'))).toEqual(atom);
  });

  it('pings no hub for a damaged file written again with the bytes it was published with, and says it was repaired', async () => {
    const hub = await startHub();
    try {
      await makeSite(dir, { feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }], hubs: [hub.url] });
      await settled();
      hub.topics.length = 0;
      await truncate(join(dir, 'out/atom.xml'), 100);
      const r = await runCli(['build', '--now', NOW], { cwd: dir, timeoutMs: 120_000 });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/atom\.xml .*repaired \(damaged on disk, written again as published\)/);
      expect(hub.topics).toEqual([]);
      // A feed of the set other than the main one says which of its files it repaired.
      await truncate(join(dir, 'out/tags/sport/atom.xml'), 100);
      const other = await runCli(['build', '--now', NOW], { cwd: dir, timeoutMs: 120_000 });
      expect(other.stdout).toMatch(/tags\/sport\/ .*repaired \(tags\/sport\/atom\.xml damaged on disk, written again as published\)/);
      expect(hub.topics).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('takes a published file touched, or copied without its times, bytes unchanged, as intact, and gives it its time back', async () => {
    await settled();
    for (const name of ['archive/1.xml', 'rss.xml.gz', 'atom.xml']) {
      const path = join(dir, 'out', name);
      const was = await stat(path);
      await utimes(path, new Date(), new Date());
      expect((await build()).unchanged, name).toBe(true);
      expect((await stat(path)).mtimeMs, name).toBe(was.mtimeMs);
    }
  });

  it('gives unchanged files copied without their times their times back in a build that publishes something else', async () => {
    // One publishing build: no record of a build that changed nothing, so the next one is a full build from the start.
    expect((await build()).published).toBe(true);
    const names = ['feed.xsl', 'tags/sport/rss.xml', 'tags/sport/atom.xml', 'tags/sport/rss.xml.gz'];
    const was = await Promise.all(names.map(async (name) => (await stat(join(dir, 'out', name))).mtimeMs));
    for (const name of names) await utimes(join(dir, 'out', name), new Date(), new Date());
    await mkdir(join(dir, 'articles/2026/11'), { recursive: true });
    await writeFile(join(dir, 'articles/2026/11/breve.md'), '---\ntitle: Brève\ndate: 2026-11-24T08:00:00+01:00\ntags: [Brèves]\n---\n\nTexte.\n');
    await age('articles/2026/11/breve.md');
    const next = await build();
    expect(next.feeds.some((f) => f.changed)).toBe(true);
    expect(await Promise.all(names.map(async (name) => (await stat(join(dir, 'out', name))).mtimeMs))).toEqual(was);
  });

  it('a full archive page or a compressed body was edited in place, and repairs it, so the next build is quiet again', async () => {
    await settled();
    for (const name of ['archive/1.xml', 'atom.xml.gz']) {
      const path = join(dir, 'out', name);
      const was = await readFile(path);
      const edited = Buffer.from(was);
      edited[edited.length - 20]! ^= 1;
      await writeFile(path, edited);
      const repaired = await build();
      expect(repaired.unchanged, name).toBeUndefined();
      expect(repaired.published, name).toBe(true);
      expect(await readFile(path), name).toEqual(was);
      expect((await build()).unchanged, name).toBe(true);
    }
  });
});
