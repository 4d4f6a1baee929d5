/**
 * The main feed is a promise to its subscribers. tests/fixtures/main-feed holds the sample
 * store and configuration as they were before the feed set, with the three files that version
 * wrote from them at a fixed --now: a store without a `feeds` key must still give exactly
 * those bytes, plus the one line RFC 5005 archives add (the main feed is archived by default),
 * and exactly those bytes when its archive is turned off. One change was made on purpose
 * since: the store gained a retracted article (2026/11/sondage-lyon.md), so atom.xml announces
 * it with an RFC 6721 tombstone and declares the `at` namespace; rss.xml and feed.json, which
 * cannot say it, did not change. And the night-train article's task list shows its two items'
 * state, ☑ and ☐, in the three files, where both checkboxes had been dropped alike. Since
 * then, a retraction dates the feeds that carried the article (README, Retractions): the main
 * feed's lastBuildDate and channel pubDate, and Atom's feed updated, are the retraction's
 * (2026-11-20T08:30Z), later than its newest entry; nothing else moved.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli/run-cli.js';
import { repoRoot, tempDir } from './helpers.js';

const FIXTURE = join(repoRoot, 'tests/fixtures/main-feed');
const NOW = '2026-11-25T12:00:00Z';

describe('the main feed of a store without a "feeds" key', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await cp(join(FIXTURE, 'articles'), join(dir, 'articles'), { recursive: true });
    await cp(join(FIXTURE, 'kiosque.config.json'), join(dir, 'kiosque.config.json'));
    const { code, stderr } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
  afterAll(() => cleanup());

  // The link to the newest archive page, after the self link; nothing else moves.
  const ARCHIVE_LINE: Record<string, string> = {
    'rss.xml': '    <atom:link rel="prev-archive" type="application/rss+xml" href="https://kiosque.example/feeds/archive/1.xml"/>\n',
    'atom.xml': '  <link rel="prev-archive" type="application/atom+xml" href="https://kiosque.example/feeds/archive/1.atom"/>\n',
    'feed.json': '  "next_url": "https://kiosque.example/feeds/archive/1.json",\n',
  };

  it.each(['rss.xml', 'atom.xml', 'feed.json'])('writes %s as the single-feed version did, plus only the link to its newest archive page', async (file) => {
    const [golden, built] = await Promise.all([readFile(join(FIXTURE, 'golden', file), 'utf8'), readFile(join(dir, 'out', file), 'utf8')]);
    const line = ARCHIVE_LINE[file]!;
    expect(built.split(line).length, 'the archive link appears once').toBe(2);
    expect(built.replace(line, '')).toBe(golden);
  });

  it('writes the three files byte for byte as the single-feed version did when the main feed has no archive', async () => {
    const { dir: plain, cleanup: done } = await tempDir();
    try {
      await cp(join(FIXTURE, 'articles'), join(plain, 'articles'), { recursive: true });
      const config = JSON.parse(await readFile(join(FIXTURE, 'kiosque.config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(plain, 'kiosque.config.json'), JSON.stringify({ ...config, feeds: [{ path: '', archive: false }] }));
      const { code, stderr } = await runCli(['build', '--now', NOW], { cwd: plain });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        const [golden, built] = await Promise.all([readFile(join(FIXTURE, 'golden', file)), readFile(join(plain, 'out', file))]);
        expect(built.equals(golden), file).toBe(true);
      }
    } finally {
      await done();
    }
  });
});
