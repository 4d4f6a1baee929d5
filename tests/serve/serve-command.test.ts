import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers.js';
import { httpRequest, sampleFiles, writePublication } from './publication.js';

let dir: string;
let cleanup: () => Promise<void>;
let config: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kiosque-serve-cli-'));
  config = join(dir, 'kiosque.config.json');
  await writeFile(config, JSON.stringify({ title: 'Test', url: 'https://news.example/', out: 'public' }));
  await writePublication(join(dir, 'public'), sampleFiles('cli'));
});
afterAll(async () => cleanup?.());

describe('kiosque serve', () => {
  it('serves the configured out dir on a free port, prints the URL, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const res = await httpRequest(url, '/feed.json');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('"cli"');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('reports a port in use in one line and exits 1, without a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--port', String(port)], { cwd: dir });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('exit', (code) => resolve({ code, stderr }));
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`kiosque serve: cannot serve: 127.0.0.1:${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('serves --out DIR without any config file, on the default host', async () => {
    const { dir: bare, cleanup: done } = await tempDir('kiosque-serve-bare-');
    const child = spawn(process.execPath, [cliPath, 'serve', '--out', join(dir, 'public'), '--port', '0'], { cwd: bare, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect((await httpRequest(url, '/rss.xml')).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await done();
    }
  });

  it('prints its options with --help and exits 0', () => {
    const run = spawnSync(process.execPath, [cliPath, 'serve', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--port N');
  });

  it('rejects a bad --port as a usage error (exit 64)', () => {
    const run = spawnSync(process.execPath, [cliPath, 'serve', '--config', config, '--port', 'eighty'], { encoding: 'utf8', cwd: dir });
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('--port must be a whole number');
  });
});
