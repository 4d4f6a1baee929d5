/**
 * Validation benchmark (`npm run bench:validate`): `validateDocument` on generated feeds, a
 * 50-item feed in each format (what a build validates) and ~5 MB RSS and Atom feeds (a large
 * archive). Each case runs in its own child process so its peak RSS is its own; inside it,
 * one warm-up then `--runs` timed runs (median reported).
 *
 *   npm run bench:validate -- [--runs 7] [--write]
 *
 * `--write` puts the results into the Validation section of BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateDocument } from '../src/validate/validate.js';
import { random } from './random.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const WORDS = ['la', 'dépêche', 'gouvernement', 'élection', 'économie', 'région', 'accord', 'summit', 'talks', 'army', 'meeting', 'président', 'ministre', 'border', 'market', 'énergie', 'été', 'prices'];
function paragraph(rand: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] as string);
  return out.join(' ');
}
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Item = { id: string; url: string; title: string; html: string; date: Date };
function items(count: number, paragraphs: number): Item[] {
  const rand = random(42);
  return Array.from({ length: count }, (_, i) => ({
    id: `tag:kiosque.example.org,2024:dispatch/${i}`,
    url: `https://kiosque.example.org/2024/${String(1 + (i % 12)).padStart(2, '0')}/dispatch-${i}`,
    title: `Dépêche ${i}: ${paragraph(rand, 6)}`,
    html: Array.from({ length: paragraphs }, () => `<p>${paragraph(rand, 60)} <a href="https://kiosque.example.org/x">lien</a></p>`).join('\n'),
    date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
  }));
}

function rss(list: Item[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Le Kiosque</title>
<link>https://kiosque.example.org/</link>
<description>Dépêches</description>
<language>fr</language>
<lastBuildDate>${(list[0]?.date ?? new Date(0)).toUTCString()}</lastBuildDate>
<atom:link rel="self" type="application/rss+xml" href="https://kiosque.example.org/rss.xml"/>
${list
  .map(
    (i) => `<item>
<title>${esc(i.title)}</title>
<link>${i.url}</link>
<description>${esc(i.html.slice(0, 200))}</description>
<content:encoded><![CDATA[${i.html}]]></content:encoded>
<dc:creator>La rédaction</dc:creator>
<guid isPermaLink="false">${i.id}</guid>
<pubDate>${i.date.toUTCString()}</pubDate>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`;
}

function atom(list: Item[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<id>tag:kiosque.example.org,2024:feed</id>
<title>Le Kiosque</title>
<updated>${(list[0]?.date ?? new Date(0)).toISOString()}</updated>
<author><name>La rédaction</name></author>
<link rel="self" type="application/atom+xml" href="https://kiosque.example.org/atom.xml"/>
<link rel="alternate" type="text/html" href="https://kiosque.example.org/"/>
${list
  .map(
    (i) => `<entry>
<id>${i.id}</id>
<title>${esc(i.title)}</title>
<link rel="alternate" type="text/html" href="${i.url}"/>
<published>${i.date.toISOString()}</published>
<updated>${i.date.toISOString()}</updated>
<content type="html">${esc(i.html)}</content>
</entry>`,
  )
  .join('\n')}
</feed>
`;
}

function json(list: Item[]): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Le Kiosque',
      home_page_url: 'https://kiosque.example.org/',
      feed_url: 'https://kiosque.example.org/feed.json',
      language: 'fr',
      authors: [{ name: 'La rédaction' }],
      items: list.map((i) => ({ id: i.id, url: i.url, title: i.title, content_html: i.html, date_published: i.date.toISOString() })),
    },
    null,
    2,
  );
}

/** Enough items of ~2.5 KB to reach the target size. */
function sized(render: (l: Item[]) => string, bytes: number): string {
  const perItem = (render(items(21, 6)).length - render(items(1, 6)).length) / 20;
  return render(items(Math.ceil(bytes / perItem), 6));
}

/**
 * Many small elements up to the node cap, padded to the 50 MiB size cap: the worst case for
 * memory (every element and attribute becomes a node), measured once (`--case rss-cap`).
 */
function atCap(): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://kiosque.example.org/</link><description>d</description><language>fr</language><atom:link rel="self" type="application/rss+xml" href="https://kiosque.example.org/rss.xml"/>\n`;
  const rand = random(7);
  const parts = [head];
  for (let i = 0; i < 64_000; i++) {
    parts.push(`<item><title>Dépêche ${i}: ${paragraph(rand, 8)}</title><link>https://kiosque.example.org/2024/01/${i}</link><description>${paragraph(rand, 30)}</description><category domain="https://kiosque.example.org/t">Politique</category><category>Économie</category><dc:creator>La rédaction</dc:creator><enclosure url="https://kiosque.example.org/m/${i}.mp3" length="12345" type="audio/mpeg"/><guid isPermaLink="false">tag:kiosque.example.org,2024:${i}</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>\n`);
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}

const CASES: Record<string, () => string> = {
  'rss-50': () => rss(items(50, 6)),
  'atom-50': () => atom(items(50, 6)),
  'json-50': () => json(items(50, 6)),
  'rss-5mb': () => sized(rss, 5_100_000),
  'atom-5mb': () => sized(atom, 5_100_000),
  'rss-cap': atCap,
};

/** Cases too slow to time repeatedly: their point is peak memory, so one measured run. */
const ONCE = new Set(['rss-cap']);

type Measure = { name: string; bytes: number; format: string; errors: number; medianMs: number; minMs: number; maxMs: number; peakRssMb: number };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Child mode: one case, printed as JSON. */
function runCase(name: string, runs: number): Measure {
  const bytes = new TextEncoder().encode((CASES[name] as () => string)());
  const t0 = performance.now();
  const first = validateDocument(bytes, name);
  const times: number[] = ONCE.has(name) ? [performance.now() - t0] : [];
  for (let i = 0; i < (ONCE.has(name) ? 0 : runs); i++) {
    const t0 = performance.now();
    validateDocument(bytes, name);
    times.push(performance.now() - t0);
  }
  return {
    name,
    bytes: bytes.byteLength,
    format: first.format,
    errors: first.issues.filter((i) => i.level === 'error').length,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, write: { type: 'boolean', default: false }, case: { type: 'string' } },
});
const runs = Math.max(5, Number(args.runs));

if (args.case !== undefined) {
  process.stdout.write(JSON.stringify(runCase(args.case, runs)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results: Measure[] = [];
  for (const name of Object.keys(CASES)) {
    const out = execFileSync(process.execPath, [self, '--case', name, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const m = JSON.parse(out) as Measure;
    results.push(m);
    process.stdout.write(`${name.padEnd(9)} ${(m.bytes / 1e6).toFixed(2).padStart(6)} MB  ${m.format.padEnd(5)} errors=${m.errors}  median ${m.medianMs.toFixed(1)} ms (min ${m.minMs.toFixed(1)}, max ${m.maxMs.toFixed(1)})  peak RSS ${m.peakRssMb.toFixed(0)} MB\n`);
  }
  if (args.write) writeSection(results, runs);
}

function writeSection(results: Measure[], runs: number): void {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const machine = `${type()} ${process.arch}, ${cpu} (${cpus().length} threads), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const rows = results.map(
    (m) => `| ${m.name} | ${(m.bytes / 1e6).toFixed(2)} MB | ${m.format} | ${m.errors} | ${m.medianMs.toFixed(1)} ms | ${m.minMs.toFixed(1)}-${m.maxMs.toFixed(1)} ms | ${m.peakRssMb.toFixed(0)} MB |`,
  );
  const section = `## Validation (\`npm run bench:validate\`)

\`validateDocument\` (decode, well-formedness scan, tree, every rule) on generated feeds: realistic items
(~2.5 KB of HTML each, accents, links). Each case in its own process: one warm-up, then ${runs} timed runs;
the median is reported. Peak RSS is the whole process's: a bare Node process is ~40 MB, and ~50 MB once the validator modules are loaded.

Machine: ${machine}. Date: ${date}.

| Case | Size | Format | Errors | Median | Range | Peak RSS |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Reproduce: \`npm run bench:validate -- --runs ${runs} --write\`.

`;
  const path = join(root, 'BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('## Validation');
  if (start < 0) throw new Error('BENCHMARKS.md has no Validation section');
  const next = text.indexOf('\n## ', start + 3);
  writeFileSync(path, text.slice(0, start) + section + (next < 0 ? '' : text.slice(next + 1)));
}
