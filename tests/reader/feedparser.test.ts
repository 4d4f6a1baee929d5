/**
 * The seed dispatch read back by a real feed-reader library: Python's feedparser (Debian's
 * python3-feedparser), the parser behind many readers and aggregators. It reads RSS and Atom;
 * JSON Feed is checked with JSON.parse in the render tests, which is what JSON readers do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, makeSite, runCli } from '../cli/run-cli.js';
import { repoRoot, tempDir } from '../helpers.js';

const PYTHON = '/usr/bin/python3';
const hasFeedparser = spawnSync(PYTHON, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0;

const READ = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "version": d.version, "bozo": bool(d.bozo), "title": d.feed.get("title"),
  "entries": [{
    "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
    "published": list(e.published_parsed[:6]) if e.get("published_parsed") else None,
    "authors": [a.get("name") for a in e.get("authors", [])],
    "tags": [t.term for t in e.get("tags", [])],
    "content": e.content[0].value if "content" in e else e.get("summary"),
  } for e in d.entries]
}))
`;

const READ_ALL = `
import feedparser, json, sys
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    self = [l.href for l in d.feed.get("links", []) if l.get("rel") == "self"]
    out.append({"version": d.version, "bozo": bool(d.bozo), "title": d.feed.get("title"), "self": self[0] if self else "", "ids": [e.get("id") for e in d.entries]})
print(json.dumps(out))
`;

type Read = {
  version: string; bozo: boolean; title: string;
  entries: { id: string; title: string; link: string; published: number[] | null; authors: string[]; tags: string[]; content: string }[];
};

describe.skipIf(!hasFeedparser && !process.env.CI)('the sample feeds in a real reader (feedparser)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let seedLines: string[];
  let feeds: { feed: string; format: string; path: string; items: number }[];
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await makeSite(dir);
    const { code, stdout } = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(code).toBe(0);
    feeds = (JSON.parse(stdout) as { feeds: typeof feeds }).feeds;
    seedLines = (await readFile(join(repoRoot, 'tests/store/fixtures/seed-dispatch-lines.txt'), 'utf8')).split('\n').filter(Boolean);
  });
  afterAll(() => cleanup());

  const read = (file: string): Read => JSON.parse(execFileSync(PYTHON, ['-c', READ, join(dir, 'out', file)], { encoding: 'utf8' })) as Read;

  it.each([['rss.xml', 'rss20'], ['atom.xml', 'atom10']])('reads %s as %s, well-formed, with the seed dispatch intact', (file, version) => {
    const feed = read(file);
    expect(feed.version).toBe(version);
    expect(feed.bozo).toBe(false);
    expect(feed.title).toBe('Test Gazette');
    const seed = feed.entries.find((e) => e.id === 'tag:gazette.example,2024:2020/02/poutine-erdogan-idlib');
    expect(seed).toBeDefined();
    expect(seed!.title).toBe('Poutine et Erdogan se sont entretenus par téléphone après les bombardements à Idlib');
    expect(seed!.link).toBe('https://gazette.example/2020/02/poutine-erdogan-idlib/');
    expect(seed!.published).toEqual([2020, 2, 28, 16, 30, 0]);
    expect(seed!.authors).toEqual(['Sputnik']);
    expect(seed!.tags).toEqual(['Russie', 'Turquie', 'Syrie', 'Idlib']);
    for (const line of seedLines) expect(seed!.content).toContain(line);
    expect(seed!.content).toContain('<p>\u00a0</p>');
  });

  it('reads every feed of the set, RSS and Atom, well-formed, with its own title and the entries the build reported', () => {
    const xml = feeds.filter((f) => f.format !== 'json');
    expect(new Set(xml.map((f) => f.feed)).size).toBeGreaterThan(15);
    const all = JSON.parse(execFileSync(PYTHON, ['-c', READ_ALL, ...xml.map((f) => f.path)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as { version: string; bozo: boolean; title: string; self: string; ids: string[] }[];
    const ids = new Map<string, string>();
    xml.forEach((f, i) => {
      const read = all[i]!;
      expect(read.version, f.path).toBe(f.format === 'rss' ? 'rss20' : 'atom10');
      expect(read.bozo, f.path).toBe(false);
      expect(read.ids, f.path).toHaveLength(f.items);
      expect(read.title.startsWith('Test Gazette'), f.path).toBe(true);
      expect(decodeURIComponent(read.self), f.path).toBe(`https://gazette.example/feeds/${f.feed}${f.format === 'rss' ? 'rss.xml' : 'atom.xml'}`);
      // An entry has one id in every feed that carries it, whatever its file name.
      for (const id of read.ids) expect(id).toMatch(/^tag:gazette\.example,2024:[\x21-\x7e]+$/);
      for (const id of read.ids) ids.set(id, f.path);
    });
    expect(ids.has('tag:gazette.example,2024:2025/07/%C3%AElots%20de%20fra%C3%AEcheur')).toBe(true);
  });

  it('passes kiosque validate for every document of the set', async () => {
    const files = feeds.map((f) => f.path);
    const { code, stdout } = await runCli(['validate', '--json', ...files], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/"level":"error"/);
  });

  it('sees the same entries, in the same order, in RSS and Atom', () => {
    const [rss, atom] = [read('rss.xml'), read('atom.xml')];
    expect(rss.entries.map((e) => [e.id, e.title, e.link, e.published])).toEqual(atom.entries.map((e) => [e.id, e.title, e.link, e.published]));
  });
});
