import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { repoRoot } from '../helpers.js';
import { basicFeed, hubsFeed } from './fixtures/feed.js';

const renderAll = (feed: typeof basicFeed) => [renderRss(feed), renderAtom(feed), renderJson(feed)];

// Renders in a fresh process with another time zone and locale, from the compiled renderers.
const CHILD = `
const load = (name) => import(new URL(name + '.js', process.argv[1]).href);
const [{ renderRss }, { renderAtom }, { renderJson }] = await Promise.all(['rss', 'atom', 'json'].map(load));
let input = '';
for await (const chunk of process.stdin) input += chunk;
const feed = JSON.parse(input, (key, value) => (key === 'published' || key === 'updated' ? new Date(value) : value));
process.stdout.write(JSON.stringify([renderRss(feed), renderAtom(feed), renderJson(feed)]));
`;

function renderElsewhere(tz: string, locale: string): string[] {
  const distRender = pathToFileURL(join(repoRoot, 'dist/src/render/')).href;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, distRender], {
    input: JSON.stringify(hubsFeed),
    encoding: 'utf8',
    env: { ...process.env, TZ: tz, LANG: locale, LC_ALL: locale },
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as string[];
}

describe('renderers are deterministic', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('give the same bytes whatever the clock says', () => {
    vi.useFakeTimers({ now: new Date('2031-07-04T12:34:56Z'), toFake: ['Date'] });
    const first = renderAll(basicFeed);
    vi.setSystemTime(new Date('2042-01-02T03:04:05Z'));
    expect(renderAll(basicFeed)).toEqual(first);
    for (const output of first) expect(output).not.toMatch(/2031|2042/);
  });

  test('give the same bytes in another time zone and locale', () => {
    const here = renderAll(hubsFeed);
    expect(renderElsewhere('Pacific/Kiritimati', 'de_DE.UTF-8')).toEqual(here);
    expect(renderElsewhere('America/St_Johns', 'ar_EG.UTF-8')).toEqual(here);
  });

  test('never read the clock or format with the locale', () => {
    for (const file of ['rss', 'atom', 'json', 'feed-lib', 'xml']) {
      const source = readFileSync(join(repoRoot, `src/render/${file}.ts`), 'utf8');
      expect(source, file).not.toMatch(/new Date\(|Date\.now|toLocale|Intl\./);
    }
  });
});
