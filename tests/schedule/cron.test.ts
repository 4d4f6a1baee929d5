import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { acquireLock } from '../../src/publish/lock.js';
import type { BuildReport } from '../../src/pipeline.js';
import { startScheduler, type RunTrigger } from '../../src/schedule/cron.js';
import { makeSite } from '../cli/run-cli.js';
import { cliPath, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await makeSite(dir);
});
afterEach(() => cleanup());

async function config(settings: Record<string, unknown> = {}) {
  const { value } = await loadConfig(undefined, dir, {}, settings);
  if (!value) throw new Error('config did not load');
  return value;
}

const waitFor = async (predicate: () => boolean, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('startScheduler', () => {
  it('runs the build on a fast cron expression with seconds', async () => {
    const reports: RunTrigger[] = [];
    const scheduler = startScheduler(await config({ schedule: '* * * * * *' }), { version: 'test', onReport: (_r, t) => void reports.push(t) });
    try {
      await waitFor(() => reports.filter((t) => t === 'schedule').length >= 2);
    } finally {
      await scheduler.stop();
    }
    expect(reports.filter((t) => t === 'schedule').length).toBeGreaterThanOrEqual(2);
  });

  it('runs the tick node-cron loses on the night the clocks go back (02:00 CEST, which it takes for 02:00 CET an hour later)', async () => {
    const reports: RunTrigger[] = [];
    // The wall clock (with its milliseconds, as a real one) two seconds before; timers keep real time, so the lost tick
    // is two seconds away and node-cron's an hour.
    vi.useFakeTimers({ now: new Date('2027-10-30T23:59:58.250Z'), toFake: ['Date'] });
    try {
      const scheduler = startScheduler(await config({ schedule: '*/15 * * * *', timezone: 'Europe/Paris' }), { version: 'test', onReport: (_r, trigger) => void reports.push(trigger) });
      try {
        expect(scheduler.nextRun()?.toISOString()).toBe('2027-10-31T00:00:00.000Z');
        const deadline = performance.now() + 20_000;
        while (reports.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await scheduler.stop();
      }
    } finally {
      vi.useRealTimers();
    }
    expect(reports).toEqual(['schedule']);
  });

  it('keeps ticking through the second pass when started within the first pass of the repeated hour, where node-cron sleeps an hour', async () => {
    const reports: RunTrigger[] = [];
    // 02:59:58 CEST: node-cron's next run is 03:00 CET (02:00Z), past the whole second pass.
    vi.useFakeTimers({ now: new Date('2027-10-31T00:59:58.250Z'), toFake: ['Date'], shouldAdvanceTime: true, advanceTimeDelta: 10 });
    try {
      const scheduler = startScheduler(await config({ schedule: '*/2 * * * * *', timezone: 'Europe/Paris' }), { version: 'test', onReport: (_r, trigger) => void reports.push(trigger) });
      try {
        expect(scheduler.nextRun()?.toISOString()).toBe('2027-10-31T01:00:00.000Z');
        const deadline = performance.now() + 25_000;
        while (reports.length < 3 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await scheduler.stop();
      }
    } finally {
      vi.useRealTimers();
    }
    // 01:00:00Z, then the ticks of 02:00:0x CET that follow (a run that outlasts two seconds skips the tick it overlaps).
    expect(reports.filter((t) => t === 'schedule').length).toBeGreaterThanOrEqual(3);
  });

  it('never runs two builds at once in one process: a second trigger during a run is skipped', async () => {
    const overlaps: RunTrigger[] = [];
    const scheduler = startScheduler(await config({ schedule: '0 0 1 1 *' }), { version: 'test', onReport: () => undefined, onOverlap: (t) => overlaps.push(t) });
    try {
      const [first, second] = await Promise.all([scheduler.runNow('startup'), scheduler.runNow('schedule')]);
      expect(first?.published).toBe(true);
      expect(second).toBeUndefined();
      expect(overlaps).toEqual(['schedule']);
    } finally {
      await scheduler.stop();
    }
  });

  it('turns a run that throws into a call of onCrash, and keeps scheduling: no error escapes into node-cron', async () => {
    const crashes: [string, RunTrigger][] = [];
    let calls = 0;
    const scheduler = startScheduler(await config({ schedule: '0 0 1 1 *' }), {
      version: 'test',
      onReport: () => {
        if (++calls === 1) throw new Error('boom');
      },
      onCrash: (err, trigger) => void crashes.push([(err as Error).message, trigger]),
    });
    try {
      expect(await scheduler.runNow('startup')).toBeUndefined();
      expect(crashes).toEqual([['boom', 'startup']]);
      // The next run goes ahead: the guard was released.
      expect((await scheduler.runNow('schedule'))?.accepted).toBe(114);
      expect(crashes).toHaveLength(1);
    } finally {
      await scheduler.stop();
    }
  });

  it('skips a scheduled run while another process holds the build lock', async () => {
    const cfg = await config({ schedule: '0 0 1 1 *' });
    const held = await acquireLock(join(cfg.out, '.kiosque/lock'), 0);
    if (!held.ok) throw new Error('could not take the lock');
    const scheduler = startScheduler(cfg, { version: 'test', onReport: () => undefined });
    try {
      const report = (await scheduler.runNow('schedule')) as BuildReport;
      expect(report.published).toBe(false);
      expect(report.skipped?.owner?.pid).toBe(process.pid);
    } finally {
      await held.lock.release();
      await scheduler.stop();
    }
  });

  it('publishes an embargoed article once its time has come, without waiting for the next tick', async () => {
    const at = new Date(Date.now() + 2_500);
    await writeFile(join(dir, 'articles/embargo.md'), `---\ntitle: Sous embargo\ndate: ${at.toISOString()}\n---\nTexte publié à l’heure.\n`);
    const reports: BuildReport[] = [];
    const scheduler = startScheduler(await config({ schedule: '0 0 1 1 *' }), { version: 'test', onReport: (r) => void reports.push(r) });
    try {
      const first = await scheduler.runNow('startup');
      const waiting = first?.scheduled ?? 0;
      expect(waiting).toBeGreaterThanOrEqual(1);
      expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).not.toContain('Sous embargo');
      await waitFor(() => reports.length >= 2);
      expect(reports[1]?.scheduled).toBe(waiting - 1);
      expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain('Sous embargo');
    } finally {
      await scheduler.stop();
    }
  });
});

describe('an embargo due while a by-hand build holds the lock', () => {
  it('is tried again within seconds once the lock is free, not at the next tick', async () => {
    const at = new Date(Date.now() + 2_000);
    await writeFile(join(dir, 'articles/embargo.md'), `---\ntitle: Sous embargo\ndate: ${at.toISOString()}\n---\nTexte publié à l’heure.\n`);
    const cfg = await config({ schedule: '0 0 1 1 *' });
    const reports: { trigger: RunTrigger; report: BuildReport }[] = [];
    const scheduler = startScheduler(cfg, { version: 'test', onReport: (report, trigger) => void reports.push({ report, trigger }) });
    let held: Awaited<ReturnType<typeof acquireLock>> | undefined;
    try {
      expect((await scheduler.runNow('startup'))?.scheduled).toBeGreaterThanOrEqual(1);
      // A by-hand build takes the lock just before the embargo's time, and holds it past it.
      await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now() - 500)));
      held = await acquireLock(join(cfg.out, '.kiosque/lock'), 0);
      if (!held.ok) throw new Error('could not take the lock');
      await waitFor(() => reports.some((r) => r.trigger === 'embargo' && r.report.skipped !== undefined));
      await held.lock.release();
      held = undefined;
      await waitFor(() => reports.some((r) => r.trigger === 'embargo' && r.report.published), 12_000);
      expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain('Sous embargo');
    } finally {
      if (held?.ok) await held.lock.release();
      await scheduler.stop();
    }
  }, 30_000);
});

describe('kiosque start', () => {
  it('builds at once, logs one JSON line per run with the next run\'s time, names an unknown configuration key, and stops cleanly on SIGTERM', async () => {
    await makeSite(dir, { limt: 10 });
    const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--schedule', '*/2 * * * * *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const events = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; trigger?: string; changed?: string[]; time: string; next?: string; problems?: string[] });
    await waitFor(() => events().filter((e) => e.event === 'published').length >= 2, 20_000);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const log = events();
    expect(log[0]).toMatchObject({ event: 'started', problems: [expect.stringMatching(/config-unknown-key unknown key "limt" is ignored/)] });
    expect(stderr).toMatch(/unknown key "limt" is ignored/);
    expect(log.find((e) => e.event === 'published')).toMatchObject({ trigger: 'startup', changed: ['rss', 'atom', 'json'] });
    const scheduled = log.find((e) => e.event === 'published' && e.trigger === 'schedule')!;
    expect(Date.parse(scheduled.next!)).toBeGreaterThan(Date.parse(scheduled.time) - 2000);
    expect(log.at(-1)?.event).toBe('stopped');
    const names = await readdir(join(dir, 'out'));
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(await readdir(join(dir, 'out/.kiosque'))).not.toContain('lock');
  });

  it('says when its configuration changes on disk (it reads it only when it starts), and survives SIGHUP, saying it is no reload', async () => {
    await makeSite(dir);
    const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--schedule', '*/2 * * * * *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const events = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; message?: string });
    try {
      await waitFor(() => events().some((e) => e.event === 'waiting'), 20_000);
      const config = JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...config, limit: 40 }));
      await waitFor(() => events().some((e) => e.event === 'config-changed'), 20_000);
      child.kill('SIGHUP');
      await waitFor(() => events().some((e) => e.event === 'sighup'), 10_000);
      const published = events().filter((e) => e.event === 'published' || e.event === 'run-skipped').length;
      // Still running: a later tick comes, and the change is said once.
      await waitFor(() => events().filter((e) => e.event === 'published' || e.event === 'run-skipped').length > published, 20_000);
      expect(events().filter((e) => e.event === 'config-changed')).toEqual([expect.objectContaining({ message: expect.stringContaining('restart it to apply the change') })]);
    } finally {
      child.kill('SIGTERM');
      expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(0);
    }
  }, 60_000);

  it('tells of a configuration change as it happens, between runs, and whether the new file would start at all', async () => {
    await makeSite(dir);
    // No run for a year: whatever it tells, it tells without one.
    const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--schedule', '0 0 1 1 *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    type Event = { event: string; valid?: boolean; message?: string; problems?: string[] };
    const changes = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event).filter((e) => e.event === 'config-changed');
    const file = join(dir, 'kiosque.config.json');
    try {
      await waitFor(() => stdout.includes('"waiting"'), 20_000);
      const original = await readFile(file, 'utf8');
      const config = JSON.parse(original) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...config, limit: 0 }));
      await waitFor(() => changes().length === 1, 15_000);
      expect(changes()[0]).toMatchObject({ valid: false, message: expect.stringContaining('is not valid: kiosque start goes on with the one it started with'), problems: [expect.stringContaining('/limit config-invalid "limit" must be a whole number')] });
      // Put back as it was: said so, nothing to restart.
      await writeFile(file, original);
      await waitFor(() => changes().length === 2, 15_000);
      expect(changes()[1]).toMatchObject({ valid: true, message: expect.stringContaining('again the one kiosque start runs with') });
      await writeFile(file, JSON.stringify({ ...config, limit: 40 }));
      await waitFor(() => changes().length === 3, 15_000);
      expect(changes()[2]).toMatchObject({ valid: true, message: expect.stringContaining('restart it to apply the change') });
    } finally {
      child.kill('SIGTERM');
      expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(0);
    }
  }, 60_000);

  it('stops during its startup run at once, as during a scheduled one, rather than publishing first', async () => {
    await makeSite(dir);
    const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--schedule', '0 0 1 1 *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // The sample store's first build takes seconds: the signal comes as it starts.
    await waitFor(() => stdout.includes('"event":"started"'), 20_000);
    child.kill('SIGTERM');
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(0);
    const log = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; trigger?: string; reason?: string });
    expect(log.map((e) => e.event)).not.toContain('waiting');
    expect(log.map((e) => e.event)).not.toContain('published');
    expect(log.find((e) => e.event === 'run-failed')).toMatchObject({ trigger: 'startup', reason: 'stopped before publishing' });
    expect(log.at(-1)?.event).toBe('stopped');
  });

  it('logs a failed run with its first errors, so the log tells an emptied store from a broken feed, and keeps the publication', async () => {
    const first = spawn(process.execPath, [cliPath, 'build', '--now', '2026-11-25T12:00:00Z'], { cwd: dir, stdio: 'ignore' });
    expect(await new Promise((resolve) => first.on('close', resolve))).toBe(0);
    const published = await readFile(join(dir, 'out', 'atom.xml'));
    await rm(join(dir, 'articles'), { recursive: true });
    await mkdir(join(dir, 'articles'));
    const child = spawn(process.execPath, [cliPath, 'start', '--no-serve', '--schedule', '0 0 1 1 *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await waitFor(() => stdout.includes('"event":"waiting"'), 20_000);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    const failed = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; errors?: number; problems?: string[] }).find((e) => e.event === 'run-failed');
    expect(failed).toMatchObject({ errors: 1, problems: [expect.stringMatching(/^\. store-emptied the article store \S+ holds no article to publish/)] });
    expect((await readFile(join(dir, 'out', 'atom.xml'))).equals(published)).toBe(true);
  });

  it('leaves a by-hand build waiting, not racing, while the service builds', async () => {
    const lockPath = join(dir, 'out/.kiosque/lock');
    const held = await acquireLock(lockPath, 0);
    if (!held.ok) throw new Error('could not take the lock');
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    setTimeout(() => void held.lock.release(), 500);
    const child = spawn(process.execPath, [cliPath, 'build', '--now', '2026-11-25T12:00:00Z', '--wait', '10', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).published).toBe(true);
  });
});

describe('kiosque start with a WebSub hub', () => {
  it('serves the new bytes before it pings the hub, so the hub fetches the new publication', async () => {
    let serverUrl = '';
    const fetched: { topic: string; status: number; body: string }[] = [];
    const hub = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', async () => {
        // Like a real hub: fetch the topic at once (from the local server that publishes it).
        const topic = new URLSearchParams(body).get('hub.topic') ?? '';
        const got = await fetch(new URL(topic.split('/').pop()!, serverUrl));
        fetched.push({ topic, status: got.status, body: await got.text() });
        res.statusCode = 202;
        res.end();
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as { port: number }).port}/`;
    await makeSite(dir, { hubs: [hubUrl] });
    const child = spawn(process.execPath, [cliPath, 'start', '--port', '0', '--schedule', '0 0 1 1 *'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const started = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; url?: string }).find((e) => e.event === 'started');
      if (started?.url) serverUrl = started.url;
    });
    try {
      await waitFor(() => fetched.length >= 3, 20_000);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve) => hub.close(resolve));
    }
    for (const f of fetched) {
      expect(f.status, f.topic).toBe(200);
      expect(f.body).toBe(await readFile(join(dir, 'out', f.topic.split('/').pop()!), 'utf8'));
    }
  });
});
