/**
 * SIGKILL of the real CLI before every step of a publication, counted from here: a first build
 * lists its steps (KIOSQUE_PAUSE_AT_STEP=0), then for each step k a build is started that
 * pauses before step k, and is killed there. After each kill a static reading of out/ and
 * `kiosque serve`'s loading must both give one whole publication, the old one before the
 * switch and the new one after, and the next build must complete with the new one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATIONS_DIR } from '../../src/publish/generations.js';
import { makeSite, runCli } from '../cli/run-cli.js';
import { cliPath, tempDir } from '../helpers.js';
import { ageGenerations, leftovers, observe } from './reading.js';

const NOW = '2026-11-25T12:00:00Z';
const ARTICLE = 'articles/2020/02/poutine-erdogan-idlib.md';
const KILL_LOOP_TIMEOUT_MS = 600_000;

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir: root, cleanup } = await tempDir('kiosque-kill-')));
afterAll(() => cleanup());

async function build(dir: string, now = NOW, env: Record<string, string> = {}): Promise<{ code: number | null; steps: string[] }> {
  const result = await runCli(['build', '--now', now], { cwd: dir, env });
  if (result.code !== 0) throw new Error(`build exited ${result.code}: ${result.stdout}${result.stderr}`);
  return { code: result.code, steps: [...result.stderr.matchAll(/^kiosque-step \d+ (.+)$/gm)].map((m) => m[1]!) };
}

async function edit(dir: string, marker: string): Promise<void> {
  const path = join(dir, ARTICLE);
  await writeFile(path, (await readFile(path, 'utf8')).replace(/\n---\n/, `\n---\n\n${marker}\n`));
}

/** A copy of a site, out/ included: symlinks as they are, generations' mtimes (their switch times) kept. */
async function copySite(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  const gens = join(from, 'out', GENERATIONS_DIR);
  for (const name of await readdir(gens).catch(() => [] as string[])) {
    const { atime, mtime } = await stat(join(gens, name));
    await utimes(join(to, 'out', GENERATIONS_DIR, name), atime, mtime);
  }
}

/** Starts a build that pauses before its step `k`; resolves once it is there. */
function pausedBuild(dir: string, k: number): Promise<{ child: ChildProcess; step: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'build', '--now', NOW], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', KIOSQUE_PAUSE_AT_STEP: String(k) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = new RegExp(`^kiosque-step ${k} (.+)$`, 'm').exec(stderr);
      if (m) resolve({ child, step: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`the build exited (${code}) before step ${k}: ${stderr}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGKILL');
  await closed;
}

/** Runs `task` over 1..n, two at a time (one per core). */
async function eachStep(n: number, task: (k: number) => Promise<void>): Promise<void> {
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= n) await task(next++);
  };
  await Promise.all([worker(), worker()]);
}

/**
 * The loop itself, from a prepared site whose next build publishes a change: counts the
 * steps, then kills a build before each one and checks what readers get and the next build.
 */
async function killAtEveryStep(template: string): Promise<string[]> {
  const oldView = await observe(join(template, 'out'));
  const ref = join(root, `${template.split('/').pop()}-ref`);
  await copySite(template, ref);
  const { steps } = await build(ref, NOW, { KIOSQUE_PAUSE_AT_STEP: '0' });
  const newView = await observe(join(ref, 'out'));
  expect(newView.static).not.toBe(oldView.static);
  expect(newView.problems).toEqual([]);
  const switchAt = steps.findIndex((s) => s.startsWith('switch ')) + 1;
  expect(switchAt).toBeGreaterThan(0);

  await eachStep(steps.length, async (k) => {
    const dir = join(root, `${template.split('/').pop()}-${k}`);
    await copySite(template, dir);
    const { child, step } = await pausedBuild(dir, k);
    expect(step).toBe(steps[k - 1]);
    await kill(child);
    const seen = await observe(join(dir, 'out'));
    expect(seen, `killed before step ${k} (${step})`).toEqual(k <= switchAt ? oldView : newView);
    await build(dir);
    expect(await observe(join(dir, 'out')), `the build after one killed before ${step}`).toEqual(newView);
    expect(await leftovers(join(dir, 'out')), `the build after one killed before ${step}`).toEqual([]);
    await rm(dir, { recursive: true });
  });
  return steps;
}

describe('kiosque build killed with SIGKILL before each step of a publication', () => {
  // The publication every build makes, sweep included. The one-time upgrade of a version 1
  // out dir is stopped at each of its steps in faults.test.ts.
  it('leaves the last good publication or the new one, whole, to a static server and to kiosque serve, and the next build completes', async () => {
    const template = join(root, 'site');
    // The main feed and one section: every kind of step and a nested folder, in few enough
    // steps that a build per step stays affordable (the sample's default set has ~25 feeds).
    await makeSite(template, { feeds: [{ path: '' }, { path: 'monde/', select: { folder: '2020/**' } }] });
    await build(template, '2026-11-23T12:00:00Z');
    await edit(template, 'Première correction.');
    await build(template, '2026-11-24T12:00:00Z');
    await edit(template, 'Deuxième correction.');
    await build(template, '2026-11-24T18:00:00Z');
    // All three became current over an hour ago: the next build sweeps the oldest two.
    await ageGenerations(join(template, 'out'), 3_600_000);
    await edit(template, 'Troisième correction.');
    const steps = await killAtEveryStep(template);
    expect(steps).toEqual(expect.arrayContaining(['stage generation', 'write rss.xml', 'link feed.xsl', 'write manifest', 'sync generation', 'done']));
    expect(steps.some((s) => s.includes('monde/'))).toBe(true);
    expect(steps.filter((s) => /^(rename|switch) /.test(s))).toHaveLength(2);
    expect(steps.filter((s) => s.startsWith('sweep '))).toHaveLength(2);
  }, KILL_LOOP_TIMEOUT_MS);
});
