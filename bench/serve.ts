/**
 * Serving benchmark (`npm run bench:serve`): kiosque's server against nginx on the same
 * publication, over 127.0.0.1 with autocannon. Two scenarios, the ones pollers produce:
 * conditional GETs answered 304 (If-None-Match with the current gzip ETag) and full GETs
 * of the gzip body. Each runs `--runs` times for `--duration` seconds per target with
 * `--connections` keep-alive connections; the median run is reported.
 *
 * kiosque runs as its own process (the real CLI, `kiosque serve`), nginx as one worker
 * with `gzip_static on` and `etag on`, so each server gets one core and autocannon another.
 *
 *   npm run bench:serve -- [--duration 10] [--runs 3] [--connections 100] [--out DIR] [--no-nginx] [--write]
 *
 * `--out DIR` serves an existing publication instead of a generated one; `--write` puts the
 * results into the Serving section of BENCHMARKS.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Entry, Feed } from '../src/model/types.js';
import { publish } from '../src/publish/publish.js';
import { renderAtom } from '../src/render/atom.js';
import { renderIndexHtml } from '../src/render/html.js';
import { renderJson } from '../src/render/json.js';
import { renderRss } from '../src/render/rss.js';
import { renderFeedXsl } from '../src/render/xsl.js';

type CannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
};
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '100' },
    out: { type: 'string' },
    'no-nginx': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const runs = Number(args.runs);
const connections = Number(args.connections);

/** 50 entries of about 3 KB each: the size of the default `limit` window of real dispatches. */
function syntheticFeed(): Feed {
  const paragraph = 'Les Présidents russe et turc se sont entretenus vendredi par téléphone après les bombardements ayant touché Idlib, a fait savoir le ministère. « Un espace de dialogue existe toujours », a-t-il ajouté. ';
  const entries: Entry[] = Array.from({ length: 50 }, (_, i) => {
    const date = new Date(Date.UTC(2020, 1, 28, 16, 30) - i * 3_600_000);
    return {
      id: `tag:kiosque.example,2020:bench/${i}`,
      url: `https://kiosque.example/2020/02/depeche-${i}`,
      title: `Dépêche n° ${i} : entretien téléphonique après les bombardements à Idlib`,
      published: date,
      updated: date,
      authors: [{ name: 'La rédaction' }],
      contentHtml: Array.from({ length: 12 }, () => `<p>${paragraph}</p>`).join('\n'),
      summary: paragraph.trim(),
      tags: ['Russie', 'Turquie'],
      lang: 'fr',
      source: { file: `bench/${i}.md` },
    };
  });
  const base = 'https://kiosque.example/feeds/';
  return {
    site: {
      title: 'Kiosque — Dépêches', description: 'Banc d’essai', url: 'https://kiosque.example/', language: 'fr',
      links: { rss: `${base}rss.xml`, atom: `${base}atom.xml`, json: `${base}feed.json`, html: base, xsl: `${base}feed.xsl` },
      id: 'tag:kiosque.example,2020:feed', hubs: [], ttlMinutes: 15,
      generator: { name: 'kiosque', version: 'bench', uri: 'https://kiosque.example/' },
    },
    entries,
    updated: entries[0]!.updated,
  };
}

async function makePublication(dir: string): Promise<void> {
  const feed = syntheticFeed();
  const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const result = await publish(dir, [
    { path: 'rss.xml', mediaType: 'application/rss+xml; charset=utf-8', data: utf8(renderRss(feed)), selfUrl: feed.site.links.rss },
    { path: 'atom.xml', mediaType: 'application/atom+xml; charset=utf-8', data: utf8(renderAtom(feed)), selfUrl: feed.site.links.atom },
    { path: 'feed.json', mediaType: 'application/feed+json; charset=utf-8', data: utf8(renderJson(feed)), selfUrl: feed.site.links.json },
    { path: 'index.html', mediaType: 'text/html; charset=utf-8', data: utf8(renderIndexHtml(feed)) },
    { path: 'feed.xsl', mediaType: 'text/xsl; charset=utf-8', data: utf8(renderFeedXsl(feed)) },
  ], { maxAge: 900, hubs: [], now: feed.updated });
  if (!result.value) throw new Error(`publishing the bench feed failed: ${result.issues.map((i) => i.message).join('; ')}`);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function startKiosque(out: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'serve', '--out', out, '--host', '127.0.0.1', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /"url":"(http:[^"]+)"|url=(http:\S+)/.exec(text);
      if (m) res(m[1] ?? m[2]!);
    });
    child.once('exit', (code) => rej(new Error(`kiosque serve exited with ${code}: ${text}`)));
  });
  return { url, child };
}

async function startNginx(out: string, tmp: string): Promise<{ url: string; child: ChildProcess; version: string } | { missing: string }> {
  const which = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (which.error) return { missing: 'nginx not found on PATH' };
  const version = (which.stderr || which.stdout).trim().replace(/^nginx version: nginx\//, 'nginx ');
  const port = await freePort();
  const conf = `worker_processes 1;
daemon off;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  types { application/rss+xml rss; application/xml xml; application/feed+json json; text/html html; text/xsl xsl; }
  default_type application/octet-stream;
  charset utf-8;
  charset_types application/xml application/feed+json text/xsl;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  gzip_static on;
  gzip_vary on;
  etag on;
  server {
    listen 127.0.0.1:${port};
    root ${out};
    location ~ /\\. { return 404; }
    location / { add_header Cache-Control "public, max-age=900"; }
  }
}
`;
  await writeFile(join(tmp, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', tmp, '-c', join(tmp, 'nginx.conf'), '-e', join(tmp, 'error.log')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url + 'rss.xml');
      if (res.ok) return { url, child, version };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  return { missing: `nginx did not start (see ${tmp}/error.log)` };
}

type Scenario = { name: string; path: string; headers: Record<string, string>; expect: '2xx' | '3xx' };

async function scenarios(url: string): Promise<Scenario[]> {
  const res = await fetch(url + 'rss.xml', { headers: { 'accept-encoding': 'gzip' } });
  const etag = res.headers.get('etag');
  await res.arrayBuffer();
  if (!etag || res.headers.get('content-encoding') !== 'gzip') throw new Error(`${url}rss.xml did not answer with a gzip body and an ETag`);
  return [
    { name: '304 (If-None-Match)', path: 'rss.xml', headers: { 'accept-encoding': 'gzip', 'if-none-match': etag }, expect: '3xx' },
    { name: '200 gzip', path: 'rss.xml', headers: { 'accept-encoding': 'gzip' }, expect: '2xx' },
  ];
}

async function measure(url: string, s: Scenario, seconds: number): Promise<CannonResult> {
  const result = await autocannon({ url: url + s.path, connections, duration: seconds, headers: s.headers, pipelining: 1 });
  const total = result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (result[s.expect] !== total || result.errors > 0) {
    throw new Error(`${url}${s.path} ${s.name}: expected only ${s.expect}, got 2xx=${result['2xx']} 3xx=${result['3xx']} 4xx=${result['4xx']} 5xx=${result['5xx']} errors=${result.errors}`);
  }
  return result;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'kiosque-bench-serve-'));
  const children: ChildProcess[] = [];
  try {
    let out = args.out ? resolve(args.out) : join(tmp, 'out');
    if (!args.out) await makePublication(out);
    // nginx workers drop root privileges; they must be able to read the publication.
    await chmod(tmp, 0o755);
    if (!args.out) {
      await chmod(out, 0o755);
    }
    out = resolve(out);
    const rss = await readFile(join(out, 'rss.xml'));
    const targets: { name: string; url: string }[] = [];
    const kiosque = await startKiosque(out);
    children.push(kiosque.child);
    targets.push({ name: 'kiosque', url: kiosque.url });
    let nginxNote = '';
    if (!args['no-nginx']) {
      const nginx = await startNginx(out, tmp);
      if ('missing' in nginx) nginxNote = nginx.missing;
      else {
        children.push(nginx.child);
        nginxNote = nginx.version;
        targets.push({ name: 'nginx', url: nginx.url });
      }
    } else nginxNote = 'skipped (--no-nginx)';

    const results = new Map<string, { rps: number[]; p99: number[]; p50: number[] }>();
    const plans = await Promise.all(targets.map(async (t) => ({ target: t, scenarios: await scenarios(t.url) })));
    for (const { target, scenarios: list } of plans) for (const s of list) await measure(target.url, s, 1); // warm-up
    // Per run and scenario, the targets go back to back, so a noisy neighbour hits both alike;
    // the ratio is the median of the per-run ratios.
    const ratios = new Map<string, number[]>();
    for (let run = 0; run < runs; run++) {
      for (let si = 0; si < plans[0]!.scenarios.length; si++) {
        const rates: number[] = [];
        for (const { target, scenarios: list } of plans) {
          const s = list[si]!;
          const r = await measure(target.url, s, duration);
          rates.push(r.requests.average);
          if (rates.length === 2) ratios.set(s.name, [...(ratios.get(s.name) ?? []), rates[0]! / rates[1]!]);
          const key = `${target.name}\t${s.name}`;
          const entry = results.get(key) ?? { rps: [], p99: [], p50: [] };
          entry.rps.push(r.requests.average);
          entry.p99.push(r.latency.p99);
          entry.p50.push(r.latency.p50);
          results.set(key, entry);
          process.stderr.write(`run ${run + 1}/${runs} ${target.name.padEnd(8)} ${s.name.padEnd(20)} ${Math.round(r.requests.average)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms\n`);
        }
      }
    }

    const rows = [...results].map(([key, v]) => {
      const [target, scenario] = key.split('\t') as [string, string];
      return {
        target, scenario, rps: Math.round(median(v.rps)), p50: median(v.p50), p99: median(v.p99),
        runs: v.rps.map((x) => Math.round(x)).join(', '), p99s: v.p99.map((x) => `${x} ms`).join(', '),
      };
    });
    const ratio = (s: string): string => {
      const r = ratios.get(s);
      return r ? `${Math.round(median(r) * 100)}% (runs: ${r.map((x) => `${Math.round(x * 100)}%`).join(', ')})` : 'n/a';
    };
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${type()} ${process.arch}, ${cpu} (${cpus().length} cores), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ${nginxNote}.`,
      `autocannon, ${connections} keep-alive connections, ${duration} s per run, median of ${runs} runs, over 127.0.0.1; the publication is 50 entries (rss.xml ${Math.round(rss.length / 1024)} KiB, gzip body served pre-compressed).`,
      'kiosque runs as `kiosque serve` in its own process; nginx with one worker, `gzip_static on`, `etag on`, access log off.',
      '',
      '| Server | Scenario | Requests/s (median) | runs | p50 latency | p99 latency (median) | p99 runs |',
      '|---|---|---:|---|---:|---:|---|',
      ...rows.map((r) => `| ${r.target} | ${r.scenario} | ${r.rps} | ${r.runs} | ${r.p50} ms | ${r.p99} ms | ${r.p99s} |`),
      '',
      `kiosque / nginx, median of per-run ratios: ${ratio('304 (If-None-Match)')} for 304s (target: at least 50%); ${ratio('200 gzip')} for full gzip GETs. Target p99 under 10 ms at ${connections} connections.`,
      '',
      'Reproduce: `npm run bench:serve` (add `-- --write` to update this section; needs Debian\'s `nginx` for the comparison).',
    ];
    const block = lines.join('\n');
    process.stdout.write(`${block}\n`);
    if (args.write) {
      const file = join(root, 'BENCHMARKS.md');
      const text = await readFile(file, 'utf8');
      const start = text.indexOf('## Serving');
      if (start < 0) throw new Error('BENCHMARKS.md has no "## Serving" section');
      const headingEnd = text.indexOf('\n', start) + 1;
      const next = text.indexOf('\n## ', headingEnd);
      const end = next < 0 ? text.length : next + 1;
      await writeFile(file, `${text.slice(0, headingEnd)}\n${block}\n${next < 0 ? '' : '\n'}${text.slice(end)}`);
      process.stderr.write('BENCHMARKS.md: Serving section updated\n');
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
