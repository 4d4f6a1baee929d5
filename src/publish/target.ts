/**
 * Where a publication goes. The out dir is the default target; an S3-compatible bucket
 * (s3.ts) is the other. Both take the pipeline's flat OutputFile[] list, read back the
 * current manifest and a published file's bytes, and honour a fencing token: a run whose
 * lease token is older than the one already published is refused, so an instance that was
 * frozen past its lease can never overwrite what a newer holder published.
 */
import type { Config } from '../config.js';
import type { Result } from '../issue.js';
import type { Manifest } from './manifest.js';
import { publish, readManifest, readPublished, type PublishFile, type PublishOptions, type PublishOutcome } from './publish.js';

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
};

/** The out dir (publish.ts): generations switched by one rename; the token goes into the manifest. */
export function directoryTarget(outDir: string): PublishTarget {
  return {
    name: outDir,
    readManifest: () => readManifest(outDir),
    readPublished: (manifest, path) => readPublished(outDir, manifest, path),
    publish: (files, { signal: _signal, ...options }) => publish(outDir, files, options),
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
