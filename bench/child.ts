/**
 * One build per child process, for the benchmarks (peak RSS is then the build's own): the full
 * CLI build with its --json report, or collectFeed alone. Shared by bench/build.ts and
 * bench/archives.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOW } from './check.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliMain = join(root, 'dist/src/cli/main.js');
export const cliBuild = join(root, 'dist/src/cli/commands/build.js');

export type Sample = { wallMs: number; innerMs?: number; maxRssMb: number; exit: number; detail?: string; report?: string };

/** Child mode: one build in this process, then one JSON line on stdout with time and peak RSS. */
async function child(mode: string, configFile: string, cacheFile: string): Promise<void> {
  const start = performance.now();
  let exit = 0;
  let detail = '';
  if (mode === 'cli') {
    // The CLI reads process.argv when imported; its output goes to /dev/null through the parent.
    process.argv = [process.argv[0]!, cliMain, 'build', '--config', configFile, '--now', NOW, '--json'];
    await import(cliMain);
    await new Promise<void>((resolve) => process.once('beforeExit', () => resolve()));
    exit = Number(process.exitCode ?? 0);
  } else {
    const { loadConfig } = await import('../src/config.js');
    const { collectFeed } = await import('../src/store/collect.js');
    const config = (await loadConfig(configFile, process.cwd())).value!;
    const result = await collectFeed(config, new Date(NOW), { cacheFile });
    detail = `entries=${result.feed.entries.length} read=${result.stats.read} cached=${result.stats.cached}`;
  }
  const innerMs = performance.now() - start;
  process.stderr.write(`${JSON.stringify({ innerMs, maxRssMb: process.resourceUsage().maxRSS / 1024, exit, detail })}\n`);
}

export function runChild(mode: string, configFile: string, cacheFile: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, configFile, cacheFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let report = '';
    proc.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', () => {
      const wallMs = performance.now() - started;
      const line = err.trim().split('\n').reverse().find((l) => l.startsWith('{"innerMs"'));
      if (!line) return reject(new Error(`child failed:\n${err}`));
      const data = JSON.parse(line) as Omit<Sample, 'wallMs'>;
      resolve({ wallMs, ...data, ...(mode === 'cli' ? { report } : {}) });
    });
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export function machine(): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return `${cpus().length} CPUs (${cpu.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} free), Node ${process.version}, ${process.platform}`;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
}
