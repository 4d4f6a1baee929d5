/**
 * Behaviour check for the build benchmark's stores: builds each synthetic store and the sample
 * store with the CLI, cold then again with nothing changed (which revalidates no unchanged
 * feed, so reports fewer issues), and compares the three feeds' bytes and every reported issue
 * (rule, level, file, line, message) of both builds with bench/reference.json. An optimisation must leave all of
 * them unchanged. `--write` records the current outcome; `--cli` builds with another
 * checkout's compiled CLI (to record the outcome before a change).
 *
 *   npm run bench:check -- [--sizes 1000,10000,100000] [--write] [--cli path/to/dist/src/cli/main.js]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureStore } from './synth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const referenceFile = join(root, 'bench/reference.json');
export const NOW = '2026-01-01T00:00:00Z';
export const TIMEZONE = 'Europe/Paris';
export const LIMIT = 50;

/** What must not change: a hash of each feed and of the issue list, and the counts. */
export type Outcome = { rss: string; atom: string; json: string; issues: string; issueCount: number; accepted: number; drafts: number; scheduled: number };

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** The benchmark's configuration for a store (also what `npm run bench` builds). */
export function benchConfig(store: string, out: string, feeds: 'set' | 'main' = 'set'): string {
  // 'main': the main feed alone, as kiosque built before the feed set; 'set': the default set (main, one feed per tag and per language).
  const only = feeds === 'main' ? { feeds: [{ path: '' }] } : {};
  return JSON.stringify({ title: 'Bench', url: 'https://bench.example/', idPrefix: 'tag:bench.example,2020:', timezone: TIMEZONE, author: { name: 'Bench' }, limit: LIMIT, ttl: 15, articles: store, out, ...only });
}

/** The outcome of a build from its `--json` report and the feeds it wrote under `out`. */
export function outcome(report: string, out: string): Outcome {
  const r = JSON.parse(report) as { accepted: number; drafts: number; scheduled: number; rejected: Record<string, unknown>[]; issues: Record<string, unknown>[] };
  // Rejections and issues in report order, each as rule, level, file, line, message (or reason).
  const list = [...r.rejected, ...r.issues].map((i) => [i.rule, i.level, i.file, i.line, i.message ?? i.reason]);
  const feed = (name: string): string => (existsSync(join(out, name)) ? sha(readFileSync(join(out, name))) : 'missing');
  return { rss: feed('rss.xml'), atom: feed('atom.xml'), json: feed('feed.json'), issues: sha(JSON.stringify(list)), issueCount: list.length, accepted: r.accepted, drafts: r.drafts, scheduled: r.scheduled };
}

/** The parts of two outcomes that differ (empty when they agree). */
export function differences(a: Outcome, b: Outcome): string[] {
  return (Object.keys(a) as (keyof Outcome)[]).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} != ${b[k]}`);
}

/** Per store: the outcome of a cold build, and of a rebuild with nothing changed. */
export type Reference = Record<string, { cold: Outcome; rebuild: Outcome }>;

export function readReference(): Reference {
  return existsSync(referenceFile) ? (JSON.parse(readFileSync(referenceFile, 'utf8')) as Reference) : {};
}

/** One build of `configFile` with `cli`, in a fresh process. */
function build(cli: string, configFile: string, out: string): Outcome {
  const run = spawnSync(process.execPath, [cli, 'build', '--config', configFile, '--now', NOW, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 2) throw new Error(`build failed (${run.status}): ${run.stderr}`);
  return outcome(run.stdout, out);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, write: { type: 'boolean', default: false }, cli: { type: 'string', default: join(root, 'dist/src/cli/main.js') } } });
  const reference = readReference();
  const next: Reference = {};
  const work = mkdtempSync(join(tmpdir(), 'kiosque-check-'));
  let failed = false;
  try {
    const stores: [string, string][] = [['sample', join(root, 'articles')]];
    for (const size of values.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0)) {
      const store = ensureStore(join(root, 'bench/.stores'), size);
      stores.push([store.dir.slice(store.dir.lastIndexOf('/') + 1), store.dir]);
    }
    for (const [name, dir] of stores) {
      const out = join(work, 'out');
      const configFile = join(work, 'kiosque.config.json');
      writeFileSync(configFile, benchConfig(dir, out));
      rmSync(out, { recursive: true, force: true });
      const got = { cold: build(values.cli, configFile, out), rebuild: build(values.cli, configFile, out) };
      next[name] = got;
      const want = reference[name];
      const diff = want ? [...differences(want.cold, got.cold).map((d) => `cold ${d}`), ...differences(want.rebuild, got.rebuild).map((d) => `rebuild ${d}`)] : [];
      if (diff.length) failed = true;
      const verdict = !want ? 'no reference yet' : diff.length ? `DIFFERS (${diff.join('; ')})` : 'feeds and issues as recorded';
      process.stdout.write(`${name}: ${verdict} (${got.cold.accepted} accepted, ${got.cold.issueCount} issues cold, ${got.rebuild.issueCount} rebuilding)\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (values.write) {
    writeFileSync(referenceFile, `${JSON.stringify(next, null, 2)}\n`);
    process.stdout.write(`recorded in ${referenceFile}\n`);
  } else if (failed) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
