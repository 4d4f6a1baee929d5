/**
 * Feed-set benchmark: the cost of publishing every tag and language feed beside the main one.
 * Synthetic stores (seeded): `--size` articles with 1-3 of `--tags` tags each, French and
 * English, 1-6 KB of Markdown. Each build runs in a fresh child process (wall time includes
 * Node start-up; peak RSS is the child's maxRSS); medians of `--runs`.
 *
 * Scenarios on one store: the main feed alone (`feeds: [{ "path": "" }]`) and the default set,
 * each cold (no out/, no caches) and rebuilt with nothing changed.
 *
 *   npm run build && node dist/bench/feedset.js --size 100000 --tags 25 [--runs 3]
 *   node dist/bench/feedset.js --size 20000 --tags 2000
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { random } from './random.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NOW = '2026-01-01T00:00:00Z';

const FR = ['la', 'dépêche', 'gouvernement', 'élection', 'économie', 'région', 'accord', 'sommet', 'négociations', 'réunion', 'président', 'ministre', 'frontière', 'marché', 'énergie', 'hausse', 'prix', 'selon', 'après', 'déjà'];
const EN = ['the', 'report', 'government', 'election', 'economy', 'region', 'agreement', 'summit', 'talks', 'meeting', 'president', 'minister', 'border', 'market', 'energy', 'rise', 'prices', 'according', 'after', 'already'];
/** Tag names in several scripts and spellings; past the list, numbered topics. */
const NAMED = ['Économie', 'Politique', 'Europe', 'Sport', 'Culture', 'Santé', 'Climat', 'Tech', 'Énergie', 'Société', 'Justice', 'Éducation', 'Wirtschaft', 'Straße', 'Οικονομία', '経済', 'اقتصاد', 'Science', 'Monde', 'Afrique', 'Asie', 'Amériques', 'Défense', 'Médias', 'Transport'];

function tagName(i: number): string {
  return i < NAMED.length ? NAMED[i]! : `Sujet ${i}`;
}

function words(rand: () => number, vocab: string[], n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(vocab[Math.floor(rand() * vocab.length)]!);
  return out.join(' ');
}

/** The store of `size` articles over `tags` tags, generated once under bench/.stores/. */
function ensureStore(size: number, tags: number): string {
  const dir = join(root, 'bench/.stores', `feedset-${size}-${tags}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const rand = random(size * 31 + tags);
  const made = new Set<string>();
  for (let i = 0; i < size; i++) {
    const fr = rand() < 0.5;
    const year = 2015 + Math.floor(rand() * 11);
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    const time = `${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00+01:00`;
    const mine = new Set<string>();
    const count = 1 + Math.floor(rand() * 3);
    // Skewed: a few tags are common, most are rare, as in a newsroom.
    for (let k = 0; k < count; k++) mine.add(tagName(Math.floor(tags * rand() ** 2)));
    let body = '';
    const target = 1024 + Math.floor(rand() * 5 * 1024);
    while (body.length < target) body += `${words(rand, fr ? FR : EN, 40 + Math.floor(rand() * 40))}.\n\n`;
    const sub = `${year}/${month}`;
    if (!made.has(sub)) {
      mkdirSync(join(tmp, sub), { recursive: true });
      made.add(sub);
    }
    const head = ['---', `title: "${words(rand, fr ? FR : EN, 6)}"`, `date: ${year}-${month}-${day}T${time}`, `lang: ${fr ? 'fr' : 'en'}`, `author: ${fr ? 'Rédaction' : 'Newsroom'}`, `tags: [${[...mine].join(', ')}]`, '---', ''];
    writeFileSync(join(tmp, sub, `article-${i}.md`), `${head.join('\n')}${body}`);
  }
  writeFileSync(join(tmp, '.complete'), `${size}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

type Sample = { wallMs: number; buildMs: number; maxRssMb: number; feeds: number; published: boolean };

/** Child mode: one build in this process, then one JSON line with its time, peak RSS and feed count. */
async function child(configFile: string): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { build } = await import('../src/pipeline.js');
  const config = (await loadConfig(configFile, process.cwd())).value!;
  const start = performance.now();
  const report = await build(config, { now: new Date(NOW), lockWaitMs: 0, version: 'bench' });
  const buildMs = performance.now() - start;
  const feeds = new Set(report.feeds.map((f) => f.feed)).size;
  process.stdout.write(`${JSON.stringify({ buildMs, maxRssMb: process.resourceUsage().maxRSS / 1024, feeds, published: report.published, failure: report.failure })}\n`);
}

function runChild(configFile: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', () => {
      const line = out.trim().split('\n').pop();
      if (!line?.startsWith('{')) return reject(new Error(`child failed: ${out}`));
      resolve({ wallMs: performance.now() - started, ...(JSON.parse(line) as Omit<Sample, 'wallMs'>) });
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' }, tags: { type: 'string', default: '25' }, runs: { type: 'string', default: '3' } } });
  const size = Number(values.size);
  const tags = Number(values.tags);
  const runs = Math.max(3, Number(values.runs) || 3);
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  process.stdout.write(`machine: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const t = performance.now();
  const store = ensureStore(size, tags);
  process.stdout.write(`store: ${size} articles, ${tags} tags, fr/en (${store}; ready in ${((performance.now() - t) / 1000).toFixed(1)} s)\n\n`);
  process.stdout.write('| scenario | feeds | wall ms | build ms | peak RSS MB | runs (build ms) |\n|---|---:|---:|---:|---:|---|\n');
  const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-set-'));
  const site = { title: 'Bench', url: 'https://bench.example/', idPrefix: 'tag:bench.example,2020:', language: 'fr', timezone: 'Europe/Paris', author: { name: 'Bench' }, limit: 50, ttl: 15, articles: store };
  const scenario = async (name: string, extra: Record<string, unknown>, cold: boolean): Promise<Sample[]> => {
    const out = join(work, name.replace(/\W+/g, '-'));
    const configFile = join(work, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(configFile, JSON.stringify({ ...site, ...extra, out }));
    const samples: Sample[] = [];
    if (!cold) await runChild(configFile);
    for (let i = 0; i < runs; i++) {
      if (cold) rmSync(out, { recursive: true, force: true });
      samples.push(await runChild(configFile));
    }
    const bad = samples.find((s) => !s.published);
    const cells = [name, samples[0]!.feeds, median(samples.map((s) => s.wallMs)).toFixed(0), median(samples.map((s) => s.buildMs)).toFixed(0), median(samples.map((s) => s.maxRssMb)).toFixed(0), samples.map((s) => s.buildMs.toFixed(0)).join(', ') + (bad ? ' (not published)' : '')];
    process.stdout.write(`| ${cells.join(' | ')} |\n`);
    return samples;
  };
  try {
    await scenario('main feed only, cold', { feeds: [{ path: '' }] }, true);
    await scenario('main feed only, no change', { feeds: [{ path: '' }] }, false);
    await scenario('default set, cold', {}, true);
    await scenario('default set, no change', {}, false);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!);
else await main();
