/**
 * Archives benchmark (`npm run bench:archives`): the main feed of a synthetic store alone, then
 * with its RFC 5005 archive pages, in the same run; a cold build, a no-change rebuild and a
 * rebuild after one new article (with the page documents it wrote, from the --json report).
 * Each build in a fresh child process so peak RSS is per run.
 *
 *   npm run bench:archives -- --sizes 100000 [--runs 3]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureStore } from './synth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliMain = join(root, 'dist/src/cli/main.js');
const cliBuild = join(root, 'dist/src/cli/commands/build.js');
const NOW = '2026-01-01T00:00:00Z';

type Sample = { wallMs: number; innerMs: number; maxRssMb: number; exit: number; detail?: string; pagesWritten?: number };

/** Child mode: one build in this process, then one JSON line on stdout with time and peak RSS. */
async function child(mode: string, configFile: string, cacheFile: string): Promise<void> {
  const start = performance.now();
  let exit = 0;
  let detail = '';
  let pagesWritten: number | undefined;
  if (mode === 'cli') {
    // The CLI reads process.argv when imported; its --json report is kept for the archive pages it wrote.
    process.argv = [process.argv[0]!, cliMain, 'build', '--config', configFile, '--now', NOW, '--json'];
    let stdout = '';
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
    await import(cliMain);
    await new Promise<void>((resolve) => process.once('beforeExit', () => resolve()));
    exit = Number(process.exitCode ?? 0);
    try {
      const archives = (JSON.parse(stdout) as { archives?: { written: number }[] }).archives;
      if (archives) pagesWritten = archives.reduce((n, a) => n + a.written, 0);
    } catch {
      // Not a report: the exit code says what happened.
    }
  } else {
    const { loadConfig } = await import('../src/config.js');
    const { collectFeed } = await import('../src/store/collect.js');
    const config = (await loadConfig(configFile, process.cwd())).value!;
    const result = await collectFeed(config, new Date(NOW), { cacheFile });
    detail = `entries=${result.feed.entries.length} read=${result.stats.read} cached=${result.stats.cached}`;
  }
  const innerMs = performance.now() - start;
  process.stderr.write(`${JSON.stringify({ innerMs, maxRssMb: process.resourceUsage().maxRSS / 1024, exit, detail, ...(pagesWritten !== undefined ? { pagesWritten } : {}) })}\n`);
}

function runChild(mode: string, configFile: string, cacheFile: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, configFile, cacheFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', () => {
      const wallMs = performance.now() - started;
      const line = err.trim().split('\n').reverse().find((l) => l.startsWith('{"innerMs"'));
      if (!line) return reject(new Error(`child failed:\n${err}`));
      const data = JSON.parse(line) as Omit<Sample, 'wallMs'>;
      resolve({ wallMs, ...data });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function machine(): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return `${cpus().length} CPUs (${cpu.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} free), Node ${process.version}, ${process.platform}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
  const sizes = values.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const runs = Math.max(3, Number(values.runs) || 3);
  if (!existsSync(cliBuild)) throw new Error('the CLI is not compiled: npm run build');
  process.stdout.write(`machine: ${machine()}\ndate: ${new Date().toISOString().slice(0, 10)}\nload average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`measuring: full CLI build (node dist/src/cli/main.js build --now ${NOW}); median of ${runs} runs, each in a fresh process\n\n`);
  process.stdout.write('| articles | scenario | wall ms | in-process ms | peak RSS MB | runs (wall ms) |\n|---:|---|---:|---:|---:|---|\n');
  for (const size of sizes) {
    const store = ensureStore(join(root, 'bench/.stores'), size).dir;
    const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-'));
    const baseConfig = { title: 'Bench', url: 'https://bench.example/', idPrefix: 'tag:bench.example,2020:', timezone: 'Europe/Paris', author: { name: 'Bench' }, limit: 50, ttl: 15, articles: store, out: join(work, 'out') };
    try {
      await benchArchives(size, store, work, baseConfig, runs);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
}

/** Main feed only vs main feed with archives: cold, no change, one new article (pages written from the --json report). */
async function benchArchives(size: number, store: string, work: string, base: Record<string, unknown>, runs: number): Promise<void> {
  const out = join(work, 'out');
  const cacheFile = join(out, '.kiosque/store-cache.json');
  const row = (scenario: string, samples: Sample[], extra = ''): void => {
    const bad = samples.find((s) => s.exit !== 0 && s.exit !== 2);
    process.stdout.write(`| ${size} | ${scenario} | ${median(samples.map((s) => s.wallMs)).toFixed(0)} | ${median(samples.map((s) => s.innerMs)).toFixed(0)} | ${median(samples.map((s) => s.maxRssMb)).toFixed(0)} | ${samples.map((s) => s.wallMs.toFixed(0)).join(', ')}${bad ? ` (exit ${bad.exit})` : ''}${extra} |\n`);
  };
  for (const [label, archive] of [['main feed only', false], ['main feed + archives', { pageSize: 100 }]] as const) {
    const configFile = join(work, `${label.length}.config.json`);
    writeFileSync(configFile, JSON.stringify({ ...base, feeds: [{ path: '', archive }] }));
    const cold: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(out, { recursive: true, force: true });
      cold.push(await runChild('cli', configFile, cacheFile));
    }
    row(`${label}: full build (no cache)`, cold);
    await runChild('cli', configFile, cacheFile);
    const warm: Sample[] = [];
    for (let i = 0; i < runs; i++) warm.push(await runChild('cli', configFile, cacheFile));
    row(`${label}: no-change rebuild`, warm);
    if (archive === false) continue;
    // One new article, newer than every other, per run (removed afterwards).
    const added: Sample[] = [];
    const written: number[] = [];
    const dir = join(store, 'zz-bench-new');
    mkdirSync(dir, { recursive: true });
    try {
      for (let i = 0; i < runs; i++) {
        writeFileSync(join(dir, `new-${i}.md`), `---\ntitle: "New ${i}"\ndate: 2025-12-31T2${i}:00:00Z\n---\n\nNew article ${i}.\n`);
        const sample = await runChild('cli', configFile, cacheFile);
        added.push(sample);
        written.push(sample.pagesWritten ?? -1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    row(`${label}: rebuild after one new article`, added, ` (page documents written: ${written.join(', ')})`);
  }
}

function findArticle(dir: string): string | undefined {
  for (const name of ['article-1.md', ...Array.from({ length: 200 }, (_, i) => `article-${i}.md`)]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
} else {
  await main();
}
