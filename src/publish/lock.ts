/**
 * One build at a time across processes: a lock file created with O_EXCL holding the owner's
 * pid. A lock whose owner is no longer alive (a killed run) is stale and is taken over, so
 * the next run recovers on its own. Within one process node-cron's noOverlap already
 * prevents overlap; this covers a by-hand build racing the scheduled one.
 */
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type LockOwner = { pid: number; host: string; since: string };

export type Lock = { path: string; release: () => Promise<void> };

export type LockOutcome =
  | { ok: true; lock: Lock; waitedMs: number; tookOverStale?: LockOwner }
  | { ok: false; reason: 'busy'; owner?: LockOwner; waitedMs: number }
  | { ok: false; reason: 'error'; message: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') {
      return { pid: owner.pid, host: owner.host, since: String(owner.since ?? '') };
    }
  } catch {
    // Unreadable or half-written: treated below.
  }
  return undefined;
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o644);
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Takes the lock at `path`. `waitMs` = 0 means try once (the scheduler skips a busy run);
 * a by-hand build waits for the running one to finish.
 */
export async function acquireLock(path: string, waitMs: number, pollMs = 100): Promise<LockOutcome> {
  const started = Date.now();
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    return { ok: false, reason: 'error', message: `cannot create ${dirname(path)}: ${describeFsError(err)}` };
  }
  let tookOverStale: LockOwner | undefined;
  for (;;) {
    try {
      if (await tryCreate(path)) {
        const lock: Lock = {
          path,
          release: async () => {
            const owner = await readOwner(path);
            if (owner?.pid === process.pid) await unlink(path).catch(() => undefined);
          },
        };
        return tookOverStale ? { ok: true, lock, waitedMs: Date.now() - started, tookOverStale } : { ok: true, lock, waitedMs: Date.now() - started };
      }
    } catch (err) {
      return { ok: false, reason: 'error', message: `cannot create the lock ${path}: ${describeFsError(err)}` };
    }
    const owner = await readOwner(path);
    const sameHost = owner?.host === hostname();
    if (owner && sameHost && !isAlive(owner.pid)) {
      // Stale: its process is gone. Removing and re-creating with O_EXCL means only one of
      // several racing processes wins the retake.
      await unlink(path).catch(() => undefined);
      tookOverStale = owner;
      continue;
    }
    if (!owner && (await ageMs(path)) > 5_000) {
      // Not being written right now: garbage left by a crash mid-write.
      await unlink(path).catch(() => undefined);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) return owner ? { ok: false, reason: 'busy', owner, waitedMs: waited } : { ok: false, reason: 'busy', waitedMs: waited };
    await sleep(Math.min(pollMs, waitMs - waited));
  }
}

/** `EACCES: permission denied` style text without a stack. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    ENOTDIR: 'a path component is a file, not a directory',
    EISDIR: 'is a directory',
    ENOENT: 'no such file or directory',
    EEXIST: 'already exists',
    EDQUOT: 'disk quota exceeded',
  };
  if (e && typeof e.code === 'string') return `${e.code}: ${reasons[e.code] ?? e.message}`;
  return e instanceof Error ? e.message : String(err);
}
