/**
 * Three `kiosque start` processes, one PostgreSQL, one S3-compatible bucket and one WebSub
 * hub, all real and on 127.0.0.1, on a six-second schedule. Every tick brings one article
 * out of embargo, so every tick must change the feeds (about 15 ticks of six seconds): the test then sees each tick
 * published exactly once, by one instance, with one ping per feed; the leader SIGKILLed and
 * another instance publishing the very next tick; and, with the database stopped, nobody
 * publishing at all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers.js';
import { makeSite } from '../cli/run-cli.js';
import { startHub, type TestHub } from '../servers/hub.js';
import { postgresUnavailable, startPostgres, type PgTestServer } from '../servers/postgres.js';
import { startS3Server, type S3TestServer } from '../servers/s3.js';

const skip = postgresUnavailable();
// Six seconds: a run (store, render, validate, S3 sync, pings) takes 1.5-4 s on two cores shared
// with another test file, up to 6 s on a loaded machine, and a tick whose holder outlasts about two
// intervals is skipped by design (four seconds lost one under load).
const TICK_MS = 6_000;

type Event = { instance: number; event: string; time: string; trigger?: string; slot?: string; token?: number; changed?: string[]; reason?: string; next?: string };

let pg: PgTestServer;
let s3: S3TestServer;
let hub: TestHub;
let site: { dir: string; cleanup: () => Promise<void> };
const children: ChildProcess[] = [];
const events: Event[] = [];
/** The tick the first article is due at; ticks before it (the startup run can finish early) have nothing new. */
let firstArticle: number;

beforeAll(async () => {
  if (skip) return;
  pg = await startPostgres();
  s3 = await startS3Server();
  hub = await startHub();
  site = await tempDir();
  await makeSite(site.dir, {
    timezone: 'UTC',
    schedule: `*/${TICK_MS / 1_000} * * * * *`,
    hubs: [hub.url],
    publish: { target: 's3://feeds/cluster', endpoint: s3.endpoint, pathStyle: true },
    coordination: { postgres: pg.url, leaseSeconds: 3 },
    // The main feed alone: each tick changes exactly its three documents, so the pings can be counted.
    feeds: [{ path: '' }],
  });
  // One article per tick slot for the next minute: each tick has something new to publish.
  await mkdir(join(site.dir, 'articles', 'ticks'));
  firstArticle = Math.ceil((Date.now() + TICK_MS) / TICK_MS) * TICK_MS;
  for (let i = 0; i < 30; i++) {
    const date = new Date(firstArticle + i * TICK_MS).toISOString();
    await writeFile(join(site.dir, 'articles', 'ticks', `tick-${i}.md`), `---\ntitle: Dépêche ${i}\ndate: ${date}\n---\n\nTick ${i}.\n`);
  }
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  await hub?.close();
  await s3?.close();
  pg?.destroy();
  await site?.cleanup();
});

function startInstance(instance: number): ChildProcess {
  const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--out', join(site.dir, `out-${instance}`)], {
    cwd: site.dir,
    env: { ...process.env, ...s3.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) events.push({ instance, ...(JSON.parse(line) as Omit<Event, 'instance'>) });
  });
  child.stderr!.resume();
  children.push(child);
  return child;
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events:\n${events.map((e) => JSON.stringify(e)).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ticksPublished = (): Event[] => events.filter((e) => e.event === 'published' && e.trigger === 'schedule');

describe.skipIf(skip)('several instances against one PostgreSQL', () => {
  it('publish each tick exactly once with one set of hub pings, survive a SIGKILLed leader, and stop publishing without the database', async () => {
    const instances = [0, 1, 2].map(startInstance);
    await until('three instances waiting for their first tick', () => events.filter((e) => e.event === 'waiting').length === 3, 30_000);
    const firstTick = Math.max(...events.filter((e) => e.event === 'waiting').map((e) => Date.parse(e.next!)));

    await until('8 ticks', () => ticksPublished().length >= 8, 20 * TICK_MS);
    const leaderEvent = ticksPublished().at(-1)!;
    const leader = leaderEvent.instance;
    instances[leader]!.kill('SIGKILL');
    const killedAfterSlot = Date.parse(leaderEvent.slot!);

    await until('5 ticks after the kill', () => ticksPublished().filter((e) => Date.parse(e.slot!) > killedAfterSlot).length >= 5, 12 * TICK_MS);
    // Stopped right after a tick's publication, so no run holds the lease while it goes down.
    const lastBeforeStop = ticksPublished().length;
    await until('the next tick', () => ticksPublished().length > lastBeforeStop, 4 * TICK_MS);
    const stoppedAt = Date.now();
    pg.stop();
    const lastSlot = Math.max(...ticksPublished().map((e) => Date.parse(e.slot!)));
    await new Promise((r) => setTimeout(r, TICK_MS + 1_500));

    // Every tick from the first one all three instances waited for, up to the database stop, exactly once.
    const bySlot = new Map<number, Event[]>();
    for (const e of ticksPublished()) bySlot.set(Date.parse(e.slot!), [...(bySlot.get(Date.parse(e.slot!)) ?? []), e]);
    const slots: number[] = [];
    for (let t = firstTick; t <= lastSlot; t += TICK_MS) slots.push(t);
    expect(slots.length).toBeGreaterThanOrEqual(12);
    const timeline = (): string => events.map((e) => `${e.instance} ${e.time} ${e.event} ${e.trigger ?? ''} ${e.slot ?? ''} ${e.changed?.join(',') ?? ''} ${e.reason ?? ''}`).join('\n');
    for (const t of slots) expect(bySlot.get(t)?.length, `publications of the tick at ${new Date(t).toISOString()}:\n${timeline()}`).toBe(1);
    expect(events.filter((e) => e.event === 'run-failed' && Date.parse(e.time) < stoppedAt)).toEqual([]);

    // Tokens only go up, tick after tick.
    const tokens = slots.map((t) => bySlot.get(t)![0]!.token!);
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(new Set(tokens).size).toBe(tokens.length);

    // The tick right after the kill went to another instance.
    const afterKill = bySlot.get(killedAfterSlot + TICK_MS)![0]!;
    expect(afterKill.instance).not.toBe(leader);
    expect(events.some((e) => e.instance === leader && Date.parse(e.time) > Date.parse(afterKill.time))).toBe(false);

    // One ping per changed feed per publication, and every tick from the first article's on changed all three
    // feeds. One exception: the leader may have been past its manifest upload for the next tick when SIGKILL
    // reached it, unlogged; the instance that runs that tick again then finds it published, changes nothing and
    // pings nothing more.
    const rerun = (t: number): boolean => t === killedAfterSlot + TICK_MS && bySlot.get(t)![0]!.changed?.length === 0;
    for (const t of slots) {
      const expected = t < firstArticle || rerun(t) ? [] : ['atom', 'json', 'rss'];
      expect(bySlot.get(t)![0]!.changed?.sort(), `the tick at ${new Date(t).toISOString()}:\n${timeline()}`).toEqual(expected);
    }
    const expectedPings = events.filter((e) => e.event === 'published').reduce((n, e) => n + (e.changed?.length ?? 0), 0);
    const leaderPinged = slots.some(rerun) ? [0, 3] : [0];
    expect(leaderPinged.map((n) => expectedPings + n)).toContain(hub.topics.length);

    // Without the database: nothing published, and each survivor says why.
    expect(events.filter((e) => e.event === 'published' && Date.parse(e.time) > stoppedAt)).toEqual([]);
    for (const i of [0, 1, 2].filter((i) => i !== leader)) {
      const reasons = events.filter((e) => e.instance === i && e.event === 'run-skipped' && Date.parse(e.time) > stoppedAt).map((e) => e.reason);
      expect(reasons).toContainEqual(expect.stringMatching(/coordination database .* unreachable.*nothing is published/));
    }
  }, 300_000);
});
