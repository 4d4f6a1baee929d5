/**
 * Where a publication goes. The out dir is the default target; an S3-compatible bucket
 * (s3.ts) is the other. Both take the pipeline's flat OutputFile[] list, read back the
 * current manifest and a published file's bytes, and honour a fencing token: a run whose
 * lease token is older than the one already published is refused, so an instance that was
 * frozen past its lease can never overwrite what a newer holder published.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';
import type { Issue, Result } from '../issue.js';
import { writeFileAtomic } from './atomic.js';
import { describeFsError } from './lock.js';
import { STATE_DIR, type Manifest } from './manifest.js';
import { publish, readManifest, readPublished, type OutputFile, type PublishOptions, type PublishOutcome } from './publish.js';

/** A manifest as a target reports it: with the fencing token of the run that published it. */
export type TargetManifest = Manifest & { fence?: number };

export type TargetPublishOptions = PublishOptions & {
  /** Lease token of this run (coordination mode); absent with the file lock. */
  fence?: number;
  /** Aborted when the lease is lost or the service stops: nothing more is made visible. */
  signal?: AbortSignal;
};

export type PublishTarget = {
  /** `out/` path or `s3://bucket/prefix`, for messages. */
  readonly name: string;
  readManifest: () => Promise<TargetManifest | undefined>;
  /** The bytes published for `path`, if `manifest` vouches for them. */
  readPublished: (manifest: TargetManifest | undefined, path: string) => Promise<Uint8Array | undefined>;
  publish: (files: OutputFile[], options: TargetPublishOptions) => Promise<Result<PublishOutcome | undefined>>;
};

/** The directory target keeps its token beside the manifest, which publish.ts owns. */
export const FENCE_FILE = `${STATE_DIR}/fence`;

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

async function readFence(outDir: string): Promise<number | undefined> {
  const text = await readFile(join(outDir, FENCE_FILE), 'utf8').catch(() => undefined);
  const value = text === undefined ? NaN : Number(text.trim());
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Makes the folders that nested paths (`tags/economie/atom.xml`) need; publish() writes into existing ones. */
export async function ensureFolders(outDir: string, files: OutputFile[]): Promise<Issue | undefined> {
  const folders = new Set([join(outDir, STATE_DIR), ...files.map((f) => dirname(join(outDir, f.path)))]);
  for (const folder of folders) {
    try {
      await mkdir(folder, { recursive: true });
    } catch (err) {
      return { rule: 'publish-failed', level: 'error', file: folder, message: `cannot create ${folder}: ${describeFsError(err)}; the previous publication is unchanged` };
    }
  }
  return undefined;
}

/** Today's out dir, byte for byte, plus the fence check. */
export function directoryTarget(outDir: string): PublishTarget {
  return {
    name: outDir,
    readManifest: async () => {
      const manifest = await readManifest(outDir);
      const fence = manifest ? await readFence(outDir) : undefined;
      return manifest && fence !== undefined ? { ...manifest, fence } : manifest;
    },
    readPublished: (manifest, path) => readPublished(outDir, manifest, path),
    publish: async (files, options) => {
      const { fence, signal: _signal, ...rest } = options;
      const cannot = await ensureFolders(outDir, files);
      if (cannot) return { value: undefined, issues: [cannot] };
      if (fence !== undefined) {
        const refused = fenceIssue(outDir, await readFence(outDir), fence);
        if (refused) return { value: undefined, issues: [refused] };
        // Claimed before the files move, so a stale run checking after this point is refused.
        try {
          await writeFileAtomic(join(outDir, FENCE_FILE), Buffer.from(`${fence}\n`));
        } catch (err) {
          return { value: undefined, issues: [{ rule: 'publish-failed', level: 'error', file: join(outDir, FENCE_FILE), message: `cannot write the fencing token: ${describeFsError(err)}; the previous publication is unchanged` }] };
        }
      }
      return publish(outDir, files, rest);
    },
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
