/**
 * The right to run a build, in either mode: the lock file in the out dir (one machine; the
 * default) or the PostgreSQL lease (several instances; `coordination.postgres`). The
 * pipeline asks for it once per run and does not care which it got.
 */
import type { Config } from '../config.js';
import { acquireLock, type LockOwner } from '../publish/lock.js';

export type RunLock =
  | {
    ok: true;
    /** Fencing token (lease mode): published with the run, refused once a newer one is. */
    fence?: number;
    /** Aborted when the lease is lost mid-run. */
    lost?: AbortSignal;
    /** False once the lease is lost; always true with the lock file. */
    stillHeld: () => Promise<boolean>;
    /** `done`: the run reached its verdict (published, or refused by validation or for an emptied store), so its tick needs no other run. */
    release: (done: boolean) => Promise<void>;
  }
  | { ok: false; skipped: { owner?: LockOwner; reason?: string }; failure: string }
  | { ok: false; skipped?: undefined; failure: string };

export type RunLockRequest = {
  /** The lock file (file mode). */
  lockFile: string;
  waitMs: number;
  /** The scheduled tick this run is for. */
  slot?: Date;
  signal?: AbortSignal;
};

const ownerText = (o: LockOwner): string => `pid ${o.pid} on ${o.host}, since ${o.since}`;

export async function acquireRunLock(config: Pick<Config, 'coordination' | 'feedBaseUrl'>, request: RunLockRequest): Promise<RunLock> {
  const coordination = config.coordination;
  if (!coordination) {
    const lock = await acquireLock(request.lockFile, request.waitMs, request.signal ? { signal: request.signal } : {});
    if (lock.ok) return { ok: true, stillHeld: async () => true, release: () => lock.lock.release() };
    if (lock.reason === 'error') return { ok: false, failure: lock.message };
    if (lock.reason === 'stopped') return { ok: false, failure: `stopped while waiting for another build${lock.owner ? ` (${ownerText(lock.owner)})` : ''} to finish` };
    return {
      ok: false,
      skipped: lock.owner ? { owner: lock.owner } : {},
      failure: `another build is running${lock.owner ? ` (${ownerText(lock.owner)})` : ''}`,
    };
  }
  // Loaded only in lease mode: the single-machine set-up never pays for the driver.
  const { acquirePgLease } = await import('./postgres.js');
  const outcome = await acquirePgLease(coordination, {
    name: coordination.name ?? config.feedBaseUrl,
    waitMs: request.waitMs,
    ...(request.slot ? { slot: request.slot } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  if (outcome.ok) {
    const { lease } = outcome;
    return { ok: true, fence: lease.token, lost: lease.lost, stillHeld: lease.stillHeld, release: lease.release };
  }
  let reason: string;
  if (outcome.reason === 'unreachable') reason = `${outcome.message}; this run is skipped and nothing is published`;
  // Published, or refused for what the store holds, which this instance would refuse too.
  else if (outcome.reason === 'done') reason = `the tick of ${request.slot?.toISOString()} was already run${outcome.by ? ` (${outcome.by})` : ''}`;
  else reason = `another instance holds the lease${outcome.holder ? ` (${ownerText(outcome.holder)})` : ''}`;
  return { ok: false, skipped: { ...(outcome.reason === 'busy' && outcome.holder ? { owner: outcome.holder } : {}), reason }, failure: reason };
}
