/**
 * The feed set through the whole pipeline: one publication for every feed, found from the root
 * page and the OPML list, all or nothing when one feed fails its gate.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { build } from '../src/pipeline.js';
import { startServer } from '../src/serve/server.js';
import { makeSite } from './cli/run-cli.js';
import { foldKey, shortHash, slugForKey } from '../src/model/tags.js';
import { tempDir } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasListparser = spawnSync(PYTHON, ['-c', 'import listparser'], { stdio: 'ignore' }).status === 0;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const run = async (now = '2026-11-25T12:00:00Z') => {
  const { value, issues } = await loadConfig(undefined, dir);
  if (!value) throw new Error(JSON.stringify(issues));
  return build(value, { now: new Date(now), lockWaitMs: 0, version: 'test' });
};

/** Every file of the publication (path relative to out/, compressed variants included) with its bytes. */
async function snapshot(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, 'out', rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      // The build's own state under .kiosque/ changes with the store; what is published does not.
      if (path.startsWith('.kiosque/') && path !== '.kiosque/manifest.json') continue;
      // Public names are links into the current generation: follow them.
      if ((await stat(join(dir, 'out', path))).isDirectory()) await walk(path);
      else files.set(path, await readFile(join(dir, 'out', path)));
    }
  };
  await walk('');
  return files;
}

const manifestPaths = async (): Promise<string[]> =>
  (JSON.parse(await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8')) as { files: { path: string }[] }).files.map((f) => f.path);

describe('publishing the feed set', () => {
  it('publishes every feed of the default set, the root page listing them and the OPML list, in one manifest', async () => {
    await makeSite(dir);
    const report = await run();
    expect(report.published).toBe(true);
    expect(report.feeds.slice(0, 3).map((f) => [f.feed, f.format])).toEqual([['', 'rss'], ['', 'atom'], ['', 'json']]);
    const folders = [...new Set(report.feeds.map((f) => f.feed))];
    expect(folders).toContain('tags/europe/');
    expect(folders).toContain('tags/élections/');
    expect(folders).toEqual(expect.arrayContaining(['languages/en/', 'languages/fr/']));
    const paths = await manifestPaths();
    for (const folder of folders) {
      for (const name of ['rss.xml', 'atom.xml', 'feed.json']) expect(paths).toContain(`${folder}${name}`);
      if (folder) expect(paths).toContain(`${folder}index.html`);
    }
    expect(paths).toEqual(expect.arrayContaining(['index.html', 'feed.xsl', 'feeds.opml']));

    const index = await readFile(join(dir, 'out/index.html'), 'utf8');
    // The main feed keeps its autodiscovery links; every other feed is listed under its group.
    expect(index).toContain('<link rel="alternate" type="application/rss+xml" title="Test Gazette (RSS)" href="rss.xml">');
    expect(index.match(/<link rel="alternate"/g)).toHaveLength(3);
    for (const heading of ['Fil principal', 'Mots-clés', 'Langues']) expect(index).toContain(`<h3>${heading}</h3>`);
    expect(index).toContain('href="tags/%C3%A9lections/rss.xml"');
    const tagPage = await readFile(join(dir, 'out/tags/élections/index.html'), 'utf8');
    expect(tagPage).toContain('href="rss.xml"');
    expect(tagPage).toContain('<a href="../../index.html">Tous les flux</a>');
    const tagRss = await readFile(join(dir, 'out/tags/élections/rss.xml'), 'utf8');
    expect(tagRss).toContain('<?xml-stylesheet type="text/xsl" href="../../feed.xsl"?>');
    expect(tagRss).toContain('<atom:link href="https://gazette.example/feeds/tags/%C3%A9lections/rss.xml" rel="self" type="application/rss+xml"/>');
    expect(tagRss).toContain('<title>Test Gazette : Élections</title>');
  });

  it.skipIf(!hasListparser && !process.env.CI)('writes an OPML 2.0 list that a real OPML parser reads back with every feed, grouped', async () => {
    await makeSite(dir);
    const report = await run();
    const read = execFileSync(PYTHON, ['-c', `
import json, listparser, sys
r = listparser.parse(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"bozo": bool(r.bozo), "version": r.version, "title": r.meta.get("title"),
  "feeds": [{"url": f.url, "title": f.title, "tags": f.tags} for f in r.feeds]}))
`, join(dir, 'out/feeds.opml')], { encoding: 'utf8' });
    const opml = JSON.parse(read) as { bozo: boolean; version: string; title: string; feeds: { url: string; title: string; tags: string[] }[] };
    expect(opml).toMatchObject({ bozo: false, version: 'opml2', title: 'Test Gazette' });
    // OPML 2.0 calls RSS 0.91 to 2.0 "RSS"; "RSS2" is no value it defines.
    expect(await readFile(join(dir, 'out/feeds.opml'), 'utf8')).toContain('type="rss" version="RSS"');
    const rssFeeds = report.feeds.filter((f) => f.format === 'rss');
    expect(opml.feeds).toHaveLength(rssFeeds.length);
    expect(opml.feeds[0]).toEqual({ url: 'https://gazette.example/feeds/rss.xml', title: 'Test Gazette', tags: ['Fil principal'] });
    expect(opml.feeds).toContainEqual({ url: 'https://gazette.example/feeds/tags/%C3%A9lections/rss.xml', title: 'Test Gazette : Élections', tags: ['Mots-clés'] });
    expect(opml.feeds).toContainEqual({ url: 'https://gazette.example/feeds/languages/en/rss.xml', title: 'Test Gazette : English', tags: ['Langues'] });
  });

  it('publishes a declared set: sections, tags and authors, each feed with its own id, title, language and links', async () => {
    await makeSite(dir, {
      feeds: [
        { path: '' },
        { path: 'english/', select: { language: 'en' }, title: 'Gazette in English' },
        { path: 'europe/', select: { tags: ['europe'] }, exclude: { author: 'Tomasz Nowak' } },
        { path: 'auteurs/{slug}/', each: 'author', minItems: 2 },
      ],
    });
    const report = await run();
    expect(report.published).toBe(true);
    expect([...new Set(report.feeds.map((f) => f.feed))]).toEqual(['', 'english/', 'europe/', 'auteurs/claire-dubois/', 'auteurs/claire-martin/', 'auteurs/la-rédaction/', 'auteurs/tomasz-nowak/']);
    const atom = await readFile(join(dir, 'out/english/atom.xml'), 'utf8');
    expect(atom).toContain('<id>tag:gazette.example,2024:#feed/english</id>');
    expect(atom).toContain('xml:lang="en"');
    expect(atom).toContain('<title type="text">Gazette in English</title>');
    expect(atom).toContain('<link rel="alternate" type="text/html" href="https://gazette.example/feeds/english/index.html"/>');
    const json = JSON.parse(await readFile(join(dir, 'out/europe/feed.json'), 'utf8')) as { feed_url: string; home_page_url: string; items: { id: string }[] };
    expect(json.feed_url).toBe('https://gazette.example/feeds/europe/feed.json');
    expect(json.items.map((i) => i.id)).toEqual(['2025/10/ecb-holds-rates', '2025/05/inflation-zone-euro', '2024/06/elections-europeennes'].map((p) => `tag:gazette.example,2024:${p}`));
    // An entry keeps one id in every feed that carries it.
    const main = JSON.parse(await readFile(join(dir, 'out/feed.json'), 'utf8')) as { items: { id: string; url: string }[] };
    const author = JSON.parse(await readFile(join(dir, 'out/auteurs/tomasz-nowak/feed.json'), 'utf8')) as { items: { id: string; url: string }[] };
    for (const item of author.items) expect(main.items).toContainEqual(expect.objectContaining({ id: item.id, url: item.url }));
  });

  it('keeps the previous publication of every feed when one tag feed fails its gate, and publishes nothing of the new set', async () => {
    // The main feed carries the newest article only, so the edited one below is in its tag feed alone.
    await makeSite(dir, { feeds: [{ path: '', limit: 1 }, { path: 'tags/{slug}/', each: 'tag' }] });
    expect((await run()).published).toBe(true);
    const before = await snapshot();
    const manifest = await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8');
    // A new article changes the main feed and a tag feed; a changed id for a published link fails the Idlib feed's gate (ATOM-E-010).
    await mkdir(join(dir, 'articles/2026'), { recursive: true });
    await writeFile(join(dir, 'articles/2026/new.md'), '---\ntitle: Nouveau\ndate: 2026-11-20T08:00:00Z\ntags: [Europe]\n---\n\nTexte.\n');
    const seed = join(dir, 'articles/2020/02/poutine-erdogan-idlib.md');
    await writeFile(seed, (await readFile(seed, 'utf8')).replace('lang: fr\n', 'lang: fr\nid: renamed/idlib\n'));
    const report = await run();
    expect(report.published).toBe(false);
    expect(report.issues).toContainEqual(expect.objectContaining({ rule: 'ATOM-E-010', level: 'error', file: 'tags/idlib/atom.xml' }));
    expect(report.feeds.find((f) => f.feed === '' && f.format === 'rss')!.errors).toBe(0);
    const after = await snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path)!.equals(bytes), path).toBe(true);
    expect(await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8')).toBe(manifest);
  });

  it('leaves a feed whose last article lost its tag out of the next publication, and kiosque serve answers 410 Gone for it', async () => {
    await makeSite(dir);
    await run();
    expect(await manifestPaths()).toContain('tags/newsroom/rss.xml');
    const file = join(dir, 'articles/2025/01/ai-newsroom-guidelines.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('tags: Newsroom\n', ''));
    const report = await run();
    expect(report.published).toBe(true);
    const paths = await manifestPaths();
    expect(paths.filter((p) => p.startsWith('tags/newsroom/'))).toEqual([]);
    expect(paths).toContain('tags/europe/rss.xml');
    const server = await startServer({ outDir: join(dir, 'out'), host: '127.0.0.1', port: 0 });
    try {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        expect((await fetch(new URL(`tags/newsroom/${file}`, server.url))).status, file).toBe(410);
        expect((await fetch(new URL(`tags/europe/${file}`, server.url))).status, file).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('keeps a tag feed in its folder, with its own articles, when another spelling with the same slug comes and goes', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'Le Régional', url: 'https://regional.example/', feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }] }));
    const article = (name: string, day: number, tag: string) =>
      writeFile(join(dir, 'articles', `${name}.md`), `---\ntitle: ${name}\ndate: 2026-11-${String(day).padStart(2, '0')}T10:00:00+01:00\ntags: ["${tag}"]\n---\n\nTexte.\n`);
    await mkdir(join(dir, 'articles'));
    await article('programmer-en-cpp', 1, 'C++');
    await run();
    const title = async (folder: string) => /<title>([^<]*)<\/title>/.exec(await readFile(join(dir, 'out', folder, 'rss.xml'), 'utf8'))?.[1];
    expect(await title('tags/c')).toBe('Le Régional: C++');
    // A newer article tagged C: C++ keeps tags/c/ (its readers' address); C gets a folder of its own.
    await article('le-langage-c', 2, 'C');
    const report = await run();
    expect(report.published).toBe(true);
    expect(await title('tags/c')).toBe('Le Régional: C++');
    const hashed = (await manifestPaths()).find((p) => /^tags\/c-[0-9a-f]{8}\/rss\.xml$/.test(p))!;
    expect(await title(hashed.slice(0, -'/rss.xml'.length))).toBe('Le Régional: C');
    expect(report.issues.filter((i) => i.rule === 'feed-slug-collision')).toEqual([expect.objectContaining({ file: 'le-langage-c.md' })]);
    // The report marks the new feed's documents, and only those, as added.
    expect(report.feeds.filter((f) => f.added).map((f) => `${f.feed}${f.format}`)).toEqual(['rss', 'atom', 'json'].map((f) => `${hashed.slice(0, -'rss.xml'.length)}${f}`));
    // The C article deleted: C++ stays, and C's folder goes (nothing falls in it any more).
    await rm(join(dir, 'articles/le-langage-c.md'));
    await run();
    expect(await title('tags/c')).toBe('Le Régional: C++');
    expect((await manifestPaths()).some((p) => /^tags\/c-/.test(p))).toBe(false);
  });

  it('keeps a tag feed with the tag it carried when an older article brings another spelling of its slug (back-dated, or re-tagged)', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'Le Régional', url: 'https://regional.example/', feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }] }));
    const article = (name: string, date: string, tag: string) =>
      writeFile(join(dir, 'articles', `${name}.md`), `---\ntitle: ${name}\ndate: ${date}\ntags: ["${tag}"]\n---\n\nTexte.\n`);
    await mkdir(join(dir, 'articles'));
    await article('le-langage-c', '2026-01-05T10:00:00Z', 'C');
    await run();
    const title = async (folder: string) => /<title>([^<]*)<\/title>/.exec(await readFile(join(dir, 'out', folder, 'rss.xml'), 'utf8'))?.[1];
    expect(await title('tags/c')).toBe('Le Régional: C');
    // Older than C's only article: by dates alone, C++ would take tags/c/.
    await article('programmer-en-cpp', '2025-01-01T10:00:00Z', 'C++');
    const report = await run();
    expect(report.published).toBe(true);
    expect(await title('tags/c')).toBe('Le Régional: C');
    expect(report.issues.filter((i) => i.rule === 'feed-slug-collision')).toEqual([expect.objectContaining({ file: 'programmer-en-cpp.md' })]);
  });

  it('keeps each tag in its folder over rebuilds when one tag is spelled as another\'s hashed folder', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'Le Régional', url: 'https://regional.example/', feeds: [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }] }));
    const lookalike = `${slugForKey(foldKey('C++'))}-${shortHash(foldKey('C++'))}`;
    await mkdir(join(dir, 'articles'));
    for (const [name, day, tag] of [['le-langage-c', 1, 'C'], ['programmer-en-cpp', 2, 'C++'], ['sosie', 3, lookalike]] as const) {
      await writeFile(join(dir, 'articles', `${name}.md`), `---\ntitle: ${name}\ndate: 2026-11-0${day}T10:00:00Z\ntags: ["${tag}"]\n---\n\nTexte.\n`);
    }
    const titles = async () => Object.fromEntries(await Promise.all((await manifestPaths()).filter((p) => /^tags\/[^/]+\/rss\.xml$/.test(p)).map(async (p) =>
      [p, /<item>\s*<title>([^<]*)</.exec(await readFile(join(dir, 'out', p), 'utf8'))?.[1]] as const)));
    await run();
    const first = await titles();
    expect(first).toEqual({ 'tags/c/rss.xml': 'le-langage-c', [`tags/${lookalike}/rss.xml`]: 'sosie', [`tags/${lookalike}-2/rss.xml`]: 'programmer-en-cpp' });
    // Nothing changed: nothing moves, nothing is gone, and the collision is told again.
    const again = await run();
    expect(await titles()).toEqual(first);
    expect(again.issues.filter((i) => i.rule === 'KIOSQUE-GONE-002')).toEqual([]);
    expect(again.issues.filter((i) => i.rule === 'feed-slug-collision')).toEqual([expect.objectContaining({ file: 'programmer-en-cpp.md' })]);
  });

  it('keeps publishing a language feed that still has articles when the store is down to one language', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'Site', url: 'https://site.example/', language: 'fr' }));
    await mkdir(join(dir, 'articles'));
    for (const i of [1, 2, 3]) await writeFile(join(dir, 'articles', `fr${i}.md`), `---\ntitle: Article ${i}\ndate: 2026-01-0${i}T10:00:00Z\n---\n\nCorps.\n`);
    // One language: no language feeds, as the default set says (minValues 2).
    await run();
    expect((await manifestPaths()).filter((p) => p.startsWith('languages/'))).toEqual([]);
    await writeFile(join(dir, 'articles/en1.md'), '---\ntitle: English one\ndate: 2026-01-05T10:00:00Z\nlang: en\n---\n\nBody.\n');
    await run();
    expect(await manifestPaths()).toEqual(expect.arrayContaining(['languages/fr/rss.xml', 'languages/en/rss.xml']));
    // The English article goes: languages/fr/ keeps its readers; languages/en/, now empty, is gone.
    await rm(join(dir, 'articles/en1.md'));
    const report = await run();
    expect(report.published).toBe(true);
    const paths = await manifestPaths();
    expect(paths).toContain('languages/fr/rss.xml');
    expect(paths.filter((p) => p.startsWith('languages/en/'))).toEqual([]);
    expect(report.issues.filter((i) => i.rule === 'KIOSQUE-GONE-002').map((i) => i.file)).toEqual(['languages/en/rss.xml']);
  });

  it('dates a section that empties by its last publication, not 1970, and warns that it selects nothing', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'T', url: 'https://regional.example/', language: 'fr', feeds: [{ path: '' }, { path: 'meteo/', select: { folder: 'sec/**' } }, { path: 'sport/', select: { folder: 'sport/**' } }] }));
    await mkdir(join(dir, 'articles/sec'), { recursive: true });
    await writeFile(join(dir, 'articles/sec/orages.md'), '---\ntitle: Alerte orages\ndate: 2026-11-12T10:00:00+01:00\n---\n\nOrages.\n');
    await writeFile(join(dir, 'articles/other.md'), '---\ntitle: Autre\ndate: 2026-11-13T10:00:00+01:00\n---\n\nX.\n');
    const first = await run();
    const updated = async (folder: string) => ({
      rss: /<lastBuildDate>([^<]*)</.exec(await readFile(join(dir, 'out', folder, 'rss.xml'), 'utf8'))?.[1],
      atom: /<updated>([^<]*)</.exec(await readFile(join(dir, 'out', folder, 'atom.xml'), 'utf8'))?.[1],
    });
    // A section that never had an article: dated by the site's newest, with a warning.
    expect(await updated('sport')).toEqual({ rss: 'Fri, 13 Nov 2026 09:00:00 GMT', atom: '2026-11-13T09:00:00.000Z' });
    expect(first.issues.filter((i) => i.rule === 'feed-empty').map((i) => i.file)).toEqual(['sport/rss.xml']);
    await writeFile(join(dir, 'articles/sec/orages.md'), '---\ntitle: Alerte orages\ndraft: true\ndate: 2026-11-12T10:00:00+01:00\n---\n\nOrages.\n');
    const emptied = await run();
    expect(emptied.published).toBe(true);
    expect(await updated('meteo')).toEqual({ rss: 'Thu, 12 Nov 2026 09:00:00 GMT', atom: '2026-11-12T09:00:00.000Z' });
    expect(emptied.issues.filter((i) => i.rule === 'feed-empty').map((i) => i.file).sort()).toEqual(['meteo/rss.xml', 'sport/rss.xml']);
    // And it stays put: the next build changes nothing.
    const again = await run();
    expect(again.feeds.filter((f) => f.changed)).toEqual([]);
  });

  it('names the article a finding inside a subscription document\'s item comes from', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'T', url: 'https://regional.example/', feeds: [{ path: '' }] }));
    await mkdir(join(dir, 'articles/2026'), { recursive: true });
    await writeFile(join(dir, 'articles/2026/balises.md'), '---\ntitle: Les balises\ndate: 2026-11-12T10:00:00Z\nsummary: "Écrire <b>gras</b> en HTML"\n---\n\nTexte.\n');
    await writeFile(join(dir, 'articles/2026/autre.md'), '---\ntitle: Autre\ndate: 2026-11-13T10:00:00Z\n---\n\nTexte.\n');
    const report = await run();
    expect(report.published).toBe(true);
    const about = report.issues.filter((i) => i.rule === 'JF-ITEM-007' && i.file === 'feed.json');
    expect(about).toHaveLength(1);
    expect(about[0]!.message).toMatch(/\(article 2026\/balises\.md\)$/);
  });
});
