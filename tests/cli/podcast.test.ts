/**
 * The sample store's podcast, built by the real CLI from the repository's own configuration,
 * checked with `kiosque validate --profile apple-podcasts`; and the ways a podcast or an
 * enclosure fails on purpose: artwork Apple refuses, an article without audio, a remote file
 * without a length.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podcastGuid } from '../../src/model/podcast.js';
import { repoRoot, tempDir } from '../helpers.js';
import { jpegHeader, silentMp3, solidPng } from '../media-files.js';
import { NOW, SITE, makeSite, runCli } from './run-cli.js';

type Report = { published: boolean; rejected: { file: string; line?: number; reason: string; rule: string }[]; issues: { rule: string; level: string; file: string; message: string }[]; feeds: { feed: string; format: string; items: number }[] };

describe('the sample podcast', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    for (const path of ['articles', 'media', 'kiosque.config.json']) await cp(join(repoRoot, path), join(dir, path), { recursive: true });
    const { code, stderr } = await runCli(['build', '--now', NOW], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
  afterAll(() => cleanup());

  it('passes the apple-podcasts profile, and its Atom and JSON Feed fail it as Apple reads RSS only', async () => {
    const ok = await runCli(['validate', '--profile', 'apple-podcasts', '--json', 'out/podcast/rss.xml'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).files[0]).toMatchObject({ format: 'rss', errors: 0, warnings: 0 });
    const others = await runCli(['validate', '--profile', 'apple-podcasts', '--json', 'out/podcast/atom.xml', 'out/podcast/feed.json'], { cwd: dir });
    expect(others.code).toBe(1);
    const rules = (JSON.parse(others.stdout) as { files: { issues: { rule: string }[] }[] }).files.map((f) => f.issues.map((i) => i.rule));
    expect(rules).toEqual([['APPLE-DOC-001'], ['APPLE-DOC-001']]);
  });

  it('carries podcast:guid, the UUIDv5 of its feed URL without the scheme', async () => {
    const rss = await readFile(join(dir, 'out/podcast/rss.xml'), 'utf8');
    const guid = podcastGuid('https://kiosque.example/feeds/podcast/rss.xml');
    expect(guid).toBe(podcastGuid('kiosque.example/feeds/podcast/rss.xml'));
    expect(rss).toContain(`<podcast:guid>${guid}</podcast:guid>`);
    expect(rss).toContain('<enclosure url="https://kiosque.example/2025/11/le-point-du-jour/episode.mp3" length="4032" type="audio/mpeg"/>');
  });

  type Config = { feedBaseUrl: string; moved?: Record<string, string>; feeds: { path: string; podcast?: Record<string, unknown> }[] };
  /**
   * A copy of the published sample site, its configuration moved by `move`: the build is refused, naming the guid the
   * show was published with, and publishes at `folder` once that guid is set.
   */
  async function movedShow(move: (config: Config) => void, folder: string): Promise<void> {
    const { dir: copy, cleanup: done } = await tempDir();
    try {
      await cp(dir, copy, { recursive: true, verbatimSymlinks: true });
      const configFile = join(copy, 'kiosque.config.json');
      const config = JSON.parse(await readFile(configFile, 'utf8')) as Config;
      move(config);
      await writeFile(configFile, JSON.stringify(config));
      const was = podcastGuid('https://kiosque.example/feeds/podcast/rss.xml');
      const refused = await runCli(['build', '--json', '--now', NOW], { cwd: copy });
      expect(refused.code).toBe(1);
      const report = JSON.parse(refused.stdout) as Report;
      expect(report.published).toBe(false);
      expect(report.issues.filter((i) => i.rule === 'KIOSQUE-PODCAST-GUID')).toEqual([
        expect.objectContaining({ level: 'error', file: `${folder}rss.xml`, message: expect.stringContaining(`"guid": "${was}"`) }),
      ]);
      config.feeds.find((f) => f.podcast)!.podcast!['guid'] = was;
      await writeFile(configFile, JSON.stringify(config));
      expect((await runCli(['build', '--now', NOW], { cwd: copy })).code).toBe(0);
      expect(await readFile(join(copy, 'out', folder, 'rss.xml'), 'utf8')).toContain(`<podcast:guid>${was}</podcast:guid>`);
    } finally {
      await done();
    }
  }

  it('refuses to publish under a new podcast:guid when the feed moves, and publishes once the guid is kept in the configuration', async () => {
    await movedShow((config) => void (config.feedBaseUrl = 'https://feeds.kiosque.example/'), 'podcast/');
  });

  it('refuses to publish a podcast moved to another folder under a new podcast:guid, and publishes it moved once the guid is kept', async () => {
    await movedShow((config) => {
      config.feeds.find((f) => f.podcast)!.path = 'podcasts/';
      config.moved = { 'podcast/': 'podcasts/' };
    }, 'podcasts/');
  });

  it('keeps its audio and artwork as the generator makes them: a second of MP3 silence, 1400 px square artwork', async () => {
    expect((await readFile(join(repoRoot, 'articles/2025/11/le-point-du-jour/episode.mp3'))).equals(silentMp3(1))).toBe(true);
    expect((await readFile(join(repoRoot, 'media/podcast-cover.png'))).equals(solidPng(1400, 1400))).toBe(true);
  });
});

describe('a podcast or an enclosure failing on purpose', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const podcastFeed = (image: string, more: Record<string, unknown> = {}) => ({
    media: 'media',
    feeds: [{ path: '' }, { path: 'show/', select: { folder: 'show' }, podcast: { category: 'News/Daily News', image, ...more } }],
  });
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await makeSite(dir);
    await mkdir(join(dir, 'articles/show/ep-1'), { recursive: true });
    await mkdir(join(dir, 'media'));
    await writeFile(join(dir, 'articles/show/ep-1/audio.mp3'), silentMp3(1));
    await writeFile(join(dir, 'articles/show/ep-1.md'), '---\ntitle: Épisode 1\ndate: 2025-11-20T06:00:00Z\nenclosures: [{ url: audio.mp3, duration: 1 }]\n---\n\nUn épisode.\n');
    await writeFile(join(dir, 'articles/show/notes.md'), '---\ntitle: Notes de production\ndate: 2025-11-20T07:00:00Z\n---\n\nSans audio.\n');
    await writeFile(join(dir, 'media/square.png'), solidPng(1400, 1400));
    await writeFile(join(dir, 'media/wide.png'), solidPng(1600, 900));
  });
  afterAll(() => cleanup());

  const build = async (config: Record<string, unknown>, out: string): Promise<{ code: number | null; report: Report }> => {
    await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...SITE, ...config }));
    const r = await runCli(['build', '--now', NOW, '--json', '--out', out], { cwd: dir });
    return { code: r.code, report: JSON.parse(r.stdout) as Report };
  };

  it('publishes a show per tag when one show goes and another comes: no guid in the configuration could serve them all', async () => {
    const shows = { media: 'media', feeds: [{ path: '' }, { path: 'shows/{slug}/', each: 'tag', select: { folder: 'shows' }, podcast: { category: 'News/Daily News', image: 'media/square.png' } }] };
    const episode = (show: string) => `---\ntitle: ${show}, épisode 1\ndate: 2025-11-21T06:00:00Z\ntags: [${show}]\nenclosures: [{ url: "https://cdn.example/${show}.mp3", length: 1000, duration: 60 }]\n---\n\nUn épisode.\n`;
    await mkdir(join(dir, 'articles/shows'), { recursive: true });
    await writeFile(join(dir, 'articles/shows/a.md'), episode('ShowA'));
    await writeFile(join(dir, 'articles/shows/b.md'), episode('ShowB'));
    expect((await build(shows, 'out-shows')).code).toBe(0);
    await rm(join(dir, 'articles/shows/b.md'));
    await writeFile(join(dir, 'articles/shows/d.md'), episode('ShowD'));
    const { code, report } = await build(shows, 'out-shows');
    await rm(join(dir, 'articles/shows'), { recursive: true });
    expect(report.issues.filter((i) => i.rule === 'KIOSQUE-PODCAST-GUID')).toEqual([]);
    expect(code).toBe(0);
    expect(report.feeds.some((f) => f.feed === 'shows/showd/')).toBe(true);
  });

  it('leaves an article without audio out of the podcast, with a warning, and keeps it in the main feed', async () => {
    const { code, report } = await build(podcastFeed('media/square.png'), 'out-ok');
    expect(code).toBe(0);
    expect(report.issues.filter((i) => i.rule === 'feed-podcast-no-enclosure').map((i) => i.file)).toEqual(['show/notes.md']);
    expect(report.feeds.filter((f) => f.feed === 'show/').map((f) => f.items)).toEqual([1, 1, 1]);
    expect(await readFile(join(dir, 'out-ok/rss.xml'), 'utf8')).toContain('Notes de production');
  });

  it('publishes nothing when the local artwork is not the square Apple wants', async () => {
    const { code, report } = await build(podcastFeed('media/wide.png'), 'out-wide');
    expect(code).toBe(1);
    expect(report.published).toBe(false);
    const artwork = report.issues.filter((i) => i.rule === 'APPLE-CH-002');
    expect(artwork).toEqual([expect.objectContaining({ level: 'error', file: 'show/rss.xml' })]);
    expect(artwork[0]!.message).toMatch(/1600 × 900 pixels: Apple wants a square of 1400 to 3000 pixels a side/);
  });

  it('checks the local artwork named with a query or fragment (cover.png?v=2, to have apps fetch it again) as the file it is', async () => {
    const wide = await build(podcastFeed('media/wide.png?v=2'), 'out-wide-query');
    expect(wide.code).toBe(1);
    expect(wide.report.issues.filter((i) => i.rule === 'APPLE-CH-002').map((i) => i.message)).toEqual([expect.stringMatching(/1600 × 900 pixels/)]);
    const missing = await build(podcastFeed('media/missing.png#x'), 'out-missing-fragment');
    expect(missing.report.issues.filter((i) => i.rule === 'APPLE-CH-002').map((i) => i.message)).toEqual([expect.stringMatching(/is no file: nothing is at "missing\.png" in the media folder/)]);
    const square = await build(podcastFeed('media/square.png?v=2'), 'out-square-query');
    expect(square.code).toBe(0);
    expect(await readFile(join(dir, 'out-square-query/show/rss.xml'), 'utf8')).toMatch(/<itunes:image href="[^"]*square\.png\?v=2"\/>/);
  });

  it('publishes nothing when the local artwork holds JPEG data under a .png name, which servers would label image/png', async () => {
    await writeFile(join(dir, 'media/photo.png'), jpegHeader(1400, 1400));
    const { code, report } = await build(podcastFeed('media/photo.png'), 'out-mislabelled');
    expect(code).toBe(1);
    expect(report.issues.filter((i) => i.rule === 'APPLE-CH-002').map((i) => i.message)).toEqual([expect.stringMatching(/media:photo\.png is named as PNG but holds JPEG data: give it the extension of its format/)]);
    await rm(join(dir, 'media/photo.png'));
  });

  it('publishes nothing when the local artwork is not there: the show would link to no image', async () => {
    const { code, report } = await build(podcastFeed('media/missing.png'), 'out-missing');
    expect(code).toBe(1);
    expect(report.published).toBe(false);
    const artwork = report.issues.filter((i) => i.rule === 'APPLE-CH-002');
    expect(artwork).toEqual([expect.objectContaining({ level: 'error', file: 'show/rss.xml' })]);
    expect(artwork[0]!.message).toMatch(/missing\.png is no file: nothing is at "missing\.png" in the media folder/);
  });

  it('leaves out of a serial podcast an episode Apple does not play and an unnumbered one, lists a trailer, and publishes the whole set', async () => {
    const files = ['articles/show/ep-wav.md', 'articles/show/ep-wav', 'articles/show/trailer.md', 'articles/show/trailer'];
    await mkdir(join(dir, 'articles/show/ep-wav'));
    await mkdir(join(dir, 'articles/show/trailer'));
    await writeFile(join(dir, 'articles/show/ep-wav/audio.wav'), Buffer.alloc(64));
    await writeFile(join(dir, 'articles/show/ep-wav.md'), '---\ntitle: Épisode en WAV\ndate: 2025-11-21T06:00:00Z\nepisode: 2\nenclosures: [audio.wav]\n---\n\nDeux.\n');
    await writeFile(join(dir, 'articles/show/trailer/audio.mp3'), silentMp3(1));
    await writeFile(join(dir, 'articles/show/trailer.md'), '---\ntitle: Bande-annonce\ndate: 2025-11-19T06:00:00Z\nepisodeType: trailer\nenclosures: [audio.mp3]\n---\n\nBientôt.\n');
    try {
      const { code, report } = await build(podcastFeed('media/square.png', { type: 'serial' }), 'out-serial');
      expect(code).toBe(0);
      expect(report.published).toBe(true);
      const left = report.issues.filter((i) => i.rule.startsWith('feed-podcast-')).map((i) => [i.rule, i.file]);
      expect(left).toEqual(expect.arrayContaining([['feed-podcast-unplayable', 'show/ep-wav.md'], ['feed-podcast-unnumbered', 'show/ep-1.md']]));
      const show = await readFile(join(dir, 'out-serial/show/rss.xml'), 'utf8');
      expect(show).toContain('<itunes:episodeType>trailer</itunes:episodeType>');
      expect(show).not.toContain('Épisode en WAV');
      expect(show).not.toContain('Épisode 1');
      // Every other feed carries both.
      const main = await readFile(join(dir, 'out-serial/rss.xml'), 'utf8');
      expect(main).toContain('Épisode en WAV');
      expect(main).toContain('Épisode 1');
    } finally {
      for (const f of files) await rm(join(dir, f), { recursive: true, force: true });
    }
  });

  it('publishes a podcast left with no episode with a warning, dated by the articles it selected, not 1970', async () => {
    await mkdir(join(dir, 'articles/wav-only/ep'), { recursive: true });
    await writeFile(join(dir, 'articles/wav-only/ep/audio.wav'), Buffer.alloc(64));
    await writeFile(join(dir, 'articles/wav-only/ep.md'), '---\ntitle: En WAV\ndate: 2025-11-22T06:00:00Z\nenclosures: [audio.wav]\n---\n\nUn.\n');
    try {
      const config = { media: 'media', feeds: [{ path: '' }, { path: 'wav/', select: { folder: 'wav-only' }, podcast: { category: 'News', image: 'media/square.png' } }] };
      const { code, report } = await build(config, 'out-empty-podcast');
      expect(code).toBe(0);
      expect(report.issues.filter((i) => i.rule.startsWith('feed-podcast-')).map((i) => [i.rule, i.file])).toEqual([['feed-podcast-unplayable', 'wav-only/ep.md'], ['feed-podcast-empty', 'wav/rss.xml']]);
      const rss = await readFile(join(dir, 'out-empty-podcast/wav/rss.xml'), 'utf8');
      expect(rss).not.toContain('1970');
      expect(rss).toContain('<lastBuildDate>Sat, 22 Nov 2025 06:00:00 GMT</lastBuildDate>');
    } finally {
      await rm(join(dir, 'articles/wav-only'), { recursive: true, force: true });
    }
  });

  it('rejects an article whose remote enclosure has no length, naming the field, and publishes the rest', async () => {
    await writeFile(join(dir, 'articles/show/ep-2.md'), '---\ntitle: Épisode 2\ndate: 2025-11-21T06:00:00Z\nenclosures:\n  - url: audio.mp3\n  - https://cdn.example/ep-2.mp3\n---\n\nDeux.\n');
    await mkdir(join(dir, 'articles/show/ep-2'));
    await writeFile(join(dir, 'articles/show/ep-2/audio.mp3'), silentMp3(1));
    const { code, report } = await build(podcastFeed('media/square.png'), 'out-remote');
    expect(code).toBe(2);
    expect(report.rejected).toEqual([{ file: 'show/ep-2.md', line: 4, rule: 'store-bad-enclosure', reason: expect.stringMatching(/^enclosures\[2\]\.length is missing: https:\/\/cdn\.example\/ep-2\.mp3 /) }]);
    expect(await readFile(join(dir, 'out-remote/show/rss.xml'), 'utf8')).not.toContain('length="0"');
  });

  it('publishes a complete show without fh:complete while one of its episodes is rejected, so apps keep it, and complete again once it is fixed', async () => {
    const complete = { ...podcastFeed('media/square.png'), feeds: [{ path: '' }, { path: 'show/', select: { folder: 'show' }, archive: { complete: true }, podcast: { category: 'News/Daily News', image: 'media/square.png' } }] };
    await writeFile(join(dir, 'articles/show/ep-2.md'), '---\ntitle: Épisode 2\ndate: 2025-11-21T06:00:00Z\nenclosures: [{ url: audio.mp3, duration: 1 }]\n---\n\nDeux.\n');
    await mkdir(join(dir, 'articles/show/ep-2'), { recursive: true });
    await writeFile(join(dir, 'articles/show/ep-2/audio.mp3'), silentMp3(1));
    const whole = await build(complete, 'out-complete');
    expect(whole.code).toBe(0);
    expect(await readFile(join(dir, 'out-complete/show/rss.xml'), 'utf8')).toContain('<fh:complete/>');
    // The audio file moved: the episode is rejected, and the show no longer says it carries everything.
    await rm(join(dir, 'articles/show/ep-2/audio.mp3'));
    const broken = await build(complete, 'out-complete');
    expect(broken.code).toBe(2);
    expect(broken.report.issues.filter((i) => i.rule === 'feed-complete-rejected')).toEqual([expect.objectContaining({
      level: 'warning', file: 'show/atom.xml', message: expect.stringContaining('the feed show/ is declared complete, but an article it selects is rejected (show/ep-2.md)'),
    })]);
    expect(await readFile(join(dir, 'out-complete/show/rss.xml'), 'utf8')).not.toContain('fh:complete');
    await writeFile(join(dir, 'articles/show/ep-2/audio.mp3'), silentMp3(1));
    expect((await build(complete, 'out-complete')).code).toBe(0);
    expect(await readFile(join(dir, 'out-complete/show/rss.xml'), 'utf8')).toContain('<fh:complete/>');
    await rm(join(dir, 'articles/show/ep-2.md'));
  });
});
