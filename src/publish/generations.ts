/**
 * The out dir's layout. Every publication is a generation: a directory written once under a
 * temp name, fsynced, renamed into `.kiosque/generations/<id>` and never changed again.
 * `.kiosque/current` is a symlink to the live one; switching it (rename of a new symlink
 * over it) is the single atomic step that publishes. The public names are fixed symlinks
 * through it, created once:
 *
 *   out/rss.xml     -> .kiosque/current/rss.xml        (and rss.xml.gz, rss.xml.br)
 *   out/tags        -> .kiosque/current/tags           (a whole subtree per top-level name)
 *   out/.kiosque/manifest.json -> current/.manifest.json
 *   out/.kiosque/current       -> generations/<id>
 *
 * So a static server resolves every name, `.gz` and `.br` included, into one generation,
 * and the server loads one generation by resolving `current` once.
 */
import { createHash } from 'node:crypto';
import { lstat, open, readdir, readFile, readlink, rename, rm, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { replaceWithSymlink, syncDir, tempPathFor } from './atomic.js';
import { looksPublished, MANIFEST_FILE, STATE_DIR, normalizeManifest, type Manifest, type Variant } from './manifest.js';
import type { StepHook } from './steps.js';

export const GENERATIONS_DIR = `${STATE_DIR}/generations`;
export const CURRENT_LINK = `${STATE_DIR}/current`;
/** A generation's own manifest; a dot name, so no published path can collide with it. */
export const GENERATION_MANIFEST = '.manifest.json';
/**
 * How long a generation that stopped being current is kept (beyond the current and the
 * previous one, always kept): a reader that resolved `current` just before a switch, a mirror
 * copying it to an object store, has this long to finish.
 */
export const GENERATION_GRACE_MS = 10 * 60_000;

const CURRENT_PREFIX = `${STATE_DIR}/current/`;
const GENERATION_NAME = /^[0-9a-f]{16}(-\d+)?$/;

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Where the live publication's manifest and files are, without reading them. */
export type PublicationRoot = { root: string; manifestPath: string; generation?: string };

export type Live =
  /** Nothing published; `damaged` says why when something was there but could not be read. */
  | { kind: 'none'; damaged?: string }
  /** The layout above. */
  | { kind: 'generation'; generation: string; root: string; manifest: Manifest; text: string }
  /** A version 1 out dir: plain files and `.kiosque/manifest.json`, written by earlier releases. */
  | { kind: 'legacy'; root: string; manifest: Manifest };

/** Resolves `current` once; everything read from the returned root belongs to one publication. */
export async function resolvePublication(outDir: string): Promise<PublicationRoot | { missing: true } | { invalid: string }> {
  let target: string;
  try {
    target = await readlink(join(outDir, CURRENT_LINK));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EINVAL') return { invalid: `${CURRENT_LINK} is not a symlink` };
    if (code !== 'ENOENT') return { invalid: `cannot read ${CURRENT_LINK} (${code ?? 'error'})` };
    // No generation yet: a version 1 out dir, or nothing.
    try {
      if ((await lstat(join(outDir, MANIFEST_FILE))).isFile()) return { root: outDir, manifestPath: join(outDir, MANIFEST_FILE) };
    } catch {
      // Absent.
    }
    return { missing: true };
  }
  const name = target.startsWith('generations/') ? target.slice('generations/'.length) : '';
  if (!GENERATION_NAME.test(name)) return { invalid: `${CURRENT_LINK} points at "${target}", not a generation` };
  const root = join(outDir, GENERATIONS_DIR, name);
  return { root, manifestPath: join(root, GENERATION_MANIFEST), generation: name };
}

export async function readLive(outDir: string): Promise<Live> {
  const found = await resolvePublication(outDir);
  if ('invalid' in found) return { kind: 'none', damaged: found.invalid };
  if (!('root' in found)) return { kind: 'none' };
  let text: string;
  try {
    text = await readFile(found.manifestPath, 'utf8');
  } catch (err) {
    return { kind: 'none', damaged: `cannot read ${relative(outDir, found.manifestPath)} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let manifest: Manifest | undefined;
  try {
    manifest = normalizeManifest(JSON.parse(text));
  } catch {
    manifest = undefined;
  }
  if (!manifest) return { kind: 'none', damaged: `${relative(outDir, found.manifestPath)} is not a manifest kiosque can read` };
  if (found.generation === undefined) return { kind: 'legacy', root: found.root, manifest };
  return { kind: 'generation', generation: found.generation, root: found.root, manifest, text };
}

/** The bytes at `root/v.path` if they are a regular file matching the manifest's size and sha256. */
export async function readVerified(root: string, v: Variant): Promise<Buffer | undefined> {
  try {
    const path = join(root, v.path);
    if (!(await lstat(path)).isFile()) return undefined;
    const data = await readFile(path);
    return data.byteLength === v.bytes && sha256(data) === v.sha256 ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Read buffers of `isVerified`, reused: a set's ~400 checks each allocating one kept ~10 MB until collected. */
const spareChunks: Buffer[] = [];

/**
 * Whether `root/v.path` is a regular file matching the manifest's size and sha256, read 64 KB
 * at a time: reading each of a set's unchanged files whole to check it raised the 100k
 * store's rebuild by ~45 MB.
 */
/**
 * Whether the file of `v` under the generation `root` is as published. Size and time (kiosque sets every body's mtime
 * to its Last-Modified) tell at a stat; a file of the right size with another time (touched, copied without its times)
 * is hashed, and when its bytes are the published ones it is given its time back, so the next check is a stat again
 * and static servers' mtime-based validators are what they were. With `hash`, the bytes are read whatever the time;
 * with `keepTime`, the time is left as it is.
 */
export async function isAsPublished(root: string, v: Variant, lastModified: string, options: { hash?: boolean; keepTime?: boolean } = {}): Promise<boolean> {
  const path = join(root, v.path);
  let timed: boolean;
  try {
    const st = await lstat(path);
    if (!st.isFile() || st.size !== v.bytes) return false;
    timed = looksPublished(st, v, lastModified);
    if (timed && !options.hash) return true;
  } catch {
    return false;
  }
  if (!(await isVerified(root, v))) return false;
  if (!timed && !options.keepTime) {
    const time = new Date(lastModified);
    await utimes(path, time, time).catch(() => undefined);
  }
  return true;
}

export async function isVerified(root: string, v: Variant): Promise<boolean> {
  let handle: FileHandle | undefined;
  const chunk = spareChunks.pop() ?? Buffer.allocUnsafe(64 * 1024);
  try {
    const path = join(root, v.path);
    const st = await lstat(path);
    if (!st.isFile() || st.size !== v.bytes) return false;
    handle = await open(path, 'r');
    const hash = createHash('sha256');
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return total === v.bytes && hash.digest('hex') === v.sha256;
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
    spareChunks.push(chunk);
  }
}

export function generationName(text: string): string {
  return sha256(Buffer.from(text, 'utf8')).slice(0, 16);
}

/** The top-level names a publication needs in the out dir: each top file with its siblings, each top directory once. */
export function publicNames(manifest: Manifest): Set<string> {
  const names = new Set<string>();
  for (const f of manifest.files) {
    for (const v of [f, f.encodings.gzip, f.encodings.br]) if (v) names.add(v.path.split('/')[0]!);
  }
  return names;
}

/** Fixed symlinks: a public name and where it points (relative to its own directory). */
function publicLinks(names: Iterable<string>): [string, string][] {
  const links: [string, string][] = [...names].sort().map((name) => [name, `${CURRENT_PREFIX}${name}`]);
  links.push([MANIFEST_FILE, `current/${GENERATION_MANIFEST}`]);
  return links;
}

/**
 * Makes each public name the fixed symlink, replacing a plain file or another symlink in one
 * rename each. Links already right are left alone, so a steady state costs one readlink per
 * name. A directory in the way makes the rename fail, and the error propagates. Names that
 * did not exist before (dangling until the switch) are added to `created` as they are made.
 */
export async function linkPublicNames(outDir: string, names: Iterable<string>, step: StepHook, created: string[] = []): Promise<void> {
  let changed = false;
  for (const [name, target] of publicLinks(names)) {
    const path = join(outDir, name);
    let existed = true;
    try {
      if ((await readlink(path)) === target) continue;
    } catch (err) {
      existed = (err as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    await step(`link ${name}`);
    await replaceWithSymlink(path, target);
    if (!existed) created.push(name);
    changed = true;
  }
  if (changed) {
    await syncDir(outDir);
    await syncDir(join(outDir, STATE_DIR));
  }
}

/** The one atomic step: `current` now names `generation`. Its directory's mtime records when (see sweepGenerations). */
export async function switchCurrent(outDir: string, generation: string, step: StepHook, clock: Date): Promise<void> {
  await step(`switch ${generation}`);
  await utimes(join(outDir, GENERATIONS_DIR, generation), clock, clock);
  await replaceWithSymlink(join(outDir, CURRENT_LINK), `generations/${generation}`);
  await syncDir(join(outDir, STATE_DIR));
}

/** Removes public symlinks of names the live publication no longer has (vanished paths and their .gz/.br). */
export async function unlinkStaleNames(outDir: string, keep: Set<string>, step: StepHook, plainToo: Set<string> = new Set()): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith('.') || keep.has(name)) continue;
    const ours = entry.isSymbolicLink()
      ? (await readlink(join(outDir, name)).catch(() => '')) === `${CURRENT_PREFIX}${name}`
      : entry.isFile() && plainToo.has(name);
    if (!ours) continue;
    await step(`unlink ${name}`);
    await unlink(join(outDir, name));
    removed.push(name);
  }
  if (removed.length) await syncDir(outDir);
  return removed;
}

/**
 * Keeps the current generation, the previous one, and any generation replaced less than
 * `graceMs` ago; removes the rest. A generation's mtime is when it became current, so the one
 * that replaced it tells when it stopped being current. Each goes by a rename to a temp name
 * first, so a run killed halfway leaves a temp dir the next run sweeps, never half a
 * generation under a real name.
 */
export async function sweepGenerations(outDir: string, current: string, graceMs: number, clock: Date, step: StepHook): Promise<string[]> {
  const dir = join(outDir, GENERATIONS_DIR);
  const gens: { name: string; mtime: number }[] = [];
  for (const name of await readdir(dir)) {
    if (!GENERATION_NAME.test(name)) continue;
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st?.isDirectory()) gens.push({ name, mtime: st.mtimeMs });
  }
  gens.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
  const previous = gens.find((g) => g.name !== current)?.name;
  const removed: string[] = [];
  for (const [i, g] of gens.entries()) {
    if (g.name === current || g.name === previous || i === 0) continue;
    const replacedAt = gens[i - 1]!.mtime;
    if (clock.getTime() - replacedAt < graceMs) continue;
    await step(`sweep ${g.name}`);
    const doomed = tempPathFor(join(dir, g.name));
    await rename(join(dir, g.name), doomed);
    await rm(doomed, { recursive: true, force: true });
    removed.push(g.name);
  }
  if (removed.length) await syncDir(dir);
  return removed;
}
