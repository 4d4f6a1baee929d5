import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/publish/lock.js';
import { tempDir } from '../helpers.js';

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

describe('acquireLock', () => {
  it('refuses a second holder at once when asked not to wait, naming the owner', async () => {
    const path = join(dir, '.kiosque/lock');
    const first = await acquireLock(path, 0);
    expect(first.ok).toBe(true);
    const second = await acquireLock(path, 0);
    expect(second).toMatchObject({ ok: false, reason: 'busy', owner: { pid: process.pid } });
    if (first.ok) await first.lock.release();
    expect((await acquireLock(path, 0)).ok).toBe(true);
  });

  it('waits for the holder to release when asked to wait', async () => {
    const path = join(dir, 'lock');
    const first = await acquireLock(path, 0);
    if (!first.ok) throw new Error('first lock failed');
    setTimeout(() => void first.lock.release(), 150);
    const second = await acquireLock(path, 5_000, 20);
    expect(second.ok).toBe(true);
    if (second.ok) expect(second.waitedMs).toBeGreaterThanOrEqual(100);
  });

  it('takes over a lock whose process died (a killed run), so the next run recovers', async () => {
    const path = join(dir, 'lock');
    const pid = await deadPid();
    await writeFile(path, JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const outcome = await acquireLock(path, 0);
    expect(outcome).toMatchObject({ ok: true, tookOverStale: { pid } });
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
  });

  it('reports a lock that cannot be created as an error value', async () => {
    await writeFile(join(dir, 'file'), '');
    const outcome = await acquireLock(join(dir, 'file/lock'), 0);
    expect(outcome).toMatchObject({ ok: false, reason: 'error' });
  });
});
