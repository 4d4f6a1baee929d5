/**
 * `kiosque publish --target s3://bucket/prefix`: pushes a publication that already exists in
 * an out dir (built here earlier, or elsewhere) to an S3-compatible bucket, then runs the
 * CDN purge hook and pings the WebSub hubs about the subscription feeds that changed.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE, loadConfig, type Config } from '../../config.js';
import { acquireRunLock } from '../../coordinate/lease.js';
import type { Issue } from '../../issue.js';
import { LOCK_FILE } from '../../pipeline.js';
import { readBuilt } from '../../publish/built.js';
import { readManifest } from '../../publish/publish.js';
import type { LockOwner } from '../../publish/lock.js';
import { pingHubs, type PingResult } from '../../publish/websub.js';
import { parseS3Target, redactUrl, type S3Settings } from '../../scaling-config.js';
import { parseCommandArgs, parseSeconds, usageError } from '../args.js';
import { formatConfigIssues } from '../build-report.js';
import { EXIT, type Command } from '../io.js';
import { formatIssue } from '../report.js';

export const HELP = `Usage: kiosque publish --target s3://bucket/prefix [options]

Pushes the publication in the out dir (as \`kiosque build\` leaves it) to an S3-compatible
bucket: only the objects whose bytes changed, the subscription feeds after everything else,
the manifest last, then deletions, the CDN purge hook and the WebSub pings. Credentials come
from the standard AWS chain (AWS_ACCESS_KEY_ID..., AWS_PROFILE, an instance or task role),
never from options or the configuration.

Options:
  --target URL          s3://bucket/prefix (default: the config's "publish.target")
  --config FILE         configuration file (default: ./kiosque.config.json when present)
  --out DIR             the publication to push (default: the config's "out", or ./out)
  --endpoint URL        S3 endpoint for MinIO, Ceph, R2... (default: the config's, or AWS)
  --region NAME         region (default: the config's, AWS_REGION, or us-east-1 with --endpoint)
  --path-style          path-style addressing (MinIO, Ceph)
  --encoding MODE       plain (default) or precompressed (.gz/.br objects too)
  --wait SECONDS        how long to wait for a build holding the lock or lease (default: 120)
  --force               push even a publication built before the bucket's (refused otherwise:
                        an out dir left from an earlier build would roll the feeds back)
  --json                print one JSON object and nothing else
  -h, --help            show this help

Exit codes:
  0   the bucket holds the publication (nothing needed uploading, or the upload completed)
  1   not pushed: no publication in the out dir, an S3 error (named with its key and code),
      a newer instance's publication (fencing), an out dir built before the bucket's
      publication (without --force), the lock or lease; the remote manifest still names
      the last complete publication
  64  usage error (unknown option, bad --target, --encoding or --wait)
`;

type Outcome = {
  published: boolean;
  target: string;
  changed: string[];
  uploaded: string[];
  deleted: string[];
  requests?: Record<string, number>;
  issues: Issue[];
  hubs: PingResult[];
  failure?: string;
  /** Another build or push held the out dir: try again later, as with `build`'s. */
  skipped?: true;
  lockedBy?: LockOwner;
  durationMs: number;
};

/** The public URL the out dir is served at, from the manifest's self URLs when there is no config. */
function publicBaseOf(selfUrls: Record<string, string>): string | undefined {
  for (const [path, url] of Object.entries(selfUrls)) if (url.endsWith(`/${path}`)) return url.slice(0, url.length - path.length);
  return undefined;
}

export const run: Command = async (argv, io) => {
  const parsed = parseCommandArgs('publish', argv, {
    target: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    'path-style': { type: 'boolean' },
    encoding: { type: 'string' },
    wait: { type: 'string' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, HELP, io);
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.values;
  const usage = (message: string): number => usageError(io, 'publish', message);
  const wait = parseSeconds(args.wait, 120);
  if (wait === undefined) return usage(`--wait must be a number of seconds (got "${args.wait}")`);
  if (args.encoding !== undefined && args.encoding !== 'plain' && args.encoding !== 'precompressed') return usage(`--encoding must be plain or precompressed (got "${args.encoding}")`);
  // The value is not echoed whole: it may hold the credentials it must not hold.
  if (args.endpoint !== undefined && !/^https?:\/\/[^@]+$/.test(args.endpoint)) return usage(`--endpoint must be an http(s) URL without credentials (got "${redactUrl(args.endpoint)}")`);

  let config: Config | undefined;
  if (args.config || existsSync(join(io.cwd, CONFIG_FILE))) {
    const loaded = await loadConfig(args.config, io.cwd, args.out ? { out: args.out } : {});
    if (!loaded.value) {
      io.stderr.write(formatConfigIssues(loaded.issues));
      return EXIT.failed;
    }
    config = loaded.value;
  }
  const location = args.target ? parseS3Target(args.target) : config?.publish;
  if (!location) return usage('--target s3://bucket/prefix is required (or "publish.target" in the configuration)');
  if (typeof location === 'string') return usage(`--target: ${location}`);
  const settings: S3Settings = {
    pathStyle: false, encoding: 'plain', immutable: [], concurrency: 8,
    ...config?.publish,
    bucket: location.bucket,
    prefix: location.prefix,
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    ...(args.region ? { region: args.region } : {}),
    ...(args['path-style'] !== undefined ? { pathStyle: args['path-style'] } : {}),
    ...(args.encoding ? { encoding: args.encoding as S3Settings['encoding'] } : {}),
  };
  const out = config?.out ?? resolve(io.cwd, args.out ?? 'out');
  const started = Date.now();
  const outcome: Outcome = { published: false, target: `s3://${settings.bucket}/${settings.prefix}`, changed: [], uploaded: [], deleted: [], issues: [], hubs: [], durationMs: 0 };

  const report = (): number => {
    outcome.durationMs = Date.now() - started;
    if (args.json) io.stdout.write(`${JSON.stringify(outcome)}\n`);
    else {
      for (const issue of outcome.issues) io.stderr.write(`${formatIssue(issue)}\n`);
      if (outcome.published) {
        const r = outcome.requests ?? {};
        io.stdout.write(`Pushed ${out} to ${outcome.target}: ${outcome.uploaded.length} object(s) uploaded, ${outcome.deleted.length} deleted`
          + ` (${r.GET ?? 0} GET, ${r.PUT ?? 0} PUT, ${r.DELETE ?? 0} DELETE) in ${(outcome.durationMs / 1000).toFixed(1)} s.\n`);
        for (const h of outcome.hubs) io.stdout.write(`  hub ${h.hub} ${h.ok ? 'accepted' : `failed (${h.error})`} ${h.topic}\n`);
      } else io.stdout.write(`Not pushed: ${outcome.failure ?? 'unknown failure'}\n`);
    }
    return outcome.published ? EXIT.ok : EXIT.failed;
  };

  const lock = await acquireRunLock(config ?? { feedBaseUrl: '' }, { lockFile: join(out, LOCK_FILE), waitMs: wait * 1000, signal: io.signal });
  if (!lock.ok) {
    outcome.failure = lock.failure;
    if (lock.skipped) {
      outcome.skipped = true;
      if (lock.skipped.owner) outcome.lockedBy = { ...lock.skipped.owner };
    }
    return report();
  }
  const signal = lock.lost ? AbortSignal.any([io.signal, lock.lost]) : io.signal;
  try {
    const local = await readManifest(out);
    if (!local) {
      outcome.failure = `no publication in ${out} (no readable manifest); run kiosque build first`;
      return report();
    }
    const { connectS3, syncToS3, uploadRank } = await import('../../publish/s3.js');
    const publicBase = config?.feedBaseUrl ?? publicBaseOf(local.selfUrls) ?? 'http://localhost/';
    const built = readBuilt(out);
    const synced = await syncToS3(connectS3(settings), out, local, {
      publicBase, signal, refuseOlder: !args.force, ...(built ? { built } : {}), ...(lock.fence !== undefined ? { fence: lock.fence } : {}),
    });
    outcome.issues.push(...synced.issues);
    if (!synced.value) {
      outcome.failure = synced.issues[0]?.message ?? 'the upload failed';
      return report();
    }
    Object.assign(outcome, { published: true, changed: synced.value.changed, uploaded: synced.value.uploaded, deleted: synced.value.deleted, requests: synced.value.requests });
    const topics = local.files
      .filter((f) => synced.value!.changed.includes(f.path) && uploadRank(f.path, f.mediaType, []) === 2 && local.selfUrls[f.path])
      .map((f) => local.selfUrls[f.path]!);
    if (local.hubs.length > 0 && topics.length > 0) outcome.hubs = await pingHubs({ hubs: local.hubs, topics, signal });
    return report();
  } finally {
    await lock.release(!signal.aborted);
  }
};
