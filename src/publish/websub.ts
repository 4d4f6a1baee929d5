/**
 * WebSub publish pings (W3C WebSub §6; POLL-WS-006/007): after a publication changed a feed's
 * bytes, every advertised hub is told about every changed topic. A hub that fails is
 * reported in the results and logged, never thrown: a build must not fail because of a hub.
 */

export type PingResult = {
  hub: string;
  topic: string;
  /** True when the hub answered 2xx. */
  ok: boolean;
  /** Last HTTP status received, if any. */
  status?: number;
  attempts: number;
  /** Why the last attempt failed (`HTTP 500`, `timeout after 10000 ms`, ...). */
  error?: string;
};

export type PingEvent =
  | { type: 'ping-accepted'; hub: string; topic: string; status: number; attempts: number }
  | { type: 'ping-retry'; hub: string; topic: string; attempt: number; error: string; delayMs: number }
  | { type: 'ping-failed'; hub: string; topic: string; attempts: number; error: string };

export type PingOptions = {
  hubs: string[];
  /** Absolute URLs of the feeds that changed (their rel=self). */
  topics: string[];
  fetchImpl?: typeof fetch;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff delay; doubles per retry up to maxDelayMs. Default 500 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: (event: PingEvent) => void;
  /** Pings in flight at once, over all hubs: a set of many feeds must not flood a hub. Default 4. */
  concurrency?: number;
};

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function pingOne(hub: string, topic: string, opts: PingOptions): Promise<PingResult> {
  const doFetch = opts.fetchImpl ?? fetch;
  const retries = Math.max(0, opts.retries ?? 3);
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Hubs differ on the parameter name (POLL-WS-007): send both, with the same topic URL.
  const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic, 'hub.topic': topic }).toString();
  let status: number | undefined;
  let error = 'not attempted';
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (opts.signal?.aborted) {
      error = 'aborted';
      break;
    }
    attempts++;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    try {
      const res = await doFetch(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal,
        redirect: 'follow',
      });
      status = res.status;
      // Drain the body so the connection can be reused or closed.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        opts.log?.({ type: 'ping-accepted', hub, topic, status: res.status, attempts });
        return { hub, topic, ok: true, status: res.status, attempts };
      }
      error = `HTTP ${res.status}`;
      // 4xx other than 408/429 will not get better by asking again.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break;
    } catch (err) {
      error = timeout.aborted ? `timeout after ${timeoutMs} ms` : opts.signal?.aborted ? 'aborted' : (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      if (opts.signal?.aborted) break;
    }
    if (attempt < retries) {
      const delayMs = Math.min(cap, base * 2 ** attempt);
      opts.log?.({ type: 'ping-retry', hub, topic, attempt: attempts, error, delayMs });
      await sleep(delayMs, opts.signal);
    }
  }
  opts.log?.({ type: 'ping-failed', hub, topic, attempts, error });
  return { hub, topic, ok: false, ...(status !== undefined ? { status } : {}), attempts, error };
}

/**
 * Pings every hub about every topic, a few at a time (`concurrency`); resolves with one result
 * per (hub, topic), in input order. Topics go round the hubs, so each hub gets its share early.
 * Once a hub has not answered at all, its remaining topics are reported without asking it.
 */
export async function pingHubs(opts: PingOptions): Promise<PingResult[]> {
  const jobs: { hub: string; topic: string }[] = [];
  for (const topic of opts.topics) for (const hub of opts.hubs) jobs.push({ hub, topic });
  const results = new Map<string, PingResult>();
  // A hub that gave no HTTP answer at all after every retry is down: asking it about the
  // other topics of a large set would only hold the run for minutes of backoff.
  const down = new Map<string, string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const known = down.get(job.hub);
      const result = known !== undefined
        ? { hub: job.hub, topic: job.topic, ok: false, attempts: 0, error: `not attempted: the hub did not answer (${known})` }
        : await pingOne(job.hub, job.topic, opts);
      if (!result.ok && result.status === undefined && result.attempts > 0 && result.error !== 'aborted') down.set(job.hub, result.error ?? 'no answer');
      results.set(`${job.hub}\n${job.topic}`, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, jobs.length)) }, worker));
  const ordered: PingResult[] = [];
  for (const hub of opts.hubs) for (const topic of opts.topics) ordered.push(results.get(`${hub}\n${topic}`)!);
  return ordered;
}
