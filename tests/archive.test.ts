import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from './helpers.js';
import { runCli } from './cli/run-cli.js';
import { httpRequest } from './serve/publication.js';
import { startServer } from '../src/serve/server.js';

// A store of 34 articles, pages of 10 and a subscription window of 5: the chain has 4 pages, the newest partial.
const BASE = 'https://gazette.example/feeds/';
const CONFIG = {
  title: 'Gazette', url: 'https://gazette.example/', feedBaseUrl: BASE, idPrefix: 'tag:gazette.example,2024:', language: 'fr', timezone: 'UTC',
  author: { name: 'La rédaction' }, limit: 5, feeds: [{ path: '', archive: { pageSize: 10 } }, { path: 'tags/{slug}/', each: 'tag' }],
};
const NOW = '2026-11-25T12:00:00Z';
const ARTICLES = 34;

async function writeArticle(dir: string, i: number): Promise<void> {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + Math.floor(i / 28)).padStart(2, '0');
  const lang = i % 2 ? 'en' : 'fr';
  const body = lang === 'fr' ? `Dépêche numéro ${i} : le conseil municipal a voté le budget.` : `Dispatch number ${i}: the council passed the budget.`;
  await writeFile(join(dir, 'articles', `a${i}.md`), `---\ntitle: "Article ${i}"\ndate: 2025-${month}-${day}T08:00:00Z\nlang: ${lang}\ntags: [Budget]\n${i % 3 ? '' : `summary: Résumé ${i}.\n`}---\n\n${body}\n`);
}

let dir: string;
let cleanup: () => Promise<void>;
const build = async (): Promise<{ archives: { feed: string; pages: number; written: number }[]; published: boolean }> => {
  const result = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
const page = (n: number, ext: string): Buffer => readFileSync(join(dir, 'out', 'archive', `${n}.${ext}`));

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kiosque-archive-'));
  await mkdir(join(dir, 'articles'));
  for (let i = 0; i < ARTICLES; i++) await writeArticle(dir, i);
  await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify(CONFIG));
}, 60_000);
afterAll(async () => cleanup?.());

/** `kiosque serve` on a free port of 127.0.0.1. */
async function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { url, child };
}

const LINK = /<(?:atom:)?link\b[^>]*\brel="prev-archive"[^>]*>/;
const prevOf = (format: string, text: string): string | undefined => {
  if (format === 'json') return (JSON.parse(text) as { next_url?: string }).next_url;
  return /href="([^"]*)"/.exec(LINK.exec(text)?.[0] ?? '')?.[1];
};
const idsOf = (format: string, text: string): string[] =>
  format === 'json' ? (JSON.parse(text) as { items: { id: string }[] }).items.map((i) => i.id)
    : [...text.matchAll(format === 'rss' ? /<guid[^>]*>([^<]*)<\/guid>/g : /<entry[\s\S]*?<id>([^<]*)<\/id>/g)].map((m) => m[1]!);

describe('RFC 5005 archives, end to end', () => {
  it('gives a client that backfills over HTTP from the subscription document every article exactly once, full pages cached as immutable', async () => {
    const report = await build();
    expect(report.archives).toContainEqual({ feed: '', pages: 4, written: 12 });
    const { url, child } = await serve();
    try {
      const expected = Array.from({ length: ARTICLES }, (_, i) => `tag:gazette.example,2024:a${i}`).sort();
      for (const [format, start] of [['rss', 'rss.xml'], ['atom', 'atom.xml'], ['json', 'feed.json']] as const) {
        const seen: string[] = [];
        const visited: string[] = [];
        let next = prevOf(format, (await httpRequest(url, `/${start}`)).body.toString());
        while (next !== undefined) {
          expect(next.startsWith(BASE)).toBe(true);
          const path = `/${next.slice(BASE.length)}`;
          const res = await httpRequest(url, path);
          expect(res.status, path).toBe(200);
          visited.push(path);
          // Full pages a newer page follows never change; the newest page does, with every new article.
          expect(res.headers['cache-control'], path).toBe(path.includes('/4.') ? 'public, max-age=900' : 'public, max-age=31536000, immutable');
          const text = res.body.toString();
          seen.push(...idsOf(format, text));
          next = prevOf(format, text);
        }
        expect(visited.map((p) => p.replace(/\.\w+$/, ''))).toEqual(['/archive/4', '/archive/3', '/archive/2', '/archive/1']);
        expect(seen.length, format).toBe(ARTICLES);
        expect([...seen].sort()).toEqual(expected);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('links each page to the subscription document and its neighbours, and marks it fh:archive', () => {
    const second = page(2, 'atom').toString();
    expect(second).toContain('<fh:archive/>');
    expect(second).toContain(`<link rel="current" type="application/atom+xml" href="${BASE}atom.xml"/>`);
    expect(second).toContain(`<link rel="prev-archive" type="application/atom+xml" href="${BASE}archive/1.atom"/>`);
    expect(second).toContain(`<link rel="next-archive" type="application/atom+xml" href="${BASE}archive/3.atom"/>`);
    expect(page(1, 'xml').toString()).not.toContain('rel="prev-archive"');
    expect(page(4, 'xml').toString()).not.toContain('rel="next-archive"');
    expect(JSON.parse(page(2, 'json').toString())).toMatchObject({ feed_url: `${BASE}archive/2.json`, next_url: `${BASE}archive/1.json` });
    // Headlines only: the front matter's summary, never the body.
    expect(page(1, 'xml').toString()).not.toContain('conseil municipal');
    expect(page(1, 'atom').toString()).toContain('<summary type="text">Résumé 9.</summary>');
    // JSON Feed has no headline-only item: its text is the summary, or the title when there is none.
    const items = (JSON.parse(page(1, 'json').toString()) as { items: { title: string; content_text: string }[] }).items;
    expect(items.find((i) => i.title === 'Article 9')?.content_text).toBe('Résumé 9.');
    expect(items.find((i) => i.title === 'Article 1')?.content_text).toBe('Article 1');
    // The polling interval is the subscription document's: a page's bytes do not follow the schedule.
    expect(readFileSync(join(dir, 'out', 'rss.xml'), 'utf8')).toMatch(/<ttl>\d+<\/ttl>/);
    expect(page(1, 'xml').toString()).not.toContain('<ttl>');
    expect(page(4, 'xml').toString()).not.toContain('<ttl>');
  });

  it('keeps every page byte for byte when nothing changed, and after one new article rewrites only the newest page', async () => {
    const before = [1, 2, 3, 4].map((n) => ['xml', 'atom', 'json'].map((ext) => page(n, ext)));
    const again = await build();
    expect(again.archives).toContainEqual({ feed: '', pages: 4, written: 0 });
    await writeArticle(dir, ARTICLES);
    const after = await build();
    // At most 2 archive documents per feed and format: here the newest page alone, in three formats.
    expect(after.archives).toContainEqual({ feed: '', pages: 4, written: 3 });
    for (const n of [1, 2, 3]) expect(['xml', 'atom', 'json'].map((ext) => page(n, ext))).toEqual(before[n - 1]);
    expect(page(4, 'atom').equals(before[3]![1]!)).toBe(false);
  }, 60_000);

  it('leaves nothing of the pages it kept on disk until they were published', () => {
    expect(existsSync(join(dir, 'out', '.kiosque', 'spool'))).toBe(false);
    expect(readdirSync(join(dir, 'out', '.kiosque')).filter((name) => /spool|tmp/.test(name))).toEqual([]);
  });
});

/**
 * A site of its own with the ARTICLES articles, all older than the racy window: later builds take
 * their heads from the cache, and a feed whose inputs look unchanged from out/, when they may.
 */
/** The bytes of the four pages of a site's main feed, in the three formats. */
const pageBytes = (siteDir: string): Buffer[][] => [1, 2, 3, 4].map((n) => ['xml', 'atom', 'json'].map((ext) => readFileSync(join(siteDir, 'out', 'archive', `${n}.${ext}`))));

type Report = { archives: { feed: string; pages: number; written: number }[]; issues: { rule: string; level: string; file: string; message: string }[] };

async function siteWithOldArticles(prefix: string, archive: unknown): Promise<{ dir: string; cleanup: () => Promise<void>; configure: (archive: unknown) => Promise<void>; build: (exitCode?: number) => Promise<Report> }> {
  const site = await tempDir(prefix);
  await mkdir(join(site.dir, 'articles'));
  const old = new Date('2025-06-01T00:00:00Z');
  for (let i = 0; i < ARTICLES; i++) {
    await writeArticle(site.dir, i);
    await utimes(join(site.dir, 'articles', `a${i}.md`), old, old);
  }
  const configure = (value: unknown): Promise<void> => writeFile(join(site.dir, 'kiosque.config.json'), JSON.stringify({ ...CONFIG, feeds: [{ path: '', archive: value }] }));
  await configure(archive);
  const buildSite = async (exitCode = 0): Promise<Report> => {
    const result = await runCli(['build', '--now', NOW, '--json'], { cwd: site.dir });
    expect(result.code, result.stderr).toBe(exitCode);
    return JSON.parse(result.stdout);
  };
  return { ...site, configure, build: buildSite };
}

describe('an archive that loses a page', () => {
  it('links the subscription document to the new newest page, though none of its own entries changed', async () => {
    const site = await siteWithOldArticles('kiosque-archive-shrink-', { pageSize: 10 });
    try {
      expect((await site.build()).archives).toContainEqual({ feed: '', pages: 4, written: 12 });
      // The five oldest articles deleted: 29 are left, on three pages; the five newest, in the subscription document, stay as they were.
      for (let i = 0; i < 5; i++) await rm(join(site.dir, 'articles', `a${i}.md`));
      expect((await site.build()).archives).toContainEqual(expect.objectContaining({ feed: '', pages: 3 }));
      const rss = readFileSync(join(site.dir, 'out', 'rss.xml'), 'utf8');
      expect(rss).toContain(`rel="prev-archive" type="application/rss+xml" href="${BASE}archive/3.xml"`);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('an old article broken by an edit', () => {
  it('keeps its entry on its page, and every page byte for byte, until the file is fixed', async () => {
    const site = await siteWithOldArticles('kiosque-archive-broken-', { pageSize: 10 });
    const pages = () => pageBytes(site.dir);
    try {
      await site.build();
      const before = pages();
      // Article 3 is on page 1: dropped, it would move one entry into each of the three later pages.
      await writeFile(join(site.dir, 'articles', 'a3.md'), '---\ntitle: "Article 3\ndate: 2025-01-04T08:00:00Z\n---\n\nText.\n');
      for (const round of ['broken', 'still broken']) {
        const broken = await site.build(2);
        expect(broken.archives, round).toContainEqual({ feed: '', pages: 4, written: 0 });
        expect(broken.issues.map((i) => [i.rule, i.file]), round).toEqual([['store-kept-last-good', 'a3.md']]);
        expect(pages(), round).toEqual(before);
      }
      // Fixed with a new title: its page takes it, the later pages stay as they were.
      await writeFile(join(site.dir, 'articles', 'a3.md'), '---\ntitle: "Article 3, corrigé"\ndate: 2025-01-04T08:00:00Z\n---\n\nText.\n');
      const fixed = await site.build();
      expect(fixed.archives).toContainEqual({ feed: '', pages: 4, written: 3 });
      // (The pages written again draw the site's usual JSON Feed notes: it has no icon.) The page rewritten is named, to purge.
      expect(fixed.issues.filter((i) => i.rule !== 'JF-TOP-012')).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-012', level: 'warning', file: 'archive/1.xml',
        message: '3 documents of pages published full are rewritten (an article on them changed, joined or left the feed, or the site\'s address or time zone changed): archive/1.xml, archive/1.atom, archive/1.json; served as immutable, the old copies stay in caches for a year: purge them from the CDN',
      })]);
      const after = pages();
      expect(after.slice(1)).toEqual(before.slice(1));
      expect(after[0]![0]!.toString()).toContain('<title>Article 3, corrigé</title>');
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

/**
 * A site whose tag feed `tags/budget/` has archive pages of 10 (4 pages), built once; `retag` gives article `i` the
 * spelling Budgets, `configure` writes the configuration with `extra`, `buildSite` builds and expects it published.
 */
async function budgetTagSite(prefix: string) {
  const site = await tempDir(prefix);
  const retag = async (i: number): Promise<void> => {
    const file = join(site.dir, 'articles', `a${i}.md`);
    await writeFile(file, readFileSync(file, 'utf8').replace('tags: [Budget]', 'tags: [Budgets]'));
  };
  const configure = (extra: Record<string, unknown>): Promise<void> => writeFile(join(site.dir, 'kiosque.config.json'), JSON.stringify({
    ...CONFIG, feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag', archive: { pageSize: 10 } }], ...extra,
  }));
  const buildSite = async (): Promise<void> => {
    const r = await runCli(['build', '--now', NOW, '--json'], { cwd: site.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  };
  await mkdir(join(site.dir, 'articles'));
  for (let i = 0; i < ARTICLES; i++) await writeArticle(site.dir, i);
  await configure({});
  await buildSite();
  return { ...site, retag, configure, buildSite };
}

describe('a feed that moved, with archive pages', () => {
  it('redirects each of its pages to the page of the same name in the new folder, build after build, rather than answering 410', async () => {
    const site = await budgetTagSite('kiosque-archive-moved-');
    const { retag, configure, buildSite } = site;
    try {
      expect(existsSync(join(site.dir, 'out', 'tags', 'budget', 'archive', '4.json'))).toBe(true);
      for (let i = 0; i < ARTICLES; i++) await retag(i);
      await configure({ moved: { 'tags/budget/': 'tags/budgets/' } });
      for (const round of ['moved', 'a build later']) {
        if (round !== 'moved') {
          await writeArticle(site.dir, ARTICLES);
          await retag(ARTICLES);
        }
        await buildSite();
        const server = await startServer({ outDir: join(site.dir, 'out'), host: '127.0.0.1', port: 0 });
        try {
          for (const page of ['archive/1.xml', 'archive/4.atom', 'archive/2.json', 'rss.xml']) {
            const res = await httpRequest(server.url, `/tags/budget/${page}`);
            expect([res.status, res.headers.location], `${round}: ${page}`).toEqual([301, `${BASE}tags/budgets/${page}`]);
          }
          expect((await httpRequest(server.url, '/tags/budgets/archive/1.xml')).status).toBe(200);
        } finally {
          await server.close();
        }
      }
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('a feed that moved while one article still carried its old tag', () => {
  it('redirects the old pages a build in between left answering 410 once the old folder is gone', async () => {
    const site = await budgetTagSite('kiosque-archive-moved-late-');
    const { retag, configure, buildSite } = site;
    try {
      // Every article but one takes the new tag: the old folder is published with one page, its pages 2 to 4 answer 410.
      for (let i = 1; i < ARTICLES; i++) await retag(i);
      await configure({ moved: { 'tags/budget/': 'tags/budgets/' } });
      await buildSite();
      await retag(0);
      await buildSite();
      const server = await startServer({ outDir: join(site.dir, 'out'), host: '127.0.0.1', port: 0 });
      try {
        for (const page of ['archive/1.xml', 'archive/3.xml', 'archive/4.json']) {
          const res = await httpRequest(server.url, `/tags/budget/${page}`);
          expect([res.status, res.headers.location], page).toEqual([301, `${BASE}tags/budgets/${page}`]);
        }
      } finally {
        await server.close();
      }
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('a site moved to another folder whole (a new deployment path, a restore)', () => {
  it('keeps the last good heads: an article broken after the move keeps its place, and every page its bytes', async () => {
    const site = await siteWithOldArticles('kiosque-archive-relocated-', { pageSize: 10 });
    const moved = `${site.dir}-moved`;
    try {
      await site.build();
      const before = pageBytes(site.dir);
      await rename(site.dir, moved);
      // Caught half-saved: empty.
      await writeFile(join(moved, 'articles', 'a3.md'), '');
      const result = await runCli(['build', '--now', NOW, '--json'], { cwd: moved });
      expect(result.code, result.stderr).toBe(2);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.issues.map((i) => [i.rule, i.file])).toEqual([['store-kept-last-good', 'a3.md']]);
      expect(report.archives).toContainEqual({ feed: '', pages: 4, written: 0 });
      expect(pageBytes(moved)).toEqual(before);
    } finally {
      if (existsSync(moved)) await rename(moved, site.dir);
      await site.cleanup();
    }
  }, 60_000);
});

describe('an embargoed article broken before its time', () => {
  it('gets no place on the pages when its time comes: the head kept from before was never published', async () => {
    const site = await siteWithOldArticles('kiosque-archive-embargo-', { pageSize: 10 });
    const build = async (now: string) => {
      const r = await runCli(['build', '--now', now, '--json'], { cwd: site.dir });
      return JSON.parse(r.stdout) as Report & { rejected: unknown[] };
    };
    try {
      const file = join(site.dir, 'articles', 'later.md');
      await writeFile(file, '---\ntitle: "Plus tard"\ndate: 2026-12-15T10:00:00Z\n---\n\nTexte.\n');
      await build(NOW);
      await writeFile(file, '---\ntitle: "Plus tard\ndate: 2026-12-15T10:00:00Z\n---\n\nTexte.\n');
      const after = await build('2026-12-20T00:00:00Z');
      expect(after.rejected).toHaveLength(1);
      const titles = [1, 2, 3, 4].flatMap((n) => [...readFileSync(join(site.dir, 'out', 'archive', `${n}.xml`), 'utf8').matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]));
      expect(titles).not.toContain('Plus tard');
      expect(titles).toHaveLength(ARTICLES);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('a retraction that empties the newest page', () => {
  it('says the page is gone and names the RSS and Atom copies of the full page before it, rewritten without their links, to purge', async () => {
    const { dir: site, cleanup: done } = await tempDir('kiosque-archive-shrunk-');
    try {
      await mkdir(join(site, 'articles'));
      await writeFile(join(site, 'kiosque.config.json'), JSON.stringify({ ...CONFIG, feeds: [{ path: '', archive: { pageSize: 5 } }] }));
      const story = (i: number, extra = ''): string => `---\ntitle: "Story ${i}"\ndate: 2026-01-${String(i).padStart(2, '0')}T09:00:00Z\n${extra}---\n\nBody ${i}.\n`;
      for (let i = 1; i <= 11; i++) await writeFile(join(site, 'articles', `s${i}.md`), story(i));
      const build = async (now: string) => JSON.parse((await runCli(['build', '--now', now, '--json'], { cwd: site })).stdout) as { issues: { rule: string; file: string; message: string }[] };
      await build('2026-01-12T00:00:00Z');
      expect(readFileSync(join(site, 'out', 'archive', '2.xml'), 'utf8')).toContain('archive/3.xml');
      await writeFile(join(site, 'articles', 's11.md'), story(11, 'retracted: { date: 2026-01-12T10:00:00Z }\n'));
      const report = await build('2026-01-12T12:00:00Z');
      const gone = report.issues.filter((i) => i.rule === 'ARCHIVE-CHAIN-010');
      expect(gone).toEqual([expect.objectContaining({ file: 'archive/3.xml' })]);
      expect(gone[0]!.message).toContain('archive/2.xml and archive/2.atom, published full and served as immutable, are rewritten without their links to it');
      expect(existsSync(join(site, 'out', 'archive', '3.xml'))).toBe(false);
    } finally {
      await done();
    }
  }, 60_000);

  it('names every document of a full page that a deleted article rewrites, beside the page gone, so an operator can purge them all', async () => {
    const { dir: site, cleanup: done } = await tempDir('kiosque-archive-deleted-');
    try {
      await mkdir(join(site, 'articles'));
      await writeFile(join(site, 'kiosque.config.json'), JSON.stringify({ ...CONFIG, feeds: [{ path: '', archive: { pageSize: 5 } }] }));
      for (let i = 1; i <= 11; i++) await writeFile(join(site, 'articles', `s${i}.md`), `---\ntitle: "Story ${i}"\ndate: 2026-01-${String(i).padStart(2, '0')}T09:00:00Z\n---\n\nBody ${i}.\n`);
      const build = async (now: string) => JSON.parse((await runCli(['build', '--now', now, '--json'], { cwd: site })).stdout) as { issues: { rule: string; file: string; message: string }[] };
      await build('2026-01-12T00:00:00Z');
      const before = ['1.xml', '1.atom', '1.json', '2.json'].map((f) => readFileSync(join(site, 'out', 'archive', f)));
      // Story 3 (page 1, published full) deleted: stories 6 and 11 move down a page, and page 3 empties.
      await rm(join(site, 'articles', 's3.md'));
      const report = await build('2026-01-12T12:00:00Z');
      expect(report.issues.filter((i) => i.rule === 'ARCHIVE-CHAIN-010').map((i) => i.message)).toEqual([expect.stringContaining('; archive/2.xml and archive/2.atom, published full')]);
      expect(report.issues.filter((i) => i.rule === 'ARCHIVE-CHAIN-012')).toEqual([{
        rule: 'ARCHIVE-CHAIN-012', level: 'warning', file: 'archive/1.xml', spec: 'RFC 5005 §4; RFC 8246',
        message: '6 documents of pages published full are rewritten (an article on them changed, joined or left the feed, or the site\'s address or time zone changed): archive/1.xml, archive/1.atom, archive/1.json, archive/2.xml, archive/2.atom, archive/2.json; served as immutable, the old copies stay in caches for a year: purge them from the CDN',
      }]);
      expect(report.issues.filter((i) => i.rule === 'ARCHIVE-CHAIN-005').length).toBeGreaterThan(0);
      ['1.xml', '1.atom', '1.json', '2.json'].forEach((f, k) => expect(readFileSync(join(site, 'out', 'archive', f)).equals(before[k]!), f).toBe(false));
    } finally {
      await done();
    }
  }, 60_000);
});

describe('an article rejected for its body that no page held', () => {
  it('is on no archive page either, and takes its place there, with no chain warning, once it is fixed', async () => {
    const site = await siteWithOldArticles('kiosque-archive-rejected-', { pageSize: 10 });
    const build = async () => JSON.parse((await runCli(['build', '--now', NOW, '--json'], { cwd: site.dir })).stdout) as Report & { rejected: unknown[]; issues: { rule: string }[] };
    const titles = (): string[] => readdirSync(join(site.dir, 'out', 'archive')).filter((f) => f.endsWith('.xml'))
      .flatMap((f) => [...readFileSync(join(site.dir, 'out', 'archive', f), 'utf8').matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!));
    try {
      await build();
      const file = join(site.dir, 'articles', 'podcast-draft.md');
      const article = (length: string) => `---\ntitle: "Brouillon du podcast"\ndate: 2026-11-20T10:00:00Z\nenclosures:\n  - url: "https://cdn.example/x.mp3"\n${length}---\n\nTexte.\n`;
      await writeFile(file, article(''));
      const rejected = await build();
      expect(rejected.rejected).toHaveLength(1);
      expect(titles()).not.toContain('Brouillon du podcast');
      await writeFile(file, article('    length: 1234\n'));
      const fixed = await build();
      expect(fixed.rejected).toHaveLength(0);
      expect(titles()).toContain('Brouillon du podcast');
      expect(fixed.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('archive pages turned off', () => {
  it('publishes the feed without them, with a warning, and the same pages come back when they are turned on again', async () => {
    const site = await siteWithOldArticles('kiosque-archive-off-', { pageSize: 10 });
    const pages = () => pageBytes(site.dir);
    try {
      await site.build();
      const before = pages();
      for (const off of [false, { complete: true }]) {
        await site.configure(off);
        const report = await site.build();
        expect(report.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN')).map((i) => [i.rule, i.level, i.file])).toEqual([['ARCHIVE-CHAIN-010', 'warning', 'atom.xml']]);
        // Each says what was done: archives off, or the feed declared complete.
        expect(report.issues.find((i) => i.rule === 'ARCHIVE-CHAIN-010')!.message).toMatch(off === false ? /^this feed's archive is off/ : /^this feed is now declared complete/);
        expect(existsSync(join(site.dir, 'out', 'archive', '1.xml'))).toBe(false);
        // Turned on again: nothing to say, and the very same pages.
        await site.configure({ pageSize: 10 });
        expect((await site.build()).issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
        expect(pages()).toEqual(before);
      }
    } finally {
      await site.cleanup();
    }
  }, 60_000);

  it('warns when they are turned on again at another size: the addresses of the full pages come back with other entries', async () => {
    const site = await siteWithOldArticles('kiosque-archive-off-resize-', { pageSize: 10 });
    try {
      await site.build();
      await site.configure(false);
      await site.build();
      await site.configure({ pageSize: 5 });
      const back = await site.build();
      expect(back.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-007', level: 'warning', file: 'archive/1.xml',
        message: expect.stringContaining('archive pages of 10 entries were published before this feed\'s archive was turned off, and this build makes them of 5: they come back at the same addresses with other entries'),
      })]);
      // Told once: published at that size, the pages draw no warning any more.
      expect((await site.build()).issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('archive pages given another size', () => {
  it('are published with a warning naming the size the full pages had, which caches keep for a year, once', async () => {
    const site = await siteWithOldArticles('kiosque-archive-resize-', { pageSize: 10 });
    try {
      expect((await site.build()).issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
      await site.configure({ pageSize: 5 });
      const resized = await site.build();
      expect(resized.archives).toContainEqual(expect.objectContaining({ feed: '', pages: 7 }));
      expect(resized.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-007', level: 'warning', file: 'archive/1.xml',
        message: expect.stringContaining('archive pages of 10 entries were published, and this build makes them of 5'),
      })]);
      // Published at that size, the pages draw no warning any more.
      await writeFile(join(site.dir, 'articles', 'a99.md'), '---\ntitle: "Article 99"\ndate: 2025-12-01T08:00:00Z\n---\n\nNew.\n');
      const after = await site.build();
      expect(after.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
      // Fewer, larger pages: the addresses that end are named with the size.
      const count = after.archives.find((a) => a.feed === '')!.pages;
      await site.configure({ pageSize: 20 });
      const larger = await site.build();
      const now = larger.archives.find((a) => a.feed === '')!.pages;
      expect(now).toBeLessThan(count);
      const ended = larger.issues.filter((i) => i.rule === 'ARCHIVE-CHAIN-007');
      expect(ended).toHaveLength(1);
      expect(ended[0]!.message).toContain(`archive pages of 5 entries were published, and this build makes them of 20: every full page is rewritten, while caches keep the old ones for a year, and ${count - now} pages (archive/${now + 1}.xml to archive/${count}.xml) are no longer published`);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('an article dated into a page published full', () => {
  it('is published with a warning that the full pages are rewritten, and new articles filling the newest page draw none', async () => {
    const site = await siteWithOldArticles('kiosque-archive-backdated-', { pageSize: 10 });
    const chain = (report: Report) => report.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'));
    try {
      expect(chain(await site.build())).toEqual([]);
      await writeFile(join(site.dir, 'articles', 'found.md'), '---\ntitle: "Found in the archive"\ndate: 2024-12-01T08:00:00Z\n---\n\nOld.\n');
      const backdated = await site.build();
      expect(chain(backdated)).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-008', level: 'warning', file: 'archive/1.xml',
        message: expect.stringContaining(`entry ${CONFIG.idPrefix}found is new and dated into a page published full`),
      }), expect.objectContaining({
        // What to purge: the documents of the three pages published full, each rewritten.
        rule: 'ARCHIVE-CHAIN-012', file: 'archive/1.xml', message: expect.stringContaining('9 documents of pages published full are rewritten'),
      })]);
      // Every page moved by one entry.
      expect(backdated.archives).toContainEqual({ feed: '', pages: 4, written: 12 });
      // Six new articles fill the newest page (5 entries) and open a fifth: no page published full is touched.
      for (let i = 40; i < 46; i++) await writeFile(join(site.dir, 'articles', `n${i}.md`), `---\ntitle: "New ${i}"\ndate: 2025-12-${i - 30}T08:00:00Z\n---\n\nNew.\n`);
      const newer = await site.build();
      expect(chain(newer)).toEqual([]);
      expect(newer.archives).toContainEqual(expect.objectContaining({ feed: '', pages: 5 }));
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('an article retracted from a page published full', () => {
  it('leaves every page, with a warning that the full pages it was on and after are rewritten while caches keep the old copies', async () => {
    const site = await siteWithOldArticles('kiosque-archive-retracted-', { pageSize: 10 });
    const chain = (report: Report) => report.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'));
    try {
      expect(chain(await site.build())).toEqual([]);
      const file = join(site.dir, 'articles', 'a3.md');
      await writeFile(file, readFileSync(file, 'utf8').replace('\n---\n', '\nretracted:\n  date: 2026-11-20T09:00:00Z\n  notice: "Article retiré."\n---\n'));
      const retracted = await site.build();
      expect(chain(retracted)).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-011', level: 'warning', file: 'archive/1.xml',
        message: expect.stringContaining('and 2 later full pages, whose entries move along'),
      }), expect.objectContaining({ rule: 'ARCHIVE-CHAIN-012', message: expect.stringContaining('9 documents of pages published full are rewritten') })]);
      for (const ext of ['xml', 'atom', 'json']) {
        const text = readFileSync(join(site.dir, 'out', 'archive', `1.${ext}`), 'utf8');
        expect(text, ext).toContain(`${CONFIG.idPrefix}a2`);
        expect(text, ext).not.toMatch(new RegExp(`${CONFIG.idPrefix}a3["<]`));
      }
      expect(chain(await site.build())).toEqual([]);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('a site renamed', () => {
  it('keeps every full page byte for byte: only the subscription documents and the newest page take the new title', async () => {
    const site = await siteWithOldArticles('kiosque-archive-renamed-', { pageSize: 10 });
    const pages = () => pageBytes(site.dir);
    try {
      await site.build();
      const before = pages();
      await writeFile(join(site.dir, 'kiosque.config.json'), JSON.stringify({
        ...CONFIG, title: 'La Gazette', description: 'Nouvelle formule', icon: 'https://gazette.example/new-icon.png', feeds: [{ path: '', archive: { pageSize: 10 } }],
      }));
      const renamed = await site.build();
      expect(renamed.archives).toContainEqual({ feed: '', pages: 4, written: 3 });
      const after = pages();
      expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
      expect(after[3]![1]!.toString()).toContain('<title type="text">La Gazette</title>');
      expect(readFileSync(join(site.dir, 'out', 'atom.xml'), 'utf8')).toContain('<title type="text">La Gazette</title>');
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('an old article whose date is changed', () => {
  it('is published with a warning naming it, since it moves to another page and full pages are rewritten; the next build is quiet', async () => {
    const site = await siteWithOldArticles('kiosque-archive-redated-', { pageSize: 10 });
    const chain = (report: Report) => report.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'));
    try {
      expect(chain(await site.build())).toEqual([]);
      // Article 1 (on page 1, dated 2025-01-02) redated past article 20 (2025-01-21, page 3).
      const file = join(site.dir, 'articles', 'a1.md');
      await writeFile(file, readFileSync(file, 'utf8').replace('date: 2025-01-02T08:00:00Z', 'date: 2025-01-22T12:00:00Z'));
      const redated = await site.build();
      expect(chain(redated)).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-009', level: 'warning', file: 'archive/1.xml',
        message: expect.stringContaining(`entry ${CONFIG.idPrefix}a1 changed places`),
      }), expect.objectContaining({ rule: 'ARCHIVE-CHAIN-012', message: expect.stringMatching(/^\d+ documents of pages published full are rewritten/) })]);
      expect(chain(await site.build())).toEqual([]);
      // A title edited on a full page rewrites that page alone, and moves nothing: the warning names its documents, to purge.
      const other = join(site.dir, 'articles', 'a12.md');
      await writeFile(other, readFileSync(other, 'utf8').replace('title: "Article 12"', 'title: "Article 12, corrigé"'));
      expect(chain(await site.build())).toEqual([expect.objectContaining({
        rule: 'ARCHIVE-CHAIN-012', file: 'archive/2.xml', message: expect.stringContaining('rewritten (an article on them changed, joined or left the feed, or the site\'s address or time zone changed): archive/2.xml, archive/2.atom, archive/2.json; '),
      })]);
      expect(chain(await site.build())).toEqual([]);
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});

describe('archive pages turned on for a store first built without them', () => {
  it('gives every page entry its title and summary, though the head cache was kept without them', async () => {
    const site = await siteWithOldArticles('kiosque-archive-later-', false);
    try {
      await site.build();
      await site.configure({ pageSize: 10 });
      await site.build();
      const pages = (await readdir(join(site.dir, 'out', 'archive'))).filter((f) => f.endsWith('.xml'));
      expect(pages).toHaveLength(4);
      const titles = pages.flatMap((f) => [...readFileSync(join(site.dir, 'out', 'archive', f), 'utf8').matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]));
      expect(titles.sort()).toEqual(Array.from({ length: ARTICLES }, (_, i) => `Article ${i}`).sort());
      expect(readFileSync(join(site.dir, 'out', 'archive', '1.atom'), 'utf8')).toContain('<summary type="text">Résumé 9.</summary>');
    } finally {
      await site.cleanup();
    }
  }, 60_000);
});
