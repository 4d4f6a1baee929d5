/**
 * Build benchmark (`npm run bench`): synthetic newsroom stores (bench/synth.ts) of 1k, 10k and
 * 100k articles, each build in a fresh child process so peak RSS is per run. Scenarios: a
 * cold build (no cache), a no-change rebuild (warm cache) and a rebuild after one article
 * changed; median of 3 each. Hugo builds the same store in the same run when it is installed
 * (bench/hugo.ts), and every cold and no-change kiosque build is checked against
 * bench/reference.json (bench/check.ts). Runs the full CLI build when it is compiled,
 * otherwise collectFeed alone, and says which.
 *
 * Two feed configurations per store: `main`, the main feed alone, against Hugo's home feed;
 * and `set`, kiosque's default set (main, one feed per tag, one per language), against Hugo's
 * home feed plus one feed per tag term.
 *
 *   npm run bench -- --sizes 1000,10000 --runs 5 [--feeds main,set] [--mode collect] [--no-hugo]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearHugo, findHugo, hugoSite, runHugo, type HugoVariant } from './hugo.js';
import { benchConfig, differences, LIMIT, NOW, outcome, readReference, TIMEZONE } from './check.js';
import { cliBuild, machine, median, runChild, type Sample } from './child.js';
import { ensureStore } from './synth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Row = { tool: string; scenario: string; samples: Sample[] };
type Feeds = 'main' | 'set';
const HUGO_VARIANT: Record<Feeds, HugoVariant> = { main: 'home', set: 'tags' };
const TOOL: Record<Feeds, [kiosque: string, hugo: string]> = { main: ['kiosque, main feed', 'hugo, home feed'], set: ['kiosque, default set', 'hugo, home + per tag'] };

function row(size: number, r: Row): string {
  const s = r.samples;
  const bad = s.find((x) => x.exit !== 0 && x.exit !== 2);
  const inner = s.every((x) => x.innerMs !== undefined) ? median(s.map((x) => x.innerMs!)).toFixed(0) : '';
  const rss = median(s.map((x) => x.maxRssMb));
  const cells = [size, r.tool, r.scenario, median(s.map((x) => x.wallMs)).toFixed(0), inner, Number.isNaN(rss) ? '' : rss.toFixed(0), s.map((x) => x.wallMs.toFixed(0)).join(', ') + (bad ? ` (exit ${bad.exit})` : '')];
  return `| ${cells.join(' | ')} |\n`;
}

/** Links of the items of an RSS file, to see whether both tools chose the same articles. */
function itemLinks(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  return new Set([...readFileSync(file, 'utf8').matchAll(/<item>[\s\S]*?<link>([^<]*)<\/link>/g)].map((m) => m[1]!));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, runs: { type: 'string', default: '3' }, mode: { type: 'string', default: 'auto' }, hugo: { type: 'boolean', default: true }, feeds: { type: 'string', default: 'main,set' } }, allowNegative: true });
  const sizes = values.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const feedsList = values.feeds.split(',').filter((f): f is Feeds => f === 'main' || f === 'set');
  const runs = Math.max(3, Number(values.runs) || 3);
  // --mode collect times the store stage alone even when the CLI is built.
  const mode = values.mode === 'collect' || !existsSync(cliBuild) ? 'collect' : 'cli';
  const hugo = values.hugo && mode === 'cli' ? findHugo() : undefined;
  process.stdout.write(`machine: ${machine()}\ndate: ${new Date().toISOString().slice(0, 10)}\n`);
  process.stdout.write(`measuring: ${mode === 'cli' ? `full CLI build (node dist/src/cli/main.js build --now ${NOW})` : `collectFeed only (${values.mode === 'collect' ? '--mode collect' : 'the CLI build is not compiled'})`}; median of ${runs} runs, each in a fresh process\n`);
  if (hugo) process.stdout.write(`hugo: ${hugo.version}; its home RSS feed against kiosque's main feed, and its home feed plus one RSS feed per tag term against kiosque's default set; cold runs of the two tools alternate (kiosque first, then Hugo first), after one untimed build\n`);
  else process.stdout.write(`hugo: ${!values.hugo ? 'skipped (--no-hugo)' : mode !== 'cli' ? 'skipped (collect mode)' : 'not found (set HUGO or put hugo on PATH): skipped'}\n`);
  process.stdout.write('\n| articles | tool | scenario | wall ms | in-process ms | peak RSS MB | runs (wall ms) |\n|---:|---|---|---:|---:|---:|---|\n');
  const notes: string[] = [];
  const startLoad = loadavg().map((l) => l.toFixed(1)).join(' ');
  const reference = readReference();
  for (const size of sizes) {
    const t = performance.now();
    const store = ensureStore(join(root, 'bench/.stores'), size);
    const made = performance.now() - t;
    if (made > 1000) process.stderr.write(`generated the ${size}-article store in ${(made / 1000).toFixed(1)} s\n`);
    for (const feeds of feedsList) {
      const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-'));
      const out = join(work, 'out');
      const configFile = join(work, 'kiosque.config.json');
      // The pipeline keeps its cache under out/; collect mode gets the same kind of place.
      const cacheFile = join(out, '.kiosque/store-cache.json');
      writeFileSync(configFile, benchConfig(store.dir, out, feeds));
      const site = hugo ? hugoSite(work, store.dir, HUGO_VARIANT[feeds], TIMEZONE, LIMIT) : undefined;
      // Self-check: every cold and no-change build must publish what bench/reference.json records.
      const name = store.dir.slice(store.dir.lastIndexOf('/') + 1);
      const want = reference[name];
      const checked = { same: 0, differ: new Set<string>() };
      const check = (sample: Sample, as: 'cold' | 'rebuild'): void => {
        if (!want || !sample.report) return;
        // The main feed alone publishes the same main feed as the set; its issues cover fewer feeds.
        const got = outcome(sample.report, out);
        const diff = differences(want[as], got).filter((d) => feeds === 'set' || /^(rss|atom|json|accepted|drafts|scheduled):/.test(d));
        if (diff.length) diff.forEach((d) => checked.differ.add(d));
        else checked.same++;
      };
      const kiosque = async (verify?: 'cold' | 'rebuild'): Promise<Sample> => {
        const sample = await runChild(mode, configFile, cacheFile);
        if (verify) check(sample, verify);
        return sample;
      };
      const hugoRun = async (dir: string, cold: boolean): Promise<Sample> => {
        if (cold) clearHugo(dir);
        const r = await runHugo(hugo!.bin, dir);
        if (r.exit !== 0) notes.push(`hugo exited ${r.exit} on ${size}: ${r.stderr.slice(0, 500)}`);
        return { wallMs: r.wallMs, maxRssMb: r.maxRssMb, exit: r.exit };
      };
      const report = (scenario: string, k: Sample[], h: Sample[]): void => {
        process.stdout.write(row(size, { tool: TOOL[feeds][0], scenario, samples: k }));
        if (h.length) process.stdout.write(row(size, { tool: TOOL[feeds][1], scenario, samples: h }));
      };
      // One untimed build first, so neither tool is timed reading the store from disk; then each pair of runs alternates which tool goes first.
      rmSync(out, { recursive: true, force: true });
      await kiosque();
      const k: Sample[] = [], h: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        if (site && i % 2 === 1) h.push(await hugoRun(site, true));
        rmSync(out, { recursive: true, force: true });
        k.push(await kiosque('cold'));
        if (site && i % 2 === 0) h.push(await hugoRun(site, true));
      }
      report('full build (no cache)', k, h);
      if (site) {
        const ratios = k.map((s, i) => (s.wallMs / h[i]!.wallMs).toFixed(2));
        const hugoLinks = itemLinks(join(site, 'public/index.xml'));
        const common = [...itemLinks(join(out, 'rss.xml'))].filter((l) => hugoLinks.has(l)).length;
        notes.push(`${size}, ${feeds === 'main' ? 'main feed / Hugo home feed' : 'default set / Hugo home + per-tag feeds'}: full build kiosque/hugo = ${(median(k.map((s) => s.wallMs)) / median(h.map((s) => s.wallMs))).toFixed(2)} (run by run: ${ratios.join(', ')}); ${common} of the ${LIMIT} items are in both feeds`);
      }
      await kiosque();
      const warm: Sample[] = [], hw: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        warm.push(await kiosque('rebuild'));
        if (site) hw.push(await hugoRun(site, false));
      }
      report('no-change rebuild', warm, hw);
      // Edit one article (same file each time, different text), then rebuild; restored afterwards.
      const target = join(store.dir, store.sample);
      const original = readFileSync(target);
      const changed: Sample[] = [], hc: Sample[] = [];
      try {
        for (let i = 0; i < runs; i++) {
          writeFileSync(target, Buffer.concat([original, Buffer.from(`\nEdit ${i}.\n`)]));
          changed.push(await kiosque());
          if (site) hc.push(await hugoRun(site, false));
        }
      } finally {
        writeFileSync(target, original);
      }
      report('rebuild after one change', changed, hc);
      rmSync(work, { recursive: true, force: true });
      if (!want) notes.push(`${size}: no reference outcome for ${name} in bench/reference.json (npm run bench:check -- --write): feeds and issues not checked`);
      else if (checked.differ.size) notes.push(`${size}: ${feeds}: SELF-CHECK FAILED: feeds or issues differ from bench/reference.json (${[...checked.differ].join('; ')})`);
      else if (mode === 'cli') notes.push(`${size}, ${feeds}: self-check: the ${checked.same} cold and no-change builds published the ${feeds === 'set' ? 'feeds and issues' : 'main feed'} recorded in bench/reference.json`);
    }
  }
  // The machine may be shared: the load says how far to trust absolute figures (ratios in one run hold better).
  notes.push(`load average at start ${startLoad}, at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.stdout.write(`\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}

await main();
