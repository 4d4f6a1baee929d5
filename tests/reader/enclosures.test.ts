/**
 * Enclosures from local files (beside the article in the store, and in the media folder) and
 * from remote URLs, built by the real CLI and read back by a real reader library: Python's
 * feedparser for RSS and Atom, JSON.parse for JSON Feed. What the reader gets must be the
 * file's own size and type.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, SITE, runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers.js';
import { silentMp3, solidPng } from '../media-files.js';

const PYTHON = '/usr/bin/python3';
const hasFeedparser = spawnSync(PYTHON, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0;

const READ = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": bool(d.bozo), "entries": [{"id": e.get("id"), "enclosures": [
  {"url": x.get("href"), "length": x.get("length"), "type": x.get("type")} for x in e.get("enclosures", [])],
  "media": [{"url": m.get("url"), "fileSize": m.get("filesize"), "type": m.get("type"), "width": m.get("width"), "height": m.get("height")} for m in e.get("media_content", [])]
} for e in d.entries]}))
`;

type Read = { bozo: boolean; entries: { id: string; enclosures: { url: string; length: string; type: string }[]; media: { url: string; fileSize?: string; type?: string; width?: string; height?: string }[] }[] };

const ID = 'tag:gazette.example,2024:2025/12/reportage';
const LOCAL = 'https://gazette.example/2025/12/reportage/interview.mp3';
const SHARED = 'https://gazette.example/media/shows/jingle.mp3';
const REMOTE = 'https://cdn.example/reportage.mp4';

describe.skipIf(!hasFeedparser && !process.env.CI)('enclosures read back by a real reader (feedparser)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stdout: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(join(dir, 'articles/2025/12/reportage'), { recursive: true });
    await mkdir(join(dir, 'media/shows'), { recursive: true });
    await writeFile(join(dir, 'articles/2025/12/reportage/interview.mp3'), silentMp3(2));
    await writeFile(join(dir, 'articles/2025/12/reportage/lead.png'), solidPng(320, 180));
    await writeFile(join(dir, 'media/shows/jingle.mp3'), silentMp3(1));
    await writeFile(join(dir, 'articles/2025/12/reportage.md'), [
      '---', 'title: Reportage', 'date: 2025-12-01T08:00:00+01:00', 'image: lead.png', 'enclosures:',
      '  - url: interview.mp3', '    duration: "0:02"',
      '  - url: /media/shows/jingle.mp3', '    title: Générique',
      `  - { url: "${REMOTE}", length: 7340032, type: video/mp4 }`,
      '---', '', 'Le reportage.', '',
    ].join('\n'));
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, media: 'media' }));
    const r = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
  });
  afterAll(() => cleanup());

  const read = (file: string): Read['entries'][number] => {
    const parsed = JSON.parse(execFileSync(PYTHON, ['-c', READ, join(dir, 'out', file)], { encoding: 'utf8' })) as Read;
    expect(parsed.bozo).toBe(false);
    return parsed.entries.find((e) => e.id === ID)!;
  };

  it('RSS: the first enclosure, with the length of the file beside the article; the others as media:content', () => {
    const entry = read('rss.xml');
    expect(entry.enclosures).toEqual([{ url: LOCAL, length: String(silentMp3(2).length), type: 'audio/mpeg' }]);
    const media = new Map(entry.media.map((m) => [m.url, m]));
    expect(media.get(SHARED)).toMatchObject({ fileSize: String(silentMp3(1).length), type: 'audio/mpeg' });
    expect(media.get(REMOTE)).toMatchObject({ fileSize: '7340032', type: 'video/mp4' });
  });

  it('Atom: every enclosure, local or remote, with its length and type', () => {
    expect(read('atom.xml').enclosures).toEqual([
      { url: LOCAL, length: String(silentMp3(2).length), type: 'audio/mpeg' },
      { url: SHARED, length: String(silentMp3(1).length), type: 'audio/mpeg' },
      { url: REMOTE, length: '7340032', type: 'video/mp4' },
    ]);
  });

  it('JSON Feed: attachments with the same sizes and types, and the duration in seconds', async () => {
    const feed = JSON.parse(await readFile(join(dir, 'out/feed.json'), 'utf8')) as { items: { id: string; attachments: unknown[] }[] };
    expect(feed.items.find((i) => i.id === ID)!.attachments).toEqual([
      { url: LOCAL, mime_type: 'audio/mpeg', size_in_bytes: silentMp3(2).length, duration_in_seconds: 2 },
      { url: SHARED, mime_type: 'audio/mpeg', title: 'Générique', size_in_bytes: silentMp3(1).length },
      { url: REMOTE, mime_type: 'video/mp4', size_in_bytes: 7340032 },
    ]);
  });

  it('gives the lead image read from its file its width and height', () => {
    const image = read('rss.xml').media.find((m) => m.url === 'https://gazette.example/2025/12/reportage/lead.png');
    expect(image).toMatchObject({ width: '320', height: '180' });
    expect(read('atom.xml').media).toEqual([expect.objectContaining({ url: 'https://gazette.example/2025/12/reportage/lead.png', width: '320', height: '180' })]);
  });

  it('reports nothing about the article and passes kiosque validate', async () => {
    expect((JSON.parse(stdout) as { rejected: unknown[] }).rejected).toEqual([]);
    const v = await runCli(['validate', 'out/rss.xml', 'out/atom.xml', 'out/feed.json'], { cwd: dir });
    expect(v.code).toBe(0);
  });
});
