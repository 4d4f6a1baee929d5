/**
 * One build at a time across processes, as a lease (Node has no flock, and native addons
 * need install scripts). The lock file holds the owner's record: host, boot id, pid and the
 * pid's start time, so a reused pid (pid 1 in every container) is told from the owner. The
 * holder refreshes the file's mtime while it holds it; a lock whose heartbeat stopped for
 * longer than `maxAgeMs` is stale whatever host wrote it, so a lock left by a container with
 * another hostname cannot wedge later builds. On the owner's own host and boot, a dead pid
 * or a pid started at another time makes it stale at once.
 *
 * Replacing a stale lock is serialised by a claim file named after the victim's token and
 * created with O_EXCL: of several processes taking over the same lock, one wins the claim,
 * re-checks that the lock is still the victim, and renames its own record over it. A claim
 * whose maker died is itself stale after `claimMaxAgeMs`; the next claim takes the next
 * number, so a dead claimer cannot wedge the lock either. Releasing takes the same claim on
 * its own token, so a release never removes a lock someone else took.
 *
 * Like every lease, this assumes a holder is not frozen for longer than `maxAgeMs` (60 s).
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type LockOwner = { pid: number; host: string; since: string };

export type Lock = { path: string; release: () => Promise<void> };

export type LockOutcome =
  | { ok: true; lock: Lock; waitedMs: number; tookOverStale?: LockOwner }
  | { ok: false; reason: 'busy'; owner?: LockOwner; waitedMs: number }
  | { ok: false; reason: 'stopped'; owner?: LockOwner; waitedMs: number }
  | { ok: false; reason: 'error'; message: string };

export type LockOptions = {
  /** How often a waiting build looks again. */
  pollMs?: number;
  /** A lock whose heartbeat is older than this is stale on any host. */
  maxAgeMs?: number;
  /** How often the holder refreshes the lock's mtime; well under `maxAgeMs`. */
  heartbeatMs?: number;
  /** A takeover claim older than this was left by a process that died mid-takeover. */
  claimMaxAgeMs?: number;
  /** Ends the wait (SIGTERM, Ctrl-C): an operator stopping a build waiting for another must not wait minutes. */
  signal?: AbortSignal;
};

const LOCK_DEFAULTS = { pollMs: 100, maxAgeMs: 60_000, heartbeatMs: 5_000, claimMaxAgeMs: 10_000 } as const;
type Timings = Required<Omit<LockOptions, 'signal'>>;

/** Stored in the lock file; `token` tells one holding from the next, even by the same pid. */
type LockRecord = LockOwner & { token: string; boot?: string; start?: string };

const readTrimmed = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined; // Not Linux, or no /proc: those checks are skipped and the age still applies.
  }
};

const BOOT_ID = readTrimmed('/proc/sys/kernel/random/boot_id');

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); the name field may hold spaces or parentheses. */
export function processStartTime(pid: number): string | undefined {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // Fields counted from 3 (state) after the name.
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function newRecord(): LockRecord {
  const record: LockRecord = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomUUID() };
  if (BOOT_ID) record.boot = BOOT_ID;
  const start = processStartTime(process.pid);
  if (start) record.start = start;
  return record;
}

type Seen = { text: string; record?: LockRecord; ageMs: number };

async function look(path: string): Promise<Seen | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const seen: Seen = { text, ageMs: Date.now() - info.mtimeMs };
    try {
      const r = JSON.parse(text) as Partial<LockRecord>;
      if (typeof r.pid === 'number' && typeof r.host === 'string') {
        seen.record = { pid: r.pid, host: r.host, since: String(r.since ?? ''), token: String(r.token ?? '') };
        if (typeof r.boot === 'string') seen.record.boot = r.boot;
        if (typeof r.start === 'string') seen.record.start = r.start;
      }
    } catch {
      // Not a record: judged by its age below.
    }
    return seen;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const ownerOf = (r: LockRecord): LockOwner => ({ pid: r.pid, host: r.host, since: r.since });

/** Why the lock is stale, or undefined while its holder may still be running. */
function staleReason(seen: Seen, o: Timings): string | undefined {
  if (seen.ageMs > o.maxAgeMs) return 'its heartbeat stopped';
  const r = seen.record;
  // Locks are linked into place whole, so no record means garbage (or an older kiosque mid-write).
  if (!r) return seen.ageMs > o.claimMaxAgeMs ? 'it holds no owner record' : undefined;
  if (r.host !== hostname()) return undefined; // Another machine or container: only the age can tell.
  if (r.boot && BOOT_ID && r.boot !== BOOT_ID) return 'its host rebooted';
  if (!isAlive(r.pid)) return 'its process exited';
  const start = r.start ? processStartTime(r.pid) : undefined;
  if (start && start !== r.start) return 'its pid now belongs to another process';
  return undefined;
}

/** Writes `text` to a private file and links it to `target`: O_EXCL semantics, never half-written. */
async function createWith(target: string, text: string): Promise<boolean> {
  const tmp = `${target}.${randomUUID()}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  try {
    await link(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

const claimPath = (path: string, token: string, n: number): string => `${path}.claim-${token || 'none'}-${n}`;

/**
 * Exclusive right to replace or remove the lock whose token is `token`: the first claim
 * number not held by a live claimer. Returns the claim paths to remove afterwards, or
 * undefined when another process holds a live claim.
 */
async function claim(path: string, token: string, claimMaxAgeMs: number): Promise<string[] | undefined> {
  const made: string[] = [];
  for (let n = 1; ; n++) {
    const p = claimPath(path, token, n);
    if (await createWith(p, `${process.pid}\n`)) return [...made, p];
    const age = await stat(p).then((s) => Date.now() - s.mtimeMs, () => Infinity);
    if (age <= claimMaxAgeMs) return undefined;
    made.push(p); // A dead claimer's: removed by whoever finishes.
  }
}

const removeAll = (paths: string[]): Promise<unknown> => Promise.all(paths.map((p) => unlink(p).catch(() => undefined)));

/** Temp and claim files that a crash left beside the lock; only ones older than any live use. */
async function sweep(path: string, olderThanMs: number): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !(name.endsWith('.tmp') || name.includes('.claim-'))) continue;
    const file = join(dir, name);
    const old = await stat(file).then((s) => Date.now() - s.mtimeMs > olderThanMs, () => false);
    if (old) await unlink(file).catch(() => undefined);
  }
}

function holding(path: string, record: LockRecord, text: string, o: Timings): Lock {
  const isMine = async (): Promise<boolean> => (await look(path).catch(() => undefined))?.text === text;
  // The heartbeat keeps a long build from looking abandoned; unref'd so it never holds the process open.
  const heartbeat = setInterval(() => {
    void isMine().then((mine) => {
      if (mine) {
        const now = new Date();
        return utimes(path, now, now);
      }
    }).catch(() => undefined);
  }, o.heartbeatMs);
  heartbeat.unref();
  return {
    path,
    release: async () => {
      clearInterval(heartbeat);
      // The same claim a takeover needs: a release and a takeover of this lock never interleave.
      const claimed = await claim(path, record.token, o.claimMaxAgeMs).catch(() => undefined);
      if (!claimed) return;
      if (await isMine()) await unlink(path).catch(() => undefined);
      await removeAll(claimed);
    },
  };
}

/**
 * Takes the lock at `path`. `waitMs` = 0 means try once (the scheduler skips a busy run);
 * a by-hand build waits for the running one to finish.
 */
export async function acquireLock(path: string, waitMs: number, options: LockOptions = {}): Promise<LockOutcome> {
  const o: Timings = { ...LOCK_DEFAULTS, ...options };
  const { signal } = options;
  const started = Date.now();
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    return { ok: false, reason: 'error', message: `cannot create ${dirname(path)}: ${describeFsError(err)}` };
  }
  await sweep(path, Math.max(o.maxAgeMs, o.claimMaxAgeMs));
  let tookOverStale: LockOwner | undefined;
  const won = (record: LockRecord, text: string): LockOutcome => {
    const lock = holding(path, record, text, o);
    const waitedMs = Date.now() - started;
    return tookOverStale ? { ok: true, lock, waitedMs, tookOverStale } : { ok: true, lock, waitedMs };
  };
  for (;;) {
    const record = newRecord();
    const text = `${JSON.stringify(record)}\n`;
    let seen: Seen | undefined;
    try {
      if (await createWith(path, text)) return won(record, text);
      seen = await look(path);
      if (seen && staleReason(seen, o)) {
        const claimed = await claim(path, seen.record?.token ?? '', o.claimMaxAgeMs);
        if (claimed) {
          try {
            // Still the lock judged stale? It may have been released, or taken over and released.
            if ((await look(path))?.text === seen.text) {
              const tmp = `${path}.${record.token}.tmp`;
              await writeFile(tmp, text, { mode: 0o644 });
              await rename(tmp, path);
              if (seen.record) tookOverStale = ownerOf(seen.record);
              return won(record, text);
            }
          } finally {
            await removeAll(claimed);
          }
          continue; // It changed under us: look again.
        }
        // Another process is taking it over: busy, like a live holder.
      }
    } catch (err) {
      return { ok: false, reason: 'error', message: `cannot create the lock ${path}: ${describeFsError(err)}` };
    }
    if (!seen) continue; // Released between our attempt and our look.
    const waited = Date.now() - started;
    const owner = seen.record ? { owner: ownerOf(seen.record) } : {};
    if (signal?.aborted) return { ok: false, reason: 'stopped', ...owner, waitedMs: waited };
    if (waited >= waitMs) return { ok: false, reason: 'busy', ...owner, waitedMs: waited };
    await sleep(Math.min(o.pollMs, waitMs - waited), undefined, signal ? { signal } : undefined).catch(() => undefined);
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
  // Node's own text repeats the code ("ELOOP: too many symbolic links encountered, stat '/x'"): said once here. Of a
  // link, copy or rename, the path that failed is the one being made (`dest`), not the existing file it comes from.
  const where = (e as NodeJS.ErrnoException & { dest?: string }).dest ?? e?.path;
  if (e && typeof e.code === 'string') return `${e.code}: ${reasons[e.code] ?? e.message.replace(`${e.code}: `, '')}${reasons[e.code] && where ? ` (${where})` : ''}`;
  return e instanceof Error ? e.message : String(err);
}
