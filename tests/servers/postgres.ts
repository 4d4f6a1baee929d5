/**
 * A throw-away PostgreSQL cluster on 127.0.0.1 for tests, from the distribution's server
 * binaries (Debian's `postgresql` package; .ci/run installs it). initdb refuses to run as
 * root, so as root the cluster belongs to the `postgres` user. Under CI a missing server
 * fails the tests loudly; elsewhere they are skipped with a message saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findBinDir(): string | undefined {
  if (process.env.KIOSQUE_PG_BIN) return process.env.KIOSQUE_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

export const PG_BIN = findBinDir();

/** Why the PostgreSQL tests cannot run here, or undefined when they can. Throws under CI. */
export function postgresUnavailable(): string | undefined {
  if (PG_BIN) return undefined;
  const why = 'PostgreSQL server binaries not found (install Debian\'s postgresql package, or set KIOSQUE_PG_BIN)';
  if (process.env.CI === 'true') throw new Error(`${why}: CI must run the coordination tests`);
  process.stderr.write(`skipping the PostgreSQL tests: ${why}\n`);
  return why;
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

export type PgTestServer = {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  stop: () => void;
  start: () => void;
  destroy: () => void;
};

export async function startPostgres(): Promise<PgTestServer> {
  if (!PG_BIN) throw new Error('no PostgreSQL binaries');
  const dir = mkdtempSync(join(tmpdir(), 'kiosque-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : undefined;
  if (owner !== undefined) chownSync(dir, owner, owner);
  const run = (tool: string, args: string[]): void => {
    const argv = asRoot ? ['runuser', '-u', 'postgres', '--', join(PG_BIN!, tool), ...args] : [join(PG_BIN!, tool), ...args];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr}${r.stdout}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'kiosque', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const start = (): void => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o',
    `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, 'start']);
  start();
  return {
    url: `postgres://kiosque@127.0.0.1:${port}/postgres`,
    start,
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
