import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig, resolveConfig, scheduleIntervalMinutes } from '../src/config.js';
import { repoRoot, tempDir } from './helpers.js';

const base = { title: 'News', url: 'https://news.example' };
const resolve = (raw: unknown) => resolveConfig(raw, '/srv/site', 'kiosque.config.json');

describe('resolveConfig', () => {
  it('fills documented defaults and normalises the site URL with a trailing slash', () => {
    const { value, issues } = resolve(base);
    expect(issues).toEqual([]);
    expect(value).toMatchObject({
      url: 'https://news.example/', feedBaseUrl: 'https://news.example/', idPrefix: 'tag:news.example,2000:',
      language: 'en', timezone: 'UTC', limit: 50, schedule: '*/15 * * * *', ttlMinutes: 15,
      host: '127.0.0.1', port: 8080, articles: '/srv/site/articles', out: '/srv/site/out', hubs: [],
      maxBytes: 1024 * 1024, tombstoneDays: 30,
    });
  });

  it.each([
    [{ ...base, schedule: '*/15 * * *  banana' }, '/schedule', /not a valid cron expression/],
    [{ ...base, timezone: 'Mars/Olympus' }, '/timezone', /unknown timezone "Mars\/Olympus"/],
    [{ title: 'News' }, '/url', /missing "url"/],
    [{ ...base, url: '/relative' }, '/url', /absolute http\(s\) URL/],
    [{ ...base, limit: 0 }, '/limit', /whole number from 1/],
    [{ ...base, hubs: ['ftp://hub.example/'] }, '/hubs/0', /absolute http\(s\) URL/],
    [{ ...base, hubs: ['https://hub.example/', 'http://user:s3cret@hub.example/hub'] }, '/hubs/1', /hub 2 must not hold a user or password: every feed publishes/],
    [{ ...base, language: 'français' }, '/language', /language tag/],
    [{ ...base, language: 'english' }, '/language', /language tag/],
    [{ ...base, author: { name: 'R', email: 'mailto:r@e.org' } }, '/author/email', /bare address/],
    [{ ...base, author: { name: 'R', url: '/equipe/' } }, '/author/url', /absolute http\(s\) URL/],
    [{ ...base, maxBytes: 100 }, '/maxBytes', /whole number from 1024 to 52428800/],
    [{ ...base, tombstoneDays: -1 }, '/tombstoneDays', /whole number from 0 to 3650/],
    [{ ...base, feeds: [{ path: '', maxBytes: '1 MB' }] }, '/feeds/0/maxBytes', /whole number from 1024/],
    [{ ...base, moved: ['tags/a/'] }, '/moved', /must map old feed folders to new ones/],
    [{ ...base, moved: { '../etc/': 'tags/b/' } }, '/moved', /"\.\.\/etc\/" must be the folder of a feed/],
    [{ ...base, moved: { '/tags/a/': 'tags/b/' } }, '/moved', /must be the folder of a feed/],
    [{ ...base, moved: { 'tags/a/': 'ftp://news.example/b/' } }, '/moved', /must lead to a feed folder/],
    [{ ...base, moved: { 'tags/a/': 7 } }, '/moved', /must lead to a feed folder/],
    [{ ...base, moved: { 'tags/a': 'tags/a/' } }, '/moved', /leads to itself/],
    [{ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'section/': '../x/' } }, '/moved', /outside "feedBaseUrl" \(https:\/\/news\.example\/feeds\/\)/],
    [{ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'section/': '//elsewhere.example/x/' } }, '/moved', /outside "feedBaseUrl"/],
    [{ ...base, moved: { 'section/': '?x' } }, '/moved', /has a query or a fragment/],
    [{ ...base, moved: { 'section/': 'https://other.example/x/#' } }, '/moved', /has a query or a fragment/],
    [{ ...base, moved: { 'section/': 'tags/new/?' } }, '/moved', /has a query or a fragment/],
    [{ ...base, moved: { 'section/': 'https://user:pw@other.example/x/' } }, '/moved', /holding a user or password/],
    [{ ...base, moved: { 'section/': 'https:other.example/x/' } }, '/moved', /written with "\/\/" after its scheme/],
  ])('rejects %j with a clear error at its key', (raw, pointer, message) => {
    const { value, issues } = resolve(raw);
    expect(value).toBeUndefined();
    const issue = issues.find((i) => i.pointer === pointer);
    expect(issue?.level).toBe('error');
    expect(issue?.message).toMatch(message);
  });

  it('reads "moved" as old feed folders, each with the absolute URL of its new folder, sorted', () => {
    const { value, issues } = resolve({ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'tags/transport': 'tags/transports/', 'authors/jd/': 'https://elsewhere.example/jane-doe' } });
    expect(issues).toEqual([]);
    expect(value?.moved).toEqual([
      { from: 'authors/jd/', to: 'https://elsewhere.example/jane-doe/' },
      { from: 'tags/transport/', to: 'https://news.example/feeds/tags/transports/' },
    ]);
    expect(resolve(base).value?.moved).toBeUndefined();
  });

  it('reads an old folder copied from an address, percent-encoded, as the folder it names', () => {
    const { value, issues } = resolve({ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'tags/%C3%AEle-de-france/': 'tags/ile-de-france/' } });
    expect(issues).toEqual([]);
    expect(value?.moved).toEqual([{ from: 'tags/île-de-france/', to: 'https://news.example/feeds/tags/ile-de-france/' }]);
    // Decomposed, as typed on some keyboards: the folder is written composed.
    expect(resolve({ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'tags/socie\u0301te\u0301/': 'tags/x/' } }).value?.moved).toEqual([{ from: 'tags/société/', to: 'https://news.example/feeds/tags/x/' }]);
    expect(resolve({ ...base, feedBaseUrl: 'https://news.example/feeds/', moved: { 'tags/%E0%A4/': 'tags/x/' } }).issues).toEqual([expect.objectContaining({ message: expect.stringContaining('malformed percent-encoding') })]);
  });

  it('takes a hub URL whose scheme is written in capitals, as schemes are case-insensitive', () => {
    const { value, issues } = resolve({ ...base, hubs: ['HTTPS://hub.example/'] });
    expect(issues).toEqual([]);
    expect(value?.hubs).toEqual(['HTTPS://hub.example/']);
  });

  it('reports every problem in one pass', () => {
    const { issues } = resolve({ title: 'x', schedule: 'nope', timezone: 'Nowhere/Land' });
    expect(issues.map((i) => i.pointer).sort()).toEqual(['/schedule', '/timezone', '/url']);
  });

  it('warns about unknown keys instead of silently ignoring a typo', () => {
    const { value, issues } = resolve({ ...base, titel: 'typo' });
    expect(value).toBeDefined();
    expect(issues).toMatchObject([{ level: 'warning', pointer: '/titel' }]);
  });

  it('reads a feeds key into normalised specifications, and leaves it out when absent (the default set)', () => {
    expect(resolve(base).value?.feeds).toBeUndefined();
    const { value, issues } = resolve({ ...base, feeds: [{ path: '/' }, { path: 'economie', select: { folder: 'economie/**' }, limit: 20 }, { path: 'tags/{slug}', each: 'tag', minItems: 3 }] });
    expect(issues).toEqual([]);
    expect(value?.feeds).toEqual([
      { path: '', minItems: 1, minValues: 1 },
      { path: 'economie/', limit: 20, select: { tagsAnyOf: [], tagsAllOf: [], languages: [], authors: [], folders: ['economie/**'] }, minItems: 1, minValues: 1 },
      { path: 'tags/{slug}/', each: 'tag', minItems: 3, minValues: 1 },
    ]);
  });

  it('accepts the README\'s complete feeds example as it is written', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const example = /A complete example[^`]*```json\n([^`]*)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const { value, issues } = resolve({ ...base, ...(JSON.parse(`{${example}}`) as object) });
    expect(issues).toEqual([]);
    expect(value?.feeds?.map((f) => f.path)).toEqual(['', 'economie/', 'sport/', 'europe-en/', 'tags/{slug}/', 'languages/{slug}/', 'auteurs/{slug}/']);
  });

  it('checks the feeds key with the rest, every problem at its JSON pointer', () => {
    const { value, issues } = resolve({ ...base, limit: 0, feeds: [{ path: 'a/', each: 'tags' }, { title: 'no path' }] });
    expect(value).toBeUndefined();
    expect(issues.map((i) => i.pointer)).toEqual(['/limit', '/feeds/0/each', '/feeds/1/path']);
  });

  it('derives the poll interval (ttl) from the schedule', () => {
    expect(scheduleIntervalMinutes('*/15 * * * *')).toBe(15);
    expect(scheduleIntervalMinutes('0 * * * *')).toBe(60);
    expect(resolve({ ...base, schedule: '0 */2 * * *' }).value?.ttlMinutes).toBe(120);
    expect(resolve({ ...base, ttl: 30 }).value?.ttlMinutes).toBe(30);
  });

  it('derives the same interval whatever the day, though the night clocks change falls among the next runs', () => {
    const ttlOn = (day: string, schedule: string): number | undefined => {
      vi.useFakeTimers({ now: new Date(day), toFake: ['Date'] });
      try {
        return resolve({ ...base, schedule, timezone: 'Europe/Paris' }).value?.ttlMinutes;
      } finally {
        vi.useRealTimers();
      }
    };
    // 28 March 2027 is 23 hours long in Paris, 31 October 25.
    for (const day of ['2027-02-01T12:00:00Z', '2027-03-20T12:00:00Z', '2027-10-25T12:00:00Z', '2027-04-01T12:00:00Z']) {
      expect(ttlOn(day, '0 9 * * *'), day).toBe(24 * 60);
      expect(ttlOn(day, '0 */6 * * *'), day).toBe(360);
    }
  });

  it('derives at most a day from a schedule that runs less often, so a weekly job\'s feeds are not cached for a week', () => {
    expect(scheduleIntervalMinutes('0 9 * * 1')).toBeGreaterThan(24 * 60);
    expect(resolve({ ...base, schedule: '0 9 * * 1', timezone: 'Europe/Paris' }).value?.ttlMinutes).toBe(24 * 60);
    expect(resolve({ ...base, schedule: '0 9 * * *' }).value?.ttlMinutes).toBe(24 * 60);
    // Set on purpose, a longer one stands.
    expect(resolve({ ...base, schedule: '0 9 * * 1', ttl: 7 * 24 * 60 }).value?.ttlMinutes).toBe(7 * 24 * 60);
  });
});

describe('loadConfig', () => {
  it('loads the sample site configuration without problems', async () => {
    const { value, issues } = await loadConfig(undefined, repoRoot);
    expect(issues).toEqual([]);
    expect(value?.timezone).toBe('Europe/Paris');
  });

  it('says where a file that is not JSON fails', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'kiosque.config.json'), '{ "title": ');
      const { value, issues } = await loadConfig(undefined, dir);
      expect(value).toBeUndefined();
      expect(issues[0]?.message).toMatch(/not valid JSON/);
      expect(issues[0]?.file).toBe(join(dir, 'kiosque.config.json'));
      // A trailing comma, the usual slip, at the line and column an editor shows rather than a character offset.
      await writeFile(join(dir, 'kiosque.config.json'), '{\n  "title": "x",\n  "url": "https://a.example/",\n}\n');
      const trailing = (await loadConfig(undefined, dir)).issues[0];
      expect(trailing).toMatchObject({ rule: 'config-invalid', line: 4, column: 1 });
      expect(trailing?.message).not.toMatch(/position/);
      // An unexpected token, which V8 reports with no place at all.
      await writeFile(join(dir, 'kiosque.config.json'), '{\r\n  "title": "x",\r\n  "limit": fifty\r\n}\r\n');
      expect((await loadConfig(undefined, dir)).issues[0]).toMatchObject({ rule: 'config-invalid', line: 3, column: 12, message: "not valid JSON: expected a value, found 'f'" });
      // A byte order mark is no error.
      await writeFile(join(dir, 'kiosque.config.json'), '\ufeff{ "title": "x", "url": "https://a.example/" }');
      expect((await loadConfig(undefined, dir)).issues).toEqual([]);
      // UTF-16 (Windows Notepad's "Unicode") is named as such.
      await writeFile(join(dir, 'kiosque.config.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{ "title": "x" }', 'utf16le')]));
      expect((await loadConfig(undefined, dir)).issues[0]?.message).toMatch(/saved as UTF-16; save it as UTF-8/);
    } finally {
      await cleanup();
    }
  });

  it('warns of a key given twice in one object, at the second, naming the first\'s line: the last one is used', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'kiosque.config.json'), '{\n  "title": "x",\n  "limit": 50,\n  "url": "https://a.example/",\n  "feeds": [{ "path": "", "limit": 3, "limit": 4 }],\n  "limit": 5\n}\n');
      const { value, issues } = await loadConfig(undefined, dir);
      expect(value?.limit).toBe(5);
      expect(value?.feeds?.[0]?.limit).toBe(4);
      expect(issues.map((i) => [i.rule, i.level, i.pointer, i.line])).toEqual([
        ['config-duplicate-key', 'warning', '/feeds/0/limit', 5],
        ['config-duplicate-key', 'warning', '/limit', 6],
      ]);
      expect(issues[1]!.message).toBe('"limit" is given twice in one object (first on line 3): the last one is used and the first ignored; remove the one not meant');
    } finally {
      await cleanup();
    }
  });

  it('refuses at once a configuration that is no regular file or is huge, where reading it would never end (a named pipe, /dev/zero)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.json')]);
      await writeFile(join(dir, 'huge.json'), Buffer.alloc(2 * 1024 * 1024, 0x20));
      const message = async (path: string) => (await loadConfig(path, dir)).issues.map((i) => [i.rule, i.message]);
      expect(await message('pipe.json')).toEqual([['config-unreadable', 'the configuration must be a file; this is a named pipe']]);
      expect(await message('.')).toEqual([['config-unreadable', 'the configuration must be a file; this is a directory']]);
      expect(await message('/dev/zero')).toEqual([['config-unreadable', 'the configuration must be a file; this is a device or a socket']]);
      expect((await message('huge.json'))[0]![1]).toMatch(/^the configuration is 2097152 bytes; a configuration file is a few kilobytes/);
    } finally {
      await cleanup();
    }
  });

  it('resolves paths from the config file and command-line overrides from the working directory', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'site.json'), JSON.stringify({ ...base, articles: 'store' }));
      const { value } = await loadConfig('site.json', dir, { out: 'public' });
      expect(value?.articles).toBe(join(dir, 'store'));
      expect(value?.out).toBe(join(dir, 'public'));
    } finally {
      await cleanup();
    }
  });
});

describe('the media folder', () => {
  it('is read relative to the configuration and served under the site by default, or at its own URL', () => {
    expect(resolve({ ...base, media: 'media' }).value?.media).toEqual({ dir: '/srv/site/media', url: 'https://news.example/media/' });
    expect(resolve({ ...base, media: '../audio', mediaUrl: 'https://cdn.news.example/audio' }).value?.media).toEqual({ dir: '/srv/audio', url: 'https://cdn.news.example/audio/' });
  });

  it('refuses a media URL without a folder, or one that is not http(s)', () => {
    expect(resolve({ ...base, mediaUrl: 'https://cdn.news.example/' }).issues.map((i) => i.pointer)).toEqual(['/mediaUrl']);
    expect(resolve({ ...base, media: 'media', mediaUrl: 'ftp://cdn.news.example/' }).issues.map((i) => i.pointer)).toEqual(['/mediaUrl']);
  });
});
