/**
 * Hugo on the same store, for the build benchmark: a site with no theme whose only outputs are
 * the home RSS feed (and, in the `tags` variant, one RSS feed per tag), the same 50-item limit
 * and time zone as kiosque's benchmark configuration. Article pages are listed but never
 * rendered (`_build.render: link`), so Hugo does what kiosque does: read every head, pick
 * the newest 50, render those. Its built-in RSS template is used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type HugoVariant = 'home' | 'tags';
export type HugoRun = { wallMs: number; maxRssMb: number; exit: number; stderr: string };

const TIME = '/usr/bin/time';

/** The `hugo` to run (HUGO in the environment, else the first on PATH) and its version line; undefined when there is none. */
export function findHugo(): { bin: string; version: string } | undefined {
  const bin = process.env.HUGO || 'hugo';
  const probe = spawnSync(bin, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  return { bin, version: probe.stdout.trim() };
}

/** The site configuration for a variant, as written to the site's hugo.yaml (also quoted in BENCHMARKS.md). */
export function hugoConfig(store: string, variant: HugoVariant, timezone: string, limit: number): string {
  return [
    'baseURL: https://bench.example/',
    'title: Bench',
    `timeZone: ${timezone}`,
    `contentDir: ${JSON.stringify(store)}`,
    ...(variant === 'tags' ? ['taxonomies: { tag: tags }', 'ignoreErrors: [error-disable-taxonomy]'] : ['taxonomies: {}']),
    `disableKinds: [${['section', 'taxonomy', ...(variant === 'tags' ? [] : ['term']), 'sitemap', 'robotsTXT', '404'].join(', ')}]`,
    'outputs:',
    '  home: [RSS]',
    ...(variant === 'tags' ? ['  term: [RSS]'] : []),
    'cascade:',
    '  - _target: { kind: page }',
    // Listed and linked to, never written: Hugo's "link" render mode.
    '    _build: { render: link }',
    'services:',
    `  rss: { limit: ${limit} }`,
    '',
  ].join('\n');
}

/** Writes a site for `store` under `dir` (removing any earlier output) and returns the site directory. */
export function hugoSite(dir: string, store: string, variant: HugoVariant, timezone: string, limit: number): string {
  const site = join(dir, `hugo-${variant}`);
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, 'hugo.yaml'), hugoConfig(store, variant, timezone, limit));
  return site;
}

/** Removes what a previous build left (output, resources, module and file caches), for a cold run. */
export function clearHugo(site: string): void {
  for (const name of ['public', 'resources', '.cache', '.hugo_build.lock']) rmSync(join(site, name), { recursive: true, force: true });
}

/** One `hugo` build of `site` in its own process; peak RSS from /usr/bin/time when it is installed (else NaN). */
export function runHugo(bin: string, site: string): Promise<HugoRun> {
  const rssFile = join(site, '.maxrss');
  rmSync(rssFile, { force: true });
  const args = ['--source', site, '--cacheDir', join(site, '.cache'), '--quiet'];
  const timed = existsSync(TIME);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = timed ? spawn(TIME, ['-f', '%M', '-o', rssFile, bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wallMs = performance.now() - started;
      const kb = timed && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
      resolve({ wallMs, maxRssMb: kb / 1024, exit: code ?? 1, stderr });
    });
  });
}
