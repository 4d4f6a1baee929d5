/**
 * The PostgreSQL lease: one run at a time across machines, with a fencing token.
 *
 * A run takes a session-level advisory lock and, in the same transaction, increments the
 * lease row's generation: that number is the run's fencing token, and every publication
 * carries it. The lock lives as long as the run's database session, so a holder that dies
 * (SIGKILL, crash, lost machine) frees it the moment PostgreSQL sees the connection close,
 * and one that freezes is cut off by PostgreSQL itself: the session is opened with
 * `idle_session_timeout` = the lease length, and a live holder runs a heartbeat query well
 * within it. When a frozen holder wakes, its session is gone; if it still reaches its
 * publish step, its token is older than the one its successor published and the target
 * refuses it.
 *
 * Scheduled ticks are named by their slot (the tick's nominal instant, the same on every
 * instance): the lease row records the latest slot a run completed, so an instance that
 * gets the lock after the tick's run finished skips it, and one that waited on a holder that
 * died runs that tick itself. Needs PostgreSQL 14 or later (idle_session_timeout).
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { LockOwner } from '../publish/lock.js';
import { redactUrl, type CoordinationSettings } from '../scaling-config.js';

export type Lease = {
  /** Fencing token: the lease generation this run holds, larger than every earlier one. */
  token: number;
  /** Aborted when the lease is lost: the session ended, or a heartbeat failed. */
  lost: AbortSignal;
  /** Asks the database whether this run still holds the lease. */
  stillHeld: () => Promise<boolean>;
  /** Ends the run; with `done`, records its slot as published so other instances skip it. */
  release: (done: boolean) => Promise<void>;
};

export type LeaseOutcome =
  | { ok: true; lease: Lease; waitedMs: number }
  | { ok: false; reason: 'busy'; holder?: LockOwner; waitedMs: number }
  | { ok: false; reason: 'done'; by?: string }
  | { ok: false; reason: 'unreachable'; message: string };

export type LeaseRequest = {
  /** The lease's name (one per site). */
  name: string;
  /** The scheduled tick this run is for; absent for by-hand, startup and embargo runs. */
  slot?: Date;
  /** How long to wait for a holder; 0 = try once. */
  waitMs: number;
  signal?: AbortSignal;
  pollMs?: number;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kiosque_lease (
  name text PRIMARY KEY,
  generation bigint NOT NULL DEFAULT 0,
  holder_host text,
  holder_pid integer,
  acquired_at timestamptz,
  renewed_at timestamptz,
  done_through timestamptz,
  done_by text
)`;

/** Advisory lock keys live in one bigint space shared by every application on the server. */
const LOCK_KEY = `hashtextextended('kiosque-lease:' || $1, 0)`;

const describePgError = (err: unknown): string => {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  const message = e?.errors?.[0]?.message ?? e?.message ?? String(err);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
};

async function connect(settings: CoordinationSettings): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: settings.postgres,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 10_000,
    application_name: 'kiosque',
    keepAlive: true,
  });
  // Without a listener, a session ended by the server would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`SET idle_session_timeout = ${settings.leaseSeconds * 1000}`);
    // Created once; a role without CREATE on the schema works once it exists.
    const present = (await client.query<{ present: boolean }>(`SELECT to_regclass('kiosque_lease') IS NOT NULL AS present`)).rows[0]?.present;
    if (!present) {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalogue: serialise it.
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('kiosque-schema', 0))`);
      await client.query(SCHEMA);
      await client.query('COMMIT');
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

export async function acquirePgLease(settings: CoordinationSettings, request: LeaseRequest): Promise<LeaseOutcome> {
  const started = Date.now();
  const pollMs = request.pollMs ?? 200;
  let client: pg.Client;
  try {
    client = await connect(settings);
  } catch (err) {
    const message = describePgError(err);
    const hint = /idle_session_timeout/.test(message) ? ' (PostgreSQL 14 or later is needed)' : '';
    // SQLSTATE class 28: it answered, and refused the user or the password.
    const refused = /^28/.test(String((err as { code?: unknown }).code ?? ''));
    return { ok: false, reason: 'unreachable', message: `the coordination database ${redactUrl(settings.postgres)} ${refused ? 'refused the login' : 'is unreachable'}: ${message}${hint}` };
  }
  const lost = new AbortController();
  client.on('error', (err) => lost.abort(err));
  client.on('end', () => lost.abort(new Error('the database session ended')));
  const slot = request.slot?.toISOString() ?? null;
  const done = (row: { done_through: Date | null } | undefined): boolean => slot !== null && row?.done_through != null && row.done_through.getTime() >= request.slot!.getTime();

  try {
    await client.query('INSERT INTO kiosque_lease (name) VALUES ($1) ON CONFLICT DO NOTHING', [request.name]);
    for (;;) {
      await client.query('BEGIN');
      const got = (await client.query<{ got: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS got`, [request.name])).rows[0]?.got === true;
      const row = (await client.query<{ generation: string; done_through: Date | null; done_by: string | null; holder_host: string | null; holder_pid: number | null; acquired_at: Date | null }>(
        `SELECT generation, done_through, done_by, holder_host, holder_pid, acquired_at FROM kiosque_lease WHERE name = $1${got ? ' FOR UPDATE' : ''}`, [request.name],
      )).rows[0];
      if (done(row)) {
        await client.query('COMMIT');
        await client.end();
        return { ok: false, reason: 'done', ...(row?.done_by ? { by: row.done_by } : {}) };
      }
      if (got) {
        const token = Number((await client.query<{ generation: string }>(
          `UPDATE kiosque_lease SET generation = generation + 1, holder_host = $2, holder_pid = $3, acquired_at = now(), renewed_at = now()
           WHERE name = $1 RETURNING generation`, [request.name, hostname(), process.pid],
        )).rows[0]!.generation);
        await client.query('COMMIT');
        return { ok: true, lease: holding(client, settings, request.name, token, slot, lost), waitedMs: Date.now() - started };
      }
      await client.query('COMMIT');
      const waitedMs = Date.now() - started;
      if (waitedMs >= request.waitMs || request.signal?.aborted) {
        await client.end();
        const holder = row?.holder_host && row.holder_pid != null
          ? { holder: { pid: row.holder_pid, host: row.holder_host, since: row.acquired_at?.toISOString() ?? '' } }
          : {};
        return { ok: false, reason: 'busy', ...holder, waitedMs };
      }
      await sleep(Math.min(pollMs, request.waitMs - waitedMs), undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined);
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    return { ok: false, reason: 'unreachable', message: `the coordination database ${redactUrl(settings.postgres)} failed: ${describePgError(err)}` };
  }
}

function holding(client: pg.Client, settings: CoordinationSettings, name: string, token: number, slot: string | null, lost: AbortController): Lease {
  const check = async (): Promise<boolean> => {
    if (lost.signal.aborted) return false;
    try {
      // The advisory lock is ours while the session lives, so nobody can have moved the generation on.
      const res = await client.query(`UPDATE kiosque_lease SET renewed_at = now() WHERE name = $1 AND generation = $2`, [name, token]);
      if (res.rowCount === 1) return true;
      lost.abort(new Error('the lease generation moved on'));
    } catch (err) {
      lost.abort(err);
    }
    return false;
  };
  // A third of the lease: two missed beats still leave the session alive.
  const heartbeat = setInterval(() => void check(), Math.max(500, (settings.leaseSeconds * 1000) / 3));
  heartbeat.unref();
  return {
    token,
    lost: lost.signal,
    stillHeld: check,
    release: async (done) => {
      clearInterval(heartbeat);
      if (!lost.signal.aborted) {
        try {
          await client.query(
            `UPDATE kiosque_lease SET holder_host = NULL, holder_pid = NULL,
               done_through = CASE WHEN $3::timestamptz IS NULL THEN done_through ELSE GREATEST(done_through, $3::timestamptz) END,
               done_by = CASE WHEN $3::timestamptz IS NULL THEN done_by ELSE $4 END
             WHERE name = $1 AND generation = $2`,
            [name, token, done ? slot : null, `pid ${process.pid} on ${hostname()}, token ${token}`],
          );
          await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [name]);
        } catch {
          // The session is going away: that releases the lock too.
        }
      }
      await client.end().catch(() => undefined);
    },
  };
}
