/**
 * The two ways a publication is read, for the fault tests: as a plain static server sees
 * out/ (follow each public name, pair every .gz/.br with its identity file), and as
 * `kiosque serve` loads it (loadSnapshot). Plus an out dir in the version 1 layout, as
 * earlier releases wrote it, to test the upgrade.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GENERATIONS_DIR } from '../../src/publish/generations.js';
import { MANIFEST_FILE, type Manifest } from '../../src/publish/manifest.js';
import { loadSnapshot } from '../../src/serve/snapshot.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file reachable from the public names of `outDir` (dot names excluded, as a static server is told to), by path. */
export async function readStatic(outDir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const st = await stat(path).catch(() => undefined);
      if (!st) continue; // A dangling name: 404, as if absent.
      if (st.isDirectory()) await walk(path, `${prefix}${name}/`);
      else files.set(`${prefix}${name}`, await readFile(path));
    }
  };
  await walk(outDir, '');
  return files;
}

/** What gzip_static and a brotli module would pair: each sibling must decompress to its identity file, which must exist. */
export function pairingProblems(files: Map<string, Buffer>): string[] {
  const problems: string[] = [];
  for (const [path, body] of files) {
    const [base, decode] = path.endsWith('.gz') ? [path.slice(0, -3), gunzipSync] : path.endsWith('.br') ? [path.slice(0, -3), brotliDecompressSync] : [];
    if (!base || !decode) continue;
    const identity = files.get(base);
    if (!identity) problems.push(`${path} without ${base}`);
    else if (!decode(body).equals(identity)) problems.push(`${path} is not ${base} compressed`);
  }
  return problems;
}

/** One line per file: path, sha256 of each body and Last-Modified, as `kiosque serve` would serve them; or why it cannot. */
export async function readServed(outDir: string): Promise<string> {
  const loaded = await loadSnapshot(outDir);
  if (!loaded.ok) return `not served: ${loaded.reason}`;
  const lines: string[] = [];
  // A directory's index.html is also listed under the directory: count each file once.
  for (const resource of new Set(loaded.snapshot.resources.values())) {
    const bodies = (['identity', 'gzip', 'br'] as const).map((c) => (resource.feed[c] ? sha(resource.feed[c].body).slice(0, 12) : '-'));
    lines.push(`${resource.path} ${bodies.join(' ')} ${resource.lastModifiedHttp}`);
  }
  for (const gone of loaded.snapshot.gone) lines.push(`${gone.slice(1)} gone`);
  return lines.sort().join('\n');
}

/** A summary a test can compare: the static view's files with their sha256, then what is served. */
export async function observe(outDir: string): Promise<{ static: string; served: string; problems: string[] }> {
  const files = await readStatic(outDir);
  return {
    static: [...files].map(([path, body]) => `${path} ${sha(body).slice(0, 12)}`).join('\n'),
    served: await readServed(outDir),
    problems: pairingProblems(files),
  };
}

/** What a killed or failed run could leave behind: temp files, temp generations, public names that lead nowhere. */
export async function leftovers(outDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of [outDir, join(outDir, '.kiosque'), join(outDir, GENERATIONS_DIR)]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.includes('.tmp-')) found.push(name);
      else if (!(await stat(join(dir, name)).catch(() => undefined))) found.push(`${name} (dangling)`);
    }
  }
  return found;
}

/**
 * Rewrites `outDir` in the version 1 layout with the same bytes: plain files beside their
 * .gz/.br and `.kiosque/manifest.json` listing them, the way earlier releases published.
 * Files get `mtime`, like the write time they had then.
 */
export async function toVersion1Layout(outDir: string, mtime: Date): Promise<void> {
  const files = await readStatic(outDir);
  const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
  const kept = join(outDir, '.kiosque');
  for (const name of await readdir(outDir)) if (name !== '.kiosque') await rm(join(outDir, name), { recursive: true });
  for (const name of await readdir(kept)) if (!name.startsWith('store-cache') && name !== 'lock') await rm(join(kept, name), { recursive: true });
  for (const [path, body] of files) {
    await mkdir(join(outDir, path, '..'), { recursive: true });
    await writeFile(join(outDir, path), body);
    await utimes(join(outDir, path), mtime, mtime);
  }
  const { gone: _gone, ...rest } = manifest;
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify({ ...rest, version: 1 }, null, 2)}\n`);
}

/** Makes every generation look as if it became current `ms` ago, so the sweep's grace period has passed. */
export async function ageGenerations(outDir: string, ms: number): Promise<void> {
  const dir = join(outDir, GENERATIONS_DIR);
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.'));
  // Keep their order: older ones stay older.
  const withTimes = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  for (const { n, t } of withTimes) {
    const when = new Date(t - ms);
    await utimes(join(dir, n), when, when);
  }
}
