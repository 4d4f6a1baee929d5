/**
 * Retractions end to end, through the real CLI on a copy of the sample store: the Atom
 * tombstone in the feeds that carried the article, its end after the period, and the gate's
 * comparison with the previous publication, which takes an announced retraction as intended and
 * still names an article that silently disappears.
 */
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { NOW, makeSite, runCli } from './run-cli.js';

type Report = { published: boolean; issues: { rule: string; level: string; file: string; message: string }[]; rejected: unknown[] };

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await makeSite(dir);
});
afterEach(() => cleanup());

const build = async (now = NOW): Promise<Report> => {
  const r = await runCli(['build', '--json', '--now', now], { cwd: dir, timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Report;
};
const out = (path: string): Promise<string> => readFile(join(dir, 'out', path), 'utf8');
const gone = (report: Report) => report.issues.filter((i) => i.rule === 'KIOSQUE-GONE-001');

const ECB = 'articles/2025/10/ecb-holds-rates.md';
const ECB_ID = 'tag:gazette.example,2024:2025/10/ecb-holds-rates';
const retract = async (file: string, lines: string): Promise<void> => {
  const text = await readFile(join(dir, file), 'utf8');
  await writeFile(join(dir, file), text.replace(/^---\n/, `---\n${lines}\n`));
};

describe('a retracted article', () => {
  it('leaves every feed, is announced by a tombstone in the Atom of the feeds that carried it, and is no lost item to the gate', async () => {
    expect((await build()).published).toBe(true);
    expect(await out('rss.xml')).toContain(ECB_ID);
    expect(await out('archive/2.atom')).toContain(ECB_ID);
    await retract(ECB, 'retracted:\n  date: 2026-11-24T11:00:00+01:00\n  notice: "Retiré : le taux cité était faux."');

    const report = await build();
    expect(report.published).toBe(true);
    expect(report.rejected).toEqual([]);
    expect(gone(report)).toEqual([]);
    // It leaves the archive pages too, and the chain check takes that as announced.
    for (const page of ['archive/2.xml', 'archive/2.atom', 'archive/2.json']) expect(await out(page), page).not.toContain(ECB_ID);
    expect(report.issues.filter((i) => i.rule.startsWith('ARCHIVE-CHAIN'))).toEqual([]);
    const tombstone = `<at:deleted-entry ref="${ECB_ID}" when="2026-11-24T10:00:00.000Z">\n    <at:comment type="text">Retiré : le taux cité était faux.</at:comment>\n  </at:deleted-entry>`;
    // The main feed, its tags' feeds and its language's feed carried it; a feed about another tag did not.
    for (const folder of ['', 'tags/economy/', 'tags/europe/', 'languages/en/']) {
      expect(await out(`${folder}atom.xml`), folder).toContain(tombstone);
      expect(await out(`${folder}rss.xml`), folder).not.toContain(ECB_ID);
      expect(await out(`${folder}feed.json`), folder).not.toContain(ECB_ID);
    }
    expect(await out('tags/sport/atom.xml')).not.toContain('at:deleted-entry');
    expect(await out('atom.xml')).not.toContain(`<id>${ECB_ID}</id>`);

    const validated = await runCli(['validate', '--json', 'out/atom.xml', 'out/tags/economy/atom.xml'], { cwd: dir });
    expect(validated.code).toBe(0);
    const files = (JSON.parse(validated.stdout) as { files: { issues: { level: string }[] }[] }).files;
    expect(files.flatMap((f) => f.issues).filter((i) => i.level === 'error')).toEqual([]);
  });

  it('is announced by the main feed when only its archive page held it, since backfilled readers never fetch a full page again', async () => {
    const OLD = 'articles/2019/03/montpellier-422-logements-sociaux-livres-dans-lancien-quarti.md';
    const OLD_ID = 'tag:gazette.example,2024:2019/03/montpellier-422-logements-sociaux-livres-dans-lancien-quarti';
    expect((await build()).published).toBe(true);
    expect(await out('archive/1.atom')).toContain(`<id>${OLD_ID}</id>`);
    expect(await out('atom.xml')).not.toContain(OLD_ID);
    await retract(OLD, 'retracted: { date: 2026-11-24T10:00:00Z }');

    const report = await build();
    expect(report.published).toBe(true);
    expect(await out('archive/1.atom')).not.toContain(OLD_ID);
    expect(await out('atom.xml')).toContain(`<at:deleted-entry ref="${OLD_ID}" when="2026-11-24T10:00:00.000Z"/>`);
    expect(report.issues.filter((i) => i.level === 'error')).toEqual([]);
  });

  it('is announced for 30 days after its retraction, then no more, and the gate stays quiet', async () => {
    await retract(ECB, 'retracted: { date: 2026-11-24T10:00:00Z }');
    expect((await build()).published).toBe(true);
    expect(await out('atom.xml')).toContain(`<at:deleted-entry ref="${ECB_ID}" when="2026-11-24T10:00:00.000Z"/>`);
    const later = await build('2026-12-24T10:00:00Z');
    expect(later.published).toBe(true);
    expect(gone(later)).toEqual([]);
    expect(await out('atom.xml')).not.toContain(ECB_ID);
  });

  it('retracted without a date, counts its period from its update and, announced for that period, is not then said to be unannounced', async () => {
    await retract(ECB, 'updated: 2026-11-24T10:00:00Z\nretracted: true');
    const first = await build();
    expect(first.issues.filter((i) => i.rule === 'store-retraction-unannounced')).toEqual([]);
    expect(await out('atom.xml')).toContain(`<at:deleted-entry ref="${ECB_ID}" when="2026-11-24T10:00:00.000Z"/>`);
    const later = await build('2027-01-10T10:00:00Z');
    expect(later.published).toBe(true);
    expect(await out('atom.xml')).not.toContain(ECB_ID);
    expect(later.issues.filter((i) => i.rule === 'store-retraction-unannounced')).toEqual([]);
    // Another article retracted the same way long after its update: no tombstone was ever published, and that is said.
    await retract('articles/2025/09/night-trains-return.md', 'retracted: true');
    const stale = await build('2027-01-11T10:00:00Z');
    expect(stale.issues.filter((i) => i.rule === 'store-retraction-unannounced').map((i) => i.file)).toEqual(['2025/09/night-trains-return.md']);
  });

  it('taken back while its tombstone is published, says that readers honouring it keep the entry hidden until it is updated after the removal', async () => {
    const original = await readFile(join(dir, ECB), 'utf8');
    await retract(ECB, 'retracted: { date: 2026-11-24T10:00:00Z }');
    expect((await build()).published).toBe(true);
    await writeFile(join(dir, ECB), original);
    const back = await build('2026-11-26T12:00:00Z');
    expect(back.published).toBe(true);
    const restored = back.issues.filter((i) => i.rule === 'KIOSQUE-RESTORED-001');
    expect(restored.map((i) => i.file)).toContain('atom.xml');
    expect(restored[0]!.message).toMatch(/was announced deleted in the last publication \(at:deleted-entry when="2026-11-24T10:00:00.000Z"\) and is back, updated 2025-.*after the removal/);
    // Updated after the removal, it reaches every reader: nothing to say.
    await retract(ECB, 'retracted: { date: 2026-11-24T10:00:00Z }');
    expect((await build('2026-11-27T12:00:00Z')).published).toBe(true);
    await writeFile(join(dir, ECB), original.replace(/^---\n/, '---\nupdated: 2026-11-28T09:00:00Z\n'));
    const updated = await build('2026-11-28T12:00:00Z');
    expect(updated.issues.filter((i) => i.rule === 'KIOSQUE-RESTORED-001')).toEqual([]);
  });

  it('dates the feeds that carried the newest article by its retraction, not back to the article before, during its period and after', async () => {
    const WCQ = 'articles/2025/11/world-cup-qualifiers.md';
    expect((await build()).published).toBe(true);
    const feedUpdated = async (): Promise<string> => /<updated>([^<]+)<\/updated>/.exec(await out('atom.xml'))![1]!;
    // The sample store's own retraction (2026-11-20) is already later than its newest article (2025-11-28).
    expect(await feedUpdated()).toBe('2026-11-20T08:30:00.000Z');
    expect(await out('tags/sport/atom.xml')).toContain('<updated>2025-11-28T21:05:00.000Z</updated>');
    await retract(WCQ, 'retracted: { date: 2026-11-24T10:00:00Z }');
    expect((await build()).published).toBe(true);
    expect(await out('atom.xml')).toContain('<at:deleted-entry ref="tag:gazette.example,2024:2025/11/world-cup-qualifiers"');
    expect(await feedUpdated()).toBe('2026-11-24T10:00:00.000Z');
    expect(await out('rss.xml')).toContain('<lastBuildDate>Tue, 24 Nov 2026 10:00:00 GMT</lastBuildDate>');
    expect(await out('tags/sport/atom.xml')).toContain('<updated>2026-11-24T10:00:00.000Z</updated>');
    // A feed that never carried it keeps its own date.
    expect(await out('tags/economy/atom.xml')).not.toContain('<updated>2026-11-24T10:00:00.000Z</updated>');
    expect((await build('2026-12-24T10:00:00Z')).published).toBe(true);
    expect(await out('atom.xml')).not.toContain('at:deleted-entry');
    expect(await feedUpdated()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('reads in a real reader as a feed without the entry (feedparser ignores tombstones)', async (ctx) => {
    if (spawnSync('/usr/bin/python3', ['-c', 'import feedparser'], { stdio: 'ignore' }).status !== 0 && !process.env.CI) ctx.skip();
    await retract(ECB, 'retracted: { date: 2026-11-24T10:00:00Z }');
    expect((await build()).published).toBe(true);
    const read = spawnSync('/usr/bin/python3', ['-c', 'import feedparser, json, sys; d = feedparser.parse(sys.argv[1]); print(json.dumps({"bozo": bool(d.bozo), "ids": [e.id for e in d.entries]}))', join(dir, 'out/atom.xml')], { encoding: 'utf8' });
    const parsed = JSON.parse(read.stdout) as { bozo: boolean; ids: string[] };
    expect(parsed.bozo).toBe(false);
    expect(parsed.ids.length).toBeGreaterThan(3);
    expect(parsed.ids).not.toContain(ECB_ID);
  });
});

describe('an article that silently disappears', () => {
  it('is named by the gate once, on the main feed, and the rest is still published', async () => {
    expect((await build()).published).toBe(true);
    await rm(join(dir, 'articles/2025/09/night-trains-return.md'));
    const report = await build();
    expect(report.published).toBe(true);
    const found = gone(report);
    expect(found).toEqual([expect.objectContaining({ level: 'warning', file: 'atom.xml' })]);
    expect(found[0]!.message).toContain('tag:gazette.example,2024:2025/09/night-trains-return');
    expect(found[0]!.message).toContain('retracted');
  });

  it('leaves the feeds that carried it dated as they were, not back to the article before, even once the document cache is lost', async () => {
    expect((await build()).published).toBe(true);
    const sportUpdated = async (): Promise<string> => /<updated>([^<]+)<\/updated>/.exec(await out('tags/sport/atom.xml'))![1]!;
    const lastBuild = async (): Promise<string> => /<lastBuildDate>([^<]+)<\/lastBuildDate>/.exec(await out('tags/sport/rss.xml'))![1]!;
    expect(await sportUpdated()).toBe('2025-11-28T21:05:00.000Z');
    await rm(join(dir, 'articles/2025/11/world-cup-qualifiers.md'));
    expect((await build()).published).toBe(true);
    expect(await sportUpdated()).toBe('2025-11-28T21:05:00.000Z');
    expect(await lastBuild()).toBe('Fri, 28 Nov 2025 21:05:00 GMT');
    // Read from the published Atom document when the build's own record of it is gone.
    await rm(join(dir, 'out', '.kiosque', 'documents.json'));
    await writeFile(join(dir, 'articles', 'nouveau.md'), '---\ntitle: "Autre chose"\ndate: 2020-01-01T10:00:00Z\n---\n\nTexte.\n');
    expect((await build()).published).toBe(true);
    expect(await sportUpdated()).toBe('2025-11-28T21:05:00.000Z');
  });

  it('is told apart from an article redated past the newest items: still published, it is named as redated, with no advice to retract it', async () => {
    expect((await build()).published).toBe(true);
    const file = join(dir, 'articles/2025/09/night-trains-return.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^date: .*$/m, 'date: 2019-01-01T10:00:00Z'));
    const report = await build();
    expect(report.published).toBe(true);
    expect(gone(report)).toEqual([]);
    const redated = report.issues.filter((i) => i.rule === 'KIOSQUE-REDATED-001' && i.file === 'atom.xml');
    expect(redated).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/night-trains-return\) has a new publication date, earlier than 2025-.*still published/) })]);
    expect(await out('archive/1.atom')).toContain('2025/09/night-trains-return');
  });

  it('is told apart from the oldest items a lower limit leaves out: those are not named', async () => {
    expect((await build()).published).toBe(true);
    await makeSite(dir, { limit: 20 });
    const report = await build();
    expect(report.published).toBe(true);
    expect((await out('atom.xml')).match(/<entry[\s>]/g)).toHaveLength(20);
    expect(gone(report)).toEqual([]);
  });
});
