import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, type Manifest } from '../../src/publish/manifest.js';
import { cliPath, tempDir } from '../helpers.js';
import { startHub } from '../servers/hub.js';
import { startS3Server, type S3TestServer } from '../servers/s3.js';
import { holdLock, makeSite, NOW, runCli } from './run-cli.js';

let s3: S3TestServer;
beforeAll(async () => (s3 = await startS3Server()));
afterAll(() => s3.close());

let dir: string;
let cleanup: () => Promise<void>;
let n = 0;
let prefix: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await makeSite(dir);
  prefix = `cli${++n}`;
  s3.fault = () => undefined;
  s3.requests.length = 0;
});
afterEach(() => cleanup());

const pushArgs = (): string[] => ['publish', '--target', `s3://feeds/${prefix}`, '--endpoint', s3.endpoint, '--path-style', '--json'];
const remote = async (key: string): Promise<Buffer> => (await s3.read(`${prefix}/${key}`)).body;
const remoteManifest = async (): Promise<Manifest> => JSON.parse((await remote(MANIFEST_FILE)).toString()) as Manifest;

async function addArticle(slug: string): Promise<void> {
  await writeFile(join(dir, 'articles', `${slug}.md`), `---\ntitle: ${slug}\ndate: 2026-11-20T10:00:00Z\n---\n\nNew text for ${slug}.\n`);
}

describe('kiosque publish --target', () => {
  it('pushes the out dir to the bucket, then pushes nothing when it has not changed', async () => {
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    const first = await runCli(pushArgs(), { cwd: dir });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { published: boolean; uploaded: string[]; requests: Record<string, number> };
    expect(report.published).toBe(true);
    expect(report.uploaded).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'feed.json', 'index.html', 'feed.xsl']));
    for (const path of ['rss.xml', 'atom.xml', 'feed.json']) expect((await remote(path)).equals(await readFile(join(dir, 'out', path)))).toBe(true);

    const again = JSON.parse((await runCli(pushArgs(), { cwd: dir })).stdout) as typeof report;
    expect(again.uploaded).toEqual([]);
    expect(again.requests).toEqual({ GET: 2, PUT: 0, DELETE: 0 });
  });

  it('killed midway, leaves the last complete publication live; the next run completes the new one', async () => {
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
    const before = await remoteManifest();
    const rssBefore = await remote('rss.xml');

    await addArticle('breaking');
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    // The upload of index.html never gets an answer: the publisher is killed while waiting for it.
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('/index.html') ? 'hang' : undefined);
    const child = spawn(process.execPath, [cliPath, ...pushArgs()], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 300 && !s3.requests.some((r) => r.method === 'PUT' && r.key.endsWith('/index.html')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(s3.requests.some((r) => r.method === 'PUT' && r.key.endsWith('/index.html'))).toBe(true);
    child.kill('SIGKILL');
    await exited;

    expect(await remoteManifest()).toEqual(before);
    expect((await remote('rss.xml')).equals(rssBefore)).toBe(true);

    s3.fault = () => undefined;
    const next = await runCli(pushArgs(), { cwd: dir });
    expect(next.code).toBe(0);
    const after = await remoteManifest();
    const local = JSON.parse(await readFile(join(dir, 'out', MANIFEST_FILE), 'utf8')) as Manifest;
    expect(after.files.map((f) => [f.path, f.sha256])).toEqual(local.files.map((f) => [f.path, f.sha256]));
    for (const path of ['rss.xml', 'index.html']) expect((await remote(path)).equals(await readFile(join(dir, 'out', path)))).toBe(true);
  });

  it('pings the hubs about the subscription feeds it changed in the bucket, and not again when nothing changed', async () => {
    const hub = await startHub();
    const { topics } = hub;
    try {
      await makeSite(dir, { hubs: [hub.url] });
      expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
      topics.length = 0; // The build pings about out/; what follows is the push's own.
      expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
      expect(topics.sort()).toEqual(['atom.xml', 'feed.json', 'rss.xml'].map((f) => `https://gazette.example/feeds/${f}`));
      topics.length = 0;
      expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
      expect(topics).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('refuses to push an out dir built before the bucket\'s publication, which would roll the feeds back, unless told to with --force', async () => {
    // A second builder's out dir, built before the publication now in the bucket.
    expect((await runCli(['build', '--now', NOW, '--out', 'out-old'], { cwd: dir })).code).toBe(0);
    await addArticle('breaking');
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
    const live = await remote('rss.xml');
    expect(live.toString()).toContain('breaking');

    const stale = await runCli([...pushArgs(), '--out', 'out-old'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({
      published: false,
      issues: [expect.objectContaining({ rule: 'publish-older', message: expect.stringMatching(/built at .*, and this out dir was built at .*roll the feeds back.*kiosque build.*--force/) })],
    });
    expect((await remote('rss.xml')).equals(live)).toBe(true);

    const forced = await runCli([...pushArgs(), '--out', 'out-old', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect((await remote('rss.xml')).equals(await readFile(join(dir, 'out-old', 'rss.xml')))).toBe(true);
  });

  it('pushes a rebuilt out dir whose bytes went back to an earlier build of its own (a correction reverted)', async () => {
    const article = join(dir, 'articles', 'breaking.md');
    await addArticle('breaking');
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
    const first = await remote('rss.xml');
    const original = await readFile(article, 'utf8');
    await writeFile(article, original.replace('New text', 'Corrected text'));
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    expect((await runCli(pushArgs(), { cwd: dir })).code).toBe(0);
    expect((await remote('rss.xml')).equals(first)).toBe(false);

    await writeFile(article, original);
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    const reverted = await runCli(pushArgs(), { cwd: dir });
    expect(reverted.code).toBe(0);
    expect((await remote('rss.xml')).equals(first)).toBe(true);
  });

  it('says what is missing and exits 1 when the out dir holds no publication', async () => {
    const result = await runCli(pushArgs(), { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ published: false, failure: expect.stringMatching(/no publication in .*out/) });
  });

  it('says in --json that another build holds the out dir, and who, as build does: a script retries later rather than blaming the bucket', async () => {
    expect((await runCli(['build', '--now', NOW], { cwd: dir })).code).toBe(0);
    const holder = await holdLock(dir);
    try {
      const result = await runCli([...pushArgs(), '--wait', '0'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ published: false, skipped: true, lockedBy: { pid: holder.pid, host: hostname() }, failure: expect.stringContaining(`pid ${holder.pid} on ${hostname()}`) });
    } finally {
      await holder.release();
    }
  });

  it('rejects a target that is not s3://bucket/prefix as a usage error', async () => {
    const result = await runCli(['publish', '--target', 'https://feeds.example/x'], { cwd: dir });
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/not an s3:\/\/bucket\/prefix URL/);
  });

  it('refuses an endpoint holding credentials without printing them back', async () => {
    const result = await runCli(['publish', '--target', 's3://feeds/x', '--endpoint', 'http://admin:hunter2@127.0.0.1:9000'], { cwd: dir });
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/--endpoint must be an http\(s\) URL without credentials \(got "http:\/\/admin:\*\*\*@127\.0\.0\.1:9000\/"\)/);
    expect(result.stderr).not.toContain('hunter2');
  });
});
