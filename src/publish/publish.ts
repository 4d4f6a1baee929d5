/**
 * Puts a validated set of files live. Every file and its gzip/br siblings are staged as temp
 * files first (the step that can run out of space or permission), then renamed into place,
 * then the manifest is renamed last: a failure before the renames leaves the previous
 * publication untouched, and a server that trusts only the manifest never sees a mix.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Issue, Result } from '../issue.js';
import { stageFile, sweepTempFiles, syncDir } from './atomic.js';
import { describeFsError } from './lock.js';
import { MANIFEST_FILE, STATE_DIR, type Manifest, type PublishedFile, type Variant } from './manifest.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type OutputFile = {
  /** Name inside the out dir, e.g. `rss.xml`. */
  path: string;
  mediaType: string;
  data: Uint8Array;
  /** Absolute public URL (WebSub topic, Link rel=self); optional for non-feeds. */
  selfUrl?: string;
};

export type PublishOptions = {
  maxAge: number;
  hubs: string[];
  /** The run's clock: stamps Last-Modified of files whose bytes changed. */
  now: Date;
};

export type PublishOutcome = {
  manifest: Manifest;
  /** Paths whose bytes differ from the previous publication. */
  changed: string[];
};

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
    return manifest.version === 1 && Array.isArray(manifest.files) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes currently published for `path`, if the manifest vouches for them. */
export async function readPublished(outDir: string, manifest: Manifest | undefined, path: string): Promise<Uint8Array | undefined> {
  const entry = manifest?.files.find((f) => f.path === path);
  if (!entry) return undefined;
  try {
    const data = await readFile(join(outDir, path));
    return sha256(data) === entry.sha256 ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Brotli quality 9, not 11: on a 280 KB feed, q11 takes ~340 ms for 36.1 KB and q9 ~20 ms for
 * 39.1 KB (measured here). Five files per publication make q11 the slowest step of a build,
 * for 8 % fewer bytes on the rare full downloads that pollers with ETags make.
 */
async function compress(data: Uint8Array): Promise<{ gzip: Buffer; br: Buffer }> {
  const [gz, br] = await Promise.all([
    gzipAsync(data, { level: 9 }),
    brotliAsync(data, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 9,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: data.byteLength,
      },
    }),
  ]);
  return { gzip: gz, br };
}

const variant = (path: string, data: Uint8Array): Variant => ({ path, bytes: data.byteLength, sha256: sha256(data) });

/**
 * Publishes `files` into `outDir`. Unchanged files (same sha256 as the manifest says and
 * still intact on disk) are not rewritten, so their mtime and Last-Modified stay put.
 * Call it while holding the publish lock.
 */
export async function publish(outDir: string, files: OutputFile[], options: PublishOptions): Promise<Result<PublishOutcome | undefined>> {
  const fail = (file: string, err: unknown, what: string): Result<undefined> => ({
    value: undefined,
    issues: [{ rule: 'publish-failed', level: 'error', file, message: `cannot ${what}: ${describeFsError(err)}; the previous publication is unchanged` } satisfies Issue],
  });

  try {
    await mkdir(join(outDir, STATE_DIR), { recursive: true });
  } catch (err) {
    return fail(outDir, err, 'create the output directory');
  }
  await sweepTempFiles(outDir);
  await sweepTempFiles(join(outDir, STATE_DIR));

  const previous = await readManifest(outDir);
  const staged: { temp: string; target: string }[] = [];
  const entries: PublishedFile[] = [];
  const changed: string[] = [];
  const selfUrls: Record<string, string> = {};

  const discardStaged = async (): Promise<void> => {
    await Promise.all(staged.map((s) => unlink(s.temp).catch(() => undefined)));
  };

  for (const file of files) {
    if (file.selfUrl) selfUrls[file.path] = file.selfUrl;
    const hash = sha256(file.data);
    const before = previous?.files.find((f) => f.path === file.path);
    const intact = before?.sha256 === hash && before.encodings.gzip && before.encodings.br && (await readPublished(outDir, previous, file.path)) !== undefined;
    if (before && intact) {
      entries.push({ ...before, mediaType: file.mediaType });
      continue;
    }
    changed.push(file.path);
    const { gzip: gz, br } = await compress(file.data);
    const bodies: [string, Uint8Array][] = [[file.path, file.data], [`${file.path}.gz`, gz], [`${file.path}.br`, br]];
    for (const [path, data] of bodies) {
      const target = join(outDir, path);
      try {
        // A feed of a set lives in a folder (tags/économie/rss.xml): make it before staging there.
        await mkdir(dirname(target), { recursive: true });
        staged.push({ temp: await stageFile(target, data), target });
      } catch (err) {
        await discardStaged();
        return fail(target, err, `write ${path}`);
      }
    }
    entries.push({
      ...variant(file.path, file.data),
      mediaType: file.mediaType,
      lastModified: options.now.toISOString(),
      encodings: { gzip: variant(`${file.path}.gz`, gz), br: variant(`${file.path}.br`, br) },
    });
  }

  const manifest: Manifest = { version: 1, maxAge: options.maxAge, hubs: options.hubs, selfUrls, files: entries };
  const manifestTarget = join(outDir, MANIFEST_FILE);
  let manifestTemp: string;
  try {
    manifestTemp = await stageFile(manifestTarget, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  } catch (err) {
    await discardStaged();
    return fail(manifestTarget, err, 'write the manifest');
  }

  // Identity bodies last among the files, so a static server with gzip_static never pairs a
  // new .gz with an old identity file for longer than it must; the manifest goes last of all.
  staged.sort((a, b) => rank(a.target) - rank(b.target));
  for (const { temp, target } of staged) {
    try {
      await rename(temp, target);
    } catch (err) {
      await discardStaged();
      await unlink(manifestTemp).catch(() => undefined);
      return fail(target, err, 'move the new file into place');
    }
  }
  try {
    await rename(manifestTemp, manifestTarget);
  } catch (err) {
    await unlink(manifestTemp).catch(() => undefined);
    return fail(manifestTarget, err, 'move the manifest into place');
  }
  await syncDir(outDir);
  return { value: { manifest, changed }, issues: [] };
}

const rank = (path: string): number => (path.endsWith('.gz') || path.endsWith('.br') ? 0 : 1);
