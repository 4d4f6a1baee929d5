import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { acquirePgLease, type Lease, type LeaseOutcome } from '../../src/coordinate/postgres.js';
import { build, type BuildReport } from '../../src/pipeline.js';
import type { OutputFile } from '../../src/publish/publish.js';
import { directoryTarget } from '../../src/publish/target.js';
import type { CoordinationSettings } from '../../src/scaling-config.js';
import { makeSite } from '../cli/run-cli.js';
import { repoRoot, tempDir } from '../helpers.js';
import { postgresUnavailable, startPostgres, type PgTestServer } from '../servers/postgres.js';

const skip = postgresUnavailable();

let pg: PgTestServer;
beforeAll(async () => {
  if (!skip) pg = await startPostgres();
});
afterAll(() => pg?.destroy());

let held: Lease[] = [];
let n = 0;
let name: string;
beforeEach(() => {
  name = `site-${++n}`;
});
afterEach(async () => {
  await Promise.all(held.map((l) => l.release(false)));
  held = [];
});

const settings = (leaseSeconds = 30): CoordinationSettings => ({ postgres: pg.url, leaseSeconds });
const granted = (outcome: LeaseOutcome): Lease => {
  if (!outcome.ok) throw new Error(`expected the lease, got ${JSON.stringify(outcome)}`);
  held.push(outcome.lease);
  return outcome.lease;
};

describe.skipIf(skip)('PostgreSQL lease', () => {
  it('lets one holder at a time run, and hands each holder a larger token', async () => {
    const first = granted(await acquirePgLease(settings(), { name, waitMs: 0 }));
    const second = await acquirePgLease(settings(), { name, waitMs: 0 });
    expect(second).toMatchObject({ ok: false, reason: 'busy', holder: { pid: process.pid } });
    await first.release(false);
    const third = granted(await acquirePgLease(settings(), { name, waitMs: 0 }));
    expect(third.token).toBeGreaterThan(first.token);
  });

  it('skips a tick that another instance already ran, and runs the next one', async () => {
    const slot = new Date('2026-11-25T12:00:00Z');
    const leader = granted(await acquirePgLease(settings(), { name, slot, waitMs: 0 }));
    const waiting = acquirePgLease(settings(), { name, slot, waitMs: 10_000, pollMs: 50 });
    await leader.release(true);
    expect(await waiting).toMatchObject({ ok: false, reason: 'done', by: expect.stringContaining(`token ${leader.token}`) });
    const next = granted(await acquirePgLease(settings(), { name, slot: new Date('2026-11-25T12:00:02Z'), waitMs: 0 }));
    expect(next.token).toBe(leader.token + 1);
  });

  it('runs the tick itself, at once, when the holder is killed mid-run', async () => {
    const slot = new Date('2026-11-25T12:00:00Z');
    const holderScript = `
      const { acquirePgLease } = await import(${JSON.stringify(join(repoRoot, 'dist/src/coordinate/postgres.js'))});
      const r = await acquirePgLease({ postgres: ${JSON.stringify(pg.url)}, leaseSeconds: 30 }, { name: ${JSON.stringify(name)}, slot: new Date(${JSON.stringify(slot.toISOString())}), waitMs: 0 });
      console.log(JSON.stringify({ token: r.lease?.token }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', holderScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const token = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { token: number }).token)));
    expect(token).toBeGreaterThan(0);
    const waiting = acquirePgLease(settings(), { name, slot, waitMs: 20_000, pollMs: 50 });
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const taken = granted(await waiting);
    expect(taken.token).toBe(token + 1);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
  });

  it('cuts off a frozen holder after the lease length; its late publication is refused', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const out = directoryTarget(join(dir, 'out'));
      const file = (text: string): OutputFile[] => [{ path: 'rss.xml', mediaType: 'application/rss+xml; charset=utf-8', data: Buffer.from(text) }];
      const stale = granted(await acquirePgLease(settings(2), { name, waitMs: 0 }));
      // Frozen: no timer, no heartbeat, no query for longer than the lease (a GC pause, SIGSTOP, a VM migration).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3_000);
      const successor = granted(await acquirePgLease(settings(2), { name, waitMs: 5_000, pollMs: 50 }));
      expect(successor.token).toBeGreaterThan(stale.token);
      expect((await out.publish(file('<rss>new</rss>'), { maxAge: 60, hubs: [], now: new Date(), fence: successor.token })).issues).toEqual([]);

      expect(await stale.stillHeld()).toBe(false);
      expect(stale.lost.aborted).toBe(true);
      const late = await out.publish(file('<rss>stale</rss>'), { maxAge: 60, hubs: [], now: new Date(), fence: stale.token });
      expect(late.issues[0]).toMatchObject({ rule: 'publish-fenced', level: 'error' });
      const manifest = await out.readManifest();
      expect(Buffer.from((await out.readPublished(manifest, 'rss.xml'))!).toString()).toBe('<rss>new</rss>');
    } finally {
      await cleanup();
    }
  });

  it('says the database is unreachable, without its password, instead of running', async () => {
    const closed = new URL(pg.url);
    closed.port = '1';
    closed.password = 'hunter2';
    const outcome = await acquirePgLease({ postgres: closed.href, leaseSeconds: 30 }, { name, waitMs: 0 });
    expect(outcome).toMatchObject({ ok: false, reason: 'unreachable' });
    const message = (outcome as { message: string }).message;
    expect(message).toMatch(/unreachable: .*ECONNREFUSED/);
    expect(message).not.toContain('hunter2');
  });

  it('says the database refused the login, not that it is unreachable, and hides a password given as a parameter', async () => {
    const stranger = new URL(pg.url);
    stranger.username = 'nobody';
    stranger.searchParams.set('password', 'hunter2');
    const outcome = await acquirePgLease({ postgres: stranger.href, leaseSeconds: 30 }, { name, waitMs: 0 });
    const message = (outcome as { message: string }).message;
    expect(message).toMatch(/refused the login: 28000: role "nobody" does not exist/);
    expect(message).toContain('password=***');
    expect(message).not.toContain('hunter2');
  });
});

describe.skipIf(skip)('a scheduled tick in lease mode', () => {
  const NOW = new Date('2026-11-25T12:00:00Z');
  const tick = (minute: number): Date => new Date(Date.UTC(2026, 10, 25, 12, minute));
  async function site(extra: Record<string, unknown> = {}): Promise<{ dir: string; cleanup: () => Promise<void>; run: (slot: Date) => Promise<BuildReport> }> {
    const { dir, cleanup } = await tempDir();
    await makeSite(dir, { coordination: { postgres: pg.url, name }, ...extra });
    const run = async (slot: Date): Promise<BuildReport> => {
      const { value } = await loadConfig(undefined, dir);
      if (!value) throw new Error('config');
      return build(value, { now: NOW, lockWaitMs: 0, slot, version: 'test' });
    };
    return { dir, cleanup, run };
  }
  const open = async (slot: Date): Promise<boolean> => {
    const outcome = await acquirePgLease(settings(), { name, slot, waitMs: 0 });
    if (outcome.ok) await outcome.lease.release(false);
    return outcome.ok;
  };

  it('stays open to the other instances when its run failed to publish (its output could not be written), and is done once one publishes', async () => {
    const { dir, cleanup, run } = await site();
    try {
      // The out dir's place is taken by a file: nothing can be written, whoever the user.
      await writeFile(join(dir, 'blocked'), 'x');
      await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')), out: 'blocked/out' }));
      const failed = await run(tick(0));
      expect(failed).toMatchObject({ published: false, failure: expect.stringMatching(/^cannot write .*blocked\/out\/\.kiosque: ENOTDIR; the previous publication is unchanged$/) });
      expect(failed.issues).toEqual([expect.objectContaining({ rule: 'publish-failed', level: 'error' })]);
      expect(await open(tick(0))).toBe(true);
      await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')), out: 'out' }));
      expect((await run(tick(0))).published).toBe(true);
      expect(await open(tick(0))).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('is done when its run refused to publish for what the store holds, which any instance would refuse too', async () => {
    const { dir, cleanup, run } = await site();
    try {
      expect((await run(tick(0))).published).toBe(true);
      // Every article gone: the store-emptied refusal.
      await rm(join(dir, 'articles'), { recursive: true });
      await mkdir(join(dir, 'articles'));
      const refused = await run(tick(1));
      expect(refused.issues.map((i) => i.rule)).toContain('store-emptied');
      expect(await open(tick(1))).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
