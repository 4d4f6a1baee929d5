import { describe, expect, it } from 'vitest';
import { parseFeedSpecs, type FeedSpec } from '../../src/model/feed-spec.js';
import { indexArticles, movedFeeds, pickRows, planFeedSet, rankingOf, vanishedFeeds, type PlannedFeed } from '../../src/model/feed-set.js';
import { rowOf, type ArticleHead } from '../../src/model/records.js';
import { selectColumns } from '../../src/model/select.js';
import { cleanLabel, cleanTags, foldKey, preferredLabel, slugForKey } from '../../src/model/tags.js';

const site = {
  title: 'Kiosque', description: 'Dépêches', url: 'https://kiosque.example/', feedBaseUrl: 'https://kiosque.example/feeds/',
  language: 'fr', limit: 50, authorName: 'La rédaction',
};
const config = { idPrefix: 'tag:kiosque.example,2020:', timezone: 'UTC' };
const NOW = new Date('2026-01-01T00:00:00Z');

type Article = { file: string; day: number; tags?: string[]; lang?: string; authors?: string[]; draft?: boolean };
const head = (a: Article): ArticleHead => ({
  file: a.file, format: 'md', date: `2021-01-${String(a.day).padStart(2, '0')}T00:00:00Z`, draft: a.draft ?? false,
  tags: a.tags ?? [], authors: a.authors ?? [], ...(a.lang ? { lang: a.lang } : {}), lines: {},
});

/** Plans the set over these articles and returns, per feed, its path, title and files (newest first). */
function plan(articles: Article[], specs?: FeedSpec[] | unknown[], published?: readonly string[], held?: Record<string, string[]>) {
  const heads = articles.map(head);
  const columns = { files: heads.map((h) => h.file), rows: heads.map(rowOf) };
  const selection = selectColumns(columns, config, NOW);
  const index = indexArticles(columns, selection, site);
  let parsed: FeedSpec[] | undefined;
  if (specs) {
    const result = parseFeedSpecs(specs, 'kiosque.config.json');
    if (!result.value) throw new Error(JSON.stringify(result.issues));
    parsed = result.value;
  }
  // `held`: the files whose articles each folder's last feed carried, as a second plan reads them (a file stands for its id).
  const set = planFeedSet(parsed, index, site, {
    compareRows: selection.compareRows,
    ...(published ? { published: (folder: string) => published.includes(folder) } : {}),
    ...(held ? { heldIds: (folder: string) => (held[folder] ? new Set(held[folder]) : undefined), idOfRow: (row: number) => columns.files[row] } : {}),
  });
  const ranking = rankingOf(selection);
  const files = (feed: PlannedFeed) => pickRows(feed, ranking, new Set()).map((row) => columns.files[row]);
  return { ...set, byPath: Object.fromEntries(set.feeds.map((f) => [f.path, { title: f.title, language: f.language, group: f.group, files: files(f) }])) };
}

const STORE: Article[] = [
  { file: 'economie/budget.md', day: 10, tags: ['Économie', 'Politique'], lang: 'fr', authors: ['Claire Martin'] },
  { file: 'economie/inflation.md', day: 9, tags: ['économie'], lang: 'fr', authors: ['Tomasz Nowak'] },
  { file: 'economie/energy.md', day: 8, tags: ['E\u0301conomie ', 'Energy'], lang: 'en', authors: ['Tomasz Nowak'] },
  { file: 'sport/tour.md', day: 7, tags: ['Sport'], lang: 'fr-CA' },
  { file: 'world/summit.md', day: 6, tags: ['Politique', 'Europe'], lang: 'en', authors: ['CLAIRE MARTIN'] },
  { file: 'world/draft.md', day: 5, tags: ['Brouillon'], draft: true },
];

describe('the default feed set', () => {
  it('is the main feed, one feed per tag and one per language when there are several', () => {
    const set = plan(STORE);
    // Per-value feeds come in code-point order of their slugs, whatever the machine's locale.
    expect(set.feeds.map((f) => f.path)).toEqual([
      '', 'tags/energy/', 'tags/europe/', 'tags/politique/', 'tags/sport/', 'tags/économie/', 'languages/en/', 'languages/fr/',
    ]);
    expect(set.byPath['']).toEqual({ title: 'Kiosque', language: 'fr', group: 'main', files: ['economie/budget.md', 'economie/inflation.md', 'economie/energy.md', 'sport/tour.md', 'world/summit.md'] });
    expect(set.byPath['languages/fr/']!.files).toEqual(['economie/budget.md', 'economie/inflation.md', 'sport/tour.md']);
    expect(set.byPath['languages/en/']).toMatchObject({ title: 'Kiosque : English', language: 'en', group: 'languages' });
    expect(set.issues).toEqual([]);
  });

  it('makes no language feeds for a store in one language', () => {
    const set = plan(STORE.filter((a) => a.lang !== 'en'));
    expect(set.feeds.some((f) => f.group === 'languages')).toBe(false);
  });

  it('folds case, Unicode normalisation and spaces into one tag, shown as most articles write it', () => {
    const set = plan(STORE);
    expect(set.byPath['tags/économie/']).toEqual({
      title: 'Kiosque : Économie', language: 'fr', group: 'tags',
      files: ['economie/budget.md', 'economie/inflation.md', 'economie/energy.md'],
    });
    // Two articles write "Politique" one way; the author written in capitals once is still one author.
    expect(set.byPath['tags/politique/']!.files).toEqual(['economie/budget.md', 'world/summit.md']);
  });
});

describe('feed specifications', () => {
  it('selects by tags any of and all of, language, author, store folder, and excludes', () => {
    const set = plan(STORE, [
      { path: 'any/', select: { tags: { anyOf: ['sport', 'ENERGY'] } } },
      { path: 'all/', select: { tags: { allOf: ['économie', 'politique'] } } },
      { path: 'fr/', select: { language: 'fr' } },
      { path: 'claire/', select: { author: 'claire martin' } },
      { path: 'eco/', select: { folder: 'economie/**' } },
      { path: 'eco-plain/', select: { folder: 'economie' } },
      { path: 'top/', select: { folder: '*/budget.md' } },
      { path: 'no-eco/', exclude: { tags: 'Économie', author: ['Nobody'] } },
      { path: 'en-politics/', select: { language: ['en'], tags: ['Politique'] }, limit: 1 },
      { path: 'default-author/', select: { author: 'La Rédaction' } },
    ]);
    const files = (path: string) => set.byPath[path]!.files;
    expect(files('any/')).toEqual(['economie/energy.md', 'sport/tour.md']);
    expect(files('all/')).toEqual(['economie/budget.md']);
    expect(files('fr/')).toEqual(['economie/budget.md', 'economie/inflation.md', 'sport/tour.md']);
    expect(files('claire/')).toEqual(['economie/budget.md', 'world/summit.md']);
    expect(files('eco/')).toEqual(['economie/budget.md', 'economie/inflation.md', 'economie/energy.md']);
    expect(files('eco-plain/')).toEqual(files('eco/'));
    expect(files('top/')).toEqual(['economie/budget.md']);
    expect(files('no-eco/')).toEqual(['sport/tour.md', 'world/summit.md']);
    expect(files('en-politics/')).toEqual(['world/summit.md']);
    expect(files('default-author/')).toEqual(['sport/tour.md']);
    expect(set.byPath['eco/']!.title).toBe('Kiosque : economie');
    expect(set.byPath['claire/']!.title).toBe('Kiosque : Claire Martin');
    expect(set.byPath['fr/']!.language).toBe('fr');
    // Listed on the index page with the feeds of its kind when it is about one tag, language or author.
    const groups = Object.fromEntries(Object.entries(set.byPath).map(([path, f]) => [path, f.group]));
    expect(groups).toMatchObject({ 'any/': 'sections', 'all/': 'sections', 'fr/': 'languages', 'claire/': 'authors', 'eco/': 'sections', 'no-eco/': 'sections', 'en-politics/': 'sections' });
  });

  it('expands one feed per author or tag, skipping values with fewer than minItems articles', () => {
    const set = plan(STORE, [
      { path: 'authors/{slug}/', each: 'author', minItems: 2, title: 'Par {value}' },
      { path: 'sujets/{slug}/', each: 'tag', select: { language: 'fr' }, exclude: { folder: 'sport/**' } },
    ]);
    expect(set.feeds.map((f) => f.path)).toEqual(['authors/claire-martin/', 'authors/tomasz-nowak/', 'sujets/politique/', 'sujets/économie/']);
    expect(set.byPath['authors/claire-martin/']).toMatchObject({ title: 'Par Claire Martin', group: 'authors', files: ['economie/budget.md', 'world/summit.md'] });
    expect(set.byPath['sujets/économie/']!.files).toEqual(['economie/budget.md', 'economie/inflation.md']);
  });

  it('gives a per-value feed its newest articles in publication order, same-day ones by id, skipping rejected bodies', () => {
    // Written in no particular order: the store's order must not leak into the feed's.
    const articles: Article[] = [
      { file: 'b/old.md', day: 2, tags: ['Sport'] },
      { file: 'b/newest.md', day: 20, tags: ['Sport'] },
      { file: 'b/tie-z.md', day: 12, tags: ['Sport'] },
      { file: 'b/other.md', day: 25, tags: ['Météo'] },
      { file: 'b/tie-a.md', day: 12, tags: ['Sport', 'Météo'] },
      { file: 'b/middle.md', day: 15, tags: ['Sport'] },
    ];
    const heads = articles.map(head);
    const columns = { files: heads.map((h) => h.file), rows: heads.map(rowOf) };
    const selection = selectColumns(columns, config, NOW);
    const index = indexArticles(columns, selection, site);
    const { feeds } = planFeedSet(parseFeedSpecs([{ path: 'tags/{slug}/', each: 'tag', limit: 3 }], 'kiosque.config.json').value!, index, site);
    const sport = feeds.find((f) => f.path === 'tags/sport/')!;
    const ranking = rankingOf(selection);
    const files = (rejected: number[]) => pickRows(sport, ranking, new Set(rejected)).map((row) => columns.files[row]);
    expect(files([])).toEqual(['b/newest.md', 'b/middle.md', 'b/tie-a.md']);
    // A body found broken makes room for the next article, as often as asked.
    expect(files([columns.files.indexOf('b/middle.md')])).toEqual(['b/newest.md', 'b/tie-a.md', 'b/tie-z.md']);
    expect(files([0, 1, 2, 4, 5])).toEqual([]);
    expect(files([])).toEqual(['b/newest.md', 'b/middle.md', 'b/tie-a.md']);
    // The archive pages see every article of the feed, in the same order.
    expect(ranking.inOrder(sport.rows!).map((row) => columns.files[row])).toEqual(['b/newest.md', 'b/middle.md', 'b/tie-a.md', 'b/tie-z.md', 'b/old.md']);
  });

  it('gives a broken file\'s kept head a place in the feeds that exist without it, but no feed, value or spelling of its own', () => {
    const articles: Article[] = [
      { file: 'a.md', day: 10, tags: ['Sport'] },
      { file: 'kept.md', day: 11, tags: ['sport', 'Rail'], lang: 'en' },
      { file: 'b.md', day: 12, tags: ['Sport'] },
    ];
    const heads = articles.map(head);
    const columns = { files: heads.map((h) => h.file), rows: heads.map(rowOf) };
    const selection = selectColumns(columns, config, NOW);
    const kept = new Set([1]);
    const index = indexArticles(columns, selection, site, kept);
    const { feeds } = planFeedSet(parseFeedSpecs([{ path: 'tags/{slug}/', each: 'tag' }, { path: 'languages/{slug}/', each: 'language', minValues: 1 }], 'kiosque.config.json').value!, index, site);
    // No Rail feed and no English one: the kept head alone carries them. Sport keeps its majority spelling without it.
    expect(feeds.map((f) => [f.path, f.title])).toEqual([['tags/sport/', 'Kiosque : Sport'], ['languages/fr/', expect.any(String)]]);
    // On the Sport feed's pages, in its place.
    const ranking = rankingOf(selection);
    expect(ranking.inOrder(feeds[0]!.rows!).map((row) => columns.files[row])).toEqual(['b.md', 'kept.md', 'a.md']);
  });

  it('takes a per-value feed\'s newest articles from its own rows in the order ranking the whole store gives, ties and rejected bodies included', () => {
    // Many articles a day (ties broken by id), files in an order unrelated to their dates, a limit far below each tag's count.
    const articles: Article[] = Array.from({ length: 400 }, (_, i) => ({
      file: `f/${String((i * 7919) % 400).padStart(3, '0')}-${i}.md`, day: 1 + ((i * 31) % 28), tags: [['Sport', 'Météo', 'Europe'][i % 3]!, ...(i % 5 === 0 ? ['Économie'] : [])],
    }));
    const heads = articles.map(head);
    const columns = { files: heads.map((h) => h.file), rows: heads.map(rowOf) };
    const selection = selectColumns(columns, config, NOW);
    const index = indexArticles(columns, selection, site);
    const { feeds } = planFeedSet(parseFeedSpecs([{ path: 'tags/{slug}/', each: 'tag', limit: 6 }], 'kiosque.config.json').value!, index, site);
    expect(feeds).toHaveLength(4);
    for (const feed of feeds) {
      // One ranking that never ranks the store (it only picks), one that puts every row of the feed in order.
      const picking = rankingOf(selection);
      const whole = rankingOf(selection).inOrder(feed.rows!);
      expect(whole.length).toBeGreaterThan(24);
      for (const rejected of [[], whole.slice(0, 3), [whole[1]!, whole[4]!, whole[9]!]]) {
        const expected = whole.filter((row) => !rejected.includes(row)).slice(0, 6);
        expect(pickRows(feed, picking, new Set(rejected))).toEqual(expected);
      }
    }
  });

  it('makes no per-value feed unless minValues values qualify', () => {
    const set = plan(STORE, [{ path: '' }, { path: 'lang/{slug}/', each: 'language', minValues: 3 }]);
    expect(set.feeds.map((f) => f.path)).toEqual(['']);
  });

  it('reports every problem of a feeds value at once, with its JSON pointer', () => {
    const { value, issues } = parseFeedSpecs([
      { path: '../up/' },
      { path: 'tags/', each: 'tag' },
      { path: 'x/', select: { tags: { someOf: ['a'] }, language: 'français', colour: 'red' }, limit: 0 },
      { path: '', minItems: 2, typo: true },
      { path: '' },
      'nonsense',
    ], 'k.json');
    expect(value).toBeUndefined();
    expect(issues.map((i) => [i.level, i.pointer])).toEqual([
      ['error', '/feeds/0/path'],
      ['error', '/feeds/1/path'],
      ['error', '/feeds/2/limit'],
      ['error', '/feeds/2/select/colour'],
      ['error', '/feeds/2/select/tags'],
      ['error', '/feeds/2/select/language'],
      ['warning', '/feeds/3/typo'],
      ['error', '/feeds/3/minItems'],
      ['error', '/feeds/4/path'],
      ['error', '/feeds/5'],
    ]);
    expect(parseFeedSpecs([], 'k.json').issues[0]).toMatchObject({ pointer: '/feeds', level: 'error' });
    // The feed already using a path is named by its pointer, as the problem is.
    expect(issues.find((i) => i.pointer === '/feeds/4/path')!.message).toContain('the feed at /feeds/3 already uses the path ""');
  });

  it('refuses a misspelt select or exclude, which would fill the feed with the whole site, and suggests the key for other typos', () => {
    const { value, issues } = parseFeedSpecs([{ path: '' }, { path: 'sport/', selct: { folder: 'sport' } }, { path: 'x/', Exlude: { tags: 'a' }, titel: 'X' }], 'k.json');
    expect(value).toBeUndefined();
    expect(issues.map((i) => [i.rule, i.level, i.pointer, i.message])).toEqual([
      ['config-invalid', 'error', '/feeds/1/selct', 'unknown key "selct" in feed 2: did you mean "select"? As written, this feed would carry every article of the site'],
      ['config-invalid', 'error', '/feeds/2/Exlude', 'unknown key "Exlude" in feed 3: did you mean "exclude"? As written, this feed would exclude nothing'],
      ['config-unknown-key', 'warning', '/feeds/2/titel', 'unknown key "titel" in feed 3 is ignored (did you mean "title"?)'],
    ]);
  });

  it('refuses a path with a folder named as a file of the publication, before anything is built', () => {
    for (const path of ['rss.xml/', 'sport/feed.json/', 'feeds.opml/', 'archive/1.xml/', 'tags/{slug}/index.html/', 'rss.xml.gz/', 'archive/2.json.br/', 'RSS.XML/']) {
      const { value, issues } = parseFeedSpecs([{ path: '' }, { path, ...(path.includes('{slug}') ? { each: 'tag' } : {}) }], 'k.json');
      expect(value, path).toBeUndefined();
      expect(issues[0], path).toMatchObject({ rule: 'config-invalid', pointer: '/feeds/1/path', message: expect.stringContaining('as a file of the publication is') });
    }
    // A folder named like a page only inside archive/, and names merely ending so, are folders like any.
    expect(parseFeedSpecs([{ path: '1.xml/' }, { path: 'archive/' }, { path: 'rss.xml.d/' }], 'k.json').issues).toEqual([]);
  });

  it('warns of two paths that differ only in case: one folder on a disk that ignores case', () => {
    const { value, issues } = parseFeedSpecs([{ path: '' }, { path: 'sport/' }, { path: 'Sport/', select: { tags: 'sport' } }], 'k.json');
    expect(value).toHaveLength(3);
    expect(issues).toEqual([expect.objectContaining({ rule: 'feed-path-case', level: 'warning', pointer: '/feeds/2/path' })]);
    expect(issues[0]!.message).toContain('"sport/" (/feeds/1) and "Sport/"');
  });
});

describe('language feeds', () => {
  it('are titled by the language\'s own name, Serbian and the old code for Hebrew too, and by the code when it is not listed', () => {
    const set = plan([{ file: 'a.md', day: 1, lang: 'sr' }, { file: 'b.md', day: 2, lang: 'iw' }, { file: 'c.md', day: 3, lang: 'haw' }]);
    expect(['languages/sr/', 'languages/iw/', 'languages/haw/'].map((p) => set.byPath[p]?.title)).toEqual(['Kiosque : Српски', 'Kiosque : עברית', 'Kiosque : haw']);
  });
});

describe('a podcast', () => {
  it('is listed with the podcasts, not with the tags, though it selects one tag\'s articles', () => {
    const podcast = { category: 'News', image: 'https://e.org/a.png' };
    const set = plan([{ file: 'a.md', day: 1, tags: ['Podcast'] }], [{ path: '' }, { path: 'show/', title: 'Le point du jour', select: { tags: 'Podcast' }, podcast }, { path: 'tag/', select: { tags: 'Podcast' } }]);
    expect(set.byPath['show/']!.group).toBe('podcasts');
    expect(set.byPath['tag/']!.group).toBe('tags');
    // One show per tag, too.
    const shows = plan([{ file: 'a.md', day: 1, tags: ['Podcast'] }], [{ path: '' }, { path: 'pods/{slug}/', each: 'tag', select: { tags: 'Podcast' }, podcast }]);
    expect(shows.byPath['pods/podcast/']!.group).toBe('podcasts');
  });
});

describe('a podcast with archive pages', () => {
  it('is warned about: page entries carry no enclosure, so a backfilling app gets episodes it cannot play', () => {
    const podcast = { category: 'News', image: 'https://e.org/a.png' };
    const paged = parseFeedSpecs([{ path: 'show/', podcast, archive: { pageSize: 10 } }], 'kiosque.config.json');
    expect(paged.value).toHaveLength(1);
    expect(paged.issues).toEqual([expect.objectContaining({ rule: 'feed-podcast-pages', level: 'warning', pointer: '/feeds/0/archive', message: expect.stringContaining('"archive": { "complete": true }') })]);
    expect(parseFeedSpecs([{ path: 'show/', podcast, archive: { complete: true } }], 'kiosque.config.json').issues).toEqual([]);
  });
});

describe('tags and slugs', () => {
  it.each([
    ['French', ['Économie', 'économie', 'E\u0301conomie', '  ÉCONOMIE '], 'économie'],
    ['German', ['Straße', 'STRASSE', 'strasse'], 'strasse'],
    ['German umlauts', ['Wirtschaftsförderung', 'WIRTSCHAFTSFÖRDERUNG'], 'wirtschaftsförderung'],
    ['Greek', ['Οικονομία', 'ΟΙΚΟΝΟΜΊΑ', 'οικονομία'], 'οικονομία'],
    ['Japanese', ['経済', ' 経済 '], '経済'],
    ['Arabic', ['اقتصاد', 'اقتصاد '], 'اقتصاد'],
  ])('gives %s spellings of one tag one key and a slug that keeps its letters', (_script, spellings, slug) => {
    const keys = new Set(spellings.map(foldKey));
    expect(keys.size).toBe(1);
    expect(slugForKey([...keys][0]!)).toBe(slug);
  });

  it('folds Turkish I and ı alike, since a tag does not know its language: Irak, IRAK and ırak are one tag, and IMF one in any language', () => {
    const set = plan([
      { file: 'a.md', day: 1, tags: ['Irak'], lang: 'tr' },
      { file: 'b.md', day: 2, tags: ['IRAK'], lang: 'tr' },
      { file: 'c.md', day: 3, tags: ['ırak'], lang: 'tr' },
      { file: 'd.md', day: 4, tags: ['IMF'], lang: 'tr' },
      { file: 'e.md', day: 5, tags: ['IMF'], lang: 'en' },
    ]);
    expect(set.feeds.filter((f) => f.group === 'tags').map((f) => [f.path, set.byPath[f.path]!.files.sort()])).toEqual([
      ['tags/imf/', ['d.md', 'e.md']], ['tags/irak/', ['a.md', 'b.md', 'c.md']],
    ]);
    expect(set.issues.filter((i) => i.rule === 'feed-lookalike-values' || i.rule === 'feed-slug-collision')).toEqual([]);
  });

  it('warns of two tags that read the same but are two feeds, writing the invisible character as its code point', () => {
    const set = plan([
      { file: 'a.md', day: 1, tags: ['Wirtschaft'] },
      { file: 'b.md', day: 2, tags: ['Wirt\u00ADschaft'] },
      { file: 'c.md', day: 3, tags: ['ＡＢＣ'] },
      { file: 'd.md', day: 4, tags: ['ABC'] },
    ]);
    const warnings = set.issues.filter((i) => i.rule === 'feed-lookalike-values');
    expect(warnings.map((i) => i.message)).toEqual([
      expect.stringContaining('"Wirt<U+00AD>schaft" (b.md) and tag "Wirtschaft" (a.md) look alike but are two feeds, told apart by a character that shows nothing'),
      expect.stringMatching(/"(ＡＢＣ|ABC)" \([cd]\.md\) and tag "(ＡＢＣ|ABC)" \([cd]\.md\) look alike but are two feeds, told apart by full-width or other compatibility letters:/),
    ]);
    // Plain case and accent variants are one tag, not look-alikes.
    expect(plan([{ file: 'a.md', day: 1, tags: ['Économie'] }, { file: 'b.md', day: 2, tags: ['économie'] }]).issues.filter((i) => i.rule === 'feed-lookalike-values')).toEqual([]);
  });

  it('gives an item each tag once, as first written, however its spellings differ: one tag feed, one category', () => {
    expect(cleanTags(['Économie', 'économie', ' E\u0301CONOMIE ', 'Politique', '', 'politique '])).toEqual(['Économie', 'Politique']);
  });

  it('makes slugs that are valid IRI path segments, stable, with punctuation as hyphens', () => {
    expect(slugForKey(foldKey('Rock & Roll / 2024'))).toBe('rock-roll-2024');
    expect(slugForKey(foldKey('C++'))).toBe('c');
    expect(slugForKey(foldKey('+++'))).toMatch(/^[0-9a-f]{8}$/);
    expect(slugForKey(foldKey('+++'))).toBe(slugForKey(foldKey('+++')));
    expect(Array.from(slugForKey('a'.repeat(200)))).toHaveLength(60);
    expect(new URL(`https://x.example/tags/${encodeURIComponent(slugForKey(foldKey('Οικονομία')))}/`).pathname).toBe('/tags/%CE%BF%CE%B9%CE%BA%CE%BF%CE%BD%CE%BF%CE%BC%CE%AF%CE%B1/');
  });

  it('shows the spelling most articles use, on a tie the first file\'s', () => {
    expect(preferredLabel(new Map([['économie', [2, 'b.md']], ['Économie', [1, 'a.md']]]))).toBe('économie');
    expect(preferredLabel(new Map([['économie', [1, 'b.md']], ['Économie', [1, 'a.md']]]))).toBe('Économie');
    expect(preferredLabel(new Map([['CLAIRE MARTIN', [1, 'b.md']], ['Claire Martin', [1, 'a.md']]]))).toBe('Claire Martin');
    expect(cleanLabel(' E\u0301conomie\n ')).toBe('Économie');
  });

  it('reports two tags that share a slug, naming both files, and publishes each in its own stable folder', () => {
    const set = plan([
      { file: 'a.md', day: 1, tags: ['C++'] },
      { file: 'b.md', day: 2, tags: ['C'] },
    ]);
    const tagPaths = set.feeds.filter((f) => f.group === 'tags').map((f) => f.path);
    expect(tagPaths).toHaveLength(2);
    expect(tagPaths).toContain('tags/c/');
    expect(set.issues).toHaveLength(1);
    // C++ has the older article: it keeps the plain slug.
    expect(set.issues[0]).toMatchObject({ rule: 'feed-slug-collision', level: 'warning', file: 'b.md' });
    expect(set.issues[0]!.message).toContain('a.md');
    expect(set.issues[0]!.message).toContain('b.md');
    expect(plan([{ file: 'a.md', day: 1, tags: ['C++'] }, { file: 'b.md', day: 2, tags: ['C'] }]).feeds.map((f) => f.path)).toEqual(set.feeds.map((f) => f.path));
  });

  it('gives a tag, an author or a section the language most of its articles are in, the site\'s on a tie', () => {
    const set = plan([
      { file: 'ar1.md', day: 1, tags: ['سياسة', 'Marseille'], lang: 'ar', authors: ['Karim Benali'] },
      { file: 'ar2.md', day: 2, tags: ['سياسة'], lang: 'ar', authors: ['Karim Benali'] },
      { file: 'en1.md', day: 3, tags: ['Marseille'], lang: 'en' },
      { file: 'fr1.md', day: 4, tags: ['Marseille'] },
      { file: 'ar/ar3.md', day: 5, lang: 'ar' },
    ], [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }, { path: 'authors/{slug}/', each: 'author' }, { path: 'monde-arabe/', select: { folder: 'ar/**' } }]);
    expect(set.byPath['tags/سياسة/']!.language).toBe('ar');
    expect(set.byPath['authors/karim-benali/']!.language).toBe('ar');
    expect(set.byPath['monde-arabe/']!.language).toBe('ar');
    // One article each in ar, en and fr: the site's language; and so for one in en and one in de.
    expect(set.byPath['tags/marseille/']!.language).toBe('fr');
    expect(plan([{ file: 'en.md', day: 1, tags: ['Europe'], lang: 'en' }, { file: 'de.md', day: 2, tags: ['Europe'], lang: 'de' }], [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }]).byPath['tags/europe/']!.language).toBe('fr');
    // The main feed says the configured language, whatever its articles.
    expect(set.byPath['']!.language).toBe('fr');
  });

  it('keeps a tag in its folder when another spelling with the same slug appears: the tag with the oldest article holds it', () => {
    const before = plan([{ file: 'a.md', day: 1, tags: ['Santé/Social'] }, { file: 'b.md', day: 2, tags: ['Santé/Social'] }]);
    expect(before.byPath['tags/santé-social/']!.files).toEqual(['b.md', 'a.md']);
    // A newer article spelt apart: whatever its key's order, it gets the hashed folder.
    const after = plan([{ file: 'a.md', day: 1, tags: ['Santé/Social'] }, { file: 'b.md', day: 2, tags: ['Santé/Social'] }, { file: 'c.md', day: 3, tags: ['Santé / Social'] }], undefined, ['', 'tags/santé-social/']);
    expect(after.byPath['tags/santé-social/']!.files).toEqual(['b.md', 'a.md']);
    const moved = Object.keys(after.byPath).filter((p) => p.startsWith('tags/santé-social-'));
    expect(moved).toHaveLength(1);
    expect(after.byPath[moved[0]!]!.files).toEqual(['c.md']);
    expect(after.issues).toEqual([expect.objectContaining({ rule: 'feed-slug-collision', file: 'c.md' })]);
  });

  it('keeps a tag published under its hashed folder there, when the tag that held the plain one comes or goes', () => {
    // C++ (the newer) was published as tags/c-…/ beside C: its folder is its readers' address, so it stays.
    const store = [{ file: 'a.md', day: 2, tags: ['C++'] }, { file: 'b.md', day: 1, tags: ['C'] }];
    const both = plan(store);
    const hashed = both.feeds.map((f) => f.path).find((p) => p.startsWith('tags/c-'))!;
    expect(both.byPath[hashed]!.files).toEqual(['a.md']);
    const published = ['', 'tags/c/', hashed];
    const again = plan(store, undefined, published);
    expect(again.byPath['tags/c/']!.files).toEqual(['b.md']);
    expect(again.byPath[hashed]!.files).toEqual(['a.md']);
    // Told again on every build both are there, not only on the one that moved C++.
    expect(again.issues).toEqual([expect.objectContaining({ rule: 'feed-slug-collision', file: 'a.md' })]);
    expect(again.issues[0]!.message).toContain(`"C" keeps it, "C++" is published as "${hashed.slice('tags/'.length, -1)}"`);
    // The C article deleted: C++ stays where its readers are, and tags/c/ is gone rather than handed over.
    const alone = plan([store[0]!], undefined, published);
    expect(alone.byPath[hashed]!.files).toEqual(['a.md']);
    expect(alone.byPath['tags/c/']).toBeUndefined();
    expect(alone.issues).toEqual([]);
    // A new tag whose own slug reads as C++'s hashed folder does not take that folder over.
    const lookalike = hashed.slice('tags/'.length, -1).replace('-', ' ');
    const newcomer = plan([...store, { file: 'c.md', day: 3, tags: [lookalike] }], undefined, published);
    expect(newcomer.byPath[hashed]!.files).toEqual(['a.md']);
    expect(newcomer.issues).toEqual([expect.objectContaining({ rule: 'feed-slug-collision', file: 'a.md' }), expect.objectContaining({ rule: 'feed-slug-collision', file: 'c.md' })]);
    expect(Object.entries(newcomer.byPath).find(([, f]) => f.files.includes('c.md'))![0]).not.toBe(hashed);
    // Without that history, a lone C++ takes the plain slug, as on a first build.
    expect(plan([store[0]!]).byPath['tags/c/']!.files).toEqual(['a.md']);
  });

  it('gives a feed to a tag whose own slug is the hashed slug another tag would get', () => {
    const hashed = plan([{ file: 'a.md', day: 1, tags: ['C'] }, { file: 'b.md', day: 2, tags: ['C++'] }]).feeds.map((f) => f.path).find((p) => p.startsWith('tags/c-'))!;
    const lookalike = hashed.slice('tags/'.length, -1).replace('-', ' ');
    const set = plan([{ file: 'a.md', day: 1, tags: ['C'] }, { file: 'b.md', day: 2, tags: ['C++'] }, { file: 'c.md', day: 3, tags: [lookalike] }]);
    expect(set.issues.filter((i) => i.rule === 'feed-path-collision')).toEqual([]);
    expect(set.byPath[hashed]!.files).toEqual(['c.md']);
    expect(set.byPath[`${hashed.slice(0, -1)}-2/`]!.files).toEqual(['b.md']);
  });

  it('keeps a tag spelled as another tag\'s hashed folder in that folder, once its last feed is read, and the other tag in its numbered one', () => {
    const store = [{ file: 'a.md', day: 1, tags: ['C'] }, { file: 'b.md', day: 2, tags: ['C++'] }];
    const hashed = plan(store).feeds.map((f) => f.path).find((p) => p.startsWith('tags/c-'))!;
    const lookalike = { file: 'c.md', day: 3, tags: [hashed.slice('tags/'.length, -1)] };
    const first = plan([...store, lookalike]);
    const numbered = `${hashed.slice(0, -1)}-2/`;
    expect(first.byPath[hashed]!.files).toEqual(['c.md']);
    expect(first.byPath[numbered]!.files).toEqual(['b.md']);
    // Built again with nothing changed: a plan from the folders alone would hand the lookalike's folder to C++; it is
    // contested, and once its feed is read (it carried c.md) each keeps its own.
    const published = ['', 'tags/c/', hashed, numbered];
    expect(plan([...store, lookalike], undefined, published).contested).toEqual(expect.arrayContaining([hashed, numbered, 'tags/c/']));
    const again = plan([...store, lookalike], undefined, published, { 'tags/c/': ['a.md'], [hashed]: ['c.md'], [numbered]: ['b.md'] });
    expect(again.byPath[hashed]!.files).toEqual(['c.md']);
    expect(again.byPath[numbered]!.files).toEqual(['b.md']);
    expect(again.byPath['tags/c/']!.files).toEqual(['a.md']);
    // The lookalike gone, C++ stays in its numbered folder rather than moving to the plain hashed one.
    const alone = plan(store, undefined, published, { 'tags/c/': ['a.md'], [hashed]: ['c.md'], [numbered]: ['b.md'] });
    expect(alone.byPath[numbered]!.files).toEqual(['b.md']);
    expect(alone.byPath[hashed]).toBeUndefined();
  });

  it('tells of two tags that share a slug on every build, also once both are in hashed folders and the plain one is free', () => {
    const store = [{ file: 'a.md', day: 1, tags: ['C'] }, { file: 'b.md', day: 2, tags: ['C++'] }];
    const declared = plan(store, [{ path: '' }, { path: 'tags/c/', select: { tags: 'C' } }, { path: 'tags/{slug}/', each: 'tag' }]);
    const folders = Object.keys(declared.byPath).filter((p) => p.startsWith('tags/c-'));
    expect(folders).toHaveLength(2);
    // The declared feed removed: both stay where their readers are, and are still told about.
    const held = Object.fromEntries(folders.map((f) => [f, declared.byPath[f]!.files as string[]]));
    const after = plan(store, [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }], ['', 'tags/c/', ...folders], held);
    expect(Object.keys(after.byPath).filter((p) => p.startsWith('tags/')).sort()).toEqual([...folders].sort());
    expect(after.issues.map((i) => [i.rule, i.file]).sort()).toEqual([['feed-slug-collision', 'a.md'], ['feed-slug-collision', 'b.md']]);
    expect(after.issues.every((i) => i.message.includes('each stays in the folder it was published in'))).toBe(true);
  });

  it('gives every tag whose folder a declared feed already has its hashed folder, rather than no feed', () => {
    const set = plan(
      [{ file: 'a.md', day: 2, tags: ['C'] }, { file: 'b.md', day: 1, tags: ['C#'] }],
      [{ path: '' }, { path: 'tags/c/', title: 'C language desk', select: { tags: 'C' } }, { path: 'tags/{slug}/', each: 'tag' }],
    );
    expect(set.issues.filter((i) => i.rule === 'feed-path-collision')).toEqual([]);
    expect(set.byPath['tags/c/']!.title).toBe('C language desk');
    const tagFeeds = Object.entries(set.byPath).filter(([path, f]) => path.startsWith('tags/c-') && f.group === 'tags');
    expect(tagFeeds.map(([, f]) => f.files).sort()).toEqual([['a.md'], ['b.md']]);
    expect(set.issues.map((i) => [i.rule, i.file]).sort()).toEqual([['feed-slug-collision', 'a.md'], ['feed-slug-collision', 'b.md']]);
    expect(set.issues.every((i) => i.message.includes('where the feed "tags/c/" already is'))).toBe(true);
  });

  it('warns once per title that several feeds share: a section, a tag and an author of one name', () => {
    const set = plan(
      [{ file: 'a.md', day: 1, tags: ['Marie Dupont'], authors: ['Paul Roux'] }, { file: 'b.md', day: 2, tags: ['Sport'], authors: ['Marie Dupont'] }, { file: 'sport/m.md', day: 3 }],
      [{ path: '' }, { path: 'sport/', select: { folder: 'sport' } }, { path: 'tags/{slug}/', each: 'tag' }, { path: 'authors/{slug}/', each: 'author' }],
    );
    const shared = set.issues.filter((i) => i.rule === 'feed-title-shared');
    expect(shared.map((i) => i.message.slice(0, i.message.indexOf(';')))).toEqual([
      '2 feeds are titled "Kiosque : sport": sport/, tags/sport/',
      '2 feeds are titled "Kiosque : Marie Dupont": tags/marie-dupont/, authors/marie-dupont/',
    ]);
    // Titled apart, as the warning says: nothing to tell.
    const apart = plan(
      [{ file: 'a.md', day: 1, tags: ['Marie Dupont'], authors: ['Paul Roux'] }, { file: 'b.md', day: 2, authors: ['Marie Dupont'] }],
      [{ path: '' }, { path: 'tags/{slug}/', each: 'tag' }, { path: 'authors/{slug}/', each: 'author', title: 'Kiosque : par {value}' }],
    );
    expect(apart.issues).toEqual([]);
  });

  it('plans 2,000 distinct tags, each feed with its own articles', () => {
    const articles: Article[] = Array.from({ length: 4000 }, (_, i) => ({ file: `a/${String(i).padStart(4, '0')}.md`, day: 1 + (i % 28), tags: [`Sujet ${i % 2000}`] }));
    const set = plan(articles);
    const tags = set.feeds.filter((f) => f.group === 'tags');
    expect(tags).toHaveLength(2000);
    expect(new Set(tags.map((f) => f.path)).size).toBe(2000);
    expect(set.byPath['tags/sujet-1999/']!.files.sort()).toEqual(['a/1999.md', 'a/3999.md']);
  });
});

describe('movedFeeds', () => {
  const base = 'https://kiosque.example/feeds/';
  it('redirects each document and the page of a moved folder to the same name in the new one, percent-encoded', () => {
    const { value, issues } = movedFeeds({ feedBaseUrl: base, moved: [{ from: 'tags/économie/', to: `${base}tags/%C3%A9co/` }] }, ['', 'tags/éco/'], 'kiosque.config.json');
    expect(issues).toEqual([]);
    expect(value).toEqual(['rss.xml', 'atom.xml', 'feed.json', 'index.html'].map((file) => ({ path: `tags/économie/${file}`, to: `${base}tags/%C3%A9co/${file}` })));
  });

  it('serves a moved folder that is a feed again, and warns of a new folder that is no feed of the set; an address elsewhere is not judged', () => {
    const moved = [
      { from: 'tags/a/', to: `${base}tags/b/` },
      { from: 'tags/c/', to: `${base}tags/nowhere/` },
      { from: 'tags/d/', to: 'https://elsewhere.example/d/' },
    ];
    const { value, issues } = movedFeeds({ feedBaseUrl: base, moved }, ['', 'tags/a/', 'tags/b/'], 'site.json');
    expect(issues.map((i) => [i.rule, i.file, i.pointer])).toEqual([['feed-moved-published', 'site.json', '/moved'], ['feed-moved-nowhere', 'site.json', '/moved']]);
    expect(new Set(value.map((m) => m.path.split('/')[1]))).toEqual(new Set(['c', 'd']));
  });

  it('warns of an old folder the last publication neither had nor redirected: a misspelt one leaves the real one to a 410', () => {
    const previous = ['rss.xml', 'tags/île-de-france/rss.xml', 'tags/old/rss.xml'];
    const moved = [{ from: 'tags/ile-de-france/', to: `${base}tags/idf/` }, { from: 'tags/old/', to: `${base}tags/idf/` }];
    const { issues } = movedFeeds({ feedBaseUrl: base, moved }, ['', 'tags/idf/'], 'site.json', previous);
    expect(issues).toEqual([expect.objectContaining({ rule: 'feed-moved-unknown', message: expect.stringContaining('tags/ile-de-france/ was neither published, redirected nor answered 410') })]);
    // A first build has no last publication to judge by.
    expect(movedFeeds({ feedBaseUrl: base, moved }, ['', 'tags/idf/'], 'site.json', []).issues).toEqual([]);
    // A folder that answered 410: redirecting it mends a forgotten `moved`.
    expect(movedFeeds({ feedBaseUrl: base, moved: [moved[0]!] }, ['', 'tags/idf/'], 'site.json', previous, undefined, ['tags/ile-de-france/rss.xml']).issues).toEqual([]);
  });

  it('redirects the archive pages the old folder had, but none the new folder does not publish: that page is gone, not a redirect to a 404', () => {
    const previous = ['tags/a/rss.xml', 'tags/a/archive/1.xml', 'tags/a/archive/2.atom', 'tags/a/archive/3.json', 'tags/a/index.html', 'tags/x/archive/1.xml'];
    const publishing = new Set(['tags/b/rss.xml', 'tags/b/archive/1.xml', 'tags/b/archive/2.atom']);
    const { value } = movedFeeds({ feedBaseUrl: base, moved: [{ from: 'tags/a/', to: `${base}tags/b/` }] }, ['', 'tags/b/'], 'site.json', previous, publishing);
    expect(value.filter((m) => m.path.includes('/archive/'))).toEqual([
      { path: 'tags/a/archive/1.xml', to: `${base}tags/b/archive/1.xml` },
      { path: 'tags/a/archive/2.atom', to: `${base}tags/b/archive/2.atom` },
    ]);
  });
});

describe('vanishedFeeds', () => {
  it('lists each feed of the last publication the set lacks, with its documents, page and archive pages, and leaves moved folders out', () => {
    const paths = [
      'rss.xml', 'atom.xml', 'feed.json', 'index.html', 'feeds.opml', 'archive/1.xml',
      'tags/rail/rss.xml', 'tags/rail/atom.xml', 'tags/rail/feed.json', 'tags/rail/index.html', 'tags/rail/archive/1.atom',
      'tags/eco/rss.xml', 'tags/old/rss.xml', 'tags/old/index.html',
    ];
    const vanished = vanishedFeeds(paths, ['', 'tags/eco/'], ['tags/old/']);
    expect([...vanished]).toEqual([['tags/rail/', ['tags/rail/rss.xml', 'tags/rail/atom.xml', 'tags/rail/feed.json', 'tags/rail/index.html', 'tags/rail/archive/1.atom']]]);
    expect(vanishedFeeds(paths, ['', 'tags/eco/', 'tags/rail/', 'tags/old/']).size).toBe(0);
  });
});

