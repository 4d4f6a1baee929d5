import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cliPath, repoRoot, tempDir } from '../helpers.js';
import { NOW, holdLock, makeSite, runCli } from './run-cli.js';
import { startServer } from '../../src/serve/server.js';
import { httpRequest } from '../serve/publication.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await makeSite(dir);
});
afterEach(() => cleanup());

const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];
const readOut = async (root: string) => Object.fromEntries(await Promise.all(FEEDS.map(async (f) => [f, await readFile(join(root, 'out', f))])));
const NO_STACK = /\n\s+at .+:\d+:\d+/;

describe('kiosque build', () => {
  it('publishes the three feeds from the sample store and exits 0', async () => {
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/rss\.xml/);
    expect(stdout).toMatch(/Published in \d+ ms/);
    const out = await readOut(dir);
    expect(out['rss.xml'].toString()).toContain('<rss');
    expect(out['atom.xml'].toString()).toContain('http://www.w3.org/2005/Atom');
    expect(JSON.parse(out['feed.json'].toString()).version).toBe('https://jsonfeed.org/version/1.1');
    const names = await readdir(join(dir, 'out'));
    expect(names).toEqual(expect.arrayContaining(['index.html', 'feed.xsl', 'rss.xml.gz', 'rss.xml.br']));
  });

  it('prints exactly one JSON object with --json, matching the files it wrote', async () => {
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ published: true, rejected: [] });
    // The main feed's three files first, with today's keys; then every other feed of the set, three files each.
    expect(report.feeds.slice(0, 3).map((f: { format: string; feed: string }) => [f.feed, f.format])).toEqual([['', 'rss'], ['', 'atom'], ['', 'json']]);
    expect(Object.keys(report.feeds[0])).toEqual(['format', 'path', 'items', 'bytes', 'sha256', 'changed', 'errors', 'warnings', 'feed', 'group']);
    expect(report.feeds.length % 3).toBe(0);
    expect(report.feeds.length).toBeGreaterThan(3);
    expect(report.accepted).toBeGreaterThanOrEqual(6);
    expect(typeof report.durationMs).toBe('number');
    for (const feed of report.feeds) {
      const bytes = await readFile(feed.path);
      expect(feed.bytes).toBe(bytes.byteLength);
      expect(feed.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(feed.path).toBe(join(dir, 'out', feed.feed, feed.path.split('/').pop()));
      expect(feed.errors).toBe(0);
      expect(feed.warnings).toBe(0);
      expect(feed.items).toBe(report.feeds.find((f: { feed: string }) => f.feed === feed.feed).items);
    }
  });

  it('gives byte-identical feeds for the same store and --now under other timezones and locales', async () => {
    const other = await tempDir();
    try {
      await makeSite(other.dir);
      await runCli(['build', '--now', NOW], { cwd: dir, env: { TZ: 'UTC', LANG: 'C' } });
      await runCli(['build', '--now', NOW], { cwd: other.dir, env: { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } });
      const [a, b] = [await readOut(dir), await readOut(other.dir)];
      for (const f of FEEDS) expect(a[f].equals(b[f]), f).toBe(true);
    } finally {
      await other.cleanup();
    }
  });

  it('rebuilding an unchanged store leaves every published byte and ETag as it was', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const first = await readOut(dir);
    const manifest = await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8');
    const later = await runCli(['build', '--now', '2026-11-26T12:00:00Z', '--json'], { cwd: dir });
    expect(JSON.parse(later.stdout).feeds.every((f: { changed: boolean }) => !f.changed)).toBe(true);
    const second = await readOut(dir);
    for (const f of FEEDS) expect(second[f].equals(first[f])).toBe(true);
    expect(await readFile(join(dir, 'out/.kiosque/manifest.json'), 'utf8')).toBe(manifest);
  });

  it('publishes the good articles, reports the broken one with file and line, and exits 2', async () => {
    await writeFile(join(dir, 'articles/broken.md'), '---\ntitle: Broken\ndate: 2020-02-30\n---\nBody\n');
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.published).toBe(true);
    expect(report.rejected).toEqual([expect.objectContaining({ file: 'broken.md', line: 3 })]);
    expect(report.rejected[0].reason).toMatch(/2020-02-30/);
    const rss = (await readFile(join(dir, 'out/rss.xml'), 'utf8'));
    expect(rss).toContain('Poutine et Erdogan');
  });

  it('shows rejected articles in the human report too', async () => {
    await writeFile(join(dir, 'articles/untitled.md'), '---\ndate: 2024-01-01\n---\nNo title here\n');
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toMatch(/Rejected articles \(1\)/);
    expect(stdout).toMatch(/untitled\.md/);
  });

  it('refuses to publish a feed whose id changed since the last publication, keeps the last good files and exits 1', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    await makeSite(dir, { idPrefix: 'tag:elsewhere.example,2025:' });
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/Nothing published/);
    expect(stdout).toMatch(/ATOM-F-010/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
  });

  it('publishes a site moved to a new address: every link changes, every id stays, and no id rule takes that for a reused id', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const before = (await readFile(join(dir, 'out', 'atom.xml'), 'utf8')).match(/<id>[^<]+<\/id>/g);
    await makeSite(dir, { url: 'https://www.gazette.example/' });
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    // Only the full archive pages, whose links changed too, are named, to purge from caches.
    expect(report.issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([expect.objectContaining({ rule: 'ARCHIVE-CHAIN-012', file: 'archive/1.xml' })]);
    const atom = await readFile(join(dir, 'out', 'atom.xml'), 'utf8');
    expect(atom.match(/<id>[^<]+<\/id>/g)).toEqual(before);
    expect(atom).toContain('href="https://www.gazette.example/2025/11/world-cup-qualifiers/"');
  });

  it('publishes an article whose headline and link an editor rewrote together, keeping its id: readers update the item they have', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const id = 'tag:gazette.example,2024:2025/11/world-cup-qualifiers';
    const file = join(dir, 'articles', '2025', '11', 'world-cup-qualifiers.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^title: .*$/m, `title: "Record crowd in Lyon for the Women's World Cup qualifier"\nid: "${id}"\nurl: "https://gazette.example/2025/11/record-crowd-lyon/"`));
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([]);
    const atom = await readFile(join(dir, 'out', 'atom.xml'), 'utf8');
    const entry = atom.split('<entry>').find((e) => e.includes(`<id>${id}</id>`));
    expect(entry).toContain('Record crowd in Lyon');
    expect(entry).toContain('href="https://gazette.example/2025/11/record-crowd-lyon/"');
  });

  it('publishes a corrected article marked updated with no warning: its feed dates move with its text, not with the build', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const file = join(dir, 'articles', '2025', '11', 'world-cup-qualifiers.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^date: .*$/m, '$&\nupdated: 2025-11-29T09:00:00+01:00').replace('48,000', '48,200'));
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([]);
    // The sport feed: the main feed's date is its retraction's, later (README, Retractions).
    expect(await readFile(join(dir, 'out', 'tags', 'sport', 'rss.xml'), 'utf8')).toContain('<lastBuildDate>Sat, 29 Nov 2025 08:00:00 GMT</lastBuildDate>');
  });

  it('names a tag feed a renamed tag stopped publishing: its subscribers get 410 Gone from now on', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const file = join(dir, 'articles', '2025', '09', 'night-trains-return.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Transport,', 'Transports,'));
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([
      expect.objectContaining({ rule: 'KIOSQUE-GONE-002', level: 'warning', file: 'tags/transport/rss.xml', message: expect.stringContaining('tags/transport/ is no longer published') }),
    ]);
    expect(report.feeds.map((f: { feed: string }) => f.feed)).toContain('tags/transports/');
    // The new tag's three documents, and only those, are marked added.
    expect(report.feeds.filter((f: { added?: boolean }) => f.added).map((f: { feed: string; format: string }) => `${f.feed}${f.format}`)).toEqual(['tags/transports/rss', 'tags/transports/atom', 'tags/transports/json']);
    // The next build, with nothing gone, says nothing more.
    const again = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout).issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([]);
    expect(JSON.parse(again.stdout).feeds.some((f: { added?: boolean }) => f.added)).toBe(false);
  });

  it('keeps a tag feed whose only article is rejected (a file caught half-written) as last published, instead of a 410, until the store builds without rejections', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const feed = join(dir, 'out', 'tags', 'rail', 'rss.xml');
    const before = await readFile(feed);
    const file = join(dir, 'articles', '2025', '09', 'night-trains-return.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, 40));
    const broken = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(broken.code).toBe(2);
    const report = JSON.parse(broken.stdout);
    expect(report.rejected).toEqual([expect.objectContaining({ file: '2025/09/night-trains-return.md' })]);
    expect(report.issues.filter((i: { rule: string }) => i.rule === 'feed-kept-while-rejected').map((i: { file: string }) => i.file)).toEqual(['tags/rail/rss.xml', 'tags/transport/rss.xml']);
    expect(report.issues.map((i: { rule: string }) => i.rule)).not.toContain('KIOSQUE-GONE-002');
    // Its leaving the main feed is the rejection the report lists, not an unannounced deletion.
    expect(report.issues.map((i: { rule: string }) => i.rule)).not.toContain('KIOSQUE-GONE-001');
    expect((await readFile(feed)).equals(before)).toBe(true);
    const server = await startServer({ outDir: join(dir, 'out'), host: '127.0.0.1', port: 0 });
    try {
      expect((await httpRequest(server.url, '/tags/rail/rss.xml')).status).toBe(200);
      // The article back, retagged: no rejection now, so the emptied tag goes.
      await writeFile(file, text.replace('Rail]', 'Trains]'));
      const fixed = JSON.parse((await runCli(['build', '--now', NOW, '--json'], { cwd: dir })).stdout);
      expect(fixed.issues.map((i: { rule: string; file: string }) => `${i.rule} ${i.file}`)).toEqual(['KIOSQUE-GONE-002 tags/rail/rss.xml']);
      await server.reload();
      expect((await httpRequest(server.url, '/tags/rail/rss.xml')).status).toBe(410);
    } finally {
      await server.close();
    }
  });

  it('redirects the feeds of a renamed tag listed in "moved" to its new folder (301) instead of 410, and says when a redirect is not served or leads nowhere', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const retag = async (from: string, to: string): Promise<void> => {
      const file = join(dir, 'articles', '2025', '09', 'night-trains-return.md');
      await writeFile(file, (await readFile(file, 'utf8')).replace(`${from},`, `${to},`));
    };
    await makeSite(dir, { moved: { 'tags/transport/': 'tags/transports/' } });
    await retag('Transport', 'Transports');
    const moved = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout).issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([]);
    const server = await startServer({ outDir: join(dir, 'out'), host: '127.0.0.1', port: 0 });
    try {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json', '']) {
        const res = await httpRequest(server.url, `/tags/transport/${file}`);
        expect(res.status, file).toBe(301);
        expect(res.headers.location, file).toBe(`https://gazette.example/feeds/tags/transports/${file}`);
        expect(res.headers['cache-control']).toBe('public, max-age=900');
      }
      expect((await httpRequest(server.url, '/tags/transport')).headers.location).toBe('https://gazette.example/feeds/tags/transports/');
      // A subscription URL's query (a key for a proxy) goes along.
      expect((await httpRequest(server.url, '/tags/transport/rss.xml?key=a%20b')).headers.location).toBe('https://gazette.example/feeds/tags/transports/rss.xml?key=a%20b');
      expect((await httpRequest(server.url, '/tags/transports/rss.xml')).status).toBe(200);

      // A misspelt new folder, then the old tag back while its redirect is still configured.
      await makeSite(dir, { moved: { 'tags/transport/': 'tags/transprots/' } });
      // Named by the file the configuration came from.
      await rename(join(dir, 'kiosque.config.json'), join(dir, 'staging.json'));
      await retag('Transport', 'Transports');
      const nowhere = JSON.parse((await runCli(['build', '--now', NOW, '--json', '--config', 'staging.json'], { cwd: dir })).stdout);
      expect(nowhere.issues).toEqual([expect.objectContaining({ rule: 'feed-moved-nowhere', level: 'warning', file: join(dir, 'staging.json'), message: expect.stringContaining('https://gazette.example/feeds/tags/transprots/, which is no feed of this build') })]);
      await makeSite(dir, { moved: { 'tags/transport/': 'tags/transports/' } });
      const back = JSON.parse((await runCli(['build', '--now', NOW, '--json'], { cwd: dir })).stdout);
      expect(back.issues.filter((i: { level: string }) => i.level !== 'info').map((i: { rule: string }) => i.rule)).toEqual(['feed-moved-published', 'KIOSQUE-GONE-002']);
      await server.reload();
      expect((await httpRequest(server.url, '/tags/transport/rss.xml')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('publishes a copied article file with a warning naming both files: readers would list the article twice', async () => {
    const folder = join(dir, 'articles', '2025', '11');
    await writeFile(join(folder, 'world-cup-qualifiers copy.md'), await readFile(join(folder, 'world-cup-qualifiers.md')));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/2025\/11\/world-cup-qualifiers copy\.md:\d+ warning store-published-twice "Women's World Cup qualifiers draw a record crowd in Lyon" \(2025-11-28T21:05:00\.000Z\) is also published from 2025\/11\/world-cup-qualifiers\.md/);
  });

  it('publishes every feed when one article has a language, an author email, a year or a time no feed can carry: the article keeps what it can, with a warning for what was dropped or moved', async () => {
    const folder = join(dir, 'articles', '2025', '11');
    await writeFile(join(folder, 'slips.md'), '---\ntitle: "Trois fautes de frappe"\ndate: 2025-11-30T09:00:00+01:00\nlang: english\nauthor: { name: Paul Roux, email: "paul at kiosque", url: "ht tp://x" }\n---\n\nCorps.\n');
    await writeFile(join(folder, 'year.md'), '---\ntitle: "An 26"\ndate: 0026-12-01T10:00:00\n---\n\nCorps.\n');
    await writeFile(join(folder, 'spring.md'), '---\ntitle: "Changement d’heure"\ndate: 2025-03-30T02:30\n---\n\nCorps.\n');
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(stdout).not.toMatch(/Nothing published/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2025\/11\/slips\.md:4 warning store-bad-lang "lang" must be a language tag such as "fr" or "en-GB", got "english": ignored/);
    expect(stdout).toMatch(/2025\/11\/slips\.md:5 warning store-bad-author author "Paul Roux": "email" must be a bare address/);
    expect(stdout).toMatch(/2025\/11\/slips\.md:5 warning store-bad-author author "Paul Roux": "url" must be an http\(s\) URL/);
    // A time the clocks skipped is published, read later on the clock, and the editor is told.
    expect(stdout).toMatch(/2025\/11\/spring\.md:3 warning store-date-skipped "date": 2025-03-30T02:30 never happened in Europe\/Paris, whose clocks skipped it; it is read as 2025-03-30T01:30:00\.000Z, later on the clock/);
    const atom = (await readFile(join(dir, 'out', 'atom.xml'), 'utf8'));
    expect(atom).toContain('<name>Paul Roux</name>');
    expect(atom).not.toContain('paul at kiosque');
    expect(await readdir(join(dir, 'out', 'languages')).catch(() => [])).not.toContain('english');
    // Read in its own year, not 1,900 years earlier: the oldest archive page holds it.
    expect(await readFile(join(dir, 'out', 'archive', '1.atom'), 'utf8').catch(() => '')).toMatch(/<published>0026-12-01T09:50:39(\.000)?Z<\/published>/);
  });

  it('warns of a lead image written as a path, or under the media folder, that is no file there, and still publishes the article', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')), media: 'media' }));
    await mkdir(join(dir, 'media', 'photos'), { recursive: true });
    await writeFile(join(dir, 'media', 'photos', 'quai.png'), await readFile(join(dir, 'articles', '2021', '11', 'energy-prices-europe', 'images', 'gas-prices.png')));
    const folder = join(dir, 'articles', '2025', '11');
    const article = (image: string): string => `---\ntitle: "Photo ${image}"\ndate: 2025-11-20T09:00:00Z\nimage: ${image}\n---\n\nCorps.\n`;
    await writeFile(join(folder, 'typo.md'), article('images/quai.pgn'));
    await writeFile(join(folder, 'absent.md'), article('/media/photos/absente.jpg'));
    await writeFile(join(folder, 'present.md'), article('/media/photos/quai.png'));
    await writeFile(join(folder, 'elsewhere.md'), article('https://gazette.example/images/served-by-the-site.jpg'));
    // A query or fragment names no file kiosque can look for: the server may resize it.
    await writeFile(join(folder, 'resized.md'), article('images/quai.png?w=800'));
    // A folder's index article: its URL is its path, so the message says where its image is looked for.
    await mkdir(join(folder, 'dossier'));
    await writeFile(join(folder, 'dossier', 'index.md'), article('quai.png'));
    await writeFile(join(folder, 'dossier', 'quai.png'), await readFile(join(dir, 'media', 'photos', 'quai.png')));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/2025\/11\/typo\.md:4 warning store-image-missing "image": https:\/\/gazette\.example\/2025\/11\/typo\/images\/quai\.pgn is no file in the store at 2025\/11\/typo\/images\/quai\.pgn \(check its name\)/);
    expect(stdout).toMatch(/2025\/11\/absent\.md:4 warning store-image-missing "image": https:\/\/gazette\.example\/media\/photos\/absente\.jpg is no file in the media folder/);
    expect(stdout).toMatch(/2025\/11\/dossier\/index\.md:4 warning store-image-missing "image": https:\/\/gazette\.example\/2025\/11\/dossier\/index\/quai\.png is no file in the store at 2025\/11\/dossier\/index\/quai\.png/);
    expect(stdout.match(/store-image-missing/g)).toHaveLength(3);
    const rss = await readFile(join(dir, 'out', 'rss.xml'), 'utf8');
    expect(rss).toContain('<media:content url="https://gazette.example/media/photos/quai.png" medium="image" width="640" height="360"/>');
    expect(rss).toContain('https://gazette.example/2025/11/typo/images/quai.pgn');
  });

  it('counts the warnings of a feed published as it was, in text and --json, though its documents are not validated again', async () => {
    const config = JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')) as Record<string, unknown>;
    delete config.icon;
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify(config));
    type Feeds = { feeds: { path: string; changed: boolean; warnings: number }[] };
    const mainJson = (r: { stdout: string }) => (JSON.parse(r.stdout) as Feeds).feeds.find((f) => f.path.endsWith('/out/feed.json'))!;
    const first = mainJson(await runCli(['build', '--json', '--now', NOW], { cwd: dir }));
    expect(first.warnings).toBeGreaterThan(0);
    // A body edit that renders the same: a full build, with every document as published.
    const article = join(dir, 'articles', '2025', '11', 'world-cup-qualifiers.md');
    await writeFile(article, `${await readFile(article, 'utf8')}\n`);
    const again = await runCli(['build', '--json', '--now', NOW], { cwd: dir });
    expect(JSON.parse(again.stdout).unchanged).toBeUndefined();
    expect(mainJson(again)).toMatchObject({ changed: false, warnings: first.warnings });
    await writeFile(article, `${await readFile(article, 'utf8')}\n`);
    const text = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(text.stdout).toMatch(new RegExp(`feed\\.json +50 items .* unchanged, 0 errors, ${first.warnings} warnings`));
  });

  it('refuses a renamed article file, which readers would show again as new, saying which id to keep; publishes it at its new link once that id is in its front matter', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    const old = 'tag:gazette.example,2024:2025/11/world-cup-qualifiers';
    const folder = join(dir, 'articles', '2025', '11');
    await rename(join(folder, 'world-cup-qualifiers.md'), join(folder, 'wc-qualifiers.md'));
    const refused = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/atom\.xml:\d+ error ATOM-E-010 "Women's World Cup qualifiers draw a record crowd in Lyon" had id "tag:gazette\.example,2024:2025\/11\/world-cup-qualifiers" in the last publication and now has "tag:gazette\.example,2024:2025\/11\/wc-qualifiers"/);
    expect(refused.stdout).toContain(`give it its id back in its front matter: id: "${old}"`);
    // Each finding names the file to edit, on the archive page as in the subscription documents.
    expect(refused.stdout).toMatch(/archive\/2\.atom:\d+ error ATOM-E-010 .*\(article 2025\/11\/wc-qualifiers\.md\)\n/);
    expect(refused.stdout).toMatch(/archive\/2\.json:\/items\/\d+ warning JF-ITEM-004 .*\(article 2025\/11\/wc-qualifiers\.md\)\n/);
    expect(refused.stdout).not.toMatch(/KIOSQUE-GONE-001/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);

    const text = await readFile(join(folder, 'wc-qualifiers.md'), 'utf8');
    await writeFile(join(folder, 'wc-qualifiers.md'), text.replace(/^---\n/, `---\nid: "${old}"\n`));
    const kept = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout).issues.filter((i: { level: string }) => i.level !== 'info')).toEqual([]);
    const atom = await readFile(join(dir, 'out', 'atom.xml'), 'utf8');
    expect(atom).toContain(`<id>${old}</id>`);
    expect(atom).toContain('https://gazette.example/2025/11/wc-qualifiers/');
    expect(atom).not.toContain('2025/11/wc-qualifiers</id>');
  });

  it('leaves a published article its id when a new file claims it (a CMS export beside the Markdown), even one sorting first or found only on an archive page', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    const fresh = join(dir, 'articles', '2025', '11', 'world-cup-qualifiers.json');
    await writeFile(fresh, JSON.stringify({ title: 'Un autre article', date: '2025-11-29T10:00:00Z', content: 'Autre texte.' }));
    // Older than any subscription feed carries: only the first archive page has it.
    const old = join(dir, 'articles', '2018', '03', 'edinburgh-library-saves-its-sunday-opening-after-public-camp.json');
    await writeFile(old, JSON.stringify({ title: 'Encore un autre', date: '2018-03-20T10:00:00Z', content: 'Texte.' }));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toMatch(/2025\/11\/world-cup-qualifiers\.json +id "tag:gazette\.example,2024:2025\/11\/world-cup-qualifiers" is already the id of 2025\/11\/world-cup-qualifiers\.md, the article the last publication carried under it: this article is not published +\[store-duplicate-id\]/);
    expect(stdout).toMatch(/2018\/03\/edinburgh-library-saves-its-sunday-opening-after-public-camp\.json +id "[^"]+" is already the id of 2018\/03\/edinburgh-library-saves-its-sunday-opening-after-public-camp\.md, the article the last publication carried under it/);
    expect(stdout).not.toMatch(/KIOSQUE-REDATED-001|GONE/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
  });

  it('leaves a published article its id against an export copying its title and date, and a retracted one its id against any newcomer', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    await writeFile(join(dir, 'articles', '2025', '11', 'world-cup-qualifiers.json'), JSON.stringify({ title: "Women's World Cup qualifiers draw a record crowd in Lyon", date: '2025-11-28T21:05:00Z', tags: ['Sport'], content: 'Texte exporté du CMS.' }));
    await writeFile(join(dir, 'articles', '2026', '11', 'aaa.md'), '---\ntitle: "Municipales à Lyon : le vrai sondage"\ndate: 2026-11-22T08:00:00+01:00\nid: 2026/11/sondage-lyon\n---\n\nNouveau texte.\n');
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toMatch(/2025\/11\/world-cup-qualifiers\.json +id "[^"]+" is already the id of 2025\/11\/world-cup-qualifiers\.md, the article the last publication carried under it/);
    expect(stdout).toMatch(/2026\/11\/aaa\.md:4 +id "tag:gazette\.example,2024:2026\/11\/sondage-lyon" is already the id of 2026\/11\/sondage-lyon\.md, retracted: the id of a retracted article stays taken/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
    expect((await readFile(join(dir, 'out', 'atom.xml'), 'utf8'))).toContain('<at:deleted-entry ref="tag:gazette.example,2024:2026/11/sondage-lyon"');
  });

  it('keeps an article rejected for its body on the full archive page that published it, and says so until it is fixed', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const page = await readFile(join(dir, 'out', 'archive', '1.xml'));
    const file = join(dir, 'articles', '2018', '03', 'edinburgh-library-saves-its-sunday-opening-after-public-camp.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('---\n', '---\nenclosures:\n  - url: https://cdn.example/c.mp3\n'));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toMatch(/2018\/03\/edinburgh-library-saves-its-sunday-opening-after-public-camp\.md warning store-kept-last-good the archive pages that carried this article keep it/);
    expect((await readFile(join(dir, 'out', 'archive', '1.xml'))).equals(page)).toBe(true);
    await writeFile(file, text);
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).stdout).not.toMatch(/store-kept-last-good/);
  });

  it('publishes nothing when the article store is missing (an unmounted disk), keeps the last good feeds and archive pages, and exits 1', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    const page = await readFile(join(dir, 'out', 'archive', '1.atom'));
    await rename(join(dir, 'articles'), join(dir, 'articles.away'));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/Nothing published: the article store \S+articles does not exist; the previous publication stays\./);
    expect(stdout).toMatch(/store-folder-unreadable/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
    expect((await readFile(join(dir, 'out', 'archive', '1.atom'))).equals(page)).toBe(true);
  });

  it('publishes nothing when the store is emptied (a mount point with nothing mounted), keeps every feed and archive page, and exits 1', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    const page = await readFile(join(dir, 'out', 'archive', '1.atom'));
    const tags = (await readdir(join(dir, 'out', 'tags'))).sort();
    await rename(join(dir, 'articles'), join(dir, 'articles.away'));
    await mkdir(join(dir, 'articles'));
    const { code, stdout } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/store-emptied/);
    expect(stdout).toMatch(/Nothing published: the article store \S+articles holds no article to publish, and the last publication's feed\.json carried \d+ items; to empty the feeds on purpose, build with --allow-empty; the previous publication stays\./);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
    expect((await readFile(join(dir, 'out', 'archive', '1.atom'))).equals(page)).toBe(true);
    expect((await readdir(join(dir, 'out', 'tags'))).sort()).toEqual(tags);
  });

  it('publishes nothing when every article of the store is rejected at once, and says how many', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const good = await readOut(dir);
    await rename(join(dir, 'articles'), join(dir, 'articles.away'));
    await mkdir(join(dir, 'articles'));
    await writeFile(join(dir, 'articles', 'a.md'), '---\ntitle: [unclosed\n---\nA\n');
    await writeFile(join(dir, 'articles', 'b.md'), '---\ndate: 2024-01-01\n---\nB\n');
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.published).toBe(false);
    expect(report.rejected.map((r: { file: string }) => r.file).sort()).toEqual(['a.md', 'b.md']);
    expect(report.failure).toMatch(/^every article of the article store \S+articles was rejected \(2\), and the last publication's feed\.json carried \d+ items/);
    const after = await readOut(dir);
    for (const f of FEEDS) expect(after[f].equals(good[f]), f).toBe(true);
  });

  it('empties the feeds on purpose with --allow-empty, and later builds of the empty store publish without it', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    await rename(join(dir, 'articles'), join(dir, 'articles.away'));
    await mkdir(join(dir, 'articles'));
    const emptied = await runCli(['build', '--now', NOW, '--allow-empty', '--json'], { cwd: dir });
    expect(emptied.code).toBe(0);
    expect(JSON.parse(emptied.stdout).published).toBe(true);
    expect(JSON.parse((await readFile(join(dir, 'out', 'feed.json'))).toString()).items).toEqual([]);
    // The last publication carries nothing now: an empty store is no longer a surprise.
    const again = await runCli(['build', '--now', '2026-12-01T00:00:00Z'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/store-emptied/);
  });

  it('says why an unwritable out dir fails, without a stack trace, and exits 1', async () => {
    await writeFile(join(dir, 'blocked'), 'not a directory');
    const { code, stdout, stderr } = await runCli(['build', '--now', NOW, '--out', 'blocked'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/ENOTDIR|not a directory/i);
    expect(stdout + stderr).not.toMatch(NO_STACK);
  });

  it('recovers after a killed run: takes over its stale lock and clears its temp files', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    await writeFile(join(dir, 'out/.kiosque/lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), since: NOW }));
    await writeFile(join(dir, 'out/.rss.xml.tmp-99999-1'), '<rss><chan');
    const { code } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(0);
    const names = await readdir(join(dir, 'out'));
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(await readdir(join(dir, 'out/.kiosque'))).not.toContain('lock');
  }, 60_000);

  it('says plainly that another build holds the lock, naming its pid, host and start, in text and --json, and exits 1', async () => {
    const holder = await holdLock(dir);
    try {
      const text = await runCli(['build', '--now', NOW, '--wait', '0'], { cwd: dir });
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(new RegExp(`^Not built: another build holds the lock \\(pid ${holder.pid} on ${hostname()}, since \\d{4}-\\d\\d-\\d\\dT[^)]+\\), out/\\.kiosque/lock\\.`));
      expect(text.stdout).not.toMatch(/accepted|Published/);

      const json = await runCli(['build', '--now', NOW, '--wait', '0', '--json'], { cwd: dir });
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report).toMatchObject({ published: false, skipped: true, lockedBy: { pid: holder.pid, host: hostname() } });
      expect(report.failure).toMatch(/^another build holds the lock \(pid \d+ on /);
    } finally {
      await holder.release();
    }
    // Released: the next build runs.
    expect((await runCli(['build', '--now', NOW, '--wait', '0'], { cwd: dir })).code).toBe(0);
  });

  it('lists an unknown configuration key among the issues of --json too, where scripts look', async () => {
    await makeSite(dir, { limt: 10 });
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).issues[0]).toMatchObject({ rule: 'config-unknown-key', level: 'warning', pointer: '/limt', message: 'unknown key "limt" is ignored (did you mean "limit"?)' });
  });

  it('rejects a bad configuration up front with the key and the reason', async () => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ title: 'x', url: 'https://x.example/', schedule: '61 * * * *', timezone: 'Atlantis/Capital' }));
    const { code, stderr } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/schedule/);
    expect(stderr).toMatch(/Atlantis\/Capital/);
    expect(stderr).not.toMatch(NO_STACK);
    // In --json, the shape of every other failure: a script reads "failure" whatever went wrong.
    const json = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      published: false, failure: expect.stringMatching(/^invalid configuration: \/timezone: .*; nothing was built$/), feeds: [], accepted: 0, rejected: [],
      issues: expect.arrayContaining([expect.objectContaining({ rule: 'config-invalid', pointer: '/schedule' })]), error: 'invalid configuration',
    });
  });

  it('rejects a --now without a zone as a usage error', async () => {
    const { code, stderr } = await runCli(['build', '--now', '2026-11-25 12:00'], { cwd: dir });
    expect(code).toBe(64);
    expect(stderr).toMatch(/--now must be an ISO 8601 instant/);
  });

  it('rejects a --now on a day that does not exist instead of rolling it over into the next month', async () => {
    for (const now of ['2026-02-30T23:00:00Z', '2026-04-31T00:00:00+02:00']) {
      const { code, stdout, stderr } = await runCli(['build', '--now', now], { cwd: dir });
      expect(code, stdout).toBe(64);
      expect(stderr).toMatch(/--now must be an instant that exists: .* does not exist: 2026-0[24] has (28|30) days/);
    }
  });
});

describe('--help', () => {
  it.each(['build', 'validate', 'serve', 'start', 'publish'])('kiosque %s --help explains the command and exits 0', async (command) => {
    const { code, stdout } = await runCli([command, '--help'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Usage: kiosque ${command}`));
  });

  it('kiosque with an unknown command lists the commands and exits 64', async () => {
    const { code, stderr } = await runCli(['deploy'], { cwd: dir });
    expect(code).toBe(64);
    expect(stderr).toMatch(/unknown command "deploy"/);
    expect(stderr).toMatch(/exits 64 in every command/);
  });
});

describe('a reader that stops reading early (kiosque build | head)', () => {
  it('ends the command with status 141, as SIGPIPE would, and no stack trace; the build had published', async () => {
    const child = spawn(process.execPath, [cliPath, 'build', '--now', NOW], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closed before the report is written.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(141);
    expect(stderr).toBe('');
    expect(await readFile(join(dir, 'out', 'rss.xml'), 'utf8')).toContain('<rss');
  });
});

describe('output that cannot be written (a full disk under >> kiosque.log)', () => {
  it('leaves the build\'s work and exit code as they are, says so in a line, and prints no stack trace', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    await writeFile(join(dir, 'articles', 'nouveau.md'), '---\ntitle: Nouvel article\ndate: 2026-11-25T11:00:00Z\n---\n\nTexte.\n');
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [cliPath, 'build', '--now', NOW, '--json'], { cwd: dir, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      // Published: 0, as the README's table says, not "nothing published".
      expect(code).toBe(0);
      expect(await readFile(join(dir, 'out', 'rss.xml'), 'utf8')).toContain('Nouvel article');
      expect(stderr).toBe('kiosque: its output could not be all written (ENOSPC); the command\'s work stands, exit 0\n');
    } finally {
      closeSync(full);
    }
  });
});

describe('a service whose log reader goes away (start | tee, restarted)', () => {
  it('goes on serving: serve does not end with 141 as a one-shot command does', async () => {
    await runCli(['build', '--now', NOW], { cwd: dir });
    const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--access-log'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"listening"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      }));
      child.stdout.destroy();
      // Each request writes a line to the closed pipe; the server answers all the same.
      for (let i = 0; i < 3; i++) expect((await fetch(`${url}rss.xml`)).status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  });
});

describe('a working directory deleted under the command', () => {
  it('builds from a configuration named by its absolute path, saying the folder is gone', async () => {
    const gone = join(dir, 'release-13');
    const { status, stderr } = spawnSync('/bin/sh', ['-c', `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${cliPath}" build --now ${NOW} --config "${join(dir, 'kiosque.config.json')}"`], { encoding: 'utf8' });
    expect(stderr).toBe(`kiosque: the working directory ${gone} no longer exists: relative paths cannot be found; give absolute ones, or run it from a folder that exists\n`);
    expect(status).toBe(0);
    expect(await readFile(join(dir, 'out', 'rss.xml'), 'utf8')).toContain('<rss');
  });

  it('still validates a file named by its absolute path', () => {
    const gone = join(dir, 'release-12');
    const { status, stdout } = spawnSync('/bin/sh', ['-c', `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${cliPath}" validate "${join(repoRoot, 'tests/validate/fixtures/rss/valid/encoding-iso-8859-1.xml')}"`], { encoding: 'utf8' });
    expect(stdout).toMatch(/valid: 0 errors/);
    expect(status).toBe(0);
  });
});

describe('usage errors exit 64 in every command, never a code that means something else', () => {
  it('answer with one JSON object on stdout when --json was asked for', async () => {
    for (const args of [['build', '--json', '--bogus'], ['validate', '--json', '--format', 'xml', 'f.xml'], ['publish', '--json', '--target', 'foo']]) {
      const { code, stdout } = await runCli(args, { cwd: dir });
      expect(code, args.join(' ')).toBe(64);
      expect(JSON.parse(stdout), args.join(' ')).toMatchObject({ error: 'usage', exitCode: 64, message: expect.stringMatching(new RegExp(`^kiosque ${args[0]}: `)) });
    }
  });

  it.each([
    ['build', ['--bogus'], /Unknown option '--bogus'/],
    ['build', ['--now'], /argument missing/],
    ['build', ['--wait', 'soon'], /--wait must be a number of seconds/],
    ['build', ['--wait', '0x10'], /--wait must be a number of seconds \(got "0x10"\)/],
    ['build', ['--wait='], /--wait must be a number of seconds \(got ""\)/],
    ['publish', ['--target', 's3://b/p', '--wait', ' 5'], /--wait must be a number of seconds \(got " 5"\)/],
    ['build', ['--wait', '-1'], /^kiosque build: --wait must not be negative \(got "-1"\)\n/],
    ['validate', ['--timeout', '-5', 'feed.xml'], /^kiosque validate: --timeout must not be negative \(got "-5"\)\n/],
    ['build', ['rss.xml'], /Unexpected argument 'rss\.xml'/],
    ['validate', [], /no file given/],
    ['validate', ['--bogus', 'out/rss.xml'], /Unknown option '--bogus'/],
    ['serve', ['--bogus'], /Unknown option '--bogus'/],
    ['serve', ['--port', 'eighty'], /--port must be a whole number/],
    ['start', ['--port', '99999'], /--port must be a whole number/],
    ['start', ['--schedule', 'every hour'], /--schedule: /],
    ['start', ['--no-serve', 'now'], /Unexpected argument 'now'/],
  ])('kiosque %s %j exits 64 and says why on stderr', async (command, args, why) => {
    const { code, stdout, stderr } = await runCli([command, ...args], { cwd: dir, timeoutMs: 20_000 });
    expect(code).toBe(64);
    expect(stderr).toMatch(why);
    expect(stdout).toBe('');
    // Nothing ran: no build output appeared.
    await expect(readdir(join(dir, 'out'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exits 64 for a bad --schedule even where no configuration can be read: the command line is at fault first', async () => {
    const { code, stderr } = await runCli(['start', '--config', join(dir, 'absent.json'), '--schedule', '* *'], { cwd: dir, timeoutMs: 20_000 });
    expect(code).toBe(64);
    expect(stderr).toMatch(/--schedule: "\* \*" is not a valid cron expression/);
  });

  it.each(['build', 'validate', 'serve', 'start'])('kiosque %s --help documents exit code 64', async (command) => {
    const { stdout } = await runCli([command, '--help'], { cwd: dir });
    expect(stdout).toMatch(/^\s+64\s+usage error/m);
  });
});
