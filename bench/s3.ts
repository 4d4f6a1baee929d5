/**
 * S3 publication benchmark (`npm run bench:s3`): a synthetic feed set the size of a large
 * newsroom's (three subscription feeds, `--tags` tag feeds in three formats, index.html and
 * feed.xsl) is staged in an out dir and pushed to a local S3-compatible server (s3rver on
 * 127.0.0.1) three ways: a full publication into an empty prefix, a no-change publication,
 * and one after a single tag feed changed. Counts the requests the server received and
 * times each, median of `--runs`.
 *
 * The feed set stands in for the one a 100k-article store produces until the pipeline emits
 * tag feeds itself; its shape (file count and sizes) is what the S3 sync cost depends on.
 *
 *   npm run bench:s3 -- --tags 1000 --runs 3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { publish, type OutputFile } from '../src/publish/publish.js';
import { connectS3, syncToS3 } from '../src/publish/s3.js';
import { startS3Server } from '../tests/servers/s3.js';
import { random } from './random.js';

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSONFEED = 'application/feed+json; charset=utf-8';

/** Feed-like text of about `bytes` bytes: repeated items with seeded words, so compression ratios are realistic. */
function body(next: () => number, bytes: number, head: string): string {
  const words = ['budget', 'assemblée', 'vote', 'économie', 'report', 'ministre', 'élection', 'climat', 'grève', 'marché'];
  let text = head;
  while (text.length < bytes) {
    const title = Array.from({ length: 8 }, () => words[Math.floor(next() * words.length)]).join(' ');
    text += `<item><title>${title}</title><guid>tag:bench.example,2020:${Math.floor(next() * 1e9)}</guid><description>${title} ${title} ${title}</description></item>\n`;
  }
  return text;
}

function feedSet(tags: number, version: number): OutputFile[] {
  const next = random(42);
  const files: OutputFile[] = [];
  const add = (path: string, mediaType: string, size: number): void => {
    files.push({ path, mediaType, data: Buffer.from(body(next, size, `<!-- ${path} v${path === 'tags/tag-0/rss.xml' ? version : 0} -->\n`)) });
  };
  for (const [path, type] of [['rss.xml', RSS], ['atom.xml', ATOM], ['feed.json', JSONFEED]] as const) add(path, type, 280_000);
  add('index.html', 'text/html; charset=utf-8', 60_000);
  add('feed.xsl', 'text/xsl; charset=utf-8', 8_000);
  for (let t = 0; t < tags; t++) {
    for (const [name, type] of [['rss.xml', RSS], ['atom.xml', ATOM], ['feed.json', JSONFEED]] as const) add(`tags/tag-${t}/${name}`, type, 20_000);
  }
  return files;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tags: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } } });
  const tags = Math.max(1, Number(values.tags) || 1000);
  const runs = Math.max(1, Number(values.runs) || 3);
  const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-s3-'));
  const s3 = await startS3Server('bench');
  const stage = async (dir: string, version: number) => {
    const files = feedSet(tags, version);
    const staged = await publish(dir, files, { maxAge: 900, hubs: [], now: new Date('2026-01-01T00:00:00Z') });
    if (!staged.value) throw new Error(staged.issues[0]?.message);
    return { files, manifest: staged.value.manifest };
  };
  try {
    const v1 = await stage(join(work, 'v1'), 1);
    const v2 = await stage(join(work, 'v2'), 2);
    const megabytes = v1.files.reduce((n, f) => n + f.data.byteLength, 0) / 2 ** 20;
    process.stdout.write(`machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}\n`);
    process.stdout.write(`date: ${new Date().toISOString().slice(0, 10)}\nfeed set: ${v1.files.length} files, ${megabytes.toFixed(0)} MB (3 subscription feeds, ${tags} tags x 3 formats, index.html, feed.xsl); plain objects, concurrency 8; median of ${runs}\n\n`);
    process.stdout.write('| scenario | GET | PUT | DELETE | ms (median) | runs (ms) |\n|---|---:|---:|---:|---:|---|\n');
    const samples: Record<string, { ms: number; requests: Record<string, number> }[]> = { full: [], none: [], one: [] };
    for (let run = 0; run < runs; run++) {
      const conn = connectS3({ ...s3.settings(`run-${run}/`), bucket: 'bench', concurrency: 8 });
      const time = async (key: string, dir: string, manifest: typeof v1.manifest): Promise<void> => {
        const t = performance.now();
        const result = await syncToS3(conn, dir, manifest, { publicBase: 'https://bench.example/' });
        if (!result.value) throw new Error(result.issues[0]?.message);
        samples[key]!.push({ ms: performance.now() - t, requests: result.value.requests });
      };
      await time('full', join(work, 'v1'), v1.manifest);
      await time('none', join(work, 'v1'), v1.manifest);
      await time('one', join(work, 'v2'), v2.manifest);
      conn.client.destroy();
    }
    const labels: Record<string, string> = { full: 'full publication (empty prefix)', none: 'no change', one: 'one tag feed changed' };
    for (const [key, list] of Object.entries(samples)) {
      const r = list[0]!.requests;
      process.stdout.write(`| ${labels[key]} | ${r.GET} | ${r.PUT} | ${r.DELETE} | ${median(list.map((s) => s.ms)).toFixed(0)} | ${list.map((s) => s.ms.toFixed(0)).join(', ')} |\n`);
    }
  } finally {
    await s3.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
