import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '../../src/issue.js';
import { loadConfig, resolveConfig } from '../../src/config.js';
import { parseFeedSpecs } from '../../src/model/feed-spec.js';
import { incompleteIssue, indexArticles, planFeedSet } from '../../src/model/feed-set.js';
import { rowOf } from '../../src/model/records.js';
import { episodesOf } from '../../src/model/podcast.js';
import { budgetIssues, fitBudget } from '../../src/render/budget.js';
import { selectColumns } from '../../src/model/select.js';
import { publish, readManifest } from '../../src/publish/publish.js';
import { PINGS_FILE } from '../../src/publish/target.js';
import { build } from '../../src/pipeline.js';
import { runPurge } from '../../src/publish/purge.js';
import { s3Target, syncToS3 } from '../../src/publish/s3.js';
import { startS3Server } from '../servers/s3.js';
import { collectFeed } from '../../src/store/collect.js';
import { readHead } from '../../src/store/head.js';
import { comparePrevious, crossCheck } from '../../src/validate/gate.js';
import { unannouncedDepartures } from '../../src/validate/departures.js';
import { checkChain, checkPageFormats, type ChainDoc } from '../../src/validate/archive-chain.js';
import { checkArchives } from '../../src/validate/archive-gate.js';
import type { ArchivePage } from '../../src/model/archive.js';
import type { Feed } from '../../src/model/types.js';
import type { PageDocs } from '../../src/store/pages.js';
import { RULES, RULE_GROUPS, closeMatches, findRule } from '../../src/validate/registry.js';
import { runRules } from '../../src/validate/run.js';
import { documentFacts, httpRules, type HttpExchange } from '../../src/validate/rules/http.js';
import { defineRule } from '../../src/validate/rule.js';
import { validateDocument } from '../../src/validate/validate.js';
import { validateJsonFeed } from '../../src/validate/json/validate.js';
import { repoRoot, tempDir } from '../helpers.js';
import { NOW, makeSite, runCli } from '../cli/run-cli.js';
import { listFixtures, readExpectations } from './expectations.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every `.ts` file under src/. */
function sources(dir = join(repoRoot, 'src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Rule-id literals in the code: spec-style ids anywhere, kebab-case ids where an Issue's `rule` is set. */
function emittedIds(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    // Object keys (`'RSS-CH-008': 'checked by …'`) name digest rows in documentation, not findings.
    for (const m of text.matchAll(/'((?:RSS|ATOM|JF|EXT|HTTP|KIOSQUE|APPLE)-[A-Z0-9-]*[A-Z0-9])'(?!:)/g)) found.set(m[1] as string, relative(repoRoot, file));
    for (const m of text.matchAll(/\brule:\s*([^,}\n]+)/g)) {
      for (const lit of (m[1] as string).matchAll(/'([a-z]+-[a-z0-9-]+)'/g)) found.set(lit[1] as string, relative(repoRoot, file));
    }
  }
  return found;
}

describe('the rule registry', () => {
  it('registers every rule id the code can emit', () => {
    const unregistered = [...emittedIds()].filter(([id]) => !findRule(id)).map(([id, file]) => `${id} (${file})`);
    expect(unregistered).toEqual([]);
  });

  it('finds ids in the shapes the code writes them', () => {
    const ids = emittedIds();
    // A store id set through a conditional expression, and one of the gate's.
    expect(ids.has('store-too-complex')).toBe(true);
    expect(ids.has('KIOSQUE-CROSS-001')).toBe(true);
  });

  it('defines each id once, with a complete entry', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const r of RULES) {
      expect(['error', 'warning', 'info'], r.id).toContain(r.level);
      for (const field of ['title', 'why', 'fix', 'spec'] as const) expect(r[field].trim().length, `${r.id} ${field}`).toBeGreaterThan(3);
      expect(r.link, r.id).toMatch(/^(https?:\/\/\S+|(README|docs\/[\w.-]+)\.md(#[\w-]+)?)$/);
      if (!/^https?:/.test(r.link)) expect(existsSync(join(repoRoot, r.link.split('#')[0] as string)), r.link).toBe(true);
      expect(typeof r.message({})).toBe('string');
    }
  });

  it('puts every rule in exactly one group', () => {
    expect(RULE_GROUPS.reduce((n, g) => n + g.rules.length, 0)).toBe(RULES.length);
  });

  it('looks ids up without regard to case and suggests close matches for typos', () => {
    expect(findRule('rss-dt-001')?.id).toBe('RSS-DT-001');
    expect(findRule('RSS-DT-999')).toBeUndefined();
    expect(closeMatches('RSS-DT-01')).toContain('RSS-DT-001');
    expect(closeMatches('store-bad-yml')[0]).toBe('store-bad-yaml');
    // A word of the ids: those holding it.
    expect(closeMatches('gone')).toEqual(['KIOSQUE-GONE-001', 'KIOSQUE-GONE-002']);
    expect(closeMatches('moved')).toEqual(['feed-moved-nowhere', 'feed-moved-published', 'feed-moved-unknown']);
  });
});

// ---------------------------------------------------------------------------------------------
// Every registered rule has an input that makes it fire through the code that reports it.

/** Validator rules: the fixtures that name them in an Expect comment (XML) or a .expect sidecar (JSON). */
function fixtureTriggers(): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  const add = (id: string, file: string): void => void byRule.set(id, [...(byRule.get(id) ?? []), file]);
  const dir = join(repoRoot, 'tests/validate/fixtures');
  for (const file of listFixtures(dir, '.xml')) for (const e of readExpectations(readFileSync(file))) if (!e.absent && e.rule !== 'error') add(e.rule, file);
  for (const file of listFixtures(join(dir, 'json'), '.expect')) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const id = line.trim().split(/\s+/)[0] ?? '';
      if (/^JF-/.test(id)) add(id, file.replace(/\.expect$/, '.json'));
    }
  }
  return byRule;
}

type Fired = Set<string>;
const fixtures = fixtureTriggers();
const fired: Fired = new Set();
const note = (issues: readonly { rule: string }[]): void => issues.forEach((i) => fired.add(i.rule));

/** An archive chain with every fault: an unreachable page, a link that does not lead back, an entry twice, one missing, one lost. */
function chainInputs(): Issue[] {
  const doc = (path: string, d: Partial<ChainDoc>): ChainDoc => ({ path, archive: true, complete: false, ids: [], ...d });
  const sub = doc('atom.xml', { self: 's', prevArchive: '2', archive: false, ids: ['a', 'z'] });
  const pages = [doc('1', { self: '1', current: 's', nextArchive: 'x', ids: ['a'] }), doc('2', { self: '2', current: 's', prevArchive: '1', ids: ['a'] }), doc('3', { self: '3', current: 's' })];
  return [...checkChain('atom', sub, pages, (href) => href, new Set(['lost'])), ...checkPageFormats([pages[0]!, pages[2]!])];
}

/**
 * Two full pages of two entries published; rebuilt as one of one and one of one (ARCHIVE-CHAIN-007), with an entry
 * dated into page 1 (ARCHIVE-CHAIN-008), with entries 2 and 3 trading pages, a date changed (ARCHIVE-CHAIN-009),
 * with no pages, the archive turned off (ARCHIVE-CHAIN-010), or with the same entries in other bytes, an article
 * edited (ARCHIVE-CHAIN-012).
 */
async function repagedInputs(): Promise<Issue[]> {
  return [
    ...await archiveGateInputs([[1], [2]]), ...await archiveGateInputs([[0, 1], [2, 3], [4]]), ...await archiveGateInputs([[1, 3], [2, 4]]),
    ...await archiveGateInputs([]), ...await archiveGateInputs([[1, 3], [4]], ['urn:e:2']), ...await archiveGateInputs([[1, 2], [3, 4]]),
  ];
}

async function archiveGateInputs(now: number[][], retracted: string[] = []): Promise<Issue[]> {
  const ids = (...n: number[]): string[] => n.map((k) => `urn:e:${k}`);
  const page = (ext: string, entries: string[]): Uint8Array => enc(ext === 'json'
    ? JSON.stringify({ items: entries.map((id) => ({ id })) })
    : ext === 'xml'
      ? `<rss><channel>${entries.map((id) => `<item><guid>${id}</guid></item>`).join('')}</channel></rss>`
      : `<feed xmlns="http://www.w3.org/2005/Atom">${entries.map((id) => `<entry><id>${id}</id></entry>`).join('')}</feed>`);
  const path = (n: number, format: 'rss' | 'atom' | 'json'): string => `archive/${n}.${format === 'rss' ? 'xml' : format}`;
  const docs = (n: number, entries: string[]): PageDocs => ({
    sha256: { rss: `new${n}`, atom: `new${n}`, json: `new${n}` },
    chain: Object.fromEntries((['rss', 'atom', 'json'] as const).map((f) => [f, { path: path(n, f), archive: true, complete: false, ids: entries }])) as PageDocs['chain'],
  });
  const pages = now.map((_, k) => ({ paths: { rss: path(k + 1, 'rss'), atom: path(k + 1, 'atom'), json: path(k + 1, 'json') } }) as ArchivePage);
  const published = new Map([1, 2].flatMap((n) => (['rss', 'atom', 'json'] as const).map((f) => [path(n, f), `old${n}`] as [string, string])));
  const old: Record<string, string[]> = { 1: ids(1, 2), 2: ids(3, 4) };
  return checkArchives([{ feed: { site: { folder: '' } } as Feed, pages, bytes: { rss: page('xml', []), atom: page('atom', []), json: page('json', []) }, pageDocs: now.map((entries, k) => docs(k + 1, ids(...entries))) }], {
    feedBaseUrl: 'https://e.org/', published, announced: new Set(retracted), readPublished: async (p) => {
      const [, n, ext] = /(\d+)\.(\w+)$/.exec(p)!;
      return page(ext!, old[n!]!);
    },
  });
}

/** Gate inputs: two publications of one feed, and three outputs that disagree. */
function gateInputs(): Issue[] {
  const rss = (guid: string, lbd: string) =>
    enc(`<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description><lastBuildDate>${lbd}</lastBuildDate><item><title>a</title><link>https://e.org/a</link><guid>${guid}</guid></item></channel></rss>`);
  const atom = (feedId: string, entryId: string, updated: string) =>
    enc(`<feed xmlns="http://www.w3.org/2005/Atom"><id>${feedId}</id><title>t</title><updated>${updated}</updated><entry><id>${entryId}</id><title>a</title><link href="https://e.org/a"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>`);
  const json = (id: string) => enc(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ id, url: 'https://e.org/a', title: 'a' }] }));
  const show = (guid: string) => enc(`<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>t</title><link>https://e.org/</link><description>d</description><podcast:guid>${guid}</podcast:guid></channel></rss>`);
  return [
    ...comparePrevious('rss', rss('https://e.org/a', 'Mon, 01 Jan 2024 00:00:00 GMT'), rss('https://e.org/a', 'Tue, 02 Jan 2024 00:00:00 GMT'), 'rss.xml'),
    ...comparePrevious('rss', rss('https://e.org/a', 'Mon, 01 Jan 2024 00:00:00 GMT'), rss('https://e.org/a2', 'Mon, 01 Jan 2024 00:00:00 GMT'), 'rss.xml'),
    ...comparePrevious('atom', atom('urn:x:1', 'urn:x:a', '2024-01-01T00:00:00Z'), atom('urn:x:2', 'urn:x:b', '2024-01-02T00:00:00Z'), 'atom.xml'),
    ...comparePrevious('atom', atom('urn:x:1', 'urn:x:a', '2024-01-01T00:00:00Z'), atom('urn:x:1', 'urn:x:a', '2024-01-02T00:00:00Z'), 'atom.xml'),
    ...comparePrevious('atom', atom('urn:x:1', 'urn:x:a', '2024-01-01T00:00:00Z'), enc(new TextDecoder().decode(atom('urn:x:1', 'urn:x:a', '2024-01-01T00:00:00Z')).replace('<updated>2024-01-01T00:00:00Z</updated></entry>', '<updated>2024-01-01T06:00:00Z</updated></entry>')), 'atom.xml'),
    // Announced deleted, then back with the date it had.
    ...comparePrevious('atom', enc(new TextDecoder().decode(atom('urn:x:1', 'urn:x:b', '2024-01-02T00:00:00Z')).replace('<entry>', '<at:deleted-entry xmlns:at="http://purl.org/atompub/tombstones/1.0" ref="urn:x:a" when="2024-01-02T00:00:00Z"/><entry>')), atom('urn:x:1', 'urn:x:a', '2024-01-02T00:00:00Z'), 'atom.xml'),
    ...comparePrevious('json', json('a'), json('b'), 'feed.json'),
    ...comparePrevious('rss', show('ead4c236-bf58-58c6-a2c6-a6b28d128cb6'), show('917393e3-1b1e-5cef-ace4-edaa54e1f810'), 'podcast/rss.xml'),
    ...unannouncedDepartures('json', json('a'), enc(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [] })), 'feed.json', new Set()),
    ...crossCheck([
      { format: 'rss', file: 'rss.xml', bytes: rss('https://e.org/a', 'Mon, 01 Jan 2024 00:00:00 GMT') },
      { format: 'json', file: 'feed.json', bytes: json('other') },
    ]),
  ];
}

/** Inputs kiosque refuses to validate, and a rule that crashes. */
function kiosqueInputs(): Issue[] {
  const crashing = defineRule<null>({ id: 'TEST-CRASH', level: 'error', spec: 'test', title: 't', message: () => '', why: 'w', fix: 'f', check: () => { throw new Error('boom'); } });
  return [
    ...validateDocument(enc(`<rss version="2.0">${'<a>'.repeat(1100)}${'</a>'.repeat(1100)}</rss>`), 'deep.xml').issues,
    ...validateDocument(enc('<rss version="0.91"><channel/></rss>'), 'old.xml').issues,
    ...validateDocument(enc('<rss'), 'cut.xml').issues,
    ...runRules([crashing], null, 'x'),
  ];
}

/** One served response per HTTP rule, through the same rules `kiosque validate URL` runs on what it fetched. */
function httpInputs(): Issue[] {
  const body = enc('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link rel="self" href="https://e.org/rss.xml"/><atom:link rel="hub" href="https://hub.e.org/"/></channel></rss>');
  const ok: HttpExchange = {
    requested: 'https://e.org/rss.xml', redirects: [], url: 'https://e.org/rss.xml', status: 200, bodyBytes: 5000, askedCompression: true,
    headers: { 'content-type': 'application/rss+xml', etag: '"1"', 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'cache-control': 'max-age=600' },
    conditional: [{ status: 304, sent: ['If-None-Match'], headers: { etag: '"1"', 'cache-control': 'max-age=600', vary: 'Accept-Encoding' } }],
  };
  const variants: Partial<HttpExchange>[] = [
    { headers: { ...ok.headers, 'content-type': 'text/html' } },
    { headers: { ...ok.headers, 'content-type': 'text/xml; charset=utf-16' } },
    { headers: { 'content-type': 'application/rss+xml', 'cache-control': 'no-store' }, conditional: [{ status: 200, sent: ['If-None-Match'], headers: {} }] },
    { headers: { ...ok.headers, etag: 'W/"x y"', date: 'Sun, 06 Dec 2026 20:00:00 GMT', 'last-modified': 'Fri, 01 Jan 2099 00:00:00 GMT' }, conditional: [{ status: 304, sent: ['If-Modified-Since'], headers: {} }] },
    { headers: { ...ok.headers, 'content-encoding': 'identity', link: '<https://e.org/other.xml>; rel="self"' } },
    { headers: { ...ok.headers, vary: '' }, requested: 'https://e.org/old.xml', redirects: [{ from: 'https://e.org/old.xml', status: 302, to: 'https://e.org/rss.xml' }], url: 'https://e.org/feed/rss.xml' },
    { conditional: [{ status: 304, sent: ['If-None-Match'], headers: { etag: '"other"', 'cache-control': 'max-age=600', vary: 'Accept-Encoding' } }] },
    { headers: { ...ok.headers, 'cache-control': 'max-age="600"', date: '2026-12-06T20:00:00Z' } },
    { identity: { status: 200, headers: { etag: '"1"' } }, compressedTwice: true },
  ];
  return variants.flatMap((v) => runRules(httpRules, { exchange: { ...ok, ...v }, facts: documentFacts(body) }, 'https://e.org/rss.xml'));
}

/** A site whose store holds one broken article per store rule, built by the real CLI. */
async function buildBrokenStore(dir: string): Promise<string[]> {
  await makeSite(dir);
  const rules: string[] = [];
  const build = async (...args: string[]): Promise<void> => {
    const r = await runCli(['build', '--json', '--now', NOW, ...args], { cwd: dir, timeoutMs: 120_000 });
    const report = JSON.parse(r.stdout) as { rejected: { rule: string }[]; issues: { rule: string }[] };
    rules.push(...report.rejected.map((x) => x.rule), ...report.issues.map((x) => x.rule));
  };
  // A clean store, then a tag renamed in the only article carrying it: its feed stops being published.
  await build();
  const trains = join(dir, 'articles', '2025', '09', 'night-trains-return.md');
  await writeFile(trains, (await readFile(trains, 'utf8')).replace('Transport,', 'Transports,'));
  await build();
  const a = join(dir, 'articles', 'broken');
  await mkdir(a, { recursive: true });
  const md = (head: string, body = 'Body.\n') => `---\n${head}\n---\n\n${body}`;
  const files: Record<string, string | Uint8Array> = {
    'bad-yaml.md': md('title: [unclosed\ndate: 2024-01-01'),
    'no-title.md': md('date: 2024-01-01'),
    'no-date.md': md('title: t'),
    'bad-date.md': md('title: t\ndate: 2020-02-30'),
    'updated-before.md': md('title: t\ndate: 2024-01-02\nupdated: 2024-01-01'),
    'updated-later.md': md('title: t\ndate: 2024-01-02\nupdated: 2030-01-01'),
    'bad-type.md': md('title: [a, b]\ndate: 2024-01-01'),
    'dup-a.md': md('title: a\ndate: 2024-01-01\nid: same'),
    'dup-b.md': md('title: b\ndate: 2024-01-01\nid: same'),
    'reversed-id.md': md('title: r\ndate: 2024-01-01\nid: "news-\u202egnp.exe"'),
    'unknown-key.md': md('title: t\ndate: 2024-01-01\ntilte: x'),
    'jekyll-hidden.md': md('title: t\ndate: 2024-01-01\npublished: false'),
    'hugo-later.md': md('title: t\ndate: 2024-01-01\npublishDate: 2024-05-01'),
    'shortcode.md': md('title: t\ndate: 2024-01-01', '{{< figure src="hero.jpg" >}}\n'),
    'entities.md': md('title: "Mayor &#8220;resigns&#8221;"\ndate: 2024-01-01'),
    'cut-title.md': md('title: Top #1 du classement\ndate: 2024-01-01'),
    'tags-string.md': md('title: t\ndate: 2024-01-01\ntags: Économie, Politique'),
    'keywords.md': md(`title: t\ndate: 2024-01-01\ntags: [${Array.from({ length: 51 }, (_, i) => `mot${i}`).join(', ')}]`),
    // Newer than the sample store's newest, so both are in the main feed.
    'copied.md': md('title: Copied\ndate: 2026-11-20T10:00:00Z'),
    'copied copy.md': md('title: Copied\ndate: 2026-11-20T10:00:00Z'),
    'binary.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]),
    'latin1.md': new Uint8Array([...enc('---\ntitle: caf'), 0xe9, ...enc('\ndate: 2024-01-01\n---\n')]),
    'empty.md': '',
    'bad.json': '{',
    'no-front.md': 'Just text.\n',
    'no-content.json': JSON.stringify({ title: 't', date: '2024-01-01' }),
    'big.md': md('title: t\ndate: 2024-01-01', 'x'.repeat(6 * 1024 * 1024)),
    'long-head.md': md(`title: t\ndate: 2024-01-01\nsummary: "${'x'.repeat(300 * 1024)}"`),
    'bad-image.md': md('title: t\ndate: 2024-01-01\nimage: "ftp://e.org/i.png"'),
    'missing-image.md': md('title: t\ndate: 2024-01-01\nimage: images/none.png'),
    'bad-lang.md': md('title: t\ndate: 2024-01-01\nlang: "not a tag"'),
    'bad-episode-type.md': md('title: t\ndate: 2024-01-01\nepisodeType: teaser'),
    'both-authors.md': md('title: t\ndate: 2024-01-01\nauthor: A\nauthors: [B]'),
    'skipped-hour.md': md('title: t\ndate: 2024-03-31T02:30'),
    'repeated-hour.md': md('title: t\ndate: 2024-10-27T02:30'),
    'twice.json': '{"title": "A", "date": "2024-01-01", "content": "x", "title": "B"}',
    'both-bodies.json': JSON.stringify({ title: 't', date: '2024-01-01', content_html: '<p>x</p>', content: 'x' }),
    'bad-author-email.md': md('title: t\ndate: 2024-01-01\nauthor: { name: A, email: "a at e.org" }'),
    'remote-no-length.md': md('title: t\ndate: 2024-01-01\nenclosures: ["https://cdn.example/ep.mp3"]'),
    'both-media.md': md('title: t\ndate: 2024-01-01\nenclosures: []\nmedia: []'),
    'retracted-long-ago.md': md('title: t\ndate: 2024-01-01\nretracted: true'),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(a, name), content);
  // A Jekyll site's posts folder, skipped as every name starting with _.
  await mkdir(join(a, '_posts'));
  await writeFile(join(a, '_posts', '2024-01-01-post.md'), md('title: t\ndate: 2024-01-01'));
  // An article the earlier builds published, broken by an edit: its archive page keeps its last good head.
  await writeFile(join(dir, 'articles', '2018', '01', 'lille-le-conseil-municipal-adopte-un-budget-de-122-millions.md'), md('title: "unclosed'));
  await symlink(join(dir, 'nowhere.md'), join(a, 'dangling.md'));
  await symlink('/etc/hostname', join(a, 'outside.md'));
  // Articles rejected while another tag empties: its feed keeps its last publication.
  await writeFile(trains, (await readFile(trains, 'utf8')).replace('Rail]', 'Rails]'));
  await build();
  // Redirects from a folder that is a feed of the build, and to one that is none.
  await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')), moved: { 'tags/europe/': 'tags/eu/', 'tags/old/': 'tags/nowhere/' } }));
  await build();
  // A declared section whose select matches nothing.
  const config = JSON.parse(await readFile(join(dir, 'kiosque.config.json'), 'utf8')) as { feeds?: unknown[] };
  const feeds = config.feeds ?? [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }, { path: 'languages/{slug}/', each: 'language', minValues: 2 }];
  await writeFile(join(dir, 'kiosque.config.json'), JSON.stringify({ ...config, feeds: [...feeds, { path: 'meteo/', select: { folder: 'meteo/**' } }] }));
  await build();
  // An empty store where that publication carried items.
  await mkdir(join(dir, 'empty'));
  await build('--articles', 'empty');
  // A store that does not exist, and a directory in the way of a published file.
  await build('--articles', 'nowhere', '--out', 'out-empty');
  await mkdir(join(dir, 'out-blocked', 'feed.json.gz', 'x'), { recursive: true });
  await build('--out', 'out-blocked');
  // A directory where the store cache goes: the build still runs, without a cache.
  await mkdir(join(dir, 'out-nocache', '.kiosque', 'store-cache.json'), { recursive: true });
  await build('--out', 'out-nocache');
  return rules;
}

/** A body slow to render under a short time limit (a 400-level nested list). */
async function slowBody(dir: string): Promise<Issue[]> {
  const store = join(dir, 'slow-store');
  await mkdir(store);
  let nested = '';
  for (let i = 0; i < 400; i++) nested += `${'  '.repeat(i)}- a\n`;
  await writeFile(join(store, 'slow.md'), `---\ntitle: Slow\ndate: 2021-02-01T00:00:00Z\n---\n\n${nested}`);
  const config = resolveConfig({ title: 't', url: 'https://e.org/', articles: store }, dir, 'kiosque.config.json').value;
  if (!config) throw new Error('test config rejected');
  return (await collectFeed(config, new Date(NOW), { renderTimeoutMs: 50 })).issues;
}

/** Two tags with one folder name, and a tag feed landing where a declared feed already is. */
function feedSetInputs(): Issue[] {
  const heads = [['a.md', 'C++'], ['b.md', 'C'], ['c.md', 'Wirtschaft'], ['d.md', 'Wirt\u00ADschaft']].map(([file, tag]) => ({ file: file!, format: 'md' as const, date: '2021-01-01T00:00:00Z', draft: false, tags: [tag!], authors: [], lines: {} }));
  const columns = { files: heads.map((h) => h.file), rows: heads.map(rowOf) };
  const selection = selectColumns(columns, { idPrefix: 'tag:e.org,2020:', timezone: 'UTC' }, new Date(NOW));
  const site = { title: 't', description: '', url: 'https://e.org/', feedBaseUrl: 'https://e.org/', language: 'en', limit: 50, authorName: 'A' };
  // The declared tags/c/ after the expansion that took it first: left out.
  const specs = parseFeedSpecs([{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }, { path: 'tags/c/' }], 'kiosque.config.json').value;
  const caseTwins = parseFeedSpecs([{ path: 'sport/' }, { path: 'Sport/' }], 'kiosque.config.json').issues;
  const twoTitled = planFeedSet(parseFeedSpecs([{ path: '' }, { path: 'a/', title: 'Same' }, { path: 'b/', title: 'Same' }], 'kiosque.config.json').value, indexArticles(columns, selection, site), site).issues;
  const article = { id: 'urn:x:a', url: 'https://e.org/a', title: 'a', published: new Date(NOW), updated: new Date(NOW), authors: [], contentHtml: '', summary: '', tags: [], source: { file: 'a.md' } };
  // A feed over its byte budget, with one article too large for it alone, and one too large even summarised.
  const body = (size: number) => ({ ...article, contentHtml: `<p>${'x'.repeat(size)}</p>`, summary: 's' });
  const huge = { ...article, id: 'urn:x:d', summary: 'y'.repeat(20_000) };
  const site2 = { title: 't', description: '', url: 'https://e.org/', language: 'en', links: { rss: 'https://e.org/rss.xml', atom: 'https://e.org/atom.xml', json: 'https://e.org/feed.json', html: 'https://e.org/', xsl: 'https://e.org/feed.xsl' }, id: 'urn:x:f', hubs: [], ttlMinutes: 15, generator: { name: 'kiosque', version: '0', uri: 'https://e.org/' } };
  const over = fitBudget({ site: site2, entries: [body(3000), { ...body(20_000), id: 'urn:x:b' }, { ...body(3000), id: 'urn:x:c' }, huge], updated: new Date(NOW) }, 5000);
  // The same feed declared complete: it cannot keep that claim once an article is left out.
  const incomplete = fitBudget({ site: site2, entries: [body(3000), { ...body(20_000), id: 'urn:x:b' }, huge], updated: new Date(NOW), paging: { complete: true } }, 5000);
  const podcastPages = parseFeedSpecs([{ path: 'show/', podcast: { category: 'News', image: 'https://e.org/a.png' }, archive: { pageSize: 10 } }], 'kiosque.config.json').issues;
  return [...podcastPages, ...caseTwins, ...twoTitled, ...planFeedSet(specs, indexArticles(columns, selection, site), site).issues, ...episodesOf([article], { folder: 'podcast/', rss: 'podcast/rss.xml' }).issues,
    ...episodesOf([{ ...article, enclosures: [{ url: 'https://e.org/a.wav', type: 'audio/wav', length: 1 }] }, { ...article, enclosures: [{ url: 'https://e.org/a.mp3', type: 'audio/mpeg', length: 1 }] }], { folder: 'podcast/', rss: 'podcast/rss.xml', type: 'serial' }).issues, ...budgetIssues(over, '', 5000), ...budgetIssues(incomplete, '', 5000)];
}

/** A path that leaves out/, and a tidying step that fails once the new publication is live. */
async function publishInputs(dir: string): Promise<Issue[]> {
  const out = join(dir, 'out-publish');
  const file = (path: string, text: string) => ({ path, mediaType: 'application/rss+xml; charset=utf-8', data: enc(text) });
  const options = { maxAge: 60, hubs: [], now: new Date(NOW) };
  const bad = await publish(out, [file('../escape.xml', 'x')], options);
  await publish(out, [file('rss.xml', 'v1'), file('old.xml', 'v1')], options);
  const cleanup = await publish(out, [file('rss.xml', 'v2')], {
    ...options,
    onStep: (step) => {
      if (step.startsWith('unlink ')) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
  });
  // A run holding an older lease token than the published one.
  await publish(out, [file('rss.xml', 'v3')], { ...options, fence: 5 });
  const fenced = await publish(out, [file('rss.xml', 'v4')], { ...options, fence: 4 });
  // A live publication whose manifest is damaged.
  const damagedOut = join(dir, 'out-damaged');
  const first = await publish(damagedOut, [file('rss.xml', 'v1')], options);
  await writeFile(join(damagedOut, '.kiosque', 'generations', first.value!.generation, '.manifest.json'), '{');
  const damaged = await publish(damagedOut, [file('rss.xml', 'v2')], options);
  return [...bad.issues, ...cleanup.issues, ...fenced.issues, ...damaged.issues];
}

/** A build with a hub whose record of owed pings cannot be written (a folder in its way). */
async function pingsInputs(dir: string): Promise<Issue[]> {
  const site = join(dir, 'pings');
  await mkdir(join(site, 'out', PINGS_FILE, 'in-the-way'), { recursive: true });
  await makeSite(site, { hubs: ['http://127.0.0.1:9/'], feeds: [{ path: '' }] });
  const config = (await loadConfig(undefined, site)).value!;
  return (await build(config, { now: new Date(NOW), lockWaitMs: 0, version: 'test' })).issues;
}

/** A bucket that refuses uploads, one that refuses deletions, and a purge hook that fails. */
async function s3Inputs(dir: string): Promise<Issue[]> {
  const s3 = await startS3Server('registry');
  try {
    const retry = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
    const target = (prefix: string) => s3Target(s3.settings(prefix), { stagingDir: join(dir, prefix), publicBase: 'https://e.org/', retry });
    const file = (path: string, text: string) => ({ path, mediaType: 'application/rss+xml; charset=utf-8', data: enc(text) });
    const options = { maxAge: 60, hubs: [], now: new Date(NOW) };
    s3.fault = (r) => (r.method === 'PUT' && r.key.endsWith('rss.xml') ? { status: 403, code: 'AccessDenied' } : undefined);
    const refused = await target('a/').publish([file('rss.xml', 'v1')], options);
    s3.fault = () => undefined;
    await target('b/').publish([file('rss.xml', 'v1'), file('old.xml', 'v1')], options);
    s3.fault = (r) => (r.method === 'DELETE' && r.key.endsWith('old.xml') ? { status: 403, code: 'AccessDenied' } : undefined);
    const undeleted = await target('b/').publish([file('rss.xml', 'v2')], options);
    const purge = await runPurge({ command: [process.execPath, '-e', 'process.exit(3)'] }, { paths: ['/rss.xml'], urls: ['https://e.org/rss.xml'] });
    // An out dir built before the bucket's publication (b/, just published), pushed over it.
    await target('older/').publish([file('rss.xml', 'v1')], options);
    const staged = (await readManifest(join(dir, 'older/')))!;
    const rolledBack = await syncToS3(target('b/').connection, join(dir, 'older/'), staged, { publicBase: 'https://e.org/', built: '2000-01-01T00:00:00.000Z', refuseOlder: true });
    return [...refused.issues, ...undeleted.issues, ...(purge ? [purge] : []), ...rolledBack.issues];
  } finally {
    await s3.close();
  }
}

async function configInputs(dir: string): Promise<Issue[]> {
  await writeFile(join(dir, 'bad.json'), '{ "title": "t", "url": "not a url", "tilte": "x", "title": "t" }');
  return [...(await loadConfig(join(dir, 'bad.json'), dir)).issues, ...(await loadConfig(join(dir, 'absent.json'), dir)).issues];
}

/** Only reachable through a bug (the Markdown renderer throwing): nothing a user can write makes it fire. */
const UNREACHABLE: Record<string, string> = {
  'store-render-failed': 'reported when the Markdown renderer throws, which no input is known to do',
};

describe('every registered rule fires', () => {
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const t = await tempDir('kiosque-registry-');
    cleanup = t.cleanup;
    note(gateInputs());
    note(chainInputs());
    note(await repagedInputs());
    note(httpInputs());
    note(kiosqueInputs());
    // A complete feed missing a rejected episode (tests/cli/podcast.test.ts builds it through the CLI).
    note([incompleteIssue('show/', ['show/ep-2.md'])]);
    note(await configInputs(t.dir));
    note(await slowBody(t.dir));
    // An article the walk listed and that is gone when it is read (deleted meanwhile): as root, no permission stops a read.
    note(readHead('vanished.md', join(t.dir, 'vanished.md'), 100).issues);
    note(await publishInputs(t.dir));
    note(await pingsInputs(t.dir));
    note(feedSetInputs());
    note(await s3Inputs(t.dir));
    const site = join(t.dir, 'site');
    await mkdir(site);
    for (const id of await buildBrokenStore(site)) fired.add(id);
    // A missing file, and a URL nothing answers (port 9, discard, is closed on a test machine).
    const missing = await runCli(['validate', '--json', 'missing.xml', 'http://127.0.0.1:9/feed.xml'], { cwd: t.dir });
    note((JSON.parse(missing.stdout) as { files: { issues: { rule: string }[] }[] }).files.flatMap((f) => f.issues));
  }, 240_000);
  afterAll(() => cleanup());

  it.each(RULES.map((r) => [r.id]))('%s', (id) => {
    if (UNREACHABLE[id]) return;
    const files = fixtures.get(id) ?? [];
    for (const file of files) {
      if (fired.has(id)) break;
      // JSON Feed rules through the JSON validator validateDocument hands JSON Feeds to: a top-level
      // array (JF-DOC-002) is not recognised as a JSON Feed by detection, but the rule stays for direct callers.
      const bytes = readFileSync(file);
      const profile = file.includes(`${sep}apple-podcasts${sep}`) ? { profile: 'apple-podcasts' as const } : {};
      note(file.endsWith('.json') ? validateJsonFeed(bytes, 'f') : validateDocument(bytes, relative(repoRoot, file), profile).issues);
    }
    expect(fired.has(id), `no input makes ${id} fire: add a fixture naming it, or a case in this file`).toBe(true);
  });
});
