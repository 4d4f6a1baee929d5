/**
 * Archives benchmark (`npm run bench:archives`): the main feed of a synthetic store alone, then
 * with its RFC 5005 archive pages, in the same run; a cold build, a no-change rebuild and a
 * rebuild after one new article (with the page documents it wrote, from the --json report).
 * Each build in a fresh child process so peak RSS is per run.
 *
 *   npm run bench:archives -- --sizes 100000 [--runs 3]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NOW } from './check.js';
import { cliBuild, machine, median, runChild, type Sample } from './child.js';
import { ensureStore } from './synth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
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

/** Archive page documents a build wrote, from its --json report; -1 when there is none. */
function pagesWritten(report: string | undefined): number {
  try {
    const archives = (JSON.parse(report ?? '') as { archives?: { written: number }[] }).archives;
    return archives ? archives.reduce((n, a) => n + a.written, 0) : -1;
  } catch {
    return -1;
  }
}

/** Main feed only vs main feed with archives: cold, no change, one new article (pages written from the --json report). */
async function benchArchives(size: number, store: string, work: string, base: Record<string, unknown>, runs: number): Promise<void> {
  const out = join(work, 'out');
  const cacheFile = join(out, '.kiosque/store-cache.json');
  const row = (scenario: string, samples: Sample[], extra = ''): void => {
    const bad = samples.find((s) => s.exit !== 0 && s.exit !== 2);
    process.stdout.write(`| ${size} | ${scenario} | ${median(samples.map((s) => s.wallMs)).toFixed(0)} | ${median(samples.map((s) => s.innerMs ?? NaN)).toFixed(0)} | ${median(samples.map((s) => s.maxRssMb)).toFixed(0)} | ${samples.map((s) => s.wallMs.toFixed(0)).join(', ')}${bad ? ` (exit ${bad.exit})` : ''}${extra} |\n`);
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
        written.push(pagesWritten(sample.report));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    row(`${label}: rebuild after one new article`, added, ` (page documents written: ${written.join(', ')})`);
  }
}

await main();
