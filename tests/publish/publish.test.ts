import { lstat, mkdir, readdir, readFile, readlink, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlib, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTempName, replaceWithSymlink, sweepTempFiles, tempPathFor } from '../../src/publish/atomic.js';
import { CURRENT_LINK, GENERATIONS_DIR } from '../../src/publish/generations.js';
import { MANIFEST_FILE, nextLastModified } from '../../src/publish/manifest.js';
import { publish, readManifest, readPublished, sha256, type OutputFile } from '../../src/publish/publish.js';
import { tempDir } from '../helpers.js';
import { ageGenerations, observe, readStatic, toVersion1Layout } from './reading.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const file = (path: string, text: string): OutputFile => ({ path, mediaType: 'application/rss+xml; charset=utf-8', data: Buffer.from(text), selfUrl: `https://news.example/${path}` });
const options = (now: string) => ({ maxAge: 900, hubs: [], now: new Date(now) });
const generations = async (): Promise<string[]> => (await readdir(join(dir, GENERATIONS_DIR))).filter((n) => !n.startsWith('.')).sort();
const lastModified = async (path: string): Promise<string | undefined> => (await readManifest(dir))?.files.find((f) => f.path === path)?.lastModified;

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

  it('sweeps the temp files and temp directories a killed run left, and only those', async () => {
    await writeFile(tempPathFor(join(dir, 'rss.xml')), 'half');
    await mkdir(join(dir, '.generation.tmp-4242-1', 'tags'), { recursive: true });
    await writeFile(join(dir, '.hidden-but-ours-not'), 'keep');
    const removed = await sweepTempFiles(dir);
    expect(removed).toHaveLength(2);
    expect(removed.every(isTempName)).toBe(true);
    expect(await readdir(dir)).toEqual(['.hidden-but-ours-not']);
  });
});

describe('publish', () => {
  it('loads files known by hash and size only when their turn to be written comes', async () => {
    const docs = Array.from({ length: 40 }, (_, n) => Buffer.from(`<feed>page ${n} « é »</feed>`));
    const wrote = new Set<string>();
    /** For each load, how many files had reached their write step: all loaded at once would be 0 for each. */
    const stepsBeforeLoad: number[] = [];
    const files = docs.map((data, n) => ({
      path: `archive/${n + 1}.atom`, mediaType: 'application/atom+xml; charset=utf-8', sha256: sha256(data), bytes: data.byteLength,
      load: () => {
        stepsBeforeLoad.push(wrote.size);
        return data;
      },
    }));
    const onStep = (step: string): void => void (step.startsWith('write ') && wrote.add(step.slice('write '.length)));
    const out = await publish(dir, files, { ...options('2026-01-01T00:00:00Z'), onStep });
    expect(out.issues).toEqual([]);
    expect(stepsBeforeLoad).toHaveLength(40);
    // Each is loaded once its own write step came: the last ones after most of the others were written.
    expect(stepsBeforeLoad.every((steps) => steps >= 1)).toBe(true);
    expect(Math.max(...stepsBeforeLoad)).toBe(40);
    for (const [n, data] of docs.entries()) expect(await readFile(join(dir, `archive/${n + 1}.atom`))).toEqual(data);
    expect((await readManifest(dir))?.files.find((f) => f.path === 'archive/3.atom')).toMatchObject({ bytes: docs[2]!.byteLength, sha256: sha256(docs[2]!) });
  });

  it('refuses a file whose bytes are not the size it was announced with, and the previous publication stays', async () => {
    await publish(dir, [file('rss.xml', '<rss>one</rss>')], options('2026-01-01T00:00:00Z'));
    const data = Buffer.from('<feed>changed on disk since</feed>');
    const out = await publish(dir, [file('rss.xml', '<rss>two</rss>'), { path: 'archive/1.atom', mediaType: 'application/atom+xml', sha256: sha256(data), bytes: data.byteLength + 3, load: () => data }], options('2026-01-01T00:01:00Z'));
    expect(out.value).toBeUndefined();
    expect(out.issues[0]?.message).toMatch(/archive\/1\.atom is \d+ bytes, not the \d+ it had when hashed/);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('<rss>one</rss>');
  });

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
    expect(manifest?.version).toBe(2);
  });

  it('writes the .gz and .br bodies its caller compressed already, and asks for them only when the file is written', async () => {
    const data = Buffer.from('<rss>« compressed while the gate ran »</rss>');
    // Not what the publisher would make itself (gzip 1, brotli 1): the bytes written show whose they are.
    const given = { gzip: gzipSync(data, { level: 1 }), br: brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } }) };
    let asked = 0;
    const precompressed = (): OutputFile => ({ ...file('rss.xml', data.toString()), compressed: async () => (asked++, given) });
    await publish(dir, [precompressed()], options('2026-01-01T00:00:00Z'));
    expect(asked).toBe(1);
    expect(await readFile(join(dir, 'rss.xml.gz'))).toEqual(given.gzip);
    expect(await readFile(join(dir, 'rss.xml.br'))).toEqual(given.br);
    expect((await readManifest(dir))?.files[0]?.encodings.br?.sha256).toBe(sha256(given.br));
    // The same bytes again: linked from the live generation, nothing asked.
    await publish(dir, [precompressed()], options('2026-01-01T00:01:00Z'));
    expect(asked).toBe(1);
  });

  it('fails a publication whose precompressed bodies failed, and the previous publication stays', async () => {
    await publish(dir, [file('rss.xml', '<rss>one</rss>')], options('2026-01-01T00:00:00Z'));
    const out = await publish(dir, [{ ...file('rss.xml', '<rss>two</rss>'), compressed: () => Promise.reject(new Error('the compression thread stopped')) }], options('2026-01-01T00:01:00Z'));
    expect(out.value).toBeUndefined();
    expect(out.issues[0]).toMatchObject({ level: 'error', file: expect.stringContaining('rss.xml') });
    expect(out.issues[0]?.message).toContain('the compression thread stopped');
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('<rss>one</rss>');
  });

  it('publishes into a generation named by its manifest, behind fixed public symlinks through .kiosque/current', async () => {
    const out = await publish(dir, [file('rss.xml', 'r'), file('tags/economie/rss.xml', 'e')], options('2026-01-01T00:00:00Z'));
    const generation = out.value!.generation;
    expect(generation).toBe(sha256(await readFile(join(dir, GENERATIONS_DIR, generation, '.manifest.json'))).slice(0, 16));
    expect(await readlink(join(dir, CURRENT_LINK))).toBe(`generations/${generation}`);
    expect(await readlink(join(dir, MANIFEST_FILE))).toBe('current/.manifest.json');
    expect(await readlink(join(dir, 'rss.xml'))).toBe('.kiosque/current/rss.xml');
    expect(await readlink(join(dir, 'rss.xml.gz'))).toBe('.kiosque/current/rss.xml.gz');
    // A subtree is one link, so everything under it switches with `current`.
    expect(await readlink(join(dir, 'tags'))).toBe('.kiosque/current/tags');
    expect(await readFile(join(dir, 'tags/economie/rss.xml'), 'utf8')).toBe('e');
    expect((await readdir(dir)).sort()).toEqual(['.kiosque', 'rss.xml', 'rss.xml.br', 'rss.xml.gz', 'tags']);
  });

  it('hard-links unchanged files from the live generation, keeping their inode, Last-Modified and mtime', async () => {
    await publish(dir, [file('rss.xml', 'same'), file('atom.xml', 'v1')], options('2026-01-01T00:00:00Z'));
    const before = await stat(join(dir, 'rss.xml'));
    const second = await publish(dir, [file('rss.xml', 'same'), file('atom.xml', 'v2')], options('2026-01-02T00:00:00Z'));
    expect(second.value?.changed).toEqual(['atom.xml']);
    expect(await lastModified('rss.xml')).toBe('2026-01-01T00:00:00.000Z');
    expect(await lastModified('atom.xml')).toBe('2026-01-02T00:00:00.000Z');
    const after = await stat(join(dir, 'rss.xml'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('gives new bytes and their .gz/.br the Last-Modified as mtime, so a static server sends the same date', async () => {
    await publish(dir, [file('rss.xml', 'v1')], options('2026-01-01T08:30:00Z'));
    for (const name of ['rss.xml', 'rss.xml.gz', 'rss.xml.br']) expect((await stat(join(dir, name))).mtime.toISOString(), name).toBe('2026-01-01T08:30:00.000Z');
  });

  it('writes nothing when nothing changed: same generation, same manifest bytes', async () => {
    const first = await publish(dir, [file('rss.xml', 'same')], options('2026-01-01T00:00:00Z'));
    const text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    const again = await publish(dir, [file('rss.xml', 'same')], options('2026-01-05T00:00:00Z'));
    expect(again.value).toMatchObject({ changed: [], gone: [], generation: first.value!.generation });
    expect(await readFile(join(dir, MANIFEST_FILE), 'utf8')).toBe(text);
    expect(await generations()).toEqual([first.value!.generation]);
  });

  it('after a failed switch, switches to the generation already written instead of writing it again', async () => {
    await publish(dir, [file('rss.xml', 'A')], options('2026-01-01T00:00:00Z'));
    const failed = await publish(dir, [file('rss.xml', 'B')], { ...options('2026-01-02T00:00:00Z'), onStep: (s) => {
      if (s.startsWith('switch ')) throw Object.assign(new Error('refused'), { code: 'EACCES' });
    } });
    expect(failed.value).toBeUndefined();
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('A');
    const steps: string[] = [];
    const retry = await publish(dir, [file('rss.xml', 'B')], { ...options('2026-01-02T00:00:00Z'), onStep: (s) => void steps.push(s) });
    expect(retry.value?.changed).toEqual(['rss.xml']);
    expect(steps.filter((s) => s.startsWith('rename '))).toEqual([]);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('B');
    expect(await generations()).toHaveLength(2);
  });

  it('rewrites a published file that was damaged on disk, into a new generation, keeping its Last-Modified', async () => {
    const first = await publish(dir, [file('rss.xml', 'good')], options('2026-01-01T00:00:00Z'));
    // Writes through the symlinks into the live generation, as a careless hand would.
    await writeFile(join(dir, 'rss.xml'), 'tampered');
    const again = await publish(dir, [file('rss.xml', 'good')], options('2026-01-03T00:00:00Z'));
    expect(again.value?.changed).toEqual(['rss.xml']);
    expect(again.value?.generation).toBe(`${first.value!.generation}-2`);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('good');
    expect(await lastModified('rss.xml')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('says so when the live manifest cannot be read, rather than publishing silently as a first publication', async () => {
    const first = await publish(dir, [file('rss.xml', 'good')], options('2026-01-01T00:00:00Z'));
    const manifest = join(dir, GENERATIONS_DIR, first.value!.generation, '.manifest.json');
    await writeFile(manifest, '{bad');
    const damaged = await publish(dir, [file('rss.xml', 'good')], options('2026-01-03T00:00:00Z'));
    expect(damaged.value).toBeDefined();
    expect(damaged.issues).toEqual([expect.objectContaining({ rule: 'publish-previous-unreadable', level: 'warning' })]);
    expect(damaged.issues[0]!.message).toContain(`the live publication could not be read (${join('.kiosque', 'generations', first.value!.generation, '.manifest.json')} is not a manifest kiosque can read)`);
    // The Last-Modified starts again, as the warning says; the next publication reads its own manifest and is quiet.
    expect(await lastModified('rss.xml')).toBe('2026-01-03T00:00:00.000Z');
    expect((await publish(dir, [file('rss.xml', 'good'), file('atom.xml', 'new')], options('2026-01-04T00:00:00Z'))).issues).toEqual([]);
    // A current link to a generation that is not there.
    await replaceWithSymlink(join(dir, CURRENT_LINK), 'generations/0123456789abcdef');
    expect((await publish(dir, [file('rss.xml', 'good')], options('2026-01-05T00:00:00Z'))).issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/could not be read \(cannot read \.kiosque\/generations\/0123456789abcdef\/\.manifest\.json \(ENOENT\)\)/),
    ]);
  });

  it('finds damage that keeps the size, even beyond the first 64 KB of a file, and rewrites the file', async () => {
    const big = `<rss>${'x'.repeat(200_000)}</rss>`;
    await publish(dir, [file('rss.xml', big)], options('2026-01-01T00:00:00Z'));
    const damaged = `${big.slice(0, 150_000)}y${big.slice(150_001)}`;
    await writeFile(join(dir, 'rss.xml'), damaged);
    const again = await publish(dir, [file('rss.xml', big)], options('2026-01-03T00:00:00Z'));
    expect(again.value?.changed).toEqual(['rss.xml']);
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe(big);
    // Intact again: the next publication of the same bytes changes nothing.
    expect((await publish(dir, [file('rss.xml', big)], options('2026-01-04T00:00:00Z'))).value?.changed).toEqual([]);
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

  it.each([
    [['../escape.xml'], /not a plain relative path/],
    [['.kiosque/lock'], /not a plain relative path/],
    [['rss.xml', 'rss.xml'], /published twice/],
    [['rss.xml', 'rss.xml.gz'], /"rss\.xml\.gz" is published twice/],
    [['tags', 'tags/economie/rss.xml'], /"tags" is published both as a file and as the directory/],
  ])('refuses the paths %j before writing anything (publish-bad-path)', async (paths, why) => {
    const result = await publish(dir, paths.map((p) => file(p, p)), options('2026-01-01T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]).toMatchObject({ rule: 'publish-bad-path', level: 'error' });
    expect(result.issues[0]?.message).toMatch(why);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads back published bytes only when they still match the manifest', async () => {
    await publish(dir, [file('rss.xml', 'v1')], options('2026-01-01T00:00:00Z'));
    const manifest = await readManifest(dir);
    expect(Buffer.from((await readPublished(dir, manifest, 'rss.xml'))!).toString()).toBe('v1');
    await writeFile(join(dir, 'rss.xml'), 'other');
    expect(await readPublished(dir, manifest, 'rss.xml')).toBeUndefined();
  });
});

describe('Last-Modified is monotonic (issue 12 part 3)', () => {
  it('is at least one second after the previous one when the clock went back', async () => {
    await publish(dir, [file('rss.xml', 'v1')], options('2026-06-01T12:00:00.750Z'));
    await publish(dir, [file('rss.xml', 'v2')], options('2026-05-01T00:00:00Z'));
    expect(await lastModified('rss.xml')).toBe('2026-06-01T12:00:01.000Z');
    // And it is the clock when the clock is ahead.
    await publish(dir, [file('rss.xml', 'v3')], options('2026-07-01T00:00:00Z'));
    expect(await lastModified('rss.xml')).toBe('2026-07-01T00:00:00.000Z');
  });

  it('is at least one second after a changed file\'s previous date even within the same second', () => {
    expect(nextLastModified(new Date('2026-01-01T00:00:00.200Z'), '2026-01-01T00:00:00.900Z')).toBe('2026-01-01T00:00:01.000Z');
    expect(nextLastModified(new Date('2026-01-01T00:00:05Z'), undefined)).toBe('2026-01-01T00:00:05.000Z');
  });

  it('for a path published again after vanishing, is after the time it vanished', async () => {
    await publish(dir, [file('rss.xml', 'r'), file('old.xml', 'o')], options('2026-03-01T00:00:00Z'));
    await publish(dir, [file('rss.xml', 'r')], options('2026-02-01T00:00:00Z'));
    expect((await readManifest(dir))?.gone).toEqual([{ path: 'old.xml', since: '2026-03-01T00:00:01.000Z' }]);
    await publish(dir, [file('rss.xml', 'r'), file('old.xml', 'o')], options('2026-01-01T00:00:00Z'));
    expect(await lastModified('old.xml')).toBe('2026-03-01T00:00:02.000Z');
  });
});

describe('vanished paths', () => {
  it('are removed from the public tree with their .gz/.br, recorded as gone, and leave gone once published again', async () => {
    await publish(dir, [file('rss.xml', 'r'), file('atom.xml', 'a'), file('lang/en/feed.json', 'en'), file('tags/sport/rss.xml', 's'), file('tags/eco/rss.xml', 'e')], options('2026-01-01T00:00:00Z'));
    const second = await publish(dir, [file('rss.xml', 'r'), file('tags/eco/rss.xml', 'e')], options('2026-01-02T00:00:00Z'));
    expect(second.value?.gone).toEqual(['atom.xml', 'lang/en/feed.json', 'tags/sport/rss.xml']);
    expect(second.value?.changed).toEqual([]);
    expect([...(await readStatic(dir)).keys()]).toEqual(['rss.xml', 'rss.xml.br', 'rss.xml.gz', 'tags/eco/rss.xml', 'tags/eco/rss.xml.br', 'tags/eco/rss.xml.gz']);
    expect((await readdir(dir)).sort()).toEqual(['.kiosque', 'rss.xml', 'rss.xml.br', 'rss.xml.gz', 'tags']);
    const gone = ['atom.xml', 'lang/en/feed.json', 'tags/sport/rss.xml'].map((path) => ({ path, since: '2026-01-02T00:00:00.000Z' }));
    expect((await readManifest(dir))?.gone).toEqual(gone);

    // Kept, with their first date, across later publications.
    await publish(dir, [file('rss.xml', 'r2'), file('tags/eco/rss.xml', 'e')], options('2026-01-03T00:00:00Z'));
    expect((await readManifest(dir))?.gone).toEqual(gone);
    const back = await publish(dir, [file('rss.xml', 'r2'), file('tags/eco/rss.xml', 'e'), file('atom.xml', 'a')], options('2026-01-04T00:00:00Z'));
    expect(back.value?.changed).toEqual(['atom.xml']);
    expect((await readManifest(dir))?.gone.map((g) => g.path)).toEqual(['lang/en/feed.json', 'tags/sport/rss.xml']);
    expect(await readFile(join(dir, 'atom.xml.gz')).then(gunzipSync)).toEqual(Buffer.from('a'));
  });

  it('include a redirect taken out of moved: its old address answers 410, not 404', async () => {
    const moved = [{ path: 'tags/old/rss.xml', to: 'https://news.example/tags/new/rss.xml' }];
    await publish(dir, [file('rss.xml', 'r'), file('tags/old/rss.xml', 'o')], options('2026-01-01T00:00:00Z'));
    await publish(dir, [file('rss.xml', 'r'), file('tags/new/rss.xml', 'o')], { ...options('2026-01-02T00:00:00Z'), moved });
    expect((await readManifest(dir))?.moved).toEqual(moved);
    expect((await readManifest(dir))?.gone).toEqual([]);
    const dropped = await publish(dir, [file('rss.xml', 'r'), file('tags/new/rss.xml', 'o')], options('2026-01-03T00:00:00Z'));
    expect(dropped.value?.gone).toEqual(['tags/old/rss.xml']);
    expect((await readManifest(dir))?.gone).toEqual([{ path: 'tags/old/rss.xml', since: '2026-01-03T00:00:00.000Z' }]);
    expect((await readManifest(dir))?.moved).toBeUndefined();
  });
});

describe('old generations', () => {
  it('keeps the current and the previous generation and any replaced within the grace period, and sweeps the rest', async () => {
    const names: string[] = [];
    for (const v of ['1', '2', '3']) names.push((await publish(dir, [file('rss.xml', v)], options(`2026-01-0${v}T00:00:00Z`))).value!.generation);
    // Generation 1 was replaced moments ago: within the grace period.
    expect(await generations()).toEqual([...names].sort());
    await ageGenerations(dir, 3_600_000);
    const fourth = (await publish(dir, [file('rss.xml', '4')], options('2026-01-04T00:00:00Z'))).value!.generation;
    // 1 and 2 were replaced an hour ago; 3 is the previous one.
    expect(await generations()).toEqual([names[2]!, fourth].sort());
    expect(await readFile(join(dir, 'rss.xml'), 'utf8')).toBe('4');
  });

  it('sweeps with a grace period of zero all but the current and previous ones', async () => {
    for (const v of ['1', '2', '3', '4']) await publish(dir, [file('rss.xml', v)], { ...options(`2026-01-0${v}T00:00:00Z`), graceMs: 0 });
    expect(await generations()).toHaveLength(2);
  });
});

describe('upgrading a version 1 out dir', () => {
  it('changes no byte, inode, mtime, ETag or Last-Modified any reader sees, and publishes nothing new when nothing changed', async () => {
    const files = [file('rss.xml', 'r'), file('atom.xml', 'a'), file('index.html', 'i')];
    await publish(dir, files, options('2026-01-01T00:00:00Z'));
    await toVersion1Layout(dir, new Date('2026-01-01T00:00:03Z'));
    const before = await observe(dir);
    const inodes = await Promise.all(['rss.xml', 'rss.xml.gz', 'atom.xml.br'].map(async (n) => stat(join(dir, n))));
    expect((await lstat(join(dir, 'rss.xml'))).isFile()).toBe(true);

    const result = await publish(dir, files, options('2026-02-01T00:00:00Z'));
    expect(result.value?.changed).toEqual([]);
    expect(await observe(dir)).toEqual(before);
    for (const [i, n] of ['rss.xml', 'rss.xml.gz', 'atom.xml.br'].entries()) {
      const now = await stat(join(dir, n));
      expect(now.ino, n).toBe(inodes[i]!.ino);
      expect(now.mtimeMs, n).toBe(inodes[i]!.mtimeMs);
      expect((await lstat(join(dir, n))).isSymbolicLink(), n).toBe(true);
    }
    expect((await lstat(join(dir, MANIFEST_FILE))).isSymbolicLink()).toBe(true);
    expect(await lastModified('rss.xml')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('does not adopt a file that no longer matches the version 1 manifest, and writes it again', async () => {
    await publish(dir, [file('rss.xml', 'r')], options('2026-01-01T00:00:00Z'));
    await toVersion1Layout(dir, new Date('2026-01-01T00:00:03Z'));
    // What the old publisher left when a rename failed halfway: a .gz newer than its manifest.
    await writeFile(join(dir, 'rss.xml.gz'), 'new bytes of another run');
    const mtime = new Date('2026-01-01T00:00:03Z');
    await utimes(join(dir, 'rss.xml.gz'), mtime, mtime);
    const result = await publish(dir, [file('rss.xml', 'r')], options('2026-02-01T00:00:00Z'));
    expect(result.value?.changed).toEqual(['rss.xml']);
    expect(gunzipSync(await readFile(join(dir, 'rss.xml.gz')))).toEqual(Buffer.from('r'));
    expect((await observe(dir)).problems).toEqual([]);
  });
});
