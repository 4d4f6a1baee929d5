/**
 * Synthetic article stores for the build benchmark: deterministic (seeded), 1-8 KB of
 * Markdown each, nested year/month folders, French and English, a few JSON articles,
 * drafts and future-dated ones. Generated once into bench/.stores/<n>/ and reused.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from './random.js';


const FR = ['la', 'dépêche', 'gouvernement', 'élection', 'économie', 'région', 'accord', 'sommet', 'négociations', 'l’armée', 'réunion', 'président', 'ministre', 'déclaré', 'frontière', 'marché', 'énergie', 'été', 'hausse', 'prix', 'selon', 'après', 'très', 'déjà', 'où'];
const EN = ['the', 'report', 'government', 'election', 'economy', 'region', 'agreement', 'summit', 'talks', 'army', 'meeting', 'president', 'minister', 'said', 'border', 'market', 'energy', 'summer', 'rise', 'prices', 'according', 'after', 'very', 'already', 'where'];
const TAGS = ['Europe', 'Asie', 'Économie', 'Politics', 'Energy', 'Santé', 'Sport', 'Culture', 'Tech', 'Climat'];

function words(rand: () => number, vocab: string[], n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(vocab[Math.floor(rand() * vocab.length)]!);
  return out.join(' ');
}

function article(i: number, rand: () => number): { path: string; text: string } {
  const fr = rand() < 0.5;
  const vocab = fr ? FR : EN;
  // Dates spread over 2015-2029; about 1% land after the benchmark's fixed --now (2026-01-01).
  const future = rand() < 0.01;
  const year = future ? 2027 + Math.floor(rand() * 3) : 2015 + Math.floor(rand() * 11);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const hh = String(Math.floor(rand() * 24)).padStart(2, '0');
  const mm = String(Math.floor(rand() * 60)).padStart(2, '0');
  const ymd = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const style = rand();
  const date = style < 0.6 ? `${ymd}T${hh}:${mm}:00+01:00` : style < 0.8 ? `${ymd}T${hh}:${mm}:00` : ymd;
  const title = words(rand, vocab, 4 + Math.floor(rand() * 8));
  const tags = [TAGS[Math.floor(rand() * TAGS.length)]!, TAGS[Math.floor(rand() * TAGS.length)]!];
  const target = 1024 + Math.floor(rand() * 7 * 1024);
  let body = '';
  while (Buffer.byteLength(body) < target) {
    const r = rand();
    if (r < 0.1) body += `## ${words(rand, vocab, 4)}\n\n`;
    else if (r < 0.15) body += `- ${words(rand, vocab, 6)}\n- [${words(rand, vocab, 2)}](../${i % 97}/)\n\n`;
    else body += `${words(rand, vocab, 40 + Math.floor(rand() * 60))}.\n\n`;
  }
  const slug = `article-${i}`;
  const dir = `${year}/${String(month).padStart(2, '0')}`;
  const draft = rand() < 0.01;
  if (i % 20 === 7) {
    const json = { title, date, tags, lang: fr ? 'fr' : 'en', ...(draft ? { draft } : {}), content: body };
    return { path: `${dir}/${slug}.json`, text: `${JSON.stringify(json, null, 2)}\n` };
  }
  const head = [
    '---',
    `title: "${title}"`,
    `date: ${date}`,
    ...(rand() < 0.2 ? [`updated: ${ymd}T23:59:59Z`] : []),
    `author: ${fr ? 'Rédaction' : 'Newsroom'}`,
    `lang: ${fr ? 'fr' : 'en'}`,
    `tags: [${tags.join(', ')}]`,
    ...(draft ? ['draft: true'] : []),
    '---',
    '',
  ].join('\n');
  return { path: `${dir}/${slug}.md`, text: `${head}${body}` };
}

/** Path of a store of `count` articles under `root`, generated if it is not there yet. */
export function ensureStore(root: string, count: number): string {
  const dir = join(root, String(count));
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const rand = random(count);
  const made = new Set<string>();
  for (let i = 0; i < count; i++) {
    const { path, text } = article(i, rand);
    const sub = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(sub)) {
      mkdirSync(join(tmp, sub), { recursive: true });
      made.add(sub);
    }
    writeFileSync(join(tmp, path), text);
  }
  writeFileSync(join(tmp, '.complete'), `${count}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
