/**
 * Where a publication goes. The out dir is the default target; an S3-compatible bucket
 * (s3.ts) is the other. Both take the pipeline's flat OutputFile[] list, read back the
 * current manifest and a published file's bytes, and honour a fencing token: a run whose
 * lease token is older than the one already published is refused, so an instance that was
 * frozen past its lease can never overwrite what a newer holder published.
 */
import type { Config } from '../config.js';
import type { Result } from '../issue.js';
import { readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir, tempPathFor, writeNewFile } from './atomic.js';
import { isAsPublished, resolvePublication } from './generations.js';
import { looksPublished, STATE_DIR, type Manifest } from './manifest.js';
import { parseOwedPings, owedPingsText, type OwedPings } from './pings.js';
import { publish, readManifest, readPublished, type PublishFile, type PublishOptions, type PublishOutcome } from './publish.js';

/** Beside the manifest, where every instance publishing to the target can read it. */
export const PINGS_FILE = `${STATE_DIR}/pings.json`;

/** A manifest as a target reports it (with `fence`, the token of the run that last changed it). */
export type TargetManifest = Manifest;

export type TargetPublishOptions = PublishOptions & {
  /** Aborted when the lease is lost or the service stops: nothing more is made visible. */
  signal?: AbortSignal;
};

export type PublishTarget = {
  /** `out/` path or `s3://bucket/prefix`, for messages. */
  readonly name: string;
  readManifest: () => Promise<TargetManifest | undefined>;
  /** The bytes published for `path`, if `manifest` vouches for them. */
  readPublished: (manifest: TargetManifest | undefined, path: string) => Promise<Uint8Array | undefined>;
  publish: (files: PublishFile[], options: TargetPublishOptions) => Promise<Result<PublishOutcome | undefined>>;
  /** WebSub pings owed by a publication (pings.ts); absent, unreadable or not ours reads as none. */
  readOwedPings: () => Promise<OwedPings | undefined>;
  /** Records what is owed, durably, or clears the record (undefined). Throws when the target cannot be written. */
  writeOwedPings: (owed: OwedPings | undefined) => Promise<void>;
  /** Whether the files `manifest` names are still as published, as far as their size and time tell; absent where that cannot be told cheaply. */
  intact?: (manifest: TargetManifest) => Promise<boolean>;
};

/**
 * Every file of the publication at its public name (a full archive page's own body only), with the size and time it was published with: a file truncated,
 * edited in place or removed since is damage only a full build repairs. A stat per file, 64 at a time; one whose time
 * alone differs (touched, copied without its times) is hashed in the live generation, and given its time back when
 * its bytes are the published ones.
 */
async function publicationIntact(outDir: string, manifest: Manifest): Promise<boolean> {
  const live = await resolvePublication(outDir);
  if (!('root' in live)) return false;
  // A full archive page's compressed bodies are left to the next full build, which checks every body it links: thousands
  // of them made the check a tenth of a 100k store's no-change rebuild.
  const expected = manifest.files.flatMap((f) => (f.immutable ? [f] : [f, ...Object.values(f.encodings)]).map((v) => ({ v, lastModified: f.lastModified })));
  for (let i = 0; i < expected.length; i += 64) {
    const found = await Promise.all(expected.slice(i, i + 64).map(async ({ v, lastModified }) => {
      try {
        const st = await stat(join(outDir, v.path));
        return looksPublished(st, v, lastModified) || (st.size === v.bytes && (await isAsPublished(live.root, v, lastModified)));
      } catch {
        return false;
      }
    }));
    if (found.includes(false)) return false;
  }
  return true;
}

async function writeOwedFile(outDir: string, owed: OwedPings | undefined): Promise<void> {
  const path = join(outDir, PINGS_FILE);
  if (owed) {
    const temp = tempPathFor(path);
    await writeNewFile(temp, Buffer.from(owedPingsText(owed), 'utf8'));
    try {
      await rename(temp, path);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  } else {
    try {
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return;
    }
  }
  await syncDir(join(outDir, STATE_DIR));
}

/** The out dir (publish.ts): generations switched by one rename; the token goes into the manifest. */
export function directoryTarget(outDir: string): PublishTarget {
  return {
    name: outDir,
    readManifest: () => readManifest(outDir),
    readPublished: (manifest, path) => readPublished(outDir, manifest, path),
    publish: (files, { signal: _signal, ...options }) => publish(outDir, files, options),
    readOwedPings: () => readFile(join(outDir, PINGS_FILE), 'utf8').then(parseOwedPings, () => undefined),
    writeOwedPings: (owed) => writeOwedFile(outDir, owed),
    intact: (manifest) => publicationIntact(outDir, manifest),
  };
}

const opened = new WeakMap<Config, Promise<PublishTarget>>();

/**
 * The configured target, made once per config (a service reuses the S3 client's connections
 * across ticks). The SDK is loaded only when a bucket is configured.
 */
export function openTarget(config: Config): Promise<PublishTarget> {
  let target = opened.get(config);
  if (!target) {
    const settings = config.publish;
    target = settings
      ? import('./s3.js').then(({ s3Target }) => s3Target(settings, { stagingDir: config.out, publicBase: config.feedBaseUrl }))
      : Promise.resolve(directoryTarget(config.out));
    opened.set(config, target);
  }
  return target;
}
