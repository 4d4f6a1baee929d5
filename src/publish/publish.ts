/**
 * Puts a validated set of files live so that a failure at any point, a SIGKILL or a power
 * cut included, leaves one whole publication, the old one or the new one:
 *
 *   1. write the new generation (files, .gz/.br, its manifest) under a temp name; unchanged
 *      files are hard links into the live generation (same bytes, same mtime, no recompression);
 *   2. fsync the files, then their directories, then rename it to `generations/<id>`;
 *   3. make sure each public name is its fixed symlink through `current` (new names dangle
 *      until step 4, which a static server answers as 404, like the old publication would);
 *   4. switch `current` to the new generation: one rename, then fsync `.kiosque/`;
 *   5. remove public names that vanished; sweep old generations.
 *
 * Nothing before step 4 touches bytes the live manifest vouches for, so any failure there
 * leaves the previous publication exactly as it was; failures in step 5 only leave clutter
 * that the next run clears. See generations.ts for the layout.
 */
import { lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Issue, Result } from '../issue.js';
import { linkOrCopy, sweepTempFiles, syncDir, syncFiles, tempPathFor, writeNewFile } from './atomic.js';
import { openCompressor, type Compressed } from './compress.js';
import { pool } from '../pool.js';
import {
  GENERATION_GRACE_MS, GENERATION_MANIFEST, GENERATIONS_DIR, generationName, isAsPublished, isVerified, linkPublicNames, publicNames, readLive, readVerified,
  resolvePublication, sha256, sweepGenerations, switchCurrent, unlinkStaleNames, type Live,
} from './generations.js';
import { describeFsError } from './lock.js';
import {
  STATE_DIR, isPublishablePath, manifestText, nextLastModified, type GonePath, type Manifest, type MovedPath, type PublishedFile, type Variant,
} from './manifest.js';
import { installedStepHook, type StepHook } from './steps.js';

export { sha256 } from './generations.js';

export type OutputFile = {
  /** Path inside the out dir, e.g. `rss.xml` or `tags/economie/rss.xml`. */
  path: string;
  mediaType: string;
  data: Uint8Array;
  /** Absolute public URL (WebSub topic, Link rel=self); optional for non-feeds. */
  selfUrl?: string;
  /** Bytes that never change at this path (a full archive page): served with `immutable` caching, checked by size when unchanged. */
  immutable?: boolean;
  /** Its .gz and .br bodies, when the caller compressed `data` already (only asked for when the file must be written). */
  compressed?: () => Promise<Compressed>;
};

/**
 * A file the caller knows by hash, its bytes loaded only if they must be written: an archive page it did not render
 * again (expected unchanged), or one it rendered and keeps on disk until now (publish/spool.ts). With its size
 * (`bytes`), it is loaded only when its turn to be written comes, so a publication of thousands holds a few at a time.
 */
export type KnownFile = Omit<OutputFile, 'data'> & { sha256: string; bytes?: number; load: () => Uint8Array };

export type PublishFile = OutputFile | KnownFile;

const bytesOf = (file: PublishFile): Uint8Array => ('data' in file ? file.data : file.load());

export type PublishOptions = {
  maxAge: number;
  hubs: string[];
  /** The run's clock: stamps Last-Modified of files whose bytes changed (never earlier than the previous one + 1 s). */
  now: Date;
  /** How long a replaced generation is kept; default GENERATION_GRACE_MS. The current and previous ones are always kept. */
  graceMs?: number;
  /** Called before each change on disk (tests stop or fail a publication there); default: the one the CLI installed. */
  onStep?: StepHook;
  /** Lease mode: this run's fencing token, written into the manifest; refused when older than the live one's. */
  fence?: number;
  /** Paths that answer 301 rather than 410 (a feed that moved); a path published again is served, not redirected. */
  moved?: MovedPath[];
};

export type PublishOutcome = {
  manifest: Manifest;
  /** Paths whose bytes differ from the previous publication: changed, new, or repaired after damage on disk. */
  changed: string[];
  /** Of `changed`, those written again with the bytes the publication already had (damaged on disk): nothing new for readers. */
  repaired?: string[];
  /** Paths that were published before this run and are not any more. */
  gone: string[];
  /** Directory name of the live generation under `.kiosque/generations/`. */
  generation: string;
};

/** The live publication's manifest (either layout), or undefined when nothing is published. */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  const live = await readLive(outDir);
  return live.kind === 'none' ? undefined : live.manifest;
}

/** The bytes currently published for `path`, if the manifest vouches for them. */
export async function readPublished(outDir: string, manifest: Manifest | undefined, path: string): Promise<Uint8Array | undefined> {
  const entry = manifest?.files.find((f) => f.path === path);
  if (!entry) return undefined;
  const found = await resolvePublication(outDir);
  return 'root' in found ? readVerified(found.root, entry) : undefined;
}

/**
 * Bodies written at once. Each one waits on other threads in turn (compression, then open,
 * write, utimes, close for its three files); one at a time, a first build with 3,000 archive
 * pages kept both cores idle for most of its publication.
 */
const WRITING_AT_ONCE = 8;

const variant = (path: string, data: Uint8Array): Variant => ({ path, bytes: data.byteLength, sha256: sha256(data) });
const variantsOf = (f: PublishedFile): Variant[] => [f, f.encodings.gzip, f.encodings.br].filter((v): v is Variant => v !== undefined);

/** One file of the new generation: hard-linked from a directory holding the same bytes, or new bytes to compress and write. */
type Body = { entry: PublishedFile; linkFrom: string } | { entry: PublishedFile; data: Uint8Array; compressed?: () => Promise<Compressed> } | { entry: PublishedFile; load: () => Uint8Array };

type Plan = { manifest: Manifest; bodies: Body[]; changed: string[]; repaired: string[]; gone: string[] };

/** A located failure inside a publication; turned into an Issue at the edge of publish(). */
class StepError extends Error {
  constructor(readonly file: string, what: string, cause: unknown) {
    super(`cannot ${what}: ${describeFsError(cause)}`);
  }
}

async function attempt<T>(file: string, what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw err instanceof StepError ? err : new StepError(file, what, err);
  }
}

const failure = (file: string, message: string, rule = 'publish-failed'): Result<undefined> => ({
  value: undefined,
  issues: [{ rule, level: 'error', file, message } satisfies Issue],
});

/** Fixed key order, so the same publication always serialises to the same manifest text (and generation name). */
function canonical(f: PublishedFile): PublishedFile {
  const v = (x: Variant): Variant => ({ path: x.path, bytes: x.bytes, sha256: x.sha256 });
  const encodings: PublishedFile['encodings'] = {};
  if (f.encodings.gzip) encodings.gzip = v(f.encodings.gzip);
  if (f.encodings.br) encodings.br = v(f.encodings.br);
  return { ...v(f), mediaType: f.mediaType, lastModified: f.lastModified, encodings, ...(f.immutable ? { immutable: true as const } : {}) };
}

function checkPaths(files: PublishFile[]): string | undefined {
  const seen = new Set<string>();
  for (const f of files) {
    if (!isPublishablePath(f.path)) return `"${f.path}" is not a plain relative path`;
    for (const p of [f.path, `${f.path}.gz`, `${f.path}.br`]) {
      if (seen.has(p)) return `"${p}" is published twice`;
      seen.add(p);
    }
  }
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (seen.has(dir)) return `"${dir}" is published both as a file and as the directory of "${f.path}"`;
    }
  }
  return undefined;
}

/**
 * Decides every entry of the new manifest. An unchanged file keeps its entry, and is linked
 * from the live generation when its three bodies there still match; otherwise (damaged on
 * disk) it is written again with the date it already had. Changed and new files get a
 * monotonic Last-Modified. Vanished paths join `gone`; a path published again leaves it.
 */
async function plan(live: Live, files: PublishFile[], options: PublishOptions, keepTimes = false): Promise<Plan> {
  const previous = live.kind === 'none' ? undefined : live.manifest;
  const before = new Map(previous?.files.map((f) => [f.path, f]));
  const wasGone = new Map(previous?.gone.map((g) => [g.path, g.since]));
  const selfUrls: Record<string, string> = {};
  const bodies: Body[] = [];
  const changed: string[] = [];
  const repaired: string[] = [];
  for (const file of files) {
    if (file.selfUrl) selfUrls[file.path] = file.selfUrl;
    const hash = 'data' in file ? sha256(file.data) : file.sha256;
    const old = before.get(file.path);
    if (old && old.sha256 === hash && live.kind !== 'none') {
      const { immutable: was, ...kept } = old;
      const entry = canonical({ ...kept, mediaType: file.mediaType, ...(file.immutable ? { immutable: true as const } : {}) });
      let intact = Boolean(old.encodings.gzip && old.encodings.br);
      // Immutable files are checked by size and time: hashing every full archive page on every build would cost more than the rest of a no-change build.
      // Either way a file with the bytes but not the time (copied without its times) gets its time back: it is linked into
      // the new generation.
      const check = { hash: !(was && file.immutable), keepTime: keepTimes };
      for (const v of variantsOf(old)) intact &&= await isAsPublished(live.root, v, old.lastModified, check);
      if (intact) {
        bodies.push({ entry, linkFrom: live.root });
        continue;
      }
      changed.push(file.path);
      repaired.push(file.path);
      bodies.push({ entry, data: await attempt(file.path, `load ${file.path}`, async () => bytesOf(file)) });
      continue;
    }
    changed.push(file.path);
    const lastModified = nextLastModified(options.now, old?.lastModified ?? wasGone.get(file.path));
    const rest = { mediaType: file.mediaType, lastModified, encodings: {}, ...(file.immutable ? { immutable: true as const } : {}) };
    if (!('data' in file) && file.bytes !== undefined) {
      bodies.push({ entry: { path: file.path, bytes: file.bytes, sha256: file.sha256, ...rest }, load: file.load });
      continue;
    }
    const data = await attempt(file.path, `load ${file.path}`, async () => bytesOf(file));
    bodies.push({ entry: { ...variant(file.path, data), ...rest }, data, ...('compressed' in file && file.compressed ? { compressed: file.compressed } : {}) });
  }

  const published = new Set(files.map((f) => f.path));
  const moved = (options.moved ?? []).filter((m) => !published.has(m.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const redirected = new Set(moved.map((m) => m.path));
  const gone: GonePath[] = [];
  const newlyGone: string[] = [];
  for (const [path, since] of wasGone) if (!published.has(path) && !redirected.has(path)) gone.push({ path, since });
  for (const old of previous?.files ?? []) {
    if (published.has(old.path) || redirected.has(old.path)) continue;
    gone.push({ path: old.path, since: nextLastModified(options.now, old.lastModified) });
    newlyGone.push(old.path);
  }
  // A redirect taken out of `moved`: its old address is gone for good (410), like a feed no longer published, not unknown (404).
  for (const old of previous?.moved ?? []) {
    if (published.has(old.path) || redirected.has(old.path) || wasGone.has(old.path)) continue;
    gone.push({ path: old.path, since: nextLastModified(options.now, undefined) });
    newlyGone.push(old.path);
  }
  gone.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const manifest: Manifest = {
    version: 2, maxAge: options.maxAge, hubs: options.hubs, selfUrls, files: bodies.map((b) => b.entry), gone,
    ...(moved.length > 0 ? { moved } : {}), ...(options.fence !== undefined ? { fence: options.fence } : {}),
  };
  return { manifest, bodies, changed, repaired, gone: newlyGone };
}

/** Whether `root` already holds exactly this publication, intact. */
async function holds(root: string, text: string, manifest: Manifest): Promise<boolean> {
  try {
    if ((await readFile(join(root, GENERATION_MANIFEST), 'utf8')) !== text) return false;
  } catch {
    return false;
  }
  for (const f of manifest.files) for (const v of variantsOf(f)) if (!(await isVerified(root, v))) return false;
  return true;
}

/**
 * Steps 1 and 2: writes the generation under a temp name, compressing and writing new bodies several at
 * a time, fsyncs its files (together, at the end) and directories, then names it from its
 * manifest's sha256 and renames it into place.
 * When an identical intact generation already exists (written by a run whose switch
 * failed), the copy is dropped and that one is used. Returns the generation's name.
 */
async function writeGeneration(outDir: string, p: Plan, step: StepHook): Promise<string> {
  const gens = join(outDir, GENERATIONS_DIR);
  const staging = tempPathFor(join(gens, 'generation'));
  const dirs = [staging];
  const written: string[] = [];
  try {
    await attempt(gens, 'create the new generation', async () => {
      await step('stage generation');
      await mkdir(staging);
    });
    // Several bodies at once (see WRITING_AT_ONCE), each started, with its step, in order.
    const made = new Map<string, Promise<void>>();
    const ensureDir = (dir: string): Promise<void> => {
      let job = made.get(dir);
      if (job === undefined) {
        // mkdir returns the first directory it created; the ones below it are new too.
        job = mkdir(dir, { recursive: true }).then((first) => {
          for (let d = dir; first && d.length >= first.length; d = dirname(d)) dirs.push(d);
        });
        made.set(dir, job);
      }
      return job;
    };
    const compressor = openCompressor(p.bodies.flatMap((b) => ('linkFrom' in b || ('compressed' in b && b.compressed) ? [] : [b.entry.bytes])));
    try {
      await pool(p.bodies, WRITING_AT_ONCE, (body) => attempt(join(outDir, body.entry.path), `write ${body.entry.path}`, async () => {
        const { entry } = body;
        await step(`${'linkFrom' in body ? 'link' : 'write'} ${entry.path}`);
        await ensureDir(dirname(join(staging, entry.path)));
        if ('linkFrom' in body) {
          for (const v of variantsOf(entry)) await linkOrCopy(join(body.linkFrom, v.path), join(staging, v.path));
          return;
        }
        const mtime = new Date(entry.lastModified);
        const data = 'data' in body ? body.data : body.load();
        // Its manifest entry was written from the size and hash it was announced with.
        if (data.byteLength !== entry.bytes) throw new Error(`${entry.path} is ${data.byteLength} bytes, not the ${entry.bytes} it had when hashed`);
        const { gzip: gz, br } = await ('compressed' in body && body.compressed ? body.compressed() : compressor.compress(entry.path, data));
        entry.encodings = { gzip: variant(`${entry.path}.gz`, gz), br: variant(`${entry.path}.br`, br) };
        // Synced all together below, before the generation is named.
        for (const [path, bytes] of [[entry.path, data], [entry.encodings.gzip!.path, gz], [entry.encodings.br!.path, br]] as const) {
          await writeNewFile(join(staging, path), bytes, mtime, false);
          written.push(join(staging, path));
        }
      }));
    } finally {
      await compressor.close();
    }
    const text = manifestText(p.manifest);
    await attempt(join(outDir, STATE_DIR), 'write the manifest', async () => {
      await step('write manifest');
      await writeNewFile(join(staging, GENERATION_MANIFEST), Buffer.from(text, 'utf8'));
    });
    await attempt(gens, 'flush the new generation to disk', async () => {
      await step('sync generation');
      await syncFiles(written);
      // Deepest first: a directory is synced after the entries it gained.
      for (const d of [...new Set(dirs)].sort((a, b) => b.length - a.length)) await syncDir(d);
    });
    const id = generationName(text);
    let name = id;
    for (let n = 2; await lstat(join(gens, name)).then(() => true, () => false); n++) {
      if (await holds(join(gens, name), text, p.manifest)) {
        await rm(staging, { recursive: true, force: true }).catch(() => undefined);
        return name;
      }
      // The same content, damaged on disk: never written into; the repaired copy gets its own name.
      name = `${id}-${n}`;
    }
    await attempt(gens, 'move the new generation into place', async () => {
      await step(`rename ${name}`);
      await rename(staging, join(gens, name));
      await syncDir(gens);
    });
    return name;
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Steps 3 to 5 for a written generation. A failure before the switch propagates (nothing
 * changed); after it the publication is live, and failures come back as warnings.
 * `linkFirst` is false only when adopting a version 1 out dir: there the plain files are
 * replaced by links once `current` exists, each by a link to the very same bytes.
 */
async function goLive(outDir: string, generation: string, names: Set<string>, step: StepHook, opts: { linkFirst: boolean; graceMs: number; plainToo?: Set<string> }): Promise<Issue[]> {
  const created: string[] = [];
  const link = (): Promise<void> => attempt(outDir, 'link the public names', () => linkPublicNames(outDir, names, step, created));
  try {
    if (opts.linkFirst) await link();
    await attempt(join(outDir, STATE_DIR), 'switch to the new publication', () => switchCurrent(outDir, generation, step, new Date()));
  } catch (err) {
    // New names point at nothing until a switch: without one they would dangle until a run publishes them.
    for (const name of created) await rm(join(outDir, name), { force: true }).catch(() => undefined);
    throw err;
  }
  const warnings: Issue[] = [];
  const tidy = async (what: string, op: () => Promise<unknown>): Promise<void> => {
    try {
      await op();
    } catch (err) {
      warnings.push({ rule: 'publish-cleanup', level: 'warning', file: outDir, message: `published, but could not ${what}: ${describeFsError(err)}; the next run retries` });
    }
  };
  if (!opts.linkFirst) await tidy('link the public names', link);
  await tidy('remove the names of vanished files', () => unlinkStaleNames(outDir, names, step, opts.plainToo));
  await tidy('remove old generations', () => sweepGenerations(outDir, generation, opts.graceMs, new Date(), step));
  return warnings;
}

/**
 * A version 1 out dir (plain files, manifest written last) becomes a generation without a
 * byte, ETag or Last-Modified changing for anyone: its verified files are hard-linked into a
 * generation with the same entries, `current` is pointed at it, then each plain name is
 * swapped for a link to the same inode. Files that do not match their manifest (left by the
 * old publisher's failures) are not adopted, and their names are removed.
 */
async function adoptLegacy(outDir: string, legacy: Extract<Live, { kind: 'legacy' }>, step: StepHook, graceMs: number): Promise<Live> {
  const adopt: StepHook = (s) => step(`adopt: ${s}`);
  const bodies: Body[] = [];
  const legacyNames = new Set<string>();
  for (const f of legacy.manifest.files) {
    for (const v of variantsOf(f)) if (isPublishablePath(v.path) && !v.path.includes('/')) legacyNames.add(v.path);
    // Earlier releases published top-level files only; anything else is not theirs to adopt.
    if (!isPublishablePath(f.path) || f.path.includes('/') || !(await isVerified(outDir, f))) continue;
    const encodings: PublishedFile['encodings'] = {};
    if (f.encodings.gzip && (await isVerified(outDir, f.encodings.gzip))) encodings.gzip = f.encodings.gzip;
    if (f.encodings.br && (await isVerified(outDir, f.encodings.br))) encodings.br = f.encodings.br;
    bodies.push({ entry: canonical({ ...f, encodings }), linkFrom: outDir });
  }
  if (bodies.length === 0) return { kind: 'none' };
  const { maxAge, hubs, selfUrls } = legacy.manifest;
  const p: Plan = { manifest: { version: 2, maxAge, hubs, selfUrls, files: bodies.map((b) => b.entry), gone: [] }, bodies, changed: [], repaired: [], gone: [] };
  const generation = await writeGeneration(outDir, p, adopt);
  const warnings = await goLive(outDir, generation, publicNames(p.manifest), adopt, { linkFirst: false, graceMs, plainToo: legacyNames });
  if (warnings.length) throw new StepError(outDir, 'finish adopting the previous publication', new Error(warnings.map((w) => w.message).join('; ')));
  return readLive(outDir);
}

/** The step after the last change: a fault injected there changes nothing, the publication is live. */
async function finalStep(step: StepHook): Promise<void> {
  try {
    await step('done');
  } catch {
    // Published already.
  }
}

const withFence = (manifest: Manifest, fence: number | undefined): Manifest => {
  const { fence: _mine, ...rest } = manifest;
  return fence === undefined ? rest : { ...rest, fence };
};

/** The refusal for a run whose token is older than the published one; undefined when it may publish. */
export function fenceIssue(where: string, published: number | undefined, mine: number | undefined): Issue | undefined {
  if (mine === undefined || published === undefined || mine >= published) return undefined;
  return {
    rule: 'publish-fenced',
    level: 'error',
    file: where,
    message: `refused: this run's lease token ${mine} is older than the published one (${published}); a newer instance took over and its publication stays`,
  };
}

/**
 * Publishes `files` into `outDir` as a new generation (see the top of this file). Unchanged
 * files keep their bytes, mtime and Last-Modified; when nothing changed at all nothing is
 * written. Call it while holding the publish lock.
 */
export async function publish(outDir: string, files: PublishFile[], options: PublishOptions): Promise<Result<PublishOutcome | undefined>> {
  const step = options.onStep ?? installedStepHook() ?? (() => undefined);
  const graceMs = options.graceMs ?? GENERATION_GRACE_MS;
  const unchanged = '; the previous publication is unchanged';
  const bad = checkPaths(files);
  if (bad) return failure(outDir, `cannot publish: ${bad}${unchanged}`, 'publish-bad-path');

  try {
    await mkdir(join(outDir, GENERATIONS_DIR), { recursive: true });
  } catch (err) {
    return failure(outDir, `cannot create the output directory: ${describeFsError(err)}${unchanged}`);
  }
  // What a killed run left: temp generations, temp symlinks (ours are all at these three levels).
  for (const dir of [outDir, join(outDir, STATE_DIR), join(outDir, GENERATIONS_DIR)]) await sweepTempFiles(dir);

  try {
    let live = await readLive(outDir);
    // A version 1 out dir's files keep the times static servers have been sending all along, through its adoption.
    const adopted = live.kind === 'legacy';
    if (live.kind === 'legacy') live = await adoptLegacy(outDir, live, step, graceMs);
    const fenced = live.kind === 'none' ? undefined : fenceIssue(outDir, live.manifest.fence, options.fence);
    if (fenced) return { value: undefined, issues: [fenced] };
    const p = await plan(live, files, options, adopted);
    // Names the live publication had are ours even as plain files (a run killed while adopting a version 1 out dir leaves some).
    const ours = live.kind === 'none' ? new Set<string>() : publicNames(live.manifest);
    // A newer token alone is no change: the manifest keeps the token of the run that last changed it.
    if (live.kind === 'generation' && p.changed.length === 0 && manifestText(withFence(p.manifest, live.manifest.fence)) === live.text) {
      // Nothing to publish; put back any public name someone removed.
      const generation = live.generation;
      const names = publicNames(p.manifest);
      await attempt(outDir, 'link the public names', () => linkPublicNames(outDir, names, step));
      await unlinkStaleNames(outDir, names, step, ours).catch(() => undefined);
      await sweepGenerations(outDir, generation, graceMs, new Date(), step).catch(() => undefined);
      await finalStep(step);
      return { value: { manifest: live.manifest, changed: [], gone: [], generation }, issues: [] };
    }
    // Generations past their grace go before a new one is written too, not only after a switch: on a
    // full disk, that space is what lets a build through, where failing builds would never free it.
    if (live.kind === 'generation') await sweepGenerations(outDir, live.generation, graceMs, new Date(), step).catch(() => undefined);
    const generation = await writeGeneration(outDir, p, step);
    // After writing: only then do new files have their .gz/.br entries.
    const warnings = await goLive(outDir, generation, publicNames(p.manifest), step, { linkFirst: true, graceMs, plainToo: ours });
    if (live.kind === 'none' && live.damaged) {
      warnings.unshift({
        rule: 'publish-previous-unreadable', level: 'warning', file: outDir,
        message: `the live publication could not be read (${live.damaged}), so this one was published as a first one: every file has a new Last-Modified, and feeds it no longer carries are not answered 410`,
      });
    }
    await finalStep(step);
    return { value: { manifest: p.manifest, changed: p.changed, ...(p.repaired.length > 0 ? { repaired: p.repaired } : {}), gone: p.gone, generation }, issues: warnings };
  } catch (err) {
    if (err instanceof StepError) return failure(err.file, `${err.message}${unchanged}`);
    throw err;
  }
}
