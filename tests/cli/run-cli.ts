import { spawn } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
