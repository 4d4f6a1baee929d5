/**
 * The main feed is a promise to its subscribers. tests/fixtures/main-feed holds the sample
 * store and configuration as they were before the feed set, with the three files that version
 * wrote from them at a fixed --now: a store without a `feeds` key must still give exactly
 * those bytes. One change was made on purpose since: the store gained a retracted article
 * (2026/11/sondage-lyon.md), so atom.xml announces it with an RFC 6721 tombstone and declares
 * the `at` namespace; rss.xml and feed.json, which cannot say it, did not change.
 */
import { cp, readFile } from 'node:fs/promises';
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

  it.each(['rss.xml', 'atom.xml', 'feed.json'])('writes %s byte for byte as the single-feed version did', async (file) => {
    const [golden, built] = await Promise.all([readFile(join(FIXTURE, 'golden', file)), readFile(join(dir, 'out', file))]);
    expect(built.toString('utf8')).toBe(golden.toString('utf8'));
    expect(built.equals(golden)).toBe(true);
  });
});
