/**
 * Byte-budget benchmark (`npm run bench:budget`): the cost of fitting a large feed into the
 * default 1 MiB budget (render/budget.ts), against rendering it once. The feed is built in
 * memory, as the pipeline hands it over: `--limit` entries (default 500) of `--kb` KB of HTML
 * each (default 8), newest first. One warm-up, then `--runs` timed runs; medians reported.
 *
 *   npm run bench:budget -- [--limit 500] [--kb 8] [--runs 5] [--max-bytes 1048576]
 */
import { cpus, totalmem, type } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BYTES } from '../src/model/feed-spec.js';
import { FORMATS, type Entry, type Feed } from '../src/model/types.js';
import { fitBudget, renderAll } from '../src/render/budget.js';
import { random } from './random.js';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '500' }, kb: { type: 'string', default: '8' }, runs: { type: 'string', default: '5' }, 'max-bytes': { type: 'string', default: String(DEFAULT_MAX_BYTES) } } });
const limit = Number(values.limit);
const kb = Number(values.kb);
const runs = Number(values.runs);
const maxBytes = Number(values['max-bytes']);

const WORDS = ['la', 'dépêche', 'gouvernement', 'élection', 'économie', 'région', 'accord', 'summit', 'talks', 'meeting', 'président', 'ministre', 'border', 'market', 'énergie', 'prices'];
const rand = random(7);
const words = (n: number): string => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
function html(bytes: number): string {
  let out = '';
  while (Buffer.byteLength(out) < bytes) out += `<p>${words(60)} <a href="https://kiosque.example/x">lien</a> &amp; « citation ».</p>\n`;
  return out;
}

const entries: Entry[] = Array.from({ length: limit }, (_, i) => {
  const at = new Date(Date.UTC(2026, 0, 1) - i * 3_600_000);
  return {
    id: `tag:kiosque.example,2020:2026/dispatch-${i}`, url: `https://kiosque.example/2026/dispatch-${i}/`, title: `Dépêche ${i} : ${words(6)}`,
    published: at, updated: at, authors: [{ name: 'La rédaction' }], contentHtml: html(kb * 1024), summary: words(40), tags: ['Économie', 'Europe'],
    source: { file: `2026/dispatch-${i}.md` },
  };
});
const feed: Feed = {
  site: {
    title: 'Kiosque', description: 'Dépêches', url: 'https://kiosque.example/', language: 'fr', id: 'tag:kiosque.example,2020:feed', hubs: [], ttlMinutes: 15,
    links: { rss: 'https://kiosque.example/rss.xml', atom: 'https://kiosque.example/atom.xml', json: 'https://kiosque.example/feed.json', html: 'https://kiosque.example/', xsl: 'https://kiosque.example/feed.xsl' },
    generator: { name: 'kiosque', version: 'bench', uri: 'https://kiosque.example/' },
  },
  entries,
  updated: entries[0]!.updated,
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = <T>(fn: () => T): [T, number] => {
  const t = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - t) / 1e6];
};

const renderTimes: number[] = [];
const fitTimes: number[] = [];
let first = renderAll(feed);
let result = fitBudget(feed, maxBytes, first);
for (let i = 0; i < runs; i++) {
  const [bytes, r] = time(() => renderAll(feed));
  first = bytes;
  renderTimes.push(r);
  const [fitted, f] = time(() => fitBudget(feed, maxBytes, first));
  result = fitted;
  fitTimes.push(f);
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MiB`;
console.log(`Machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${type()}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`Feed: ${limit} entries of ${kb} KB, budget ${maxBytes} bytes; medians of ${runs} runs after a warm-up.\n`);
console.log('| format | untrimmed | trimmed | summarised | left out |');
console.log('|---|---:|---:|---:|---:|');
for (const f of FORMATS) console.log(`| ${f} | ${mb(first[f].byteLength)} | ${mb(result.bytes[f].byteLength)} | ${result.summarised[f].length} | ${result.dropped.length} |`);
console.log(`\nRender the three formats once: ${median(renderTimes).toFixed(0)} ms; fit them into the budget (from that render): ${median(fitTimes).toFixed(0)} ms (${(median(fitTimes) / median(renderTimes)).toFixed(1)}x).`);
