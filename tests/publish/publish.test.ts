import { mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTempName, replaceWithSymlink, stageFile, sweepTempFiles } from '../../src/publish/atomic.js';
import { MANIFEST_FILE } from '../../src/publish/manifest.js';
import { publish, readManifest, readPublished, sha256, type OutputFile } from '../../src/publish/publish.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const file = (path: string, text: string): OutputFile => ({ path, mediaType: 'application/rss+xml; charset=utf-8', data: Buffer.from(text), selfUrl: `https://news.example/${path}` });
const options = (now: string) => ({ maxAge: 900, hubs: [], now: new Date(now) });

describe('atomic steps', () => {
  it('replaces a plain file with a symlink in one rename and leaves no temp file behind', async () => {
    const target = join(dir, 'rss.xml');
    await writeFile(target, 'old');
    await writeFile(join(dir, 'other.xml'), 'new');
    await replaceWithSymlink(target, 'other.xml');
    expect(await readlink(target)).toBe('other.xml');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['other.xml', 'rss.xml']);
  });

  it('sweeps the temp files a killed run left, and only those', async () => {
    await stageFile(join(dir, 'rss.xml'), Buffer.from('half'));
    await writeFile(join(dir, '.hidden-but-ours-not'), 'keep');
    const removed = await sweepTempFiles(dir);
    expect(removed).toHaveLength(1);
    expect(removed.every(isTempName)).toBe(true);
    expect(await readdir(dir)).toEqual(['.hidden-but-ours-not']);
  });
});

describe('publish', () => {
  it('writes each file with gzip and br siblings that decompress to the same bytes, and a manifest listing their sha256', async () => {
    const out = await publish(dir, [file('rss.xml', '<rss>é</rss>')], options('2026-01-01T00:00:00Z'));
    expect(out.issues).toEqual([]);
    const identity = await readFile(join(dir, 'rss.xml'));
    expect(gunzipSync(await readFile(join(dir, 'rss.xml.gz')))).toEqual(identity);
    expect(brotliDecompressSync(await readFile(join(dir, 'rss.xml.br')))).toEqual(identity);
    const manifest = await readManifest(dir);
    const entry = manifest?.files[0];
    expect(entry?.sha256).toBe(sha256(identity));
    expect(entry?.encodings.gzip?.sha256).toBe(sha256(await readFile(join(dir, 'rss.xml.gz'))));
    expect(entry?.lastModified).toBe('2026-01-01T00:00:00.000Z');
    expect(manifest?.selfUrls['rss.xml']).toBe('https://news.example/rss.xml');
    expect(manifest?.maxAge).toBe(900);
  });

  it('leaves unchanged files untouched, keeping their Last-Modified and mtime', async () => {
    await publish(dir, [file('rss.xml', 'same'), file('atom.xml', 'v1')], options('2026-01-01T00:00:00Z'));
    const mtime = (await stat(join(dir, 'rss.xml'))).mtimeMs;
    const second = await publish(dir, [file('rss.xml', 'same'), file('atom.xml', 'v2')], options('2026-01-02T00:00:00Z'));
    expect(second.value?.changed).toEqual(['atom.xml']);
    const manifest = await readManifest(dir);
    expect(manifest?.files.find((f) => f.path === 'rss.xml')?.lastModified).toBe('2026-01-01T00:00:00.000Z');
    expect(manifest?.files.find((f) => f.path === 'atom.xml')?.lastModified).toBe('2026-01-02T00:00:00.000Z');
    expect((await stat(join(dir, 'rss.xml'))).mtimeMs).toBe(mtime);
  });

  it('rewrites a published file that was damaged on disk even though its content did not change', async () => {
    await publish(dir, [file('rss.xml', 'good')], options('2026-01-01T00:00:00Z'));
    await writeFile(join(dir, 'rss.xml'), 'tampered');
    const again = await publish(dir, [file('rss.xml', 'good')], options('2026-01-01T00:00:00Z'));
    expect(again.value?.changed).toEqual(['rss.xml']);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('good');
  });

  it('returns a located error, not an exception, when the out dir cannot be created, and writes nothing', async () => {
    const blocked = join(dir, 'out');
    await writeFile(blocked, 'a file where the out dir should be');
    const result = await publish(blocked, [file('rss.xml', 'x')], options('2026-01-01T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]?.rule).toBe('publish-failed');
    expect(result.issues[0]?.message).toMatch(/ENOTDIR|EEXIST/);
    expect(await readFile(blocked, 'utf8')).toBe('a file where the out dir should be');
  });

  it('keeps the previous manifest and identity files when a new file cannot be moved into place', async () => {
    await publish(dir, [file('rss.xml', 'v1'), file('atom.xml', 'a1')], options('2026-01-01T00:00:00Z'));
    // A non-empty directory where feed.json.gz must go makes its rename fail.
    const before = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    await mkdir(join(dir, 'feed.json.gz'));
    await writeFile(join(dir, 'feed.json.gz', 'x'), 'occupied');
    const result = await publish(dir, [file('rss.xml', 'v2'), file('atom.xml', 'a2'), file('feed.json', '{}')], options('2026-01-02T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]?.message).toContain('previous publication is unchanged');
    expect(await readFile(join(dir, MANIFEST_FILE), 'utf8')).toBe(before);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('v1');
    expect(await readFile(join(dir, 'atom.xml'), 'utf8')).toBe('a1');
    expect((await readdir(dir)).filter(isTempName)).toEqual([]);
  });

  it('reads back published bytes only when they still match the manifest', async () => {
    await publish(dir, [file('rss.xml', 'v1')], options('2026-01-01T00:00:00Z'));
    const manifest = await readManifest(dir);
    expect(Buffer.from((await readPublished(dir, manifest, 'rss.xml'))!).toString()).toBe('v1');
    await writeFile(join(dir, 'rss.xml'), 'other');
    expect(await readPublished(dir, manifest, 'rss.xml')).toBeUndefined();
  });
});
