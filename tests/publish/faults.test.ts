/**
 * Fault injection at every step of a publication of a feed set (nested paths, a changed
 * file, unchanged ones, new ones, vanished ones, old generations to sweep). After each fault
 * a static reading of out/ and `kiosque serve`'s loading must both give one whole
 * publication, the old one or the new one, and the next publication must complete.
 * SIGKILLs of the real CLI are in kill.test.ts; here a step that never returns stands for
 * them, since nothing after it runs either.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, type OutputFile, type PublishOptions } from '../../src/publish/publish.js';
import type { StepHook } from '../../src/publish/steps.js';
import { tempDir } from '../helpers.js';
import { ageGenerations, leftovers, observe, toVersion1Layout } from './reading.js';

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSON_FEED = 'application/feed+json; charset=utf-8';
const out = (path: string, text: string, mediaType = RSS): OutputFile => ({ path, mediaType, data: Buffer.from(`${text}\n${'filler '.repeat(50)}`), selfUrl: `https://news.example/${path}` });

/** Two earlier publications, then OLD; NEW changes, keeps, adds and drops files at every depth. */
const HISTORY: OutputFile[][] = [
  [out('rss.xml', 'main v0')],
  [out('rss.xml', 'main v0.5'), out('atom.xml', 'atom v1', ATOM)],
];
const OLD: OutputFile[] = [
  out('rss.xml', 'main v1'),
  out('atom.xml', 'atom v1', ATOM),
  out('index.html', '<!doctype html><title>v1</title>', 'text/html; charset=utf-8'),
  out('tags/economie/rss.xml', 'economie v1'),
  out('tags/sport/rss.xml', 'sport v1'),
  out('lang/en/feed.json', '{"en":1}', JSON_FEED),
];
const NEW: OutputFile[] = [
  out('rss.xml', 'main v2'),
  out('atom.xml', 'atom v1', ATOM),
  out('index.html', '<!doctype html><title>v1</title>', 'text/html; charset=utf-8'),
  out('tags/economie/rss.xml', 'economie v2'),
  out('tags/culture/rss.xml', 'culture v1'),
  out('feeds.opml', '<opml version="2.0"/>', 'text/x-opml; charset=utf-8'),
];
const at = (iso: string, onStep?: StepHook): PublishOptions => ({ maxAge: 900, hubs: [], now: new Date(iso), ...(onStep ? { onStep } : {}) });
const NEW_AT = '2026-03-01T10:00:00Z';
/** Each loop publishes some 80 times with fsyncs; generous for a loaded machine. */
const LOOP_TIMEOUT_MS = 180_000;

async function publishOrThrow(dir: string, files: OutputFile[], iso: string): Promise<void> {
  const result = await publish(dir, files, at(iso));
  if (!result.value) throw new Error(result.issues.map((i) => i.message).join('; '));
}

/** The out dir just before NEW: three generations, all replaced an hour ago or more, so NEW's run sweeps two of them. */
async function oldState(dir: string): Promise<void> {
  for (const [i, files] of HISTORY.entries()) await publishOrThrow(dir, files, `2026-01-0${i + 1}T10:00:00Z`);
  await publishOrThrow(dir, OLD, '2026-02-01T10:00:00Z');
  await ageGenerations(dir, 3_600_000);
}

type View = Awaited<ReturnType<typeof observe>>;
let root: string;
let cleanup: () => Promise<void>;
let oldView: View;
let newView: View;
let steps: string[];
let run = 0;
const fresh = async (): Promise<string> => {
  const dir = join(root, `run-${run++}`);
  await mkdir(dir);
  return dir;
};

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('kiosque-faults-'));
  const ref = await fresh();
  await oldState(ref);
  oldView = await observe(ref);
  steps = [];
  const result = await publish(ref, NEW, at(NEW_AT, (s) => void steps.push(s)));
  expect(result.issues).toEqual([]);
  newView = await observe(ref);
});
afterAll(() => cleanup());

/** Starts publishing NEW and stops it for good before its step `k`, as a kill would; resolves with that step's name. */
function freezeAt(dir: string, k: number): Promise<string> {
  let n = 0;
  return new Promise((reached) => {
    void publish(dir, NEW, at(NEW_AT, (s) => (++n === k ? (reached(s), new Promise<void>(() => undefined)) : undefined)));
  });
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });
const switchIndex = (): number => steps.findIndex((s) => s.startsWith('switch '));
/** A sweep of expired generations before the new one is written: its failure is no reason not to publish. */
const earlySweep = (k: number): boolean => steps[k - 1]!.startsWith('sweep ') && k - 1 < steps.indexOf('stage generation');

describe('the publication under test', () => {
  it('covers every kind of step: writes, hard links, manifest, sync, rename, links, the switch, unlinks and sweeps', () => {
    for (const kind of ['stage', 'write', 'link', 'rename', 'switch', 'unlink', 'sweep', 'done']) expect(steps.some((s) => s.startsWith(`${kind} `) || s === kind), kind).toBe(true);
    expect(steps).toContain('link atom.xml');
    expect(steps).toContain('write tags/culture/rss.xml');
    expect(steps).toContain('link feeds.opml.gz');
    expect(steps).toContain('unlink lang');
    expect(steps.filter((s) => s.startsWith('sweep '))).toHaveLength(2);
    // Expired generations go before the new one is written, so a full disk is not a dead end.
    expect(steps.findIndex((s) => s.startsWith('sweep '))).toBeLessThan(steps.indexOf('stage generation'));
    // Old and new really differ, both statically and as served, and both are whole.
    expect(newView.static).not.toBe(oldView.static);
    expect(newView.served).toContain('tags/sport/rss.xml gone');
    expect(newView.served).toContain('lang/en/feed.json gone');
    expect(oldView.problems).toEqual([]);
    expect(newView.problems).toEqual([]);
  });
});

describe('a publication stopped at each step', () => {
  it('frozen before any step (as SIGKILL or a power cut would leave it) shows the old publication until the switch and the new one after, and the next run completes', async () => {
    for (let k = 1; k <= steps.length; k++) {
      const dir = await fresh();
      await oldState(dir);
      const step = await freezeAt(dir, k);
      const seen = await observe(dir);
      expect(seen, `frozen at ${k}: ${step}`).toEqual(k <= switchIndex() + 1 ? oldView : newView);
      await publishOrThrow(dir, NEW, NEW_AT);
      expect(await observe(dir), `after a run frozen at ${step}`).toEqual(newView);
      expect(await leftovers(dir), `after a run frozen at ${step}`).toEqual([]);
      await rm(dir, { recursive: true });
    }
  }, LOOP_TIMEOUT_MS);

  it('failing with ENOSPC at any step before the switch reports it and changes nothing; after the switch it is published with a warning; the next run completes', async () => {
    for (let k = 1; k <= steps.length; k++) {
      const dir = await fresh();
      await oldState(dir);
      let n = 0;
      let step = '';
      const result = await publish(dir, NEW, at(NEW_AT, (s) => {
        if (++n === k) {
          step = s;
          throw errno('ENOSPC');
        }
      }));
      const beforeSwitch = k <= switchIndex() + 1 && !earlySweep(k);
      if (beforeSwitch) {
        expect(result.value, step).toBeUndefined();
        expect(result.issues[0]?.message, step).toMatch(/ENOSPC: no space left on device; the previous publication is unchanged$/);
        expect(await observe(dir), step).toEqual(oldView);
        expect(await leftovers(dir), step).toEqual([]);
      } else {
        expect(result.value?.changed, step).toEqual(['rss.xml', 'tags/economie/rss.xml', 'tags/culture/rss.xml', 'feeds.opml']);
        expect(result.issues.every((i) => i.level === 'warning' && i.rule === 'publish-cleanup'), step).toBe(true);
        expect(await observe(dir), step).toEqual(newView);
      }
      await publishOrThrow(dir, NEW, NEW_AT);
      expect(await observe(dir), `after ENOSPC at ${step}`).toEqual(newView);
      expect(await leftovers(dir), `after ENOSPC at ${step}`).toEqual([]);
      await rm(dir, { recursive: true });
    }
  }, LOOP_TIMEOUT_MS);

  it('a refused rename at any renaming step (generation, public link, switch, sweep) leaves one whole publication and the next run completes', async () => {
    const renames = steps.flatMap((s, i) => (/^(rename|link|switch|sweep) /.test(s) ? [i + 1] : []));
    expect(renames.length).toBeGreaterThanOrEqual(6);
    for (const k of renames) {
      const dir = await fresh();
      await oldState(dir);
      let n = 0;
      const result = await publish(dir, NEW, at(NEW_AT, (s) => {
        if (++n === k) throw errno(s.startsWith('sweep') ? 'EBUSY' : 'EACCES');
      }));
      const expected = k <= switchIndex() + 1 && !earlySweep(k) ? oldView : newView;
      expect(result.value === undefined, steps[k - 1]).toBe(expected === oldView);
      expect(await observe(dir), steps[k - 1]).toEqual(expected);
      await publishOrThrow(dir, NEW, NEW_AT);
      expect(await observe(dir)).toEqual(newView);
      expect(await leftovers(dir)).toEqual([]);
      await rm(dir, { recursive: true });
    }
  }, LOOP_TIMEOUT_MS);
});

describe('real faults', () => {
  it('a directory in the way of feed.json.gz fails the publication before anything changes, says so truthfully, and the next run completes once it is gone', async () => {
    const before = [out('rss.xml', 'r1'), out('atom.xml', 'a1', ATOM)];
    const after = [out('rss.xml', 'r2'), out('atom.xml', 'a2', ATOM), out('feed.json', '{"v":2}', JSON_FEED)];
    const ref = await fresh();
    await publishOrThrow(ref, before, '2026-01-01T00:00:00Z');
    const oldOnes = await observe(ref);
    await publishOrThrow(ref, after, '2026-01-02T00:00:00Z');
    const newOnes = await observe(ref);

    const dir = await fresh();
    await publishOrThrow(dir, before, '2026-01-01T00:00:00Z');
    await mkdir(join(dir, 'feed.json.gz'));
    await writeFile(join(dir, 'feed.json.gz', 'x'), 'occupied');
    const result = await publish(dir, after, at('2026-01-02T00:00:00Z'));
    expect(result.value).toBeUndefined();
    expect(result.issues[0]).toMatchObject({ rule: 'publish-failed', level: 'error' });
    expect(result.issues[0]?.message).toMatch(/^cannot link the public names: EISDIR: .*; the previous publication is unchanged$/);
    // True this time: rss.xml.gz and atom.xml.gz still pair with their old identity files, and a restarted server loads the old publication.
    const seen = await observe(dir);
    expect(seen.served).toBe(oldOnes.served);
    expect(seen.static.replace(/^feed\.json\.gz\/x .*\n/m, '')).toBe(oldOnes.static);
    expect(seen.problems).toEqual([]);
    expect(await leftovers(dir)).toEqual([]);

    await rm(join(dir, 'feed.json.gz'), { recursive: true });
    await publishOrThrow(dir, after, '2026-01-02T00:00:00Z');
    expect(await observe(dir)).toEqual(newOnes);
  });
});

describe('upgrading a version 1 out dir', () => {
  it('stopped at any step of the adoption or of the publication after it, shows the old publication until the switch and the new one after, and the next run completes', async () => {
    // Earlier releases could only publish top-level files.
    const LEGACY = [...OLD.filter((f) => !f.path.includes('/')), out('feed.json', '{"v":1}', JSON_FEED)];
    const legacy = async (dir: string): Promise<void> => {
      await publishOrThrow(dir, LEGACY, '2026-02-01T10:00:00Z');
      await toVersion1Layout(dir, new Date('2026-02-01T10:00:05Z'));
    };
    const ref = await fresh();
    await legacy(ref);
    const legacyView = await observe(ref);
    const legacySteps: string[] = [];
    expect((await publish(ref, NEW, at(NEW_AT, (s) => void legacySteps.push(s)))).issues).toEqual([]);
    const upgraded = await observe(ref);
    expect(legacySteps.filter((s) => s.startsWith('adopt: ')).length).toBeGreaterThan(10);
    expect(upgraded.served).toContain('feed.json gone');
    // Readers see the same publications as from an out dir that always had generations.
    const same = await fresh();
    await publishOrThrow(same, LEGACY, '2026-02-01T10:00:00Z');
    expect(legacyView).toEqual(await observe(same));
    await publishOrThrow(same, NEW, NEW_AT);
    expect(upgraded).toEqual(await observe(same));

    const mainSwitch = legacySteps.findIndex((s) => s.startsWith('switch '));
    for (let k = 1; k <= legacySteps.length; k++) {
      const dir = await fresh();
      await legacy(dir);
      const step = await freezeAt(dir, k);
      expect(await observe(dir), `frozen at ${k}: ${step}`).toEqual(k <= mainSwitch + 1 ? legacyView : upgraded);
      await publishOrThrow(dir, NEW, NEW_AT);
      expect(await observe(dir), `after a run frozen at ${step}`).toEqual(upgraded);
      expect(await leftovers(dir)).toEqual([]);
      await rm(dir, { recursive: true });
    }
  }, LOOP_TIMEOUT_MS);
});
