import { spawn } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliPath, repoRoot } from '../helpers.js';

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Runs the compiled CLI as a child process, the way an operator or cron would. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Another process holding `out/.kiosque/lock` in `dir` until `release()`: a build running elsewhere, as the CLI sees it. */
export async function holdLock(dir: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    import { acquireLock } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/src/publish/lock.js')).href)};
    const held = await acquireLock('out/.kiosque/lock', 0);
    process.stdout.write(held.ok ? 'held\\n' : 'failed\\n');
    process.stdin.resume();
    process.stdin.on('end', async () => { if (held.ok) await held.lock.release(); });`], { cwd: dir });
  const first = await new Promise<string>((resolve) => holder.stdout.once('data', (d: Buffer) => resolve(d.toString())));
  const release = async (): Promise<void> => {
    holder.stdin.end();
    await new Promise((r) => holder.on('close', r));
  };
  if (first !== 'held\n') {
    await release();
    throw new Error(`the lock could not be taken: ${first}`);
  }
  return { pid: holder.pid!, release };
}

export const SITE = {
  title: 'Test Gazette',
  description: 'A newsroom under test',
  url: 'https://gazette.example/',
  feedBaseUrl: 'https://gazette.example/feeds/',
  idPrefix: 'tag:gazette.example,2024:',
  language: 'fr',
  timezone: 'Europe/Paris',
  author: { name: 'La rédaction', email: 'redaction@gazette.example' },
  icon: 'https://gazette.example/icon.png',
};

/** A site directory with a copy of the sample store and a config; returns its path. */
export async function makeSite(dir: string, config: Record<string, unknown> = {}): Promise<string> {
  await cp(join(repoRoot, 'articles'), join(dir, 'articles'), { recursive: true });
  await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, ...config }, null, 2));
  return dir;
}

export const NOW = '2026-11-25T12:00:00Z';
