import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { runCli } from './run-cli.js';

const explain = (...args: string[]) => runCli(['explain', ...args], { cwd: repoRoot });

describe('kiosque explain', () => {
  it('prints a rule entry with its level, why, fix and source, whatever the case of the id', async () => {
    const r = await explain('rss-dt-001');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RSS-DT-001 (error, RSS 2.0)');
    expect(r.stdout).toMatch(/^ {2}why: {5}Readers sort and age items by date/m);
    expect(r.stdout).toMatch(/^ {2}fix: {5}Format dates with/m);
    expect(r.stdout).toContain('link:    https://www.rssboard.org/rss-specification');
  });

  it('explains the ids of the store, the gate and HTTP serving too', async () => {
    const r = await explain('store-bad-yaml', 'KIOSQUE-CROSS-001', 'HTTP-CACHE-002');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('store-bad-yaml (error, Article store');
    expect(r.stdout).toContain('KIOSQUE-CROSS-001 (error, Checks across documents');
    expect(r.stdout).toContain('HTTP-CACHE-002 (warning, HTTP serving');
  });

  it('exits 2 with one line naming close matches for an unknown id', async () => {
    const r = await explain('RSS-DT-01');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('kiosque explain: unknown rule id "RSS-DT-01"; did you mean RSS-DT-001, RSS-DT-010, RSS-DT-011?\n');
  });

  it('exits 64 without an id', async () => {
    expect((await explain()).code).toBe(64);
  });
});
