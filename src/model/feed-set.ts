/**
 * The feed set: which feeds a build publishes, where, and which articles each carries. Every
 * feed is planned from the one selection over the store's heads (model/select.ts); the set
 * names the files every feed is published as. Pure.
 */
import type { Config } from '../config.js';
import type { Issue, Result } from '../issue.js';
import { DEFAULT_FEEDS, folderPattern, type Each, type FeedSpec, type Selector } from './feed-spec.js';
import { FEED_FILES, INDEX_FILE } from './files.js';
import { encodePath, feedId } from './ids.js';
import { splitList, type HeadColumns } from './records.js';
import type { Selection } from './select.js';
import { cleanLabel, foldKey, lookalikeKey, preferredLabel, shortHash, slugForKey, visibleLabel } from './tags.js';
import { toPodcast, type PodcastSpec } from './podcast.js';
import { ARCHIVE_FOLDER, DEFAULT_MAIN_ARCHIVE, isComplete, isPaged, parsePagePath, type ArchiveSpec } from './archive.js';
import type { Site } from './types.js';
import { isPublishableLanguage } from '../values/language.js';

export { FEED_FILES, INDEX_FILE, OPML_FILE, STYLESHEET_FILE } from './files.js';

export type Group = 'main' | 'sections' | 'podcasts' | 'tags' | 'languages' | 'authors';
export const GROUPS: readonly Group[] = ['main', 'sections', 'podcasts', 'tags', 'languages', 'authors'];
const GROUP_OF_EACH: Record<Each, Group> = { tag: 'tags', language: 'languages', author: 'authors' };

/** One feed of the set, before its articles are read. */
export type PlannedFeed = {
  /** Folder under out/: '' for the main feed, else ending in `/`. */
  path: string;
  group: Group;
  /** The tag, language or author a per-value feed is about, as shown. */
  subject?: string;
  title: string;
  description: string;
  language: string;
  /** Absolute URL of the feed's home page (`<link>`, `home_page_url`). */
  link: string;
  limit: number;
  /** True when the feed carries every article (no selection): its first `limit` are the store's. */
  everything: boolean;
  /** Whether the article of head row `row` belongs in this feed. */
  matches(row: number): boolean;
  /** Every row it matches, in no order, when the plan already knows them (per-value feeds). */
  rows?: readonly number[];
  /** Set when the feed is declared a podcast. */
  podcast?: PodcastSpec;
  /** One of the feeds a specification with `each` makes (a show per tag): one `podcast.guid` cannot serve them all. */
  perValue?: true;
  /** Its own byte budget per document, when its specification sets one. */
  maxBytes?: number;
  /** RFC 5005 archive pages, or fh:complete (then `limit` is every article it selects). */
  archive?: ArchiveSpec;
};

/** What the set needs to know about the site. */
export type SetSite = {
  title: string;
  description: string;
  /** Site home page and where out/ is served, both absolute with a trailing slash. */
  url: string;
  feedBaseUrl: string;
  language: string;
  limit: number;
  authorName?: string;
};

/** Interned values of one kind (tags, authors), keyed by `foldKey`. */
type Values = {
  keys: string[];
  ids: Map<string, number>;
  /** Per value: how many articles write each spelling, and the first of their files. */
  spellings: Map<string, [count: number, firstFile: string]>[];
  /** Per value: the first file (path order) that carries it, for reports. */
  files: string[];
};

/** Tags, language and authors of every publishable article, as value ids per head row. */
export type ArticleIndex = {
  files: readonly string[];
  rows: readonly number[];
  tags: Values;
  authors: Values;
  tagsOf: (readonly number[])[];
  authorsOf: (readonly number[])[];
  /** Lower-case language tag of each row (the site's when the article has none, or an invalid one). */
  languageOf: string[];
  /**
   * Rows holding a broken file's last good head (store/read.ts): on the pages of the feeds that
   * exist without them, but they make no feed, no value and no spelling of their own.
   */
  kept: ReadonlySet<number>;
};

const primary = (lang: string): string => lang.split('-')[0]!;

function newValues(): Values {
  return { keys: [], ids: new Map(), spellings: [], files: [] };
}

function intern(values: Values, label: string, key: string, file: string): number {
  let id = values.ids.get(key);
  if (id === undefined) {
    id = values.keys.push(key) - 1;
    values.ids.set(key, id);
    values.spellings.push(new Map());
    values.files.push(file);
  } else if (file < values.files[id]!) values.files[id] = file;
  const spellings = values.spellings[id]!;
  const known = spellings.get(label);
  if (!known) spellings.set(label, [1, file]);
  else {
    known[0]++;
    if (file < known[1]) known[1] = file;
  }
  return id;
}

/** A feed's RFC 5005 archive as its specification gives it: the main feed has pages unless `archive: false`. */
const archiveSpecOf = (spec: FeedSpec): ArchiveSpec | undefined => (spec.archive === false ? undefined : spec.archive ?? (spec.path === '' && !spec.each ? DEFAULT_MAIN_ARCHIVE : undefined));

/** Whether any feed of the set has archive pages: only their entries are made from the heads' title, url and summary. */
export const hasArchivePages = (specs: readonly FeedSpec[] | undefined): boolean => (specs ?? DEFAULT_FEEDS).some((spec) => isPaged(archiveSpecOf(spec)));

/**
 * Reads the tags, language and authors of every publishable article once, for every feed to
 * select from. Retracted articles are read too, so the feeds that would carry them can announce
 * them, but they count toward no value: a tag only they had makes no feed.
 */
export function indexArticles(columns: HeadColumns, selection: Pick<Selection, 'rows'> & { retractions?: Selection['retractions'] }, site: Pick<SetSite, 'language' | 'authorName'>, kept: ReadonlySet<number> = new Set()): ArticleIndex {
  const tags = newValues();
  const authors = newValues();
  const tagsOf: (readonly number[])[] = [];
  const authorsOf: (readonly number[])[] = [];
  const languageOf: string[] = [];
  // Few distinct spellings in a large store: clean and fold each once.
  const seen = new Map<string, [label: string, key: string]>();
  const clean = (raw: string): [string, string] => {
    let known = seen.get(raw);
    if (!known) {
      const label = cleanLabel(raw);
      known = [label, foldKey(label)];
      seen.set(raw, known);
    }
    return known;
  };
  const siteLanguage = site.language.toLowerCase();
  const none: readonly number[] = [];
  // Articles share few lists of values (authors above all): one array per distinct list, not one grown per article.
  const lists = new Map<string, readonly number[]>();
  const languages = new Map<string, string>();
  const read = (row: number, counted: boolean): void => {
    const file = columns.files[row]!;
    const cells = columns.rows[row]!;
    // One count per article and value, whichever spelling it repeats the value in.
    const valuesOf = (values: Values, names: [string, string][]): readonly number[] => {
      const ids: number[] = [];
      const keys: string[] = [];
      for (const [label, key] of names) {
        if (label === '' || keys.includes(key)) continue;
        keys.push(key);
        const id = counted ? intern(values, label, key, file) : values.ids.get(key);
        if (id !== undefined) ids.push(id);
      }
      if (ids.length === 0) return none;
      const key = ids.join(' ');
      let list = lists.get(key);
      if (!list) lists.set(key, (list = ids.slice()));
      return list;
    };
    let lang = languages.get(cells[8]);
    if (lang === undefined) {
      const tag = cells[8].trim();
      languages.set(cells[8], (lang = isPublishableLanguage(tag) ? tag.toLowerCase() : siteLanguage));
    }
    languageOf[row] = lang;
    tagsOf[row] = valuesOf(tags, splitList(cells[9]).map(clean));
    const names = splitList(cells[10]).map(clean).filter(([label]) => label !== '');
    if (names.length === 0 && site.authorName) names.push(clean(site.authorName));
    authorsOf[row] = valuesOf(authors, names);
  };
  for (const row of selection.rows) read(row, !kept.has(row));
  for (const r of selection.retractions ?? []) read(r.row, false);
  return { files: columns.files, rows: selection.rows, tags, authors, tagsOf, authorsOf, languageOf, kept };
}

/** A selector as a test on head rows; conditions combine with `all` (select) or `any` (exclude). */
function compile(selector: Selector, index: ArticleIndex, mode: 'all' | 'any'): (row: number) => boolean {
  const ids = (values: Values, names: string[]): number[] => names.map((n) => values.ids.get(foldKey(n)) ?? -1);
  const tests: ((row: number) => boolean)[] = [];
  if (selector.tagsAnyOf.length) {
    const wanted = ids(index.tags, selector.tagsAnyOf);
    tests.push((row) => index.tagsOf[row]!.some((t) => wanted.includes(t)));
  }
  if (selector.tagsAllOf.length) {
    const wanted = ids(index.tags, selector.tagsAllOf);
    tests.push((row) => wanted.every((t) => index.tagsOf[row]!.includes(t)));
  }
  if (selector.languages.length) {
    // RFC 4647 basic filtering: "fr" takes fr, fr-CA and fr-BE.
    const wanted = selector.languages.map((l) => l.toLowerCase());
    tests.push((row) => {
      const lang = index.languageOf[row]!;
      return wanted.some((w) => lang === w || lang.startsWith(`${w}-`));
    });
  }
  if (selector.authors.length) {
    const wanted = ids(index.authors, selector.authors);
    tests.push((row) => index.authorsOf[row]!.some((a) => wanted.includes(a)));
  }
  if (selector.folders.length) {
    const patterns = selector.folders.map(folderPattern);
    const plain = (file: string): string => (/^[\x20-\x7e]*$/.test(file) ? file : file.normalize('NFC'));
    tests.push((row) => patterns.some((p) => p.test(plain(index.files[row]!))));
  }
  if (mode === 'all') return (row) => tests.every((t) => t(row));
  return (row) => tests.some((t) => t(row));
}

/**
 * The language a feed is written in (RSS `language`, Atom and JSON Feed's): the one most of its articles have, so a
 * tag or an author writing in Arabic on a French site gets `ar`; the site's when no language is ahead of the others.
 */
export function languageOfRows(index: Pick<ArticleIndex, 'languageOf'>, rows: readonly number[], siteLanguage: string): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const lang = index.languageOf[row]!;
    counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const site = siteLanguage.toLowerCase();
  let most = 0;
  for (const n of counts.values()) most = Math.max(most, n);
  const top = [...counts].filter(([, n]) => n === most).map(([lang]) => lang);
  // No language ahead of every other (one article in English, one in German): the site's.
  return top.length === 1 && top[0] !== site ? top[0]! : siteLanguage;
}

/** Names of languages in themselves, for the titles of per-language feeds; a code not listed is shown as is. */
const LANGUAGE_NAMES: Record<string, string> = {
  ar: 'العربية', ca: 'Català', cs: 'Čeština', da: 'Dansk', de: 'Deutsch', el: 'Ελληνικά', en: 'English', es: 'Español',
  eu: 'Euskara', fa: 'فارسی', fi: 'Suomi', fr: 'Français', he: 'עברית', hi: 'हिन्दी', hu: 'Magyar', id: 'Bahasa Indonesia',
  it: 'Italiano', ja: '日本語', ko: '한국어', nb: 'Norsk bokmål', nl: 'Nederlands', no: 'Norsk', oc: 'Occitan', pl: 'Polski',
  pt: 'Português', ro: 'Română', ru: 'Русский', sv: 'Svenska', tr: 'Türkçe', uk: 'Українська', vi: 'Tiếng Việt', zh: '中文',
  // Listed rather than asked of Intl.DisplayNames: a Node upgrade's CLDR data must not retitle a published feed.
  az: 'Azərbaycan', be: 'Беларуская', bg: 'Български', bn: 'বাংলা', bs: 'Bosanski', cy: 'Cymraeg', et: 'Eesti', ga: 'Gaeilge',
  gl: 'Galego', hr: 'Hrvatski', hy: 'Հայերեն', is: 'Íslenska', iw: 'עברית', ka: 'ქართული', kk: 'Қазақ', lb: 'Lëtzebuergesch',
  lt: 'Lietuvių', lv: 'Latviešu', mk: 'Македонски', ms: 'Bahasa Melayu', mt: 'Malti', sk: 'Slovenčina', sl: 'Slovenščina',
  sq: 'Shqip', sr: 'Српски', sw: 'Kiswahili', ta: 'தமிழ்', th: 'ไทย', ur: 'اردو', uz: 'Oʻzbek',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code.toLowerCase()] ?? code;
}

/** "Site : Subject" with French spacing on a French site, "Site: Subject" otherwise. */
function titled(site: SetSite, subject: string): string {
  return `${site.title}${primary(site.language.toLowerCase()) === 'fr' ? ' : ' : ': '}${subject}`;
}

function describeFeed(site: SetSite, subject: string): string {
  return site.description ? `${subject} — ${site.description}` : subject;
}

/** What a feed without a title of its own is about, from its selection: one tag, language, author or folder. */
function subjectOf(spec: FeedSpec, index: ArticleIndex): string {
  const s = spec.select;
  const label = (values: Values, name: string): string => {
    const id = values.ids.get(foldKey(name));
    return id === undefined ? cleanLabel(name) : preferredLabel(values.spellings[id]!);
  };
  if (s) {
    const tags = [...s.tagsAnyOf, ...s.tagsAllOf];
    if (tags.length === 1 && !s.languages.length && !s.authors.length && !s.folders.length) return label(index.tags, tags[0]!);
    if (s.authors.length === 1 && !tags.length && !s.languages.length && !s.folders.length) return label(index.authors, s.authors[0]!);
    if (s.languages.length === 1 && !tags.length && !s.authors.length && !s.folders.length) return languageName(primary(s.languages[0]!));
    if (s.folders.length === 1 && !tags.length && !s.authors.length && !s.languages.length) {
      const name = s.folders[0]!.split('/').filter((seg) => seg !== '' && !/[*?]/.test(seg)).pop();
      if (name) return name;
    }
  }
  return spec.path.replace(/\/$/, '');
}

/** A declared feed about one tag, language or author is listed with those; any other is a section. */
function groupOf(s: Selector | undefined): Group {
  if (!s || s.folders.length) return 'sections';
  const tags = s.tagsAnyOf.length + s.tagsAllOf.length;
  if (tags === 1 && !s.languages.length && !s.authors.length) return 'tags';
  if (s.languages.length === 1 && !tags && !s.authors.length) return 'languages';
  if (s.authors.length === 1 && !tags && !s.languages.length) return 'authors';
  return 'sections';
}

function homePage(site: SetSite, path: string, link: string | undefined, slug?: string): string {
  if (link !== undefined) return new URL(slug === undefined ? link : link.replaceAll('{slug}', encodeURIComponent(slug)), site.url).href;
  return path === '' ? site.url : new URL(`${encodePath(path)}${INDEX_FILE}`, site.feedBaseUrl).href;
}

/** What the plan keeps stable across builds: the folders of the last publication, and the rows' publication order. */
export type PlanHistory = {
  /** Whether the last publication had a feed in this folder (`tags/c/`). */
  published?: (folder: string) => boolean;
  /** Publication order between two rows (negative: `a` is newer), as `Selection.compareRows`. */
  compareRows?: (a: number, b: number) => number;
  /** The ids of the items the last publication's feed in this folder carried, when it was read (a contested folder). */
  heldIds?: (folder: string) => ReadonlySet<string> | undefined;
  /** The id of the article of head row `row`. */
  idOfRow?: (row: number) => string | undefined;
};

/** Values of one kind that read the same on screen but are two (an invisible character, full-width letters): one warning for each after the first. */
function lookalikes(kind: string, list: readonly { key: string; label: string; file: string }[]): Issue[] {
  const first = new Map<string, { label: string; file: string }>();
  const issues: Issue[] = [];
  for (const value of list) {
    const look = /^[\x20-\x7e]*$/.test(value.key) ? value.key : lookalikeKey(value.key);
    const other = first.get(look);
    if (!other) {
      first.set(look, value);
      continue;
    }
    const both = value.label + other.label;
    const reasons = [
      ...(/\p{Default_Ignorable_Code_Point}/u.test(both) ? ['a character that shows nothing'] : []),
      ...(both.normalize('NFKC') !== both ? ['full-width or other compatibility letters'] : []),
    ];
    issues.push({
      rule: 'feed-lookalike-values', level: 'warning', file: value.file,
      message: `${kind} "${visibleLabel(value.label)}" (${value.file}) and ${kind} "${visibleLabel(other.label)}" (${other.file}) look alike but are two feeds, told apart by ${reasons.join(' and by ') || 'letters that look alike'}: type them alike to make one feed`,
    });
  }
  return issues;
}

/**
 * Feeds of the set with one title (a section, a tag and an author all called "Sport"): one warning per title. Readers list a
 * subscription by its title alone, so its subscribers cannot tell them apart.
 */
function sharedTitles(feeds: readonly PlannedFeed[], files: ReadonlyMap<string, string>): Issue[] {
  // Told apart by case alone ("sport", the folder; "Sport", the tag) they read as one in a list all the same.
  const byTitle = new Map<string, { title: string; paths: string[] }>();
  for (const { title, path } of feeds) {
    const key = title.normalize('NFKC').toLowerCase();
    const same = byTitle.get(key);
    if (same) same.paths.push(path);
    else byTitle.set(key, { title, paths: [path] });
  }
  return [...byTitle.values()].filter(({ paths }) => paths.length > 1).map(({ title, paths }) => ({
    rule: 'feed-title-shared', level: 'warning', file: files.get(paths[1]!) ?? '.',
    message: `${paths.length} feeds are titled "${visibleLabel(title)}": ${paths.map((p) => p || 'the main feed').join(', ')}; a reader lists them by title alone; give them "title"s apart in the configuration (with "each", "{value}" is the value: "… tag {value}")`,
  }));
}

/** Numbered hashed folders (`c-4c21a3f0-2`) looked for in the last publication: a tag spelled as another's hashed folder is rare, several rarer. */
const NUMBERED_UP_TO = 9;

/**
 * The feeds of the set, in the order of their specifications; a per-value specification gives
 * its feeds in the order of their slugs. Problems found in the store's values (two tags with
 * one slug, a folder another feed already has) are warnings, and the feeds stay stable.
 */
export function planFeedSet(specs: readonly FeedSpec[] | undefined, index: ArticleIndex, site: SetSite, history: PlanHistory = {}): { feeds: PlannedFeed[]; issues: Issue[]; contested: string[] } {
  const contested: string[] = [];
  const feeds: PlannedFeed[] = [];
  const issues: Issue[] = [];
  const taken = new Map<string, string>();
  // The file each feed comes from (a value's first; '.' for a declared feed), for warnings about it.
  const files = new Map<string, string>();
  const add = (feed: PlannedFeed, origin: string, file: string): void => {
    const first = taken.get(feed.path);
    if (first !== undefined) {
      issues.push({ rule: 'feed-path-collision', level: 'warning', file, message: `the feed ${origin} would be published in ${feed.path || 'the root'}, where ${first} already is: it is left out` });
      return;
    }
    taken.set(feed.path, origin);
    files.set(feed.path, file);
    feeds.push(feed);
  };
  for (const spec of specs ?? DEFAULT_FEEDS) {
    const select = spec.select ? compile(spec.select, index, 'all') : undefined;
    const exclude = spec.exclude ? compile(spec.exclude, index, 'any') : undefined;
    const base = (row: number): boolean => (!select || select(row)) && !(exclude && exclude(row));
    const archive = archiveSpecOf(spec);
    // A complete feed carries everything it selects in one document.
    const limit = isComplete(archive) ? Number.MAX_SAFE_INTEGER : spec.limit ?? site.limit;
    if (!spec.each) {
      const main = spec.path === '';
      const subject = main ? undefined : subjectOf(spec, index);
      const language = spec.select?.languages.length === 1 ? spec.select.languages[0]! : main ? site.language : languageOfRows(index, index.rows.filter(base), site.language);
      add({
        path: spec.path,
        // A podcast is listed with the podcasts whatever it selects: a show made of one tag's articles is no tag listing.
        group: main ? 'main' : spec.podcast ? 'podcasts' : groupOf(spec.select),
        ...(subject !== undefined ? { subject } : {}),
        title: spec.title ?? (subject === undefined ? site.title : titled(site, subject)),
        description: spec.description ?? (subject === undefined ? site.description : describeFeed(site, subject)),
        language,
        link: homePage(site, spec.path, spec.link),
        limit,
        everything: !select && !exclude,
        matches: base,
        ...(spec.podcast ? { podcast: spec.podcast } : {}),
        ...(spec.maxBytes !== undefined ? { maxBytes: spec.maxBytes } : {}),
        ...(archive ? { archive } : {}),
      }, main ? 'the main feed' : `"${spec.path}"`, '.');
      continue;
    }
    // Each value's articles among the ones this specification selects, and its first file: one record per
    // value, keyed by the index's id (tags, authors) or the primary language. With a map per field keyed by
    // text, planning a 100k store's 36 tag and 2 language feeds took 163-179 ms (79-90 ms this way).
    const kind = spec.each;
    const primaries = new Map<string, string>();
    const primaryOf = (lang: string): string => {
      let p = primaries.get(lang);
      if (p === undefined) primaries.set(lang, (p = primary(lang)));
      return p;
    };
    // `live`: the rows that are not a broken file's kept head; only those make a feed exist.
    const tally = new Map<number | string, { rows: number[]; file: string; live: number }>();
    const count = (v: number | string, row: number): void => {
      const file = index.files[row]!;
      const live = index.kept.has(row) ? 0 : 1;
      const t = tally.get(v);
      if (!t) tally.set(v, { rows: [row], file, live });
      else {
        t.rows.push(row);
        t.live += live;
        if (file < t.file) t.file = file;
      }
    };
    for (const row of index.rows) {
      if (!base(row)) continue;
      if (kind === 'language') count(primaryOf(index.languageOf[row]!), row);
      else for (const v of kind === 'tag' ? index.tagsOf[row]! : index.authorsOf[row]!) count(v, row);
    }
    const kept = [...tally].filter(([, { live }]) => live >= spec.minItems);
    const values = kind === 'tag' ? index.tags : kind === 'author' ? index.authors : undefined;
    type Value = { k: string; key: string; label: string; slug: string; rows: number[]; file: string };
    const list: Value[] = kept.map(([v, { rows, file }]) => {
      const k = String(v);
      if (!values) return { k, key: k, label: languageName(k), slug: k, rows, file };
      const key = values.keys[v as number]!;
      return { k, key, label: preferredLabel(values.spellings[v as number]!), slug: slugForKey(key), rows, file };
    });
    if (values) issues.push(...lookalikes(kind, list));
    // Too few values for feeds of their own (a store down to one language), unless these feeds were published: a feed
    // that still has articles is its readers' address, and a 410 would unsubscribe them.
    if (list.length < spec.minValues && !list.some((v) => history.published?.(spec.path.replace('{slug}', v.slug)))) continue;
    // Two values with one slug: one keeps it, the others add their own hash, and it is reported. Which one keeps it must
    // not depend on the spellings around today, or a feed's folder would change hands when "Santé / Social" joins
    // "Santé/Social": a value published under its hashed folder last time keeps that folder; of the others, the one whose
    // articles the plain folder's feed carried, then the one with the oldest article (it was there first), then the
    // first key in code-point order, keeps the plain slug. A folder another feed of the set already has (a declared
    // `tags/c/`) is held by that feed: every value with that slug gets its hashed folder rather than no feed.
    const folderOf = (slug: string): string => spec.path.replace('{slug}', slug);
    const hashed = (value: Value): string => `${value.slug}-${shortHash(value.key)}`;
    // How many of this value's articles the last publication's feed in that folder carried; undefined until it is read.
    const heldCount = (value: Value, slug: string): number | undefined => {
      const held = history.heldIds?.(folderOf(slug));
      if (!held || !history.idOfRow) return undefined;
      let n = 0;
      for (const row of value.rows) if (held.has(history.idOfRow(row) ?? '')) n++;
      return n;
    };
    // The hashed folder the last publication had this value in (`c-4c21a3f0`, or `c-4c21a3f0-2` when a tag was spelled as
    // that), if any. A folder is taken for this value's only once its feed is known to have carried the value's articles:
    // a tag may be spelled as another's hashed folder. Each such folder is contested, so the plan is made again knowing.
    const previous = new Map<Value, string | undefined>();
    const previousHashed = (value: Value): string | undefined => {
      if (previous.has(value)) return previous.get(value);
      let found: string | undefined;
      for (let n = 1; n <= NUMBERED_UP_TO; n++) {
        const slug = n === 1 ? hashed(value) : `${hashed(value)}-${n}`;
        if (!history.published?.(folderOf(slug))) continue;
        contested.push(folderOf(slug), folderOf(value.slug));
        if (found === undefined && (heldCount(value, slug) ?? 1) > 0) found = slug;
      }
      previous.set(value, found);
      return found;
    };
    const oldest = new Map<Value, number>();
    const oldestRow = (value: Value): number => {
      let row = oldest.get(value);
      if (row === undefined) oldest.set(value, (row = value.rows.reduce((a, b) => (history.compareRows!(a, b) >= 0 ? a : b))));
      return row;
    };
    const before = (a: Value, b: Value): number =>
      Number(previousHashed(a) !== undefined) - Number(previousHashed(b) !== undefined)
      || (heldCount(b, b.slug) ?? 0) - (heldCount(a, a.slug) ?? 0)
      || (history.compareRows ? history.compareRows(oldestRow(b), oldestRow(a)) : 0)
      || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    list.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0) || before(a, b));
    const bySlug = new Map<string, Value>();
    // Values already published under their hashed folder hold it first: a newcomer whose own slug reads the same (a
    // tag "C 4c21a3f0") must not take it over.
    const keptHashed = new Map<Value, string>();
    for (const value of list) {
      const slug = previousHashed(value);
      if (slug !== undefined && !bySlug.has(slug)) {
        keptHashed.set(value, slug);
        bySlug.set(slug, value);
      }
    }
    // Any other hashed slug that reads as another value's own gets a number, so both have a feed.
    const plain = new Set(list.map((v) => v.slug));
    const moved: { value: Value; own: string }[] = [];
    for (const value of list) {
      const own = value.slug;
      const kept = keptHashed.get(value);
      if (kept === undefined && !bySlug.has(own) && !taken.has(folderOf(own))) {
        bySlug.set(own, value);
        continue;
      }
      let slug = kept;
      if (slug === undefined) {
        contested.push(folderOf(own));
        slug = hashed(value);
        for (let n = 2; plain.has(slug) || bySlug.has(slug) || taken.has(folderOf(slug)); n++) slug = `${hashed(value)}-${n}`;
        bySlug.set(slug, value);
      }
      value.slug = slug;
      moved.push({ value, own });
    }
    // Told on every build while the two are there, not only on the one that moved a value (a value alone again in its
    // hashed folder stays there, and that needs no telling).
    const movedFrom = new Map<string, Value[]>();
    for (const { value, own } of moved) movedFrom.set(own, [...(movedFrom.get(own) ?? []), value]);
    for (const { value, own } of moved) {
      const label = `"${visibleLabel(value.label)}"`;
      const holder = bySlug.get(own);
      // Nobody in the plain folder (the feed that held it gone): values still sharing the slug each keep their hashed one.
      const twin = holder ? undefined : movedFrom.get(own)!.find((other) => other !== value);
      const message = holder
        ? `${kind} ${label} (${value.file}) and ${kind} "${visibleLabel(holder.label)}" (${holder.file}) share the folder name "${own}": "${visibleLabel(holder.label)}" keeps it, ${label} is published as "${value.slug}"; spell them apart to choose`
        : taken.has(folderOf(own))
          ? `${kind} ${label} (${value.file}) would be published in ${folderOf(own)}, where the feed ${taken.get(folderOf(own))} already is: it is published as "${value.slug}"; spell it apart, or move that feed`
          : twin
            ? `${kind} ${label} (${value.file}) and ${kind} "${visibleLabel(twin.label)}" (${twin.file}) share the folder name "${own}": each stays in the folder it was published in, ${label} in "${value.slug}"; spell them apart to choose`
            : undefined;
      if (message !== undefined) issues.push({ rule: 'feed-slug-collision', level: 'warning', file: value.file, message });
    }
    list.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    for (const value of list) {
      const path = spec.path.replace('{slug}', value.slug);
      const valueTest = kind === 'language'
        ? (row: number): boolean => primary(index.languageOf[row]!) === value.k
        : (row: number): boolean => (kind === 'tag' ? index.tagsOf[row]! : index.authorsOf[row]!).includes(Number(value.k));
      const fill = (text: string): string => text.replaceAll('{value}', value.label);
      add({
        path,
        group: spec.podcast ? 'podcasts' : GROUP_OF_EACH[kind],
        subject: value.label,
        title: spec.title !== undefined ? fill(spec.title) : titled(site, value.label),
        description: spec.description !== undefined ? fill(spec.description) : describeFeed(site, value.label),
        language: kind === 'language' ? value.k : languageOfRows(index, value.rows, site.language),
        link: homePage(site, path, spec.link, value.slug),
        limit,
        everything: false,
        matches: (row) => valueTest(row) && base(row),
        rows: value.rows,
        perValue: true,
        ...(spec.podcast ? { podcast: spec.podcast } : {}),
        ...(spec.maxBytes !== undefined ? { maxBytes: spec.maxBytes } : {}),
        ...(archive ? { archive } : {}),
      }, `${kind} "${value.label}"`, value.file);
    }
  }
  issues.push(...sharedTitles(feeds, files));
  return { feeds, issues, contested: [...new Set(contested)] };
}

/**
 * Publication order over head rows, ranked only as deep as asked, and fully once a feed needs the
 * rank of any row. `inOrder` puts a list of rows (a per-value feed's) in that order, once per list;
 * `first` gives only the first `count` of such a list.
 */
export type Ranking = {
  count: number;
  rowsInOrder(end: number): number[];
  inOrder(rows: readonly number[]): readonly number[];
  first(rows: readonly number[], count: number): readonly number[];
};

export function rankingOf(selection: Pick<Selection, 'count' | 'rowsInOrder' | 'compareRows'>): Ranking {
  // Rank of each head row, -1 for a row the selection does not carry. An array, not a Map of 100k ranks.
  let ranks: Int32Array | undefined;
  let order: number[] = [];
  const ranked = (): Int32Array => {
    if (!ranks) {
      order = selection.rowsInOrder(selection.count);
      ranks = new Int32Array(order.reduce((max, row) => Math.max(max, row + 1), 0)).fill(-1);
      order.forEach((row, rank) => (ranks![row] = rank));
    }
    return ranks;
  };
  const sorted = new WeakMap<readonly number[], readonly number[]>();
  const firsts = new WeakMap<readonly number[], readonly number[]>();
  const inOrder = (rows: readonly number[]): readonly number[] => {
    let list = sorted.get(rows);
    if (!list) {
      const ranks = ranked();
      const byRank = new Int32Array(rows.length);
      const unranked: number[] = [];
      let n = 0;
      for (const row of rows) {
        const rank = ranks[row] ?? -1;
        if (rank < 0) unranked.push(row);
        else byRank[n++] = rank;
      }
      // Sorted as numbers, without a comparator: ranks are distinct, so each maps back to its row.
      const inRank = byRank.subarray(0, n).sort();
      const ordered: number[] = new Array(n + unranked.length);
      for (let k = 0; k < n; k++) ordered[k] = order[inRank[k]!]!;
      unranked.forEach((row, k) => (ordered[n + k] = row));
      sorted.set(rows, (list = ordered));
    }
    return list;
  };
  return {
    count: selection.count,
    rowsInOrder: (end) => selection.rowsInOrder(end),
    inOrder,
    first(rows, count) {
      // Once every row is ranked (an archive's feed asked), or when most of the list is wanted, the whole list in order.
      if (ranks || count * 4 >= rows.length) return inOrder(rows).slice(0, count);
      // Else the first `count` alone, without ranking the store: a feed set of a 100k store spent 0.34-0.36 s
      // of the main thread ranking all 100k rows so that 38 per-value feeds could each take their newest 50.
      let list = firsts.get(rows);
      if (!list || list.length < count) firsts.set(rows, (list = firstInOrder(rows, count, selection.compareRows)));
      return list.slice(0, count);
    },
  };
}

/**
 * The first `count` of `rows` in the order `compare` gives, through a heap of the `count` best seen so
 * far. Last row first: a store in dated folders lists its newest articles last, which then fill the
 * heap at once and few others get in (first row first, each newer row replaced the top: a 100k store's
 * set took 177-292 ms to pick its feeds' rows that way, 55-83 ms this way).
 */
function firstInOrder(rows: readonly number[], count: number, compare: (a: number, b: number) => number): number[] {
  // A max-heap by that order: its top is the last of the best so far, the one a better row replaces.
  const heap: number[] = [];
  const swap = (a: number, b: number): void => {
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
  };
  if (count <= 0) return heap;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (heap.length < count) {
      heap.push(row);
      for (let at = heap.length - 1; at > 0;) {
        const up = (at - 1) >> 1;
        if (compare(heap[at]!, heap[up]!) <= 0) break;
        swap(at, up);
        at = up;
      }
    } else if (compare(row, heap[0]!) < 0) {
      heap[0] = row;
      for (let at = 0; ;) {
        const l = 2 * at + 1;
        let last = at;
        if (l < count && compare(heap[l]!, heap[last]!) > 0) last = l;
        if (l + 1 < count && compare(heap[l + 1]!, heap[last]!) > 0) last = l + 1;
        if (last === at) break;
        swap(at, last);
        at = last;
      }
    }
  }
  return heap.sort(compare);
}

/**
 * The rows a feed carries: the first `limit` of the selection, in publication order, that it
 * matches and that were not rejected when their bodies were read.
 */
export function pickRows(feed: PlannedFeed, ranking: Ranking, rejected: ReadonlySet<number>): number[] {
  if (feed.rows) {
    // A per-value feed knows its rows: order those, not the store (2,000 tag feeds must not scan 100k heads each).
    const picked: number[] = [];
    // The rejected rows it holds can be skipped: never more than all of them.
    for (const row of ranking.first(feed.rows, feed.limit + rejected.size)) {
      if (picked.length >= feed.limit) break;
      if (!rejected.has(row)) picked.push(row);
    }
    return picked;
  }
  const picked: number[] = [];
  // Rank only as deep as this feed needs: the main feed stops at its limit, a narrow section goes further.
  let depth = Math.min(ranking.count, feed.everything ? feed.limit + rejected.size : feed.limit * 4);
  for (let from = 0; ;) {
    const rows = ranking.rowsInOrder(depth);
    for (let r = from; r < rows.length && picked.length < feed.limit; r++) {
      const row = rows[r]!;
      if (!rejected.has(row) && feed.matches(row)) picked.push(row);
    }
    if (picked.length >= feed.limit || depth >= ranking.count) return picked;
    from = rows.length;
    depth = Math.min(ranking.count, depth * 4);
  }
}

/** Relative href from a page in `folder` to a path at the root of out/. */
export function fromFolder(folder: string, path: string): string {
  return `${'../'.repeat(folder.split('/').length - 1)}${path}`;
}

/** The published path of a file of a feed (`tags/économie/rss.xml`). */
export function feedFilePath(folder: string, file: string): string {
  return `${folder}${file}`;
}

/** The site as one feed of the set shows it: its own title, language, home page, id and self links. */
export function siteOfFeed(site: Site, feed: PlannedFeed, idPrefix: string, feedBaseUrl: string): Site {
  if (feed.path === '' && feed.title === site.title && feed.description === site.description && feed.language === site.language && feed.link === site.url && !feed.podcast) return site;
  const at = (file: string): string => new URL(encodePath(feedFilePath(feed.path, file)), feedBaseUrl).href;
  return {
    ...site,
    ...(feed.podcast ? { podcast: toPodcast(feed.podcast, site, at(FEED_FILES.rss)) } : {}),
    title: feed.title,
    description: feed.description,
    url: feed.link,
    language: feed.language,
    ...(feed.language.toLowerCase() !== site.language.toLowerCase() ? { articleLanguage: site.language } : {}),
    links: { rss: at(FEED_FILES.rss), atom: at(FEED_FILES.atom), json: at(FEED_FILES.json), html: at(INDEX_FILE), xsl: site.links.xsl },
    id: feedId(idPrefix, feed.path),
    folder: feed.path,
  };
}

/**
 * What each moved feed folder's documents redirect to, and what about `moved` the operator should know: a folder that is
 * a feed of this build again is served, not redirected; a new folder that is no feed of this build leads readers to a 404.
 * The archive pages it had (from `previous`, the last publication's paths and redirects, so they carry over from build to
 * build) redirect to the page of the same name in the new folder: an archive service that follows them keeps the
 * history, where a 410 would tell it the history is gone.
 */
export function movedFeeds(config: Pick<Config, 'moved' | 'feedBaseUrl'>, folders: readonly string[], configFile: string, previous: readonly string[] = [], publishing?: ReadonlySet<string>, gone: readonly string[] = []): Result<{ path: string; to: string }[]> {
  const published = new Set(folders);
  const issues: Issue[] = [];
  const value: { path: string; to: string }[] = [];
  for (const { from, to } of config.moved ?? []) {
    if (published.has(from)) {
      issues.push({ rule: 'feed-moved-published', level: 'warning', file: configFile, pointer: '/moved', message: `${from} is a feed of this build: it is served, not redirected to ${to}` });
      continue;
    }
    // A folder answering 410 had readers too: redirecting it is how a forgotten `moved` is mended.
    if (previous.length > 0 && !previous.some((path) => path.startsWith(from)) && !gone.some((path) => path.startsWith(from))) {
      issues.push({ rule: 'feed-moved-unknown', level: 'warning', file: configFile, pointer: '/moved', message: `${from} was neither published, redirected nor answered 410 by the last publication: no reader is there to redirect to ${to}; check the old folder's spelling` });
    }
    const inside = to.startsWith(config.feedBaseUrl) ? decodeURI(to.slice(config.feedBaseUrl.length)) : undefined;
    if (inside !== undefined && !published.has(inside)) {
      issues.push({ rule: 'feed-moved-nowhere', level: 'warning', file: configFile, pointer: '/moved', message: `${from} is redirected to ${to}, which is no feed of this build: its readers would get 404 there` });
    }
    for (const file of [...Object.values(FEED_FILES), INDEX_FILE]) value.push({ path: `${from}${file}`, to: `${to}${encodeURI(file)}` });
    // A page the new folder does not have (it has fewer pages) is not redirected to a 404: it is gone. One that already
    // answered 410 (a build in between republished the old folder with fewer pages) had readers too, and is redirected.
    const pages = [...previous, ...gone].filter((path) => parsePagePath(from, path) !== undefined && (inside === undefined || !publishing || publishing.has(`${inside}${path.slice(from.length)}`))).sort();
    for (const path of new Set(pages)) value.push({ path, to: `${to}${encodeURI(path.slice(from.length))}` });
  }
  return { value, issues };
}

const SUBSCRIPTION_FILES = new Set(Object.values(FEED_FILES));

/** The feed folder (`tags/rail/`, `''` for the top) of a subscription document's path; undefined for any other file. */
export function feedFolderOf(path: string): string | undefined {
  const cut = path.lastIndexOf('/') + 1;
  return SUBSCRIPTION_FILES.has(path.slice(cut)) ? path.slice(0, cut) : undefined;
}

/**
 * The feeds of the last publication (folders) that this build's set lacks, with the paths of each one's files
 * (documents, page, archive pages), from the last publication's paths; folders that `moved` are not among them.
 */
export function vanishedFeeds(previousPaths: readonly string[], folders: readonly string[], moved: readonly string[] = []): Map<string, string[]> {
  const current = new Set([...folders, ...moved]);
  const vanished = new Map<string, string[]>();
  for (const path of previousPaths) {
    const folder = feedFolderOf(path);
    if (folder !== undefined && !current.has(folder)) vanished.set(folder, []);
  }
  for (const path of previousPaths) {
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    const own = vanished.get(folder) ?? (folder.endsWith(ARCHIVE_FOLDER) ? vanished.get(folder.slice(0, -ARCHIVE_FOLDER.length)) : undefined);
    own?.push(path);
  }
  return vanished;
}

/** A feed declared complete that misses the rejected articles it selects (`files`): published without fh:complete until they are fixed. */
export function incompleteIssue(folder: string, files: readonly string[]): Issue {
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  return {
    rule: 'feed-complete-rejected', level: 'warning', file: feedFilePath(folder, FEED_FILES.atom),
    message: `${folder === '' ? 'the main feed' : `the feed ${folder}`} is declared complete, but ${files.length === 1 ? 'an article it selects is' : `${files.length} articles it selects are`} rejected (${shown}): it is published without fh:complete, so readers that honour it keep the entries it no longer carries, until ${files.length === 1 ? 'it is' : 'they are'} fixed`,
  };
}
