import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { link, mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, describeFsError, processStartTime } from '../../src/publish/lock.js';
import { repoRoot, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const lockModule = pathToFileURL(join(repoRoot, 'dist/src/publish/lock.js')).href;

/**
 * A real process that takes the lock when it reads "go" on stdin, prints the outcome as a JSON
 * line, keeps whatever it won until its stdin closes, then exits without releasing.
 */
function contender(path: string, options: Record<string, number>): ChildProcessWithoutNullStreams {
  const script = `
    import { acquireLock } from ${JSON.stringify(lockModule)};
    process.stdin.once('data', async () => {
      const out = await acquireLock(${JSON.stringify(path)}, 0, ${JSON.stringify(options)});
      process.stdout.write(JSON.stringify({ ok: out.ok, reason: out.reason, message: out.message }) + '\\n');
      process.stdin.on('end', () => process.exit(0));
    });
    process.stdout.write('ready\\n');`;
  return spawn(process.execPath, ['--input-type=module', '-e', script]);
}

function nextLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        child.stdout.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`contender exited ${code} before answering`)));
  });
}

/** A lock record as another holder would have written it. */
const record = (fields: Record<string, unknown>): string =>
  `${JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00.000Z', token: `victim-${Math.random()}`, ...fields })}\n`;

async function backdate(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

describe('acquireLock', () => {
  it('refuses a second holder at once when asked not to wait, naming the owner', async () => {
    const path = join(dir, '.kiosque/lock');
    const first = await acquireLock(path, 0);
    expect(first.ok).toBe(true);
    const second = await acquireLock(path, 0);
    expect(second).toMatchObject({ ok: false, reason: 'busy', owner: { pid: process.pid, host: hostname() } });
    if (first.ok) await first.lock.release();
    expect((await acquireLock(path, 0)).ok).toBe(true);
  });

  it('waits for the holder to release when asked to wait', async () => {
    const path = join(dir, 'lock');
    const first = await acquireLock(path, 0);
    if (!first.ok) throw new Error('first lock failed');
    setTimeout(() => void first.lock.release(), 150);
    const second = await acquireLock(path, 5_000, { pollMs: 20 });
    expect(second.ok).toBe(true);
    if (second.ok) expect(second.waitedMs).toBeGreaterThanOrEqual(100);
  });

  it('stops waiting when its signal aborts (SIGTERM, Ctrl-C), long before the wait is over, naming the holder', async () => {
    const path = join(dir, 'lock');
    const first = await acquireLock(path, 0);
    if (!first.ok) throw new Error('first lock failed');
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const started = Date.now();
    // A poll far longer than the test: only the abort can end the sleep in time.
    const second = await acquireLock(path, 60_000, { pollMs: 30_000, signal: stop.signal });
    expect(second).toMatchObject({ ok: false, reason: 'stopped', owner: { pid: process.pid } });
    expect(Date.now() - started).toBeLessThan(20_000);
    await first.lock.release();
  });

  it('takes over a lock whose process died (a killed run), so the next run recovers', async () => {
    const path = join(dir, 'lock');
    const pid = await deadPid();
    await writeFile(path, JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const outcome = await acquireLock(path, 0);
    expect(outcome).toMatchObject({ ok: true, tookOverStale: { pid } });
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock from another hostname only once its heartbeat is older than the maximum age', async () => {
    const path = join(dir, 'lock');
    // pid 1 is alive here, as in every container: it must not count for another host.
    await writeFile(path, record({ pid: 1, host: 'build-container-7f3a' }));
    expect(await acquireLock(path, 0, { maxAgeMs: 2_000 })).toMatchObject({ ok: false, reason: 'busy', owner: { host: 'build-container-7f3a' } });
    await backdate(path, 2_500);
    expect(await acquireLock(path, 0, { maxAgeMs: 2_000 })).toMatchObject({ ok: true, tookOverStale: { pid: 1, host: 'build-container-7f3a' } });
  });

  it('treats a lock whose pid is alive but started at another time as stale (a reused pid)', async () => {
    const path = join(dir, 'lock');
    const start = processStartTime(process.pid);
    if (start === undefined) return; // No /proc on this system: only the age applies.
    await writeFile(path, record({ pid: process.pid, start: String(Number(start) + 1) }));
    expect(await acquireLock(path, 0)).toMatchObject({ ok: true, tookOverStale: { pid: process.pid } });
    // The same pid with its real start time is a live holder.
    await writeFile(path, record({ pid: process.pid, start }));
    expect(await acquireLock(path, 0)).toMatchObject({ ok: false, reason: 'busy' });
  });

  it('treats a lock from this host before its last reboot as stale, though its pid is alive now', async () => {
    const path = join(dir, 'lock');
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
    if (!boot) return; // No boot id on this system: only the age applies.
    await writeFile(path, record({ pid: process.pid, boot: 'a-previous-boot' }));
    expect(await acquireLock(path, 0)).toMatchObject({ ok: true, tookOverStale: { pid: process.pid } });
    await writeFile(path, record({ pid: process.pid, boot }));
    expect(await acquireLock(path, 0)).toMatchObject({ ok: false, reason: 'busy' });
  });

  it('removes a lock file holding no owner record once it is older than a takeover claim may live', async () => {
    const path = join(dir, 'lock');
    await writeFile(path, '{"pi');
    expect(await acquireLock(path, 0, { claimMaxAgeMs: 1_000 })).toMatchObject({ ok: false, reason: 'busy' });
    await backdate(path, 2_000);
    expect(await acquireLock(path, 0, { claimMaxAgeMs: 1_000 })).toMatchObject({ ok: true });
  });

  it('never takes over a live holder: its heartbeat keeps the lock younger than the maximum age', async () => {
    const path = join(dir, 'lock');
    const holder = contender(path, { heartbeatMs: 100, maxAgeMs: 600 });
    try {
      await nextLine(holder);
      holder.stdin.write('go\n');
      expect(JSON.parse(await nextLine(holder))).toMatchObject({ ok: true });
      const until = Date.now() + 2_000; // More than three maximum ages.
      while (Date.now() < until) {
        expect(await acquireLock(path, 0, { maxAgeMs: 600 })).toMatchObject({ ok: false, reason: 'busy', owner: { pid: holder.pid } });
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      holder.stdin.end();
    }
  });

  it('exactly one of several processes taking over the same stale lock at once wins, round after round', async () => {
    const path = join(dir, 'lock');
    const rounds: Array<() => Promise<void>> = [
      async () => writeFile(path, record({ pid: await deadPid() })),
      async () => {
        await writeFile(path, record({ pid: 1, host: 'gone-container' }));
        await backdate(path, 5_000);
      },
      async () => writeFile(path, record({ pid: process.pid, start: '1' })),
      async () => {
        // A takeover claim left by a process killed mid-takeover must not wedge the lock.
        const token = 'victim-with-dead-claim';
        await writeFile(path, record({ pid: await deadPid(), token }));
        await writeFile(`${path}.claim-${token}-1`, '4242\n');
        await backdate(`${path}.claim-${token}-1`, 20_000);
      },
    ];
    for (const [round, makeStale] of rounds.entries()) {
      await makeStale();
      const children = Array.from({ length: 6 }, () => contender(path, { maxAgeMs: 3_000 }));
      try {
        await Promise.all(children.map(nextLine));
        const answers = children.map(nextLine);
        for (const c of children) c.stdin.write('go\n');
        const outcomes = (await Promise.all(answers)).map((l) => JSON.parse(l) as { ok: boolean; reason?: string });
        const winners = children.filter((_, i) => outcomes[i]!.ok);
        expect(winners, `round ${round}: ${JSON.stringify(outcomes)}`).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok).every((o) => o.reason === 'busy')).toBe(true);
        expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(winners[0]!.pid);
      } finally {
        for (const c of children) c.stdin.end();
        await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))));
      }
    }
    // Claims and temp files are cleaned up by the winners.
    expect(await readdir(dir)).toEqual(['lock']);
  }, 60_000);

  it('a release never removes a lock that someone else took over', async () => {
    const path = join(dir, 'lock');
    const first = await acquireLock(path, 0, { maxAgeMs: 1_000, heartbeatMs: 60_000 });
    if (!first.ok) throw new Error('first lock failed');
    await backdate(path, 2_000); // Its holder looked frozen past the maximum age.
    const second = await acquireLock(path, 0, { maxAgeMs: 1_000 });
    expect(second.ok).toBe(true);
    const taken = await readFile(path, 'utf8');
    await first.lock.release();
    expect(await readFile(path, 'utf8')).toBe(taken);
    if (second.ok) await second.lock.release();
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a lock that cannot be created as an error value', async () => {
    await writeFile(join(dir, 'file'), '');
    const outcome = await acquireLock(join(dir, 'file/lock'), 0);
    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
  });
});

describe('describeFsError', () => {
  it('says which path a file system error is about, and its code once', async () => {
    const failing = (op: () => Promise<unknown>): Promise<unknown> => op().then(() => undefined, (err: unknown) => err);
    await mkdir(join(dir, 'in-the-way'));
    expect(describeFsError(await failing(() => writeFile(join(dir, 'in-the-way'), 'x')))).toBe(`EISDIR: is a directory (${join(dir, 'in-the-way')})`);
    await symlink(join(dir, 'loop-b'), join(dir, 'loop-a'));
    await symlink(join(dir, 'loop-a'), join(dir, 'loop-b'));
    expect(describeFsError(await failing(() => stat(join(dir, 'loop-a'))))).toBe(`ELOOP: too many symbolic links encountered, stat '${join(dir, 'loop-a')}'`);
    // A link that cannot be made names the link, not the published file it would share.
    await writeFile(join(dir, 'live.xml'), 'x');
    expect(describeFsError(await failing(() => link(join(dir, 'live.xml'), join(dir, 'in-the-way'))))).toBe(`EEXIST: already exists (${join(dir, 'in-the-way')})`);
  });
});
