/**
 * The CDN purge hook, run after a publication reached the bucket and before the hubs are
 * pinged (a hub fetches at once, so the CDN must not answer it from a stale copy). Either
 * an HTTP endpoint that gets `{ "paths": [...], "urls": [...] }` as JSON, or a command run
 * without a shell that gets the paths on stdin, one per line, and in place of any argument
 * that is exactly `{paths}`. A failure is a warning: the publication stands, and the CDN
 * serves the old copy until its max-age runs out.
 */
import { spawn } from 'node:child_process';
import type { Issue } from '../issue.js';
import type { PurgeHook } from '../scaling-config.js';

const TIMEOUT_MS = 60_000;

export type PurgeRequest = {
  /** URL paths as the CDN sees them, e.g. `/news/rss.xml`. */
  paths: string[];
  /** The same as absolute URLs. */
  urls: string[];
};

/** The endpoint as reports and logs show it: its query is where a token goes (the hook has no header option), so it is masked whole. */
function shown(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.search) url.search = '***';
    return url.href;
  } catch {
    return '(unparseable URL)';
  }
}

const warning = (where: string, message: string): Issue => ({ rule: 'publish-purge-failed', level: 'warning', file: where, message: `CDN purge failed: ${message}; the CDN may serve the previous copies until their max-age runs out` });

async function purgeUrl(url: string, request: PurgeRequest, signal?: AbortSignal): Promise<Issue | undefined> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? undefined : warning(shown(url), `HTTP ${res.status}`);
  } catch (err) {
    return warning(shown(url), timeout.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message);
  }
}

function purgeCommand(command: string[], request: PurgeRequest, signal?: AbortSignal): Promise<Issue | undefined> {
  const [program, ...args] = command as [string, ...string[]];
  const argv = args.flatMap((a) => (a === '{paths}' ? request.paths : [a]));
  return new Promise((resolve) => {
    const child = spawn(program, argv, { stdio: ['pipe', 'ignore', 'pipe'], timeout: TIMEOUT_MS, ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    child.stdin.on('error', () => undefined); // A command that ignores stdin may close it early.
    child.stdin.end(request.paths.map((p) => `${p}\n`).join(''));
    child.on('error', (err) => resolve(warning(program, err.message)));
    child.on('close', (code, sig) => {
      if (code === 0) resolve(undefined);
      else resolve(warning(program, `${sig ? `killed by ${sig}` : `exit code ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
    });
  });
}

/** Runs the hook for the paths that changed; resolves with a warning when it failed. */
export function runPurge(hook: PurgeHook, request: PurgeRequest, signal?: AbortSignal): Promise<Issue | undefined> {
  return 'url' in hook ? purgeUrl(hook.url, request, signal) : purgeCommand(hook.command, request, signal);
}
