/**
 * WebSub pings owed by a publication: recorded before it goes live, cleared once every hub took
 * them. The end-to-end case kills the real CLI after its publication went live and before it
 * pinged, and the next run, with nothing changed, pings what the killed one owed.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addOwed, OWED_PINGS_MAX_AGE_MS, parseOwedPings, stillOwed } from '../../src/publish/pings.js';
import { PINGS_FILE } from '../../src/publish/target.js';
import type { PingResult } from '../../src/publish/websub.js';
import { makeSite, runCli } from '../cli/run-cli.js';
import { cliPath, tempDir } from '../helpers.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const A = 'https://gazette.example/feeds/rss.xml';
const B = 'https://gazette.example/feeds/atom.xml';
const result = (hub: string, topic: string, ok: boolean): PingResult => ({ hub, topic, ok, attempts: 1 });

describe('owed pings', () => {
  it('adds topics once each, sorted, keeping when the oldest was first owed', () => {
    const first = addOwed(undefined, [B, A, B], NOW)!;
    expect(first).toEqual({ topics: [B, A].sort(), since: NOW.toISOString() });
    const later = new Date(NOW.getTime() + 60_000);
    expect(addOwed({ topics: [A], since: NOW.toISOString() }, [B], later)).toEqual({ topics: [A, B].sort(), since: NOW.toISOString() });
    expect(addOwed(undefined, [], NOW)).toBeUndefined();
  });

  it('drops a record older than a day before adding to it', () => {
    const stale = { topics: [A], since: NOW.toISOString() };
    const dayLater = new Date(NOW.getTime() + OWED_PINGS_MAX_AGE_MS + 1);
    expect(addOwed(stale, [], dayLater)).toBeUndefined();
    expect(addOwed(stale, [B], dayLater)).toEqual({ topics: [B], since: dayLater.toISOString() });
  });

  it('keeps a topic until every hub accepted it or refused it for good, including hubs a stopped run never reached', () => {
    const owed = { topics: [A, B], since: NOW.toISOString() };
    const refused = (hub: string, topic: string, status: number): PingResult => ({ ...result(hub, topic, false), status });
    expect(stillOwed(owed, ['h1'], [refused('h1', A, 400), refused('h1', B, 429)])).toEqual({ topics: [B], since: owed.since });
    expect(stillOwed(owed, ['h1'], [refused('h1', A, 404), refused('h1', B, 503)])).toEqual({ topics: [B], since: owed.since });
    expect(stillOwed(owed, ['h1', 'h2'], [result('h1', A, true), result('h2', A, true), result('h1', B, true), result('h2', B, true)])).toBeUndefined();
    expect(stillOwed(owed, ['h1', 'h2'], [result('h1', A, true), result('h2', A, false), result('h1', B, true), result('h2', B, true)])).toEqual({ topics: [A], since: owed.since });
    expect(stillOwed(owed, ['h1', 'h2'], [result('h1', A, true), result('h2', A, true)])).toEqual({ topics: [B], since: owed.since });
  });

  it('reads a record that is not ours as none', () => {
    expect(parseOwedPings('{"topics":["x"],"since":"2026-11-25T12:00:00Z"}')).toEqual({ topics: ['x'], since: '2026-11-25T12:00:00Z' });
    for (const text of ['', 'null', '[]', '{"topics":"x","since":"2026-11-25T12:00:00Z"}', '{"topics":[1],"since":"2026-11-25T12:00:00Z"}', '{"topics":[],"since":"yesterday"}']) {
      expect(parseOwedPings(text), text).toBeUndefined();
    }
  });
});

describe('a build with hubs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let hub: Server;
  let topics: string[];
  let answer: number;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('kiosque-pings-'));
    topics = [];
    answer = 202;
    hub = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        topics.push(new URLSearchParams(body).get('hub.topic') ?? '');
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    // The main feed alone: three topics, so a hub that keeps failing costs one round of retries, not dozens.
    await makeSite(dir, { hubs: [`http://127.0.0.1:${(hub.address() as AddressInfo).port}/`], feeds: [{ path: '' }] });
  });
  afterEach(async () => {
    hub.closeAllConnections();
    await new Promise((r) => hub.close(r));
    await cleanup();
  });

  const build = async (): Promise<{ hubs: PingResult[]; issues: { rule: string }[] }> => {
    const r = await runCli(['build', '--json', '--now', '2026-11-25T12:00:00Z'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { hubs: PingResult[]; issues: { rule: string }[] };
  };
  const owedFile = (): Promise<string | undefined> => readFile(join(dir, 'out', PINGS_FILE), 'utf8').catch(() => undefined);

  it('pings again, on the next run with nothing changed, the topics a refusing hub did not take, then stops', async () => {
    answer = 503;
    const first = await build();
    const refused = [...new Set(first.hubs.map((h) => h.topic))].sort();
    expect(refused).toEqual(['atom.xml', 'feed.json', 'rss.xml'].map((n) => `https://gazette.example/feeds/${n}`));
    expect(first.hubs.every((h) => !h.ok)).toBe(true);
    expect(parseOwedPings((await owedFile())!)?.topics).toEqual(refused);

    answer = 202;
    topics = [];
    const second = await build();
    expect(topics.sort()).toEqual(refused);
    expect(second.hubs.every((h) => h.ok)).toBe(true);
    expect(await owedFile()).toBeUndefined();

    topics = [];
    await build();
    expect(topics).toEqual([]);
  });

  it('leaves to the next run the pings of a run killed after its publication went live', async () => {
    await build();
    // A new article: the killed run publishes it and owes the hubs the feeds it changed.
    await mkdir(join(dir, 'articles/2026'), { recursive: true });
    await writeFile(join(dir, 'articles/2026/rail-strike.md'), '---\ntitle: Grève des cheminots\ndate: 2026-11-20T08:00:00+01:00\nlang: fr\ntags: [Rail]\n---\n\nLes trains restent à quai.\n');
    topics = [];
    const child = spawn(process.execPath, [cliPath, 'build', '--now', '2026-11-25T12:00:00Z'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', KIOSQUE_PAUSE_AT_STEP: 'done' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/^kiosque-step \d+ done$/m.test(stderr)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the build exited (${code}) before its last step: ${stderr}`)));
    });
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGKILL');
    await closed;
    // Live, not pinged.
    expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain('rail-strike');
    expect(topics).toEqual([]);
    const owed = parseOwedPings((await owedFile())!)!.topics;
    const expected = ['atom.xml', 'feed.json', 'rss.xml'].map((n) => `https://gazette.example/feeds/${n}`);
    expect(owed).toEqual(expected);

    const next = await build();
    expect(topics.sort()).toEqual(expected);
    expect(next.hubs.every((h) => h.ok)).toBe(true);
    expect(await owedFile()).toBeUndefined();
  });

  it('still publishes, with a warning, when the record of owed pings cannot be written', async () => {
    await mkdir(join(dir, 'out', PINGS_FILE, 'in-the-way'), { recursive: true });
    const report = await build();
    expect(report.issues.filter((i) => i.rule === 'publish-pings-unrecorded')).toHaveLength(1);
    expect(report.hubs.length).toBeGreaterThan(0);
    expect(report.hubs.every((h) => h.ok)).toBe(true);
  });
});
