/**
 * CPU profile of one CLI build of a synthetic store (`node --cpu-prof`), summarised as the
 * top self-time entries of the main thread and of each worker thread: what BENCHMARKS.md
 * quotes. `rebuild` builds once first, then profiles a build with nothing changed.
 *
 *   npm run bench:profile -- [--size 100000] [--scenario cold|rebuild] [--top 15]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchConfig, NOW } from './check.js';
import { ensureStore } from './synth.js';

type Profile = { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');

/** Self time per function (name, package or file, line), largest first. */
export function topSelf(profile: Profile, count: number): { ms: number; share: number; where: string }[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = frames.get(id)!;
    const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, '');
    const where = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = profile.endTime - profile.startTime;
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([where, us]) => ({ ms: us / 1000, share: us / total, where }));
}

function main(): void {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '100000' }, scenario: { type: 'string', default: 'cold' }, top: { type: 'string', default: '15' } } });
  const store = ensureStore(join(root, 'bench/.stores'), Number(values.size));
  const work = mkdtempSync(join(tmpdir(), 'kiosque-profile-'));
  try {
    const configFile = join(work, 'kiosque.config.json');
    writeFileSync(configFile, benchConfig(store.dir, join(work, 'out')));
    const build = (extra: string[]): void => {
      const run = spawnSync(process.execPath, [...extra, cli, 'build', '--config', configFile, '--now', NOW, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0 && run.status !== 2) throw new Error(`build exited ${run.status}`);
    };
    if (values.scenario === 'rebuild') build([]);
    const dir = join(work, 'profiles');
    build(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
    const files = readdirSync(dir).sort((a, b) => Number(a.split('.')[4]) - Number(b.split('.')[4]));
    process.stdout.write(`${values.scenario === 'rebuild' ? 'no-change rebuild' : 'cold build'} of ${store.dir}\n`);
    for (const file of files) {
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
      const thread = file.split('.')[4] === '0' ? 'main thread' : `worker thread ${file.split('.')[4]}`;
      process.stdout.write(`\n${thread}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms profiled\n\n| self ms | share | function |\n|---:|---:|---|\n`);
      for (const e of topSelf(profile, Number(values.top))) process.stdout.write(`| ${e.ms.toFixed(0)} | ${(100 * e.share).toFixed(1)} % | ${e.where} |\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
