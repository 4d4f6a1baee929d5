/**
 * The `feeds` key of the configuration: which feeds the set has. Checked up front like the
 * rest of the configuration, every problem reported at once with its JSON pointer; pure.
 */
import type { Issue, Result } from '../issue.js';
import { closest } from '../values/closest.js';
import { isPublishableLanguage } from '../values/language.js';
import { ARCHIVE_FOLDER, isPaged, parseArchiveSpec, type ArchiveSpec } from './archive.js';
import { parsePodcastSpec, type PodcastSpec } from './podcast.js';
import { FEED_FILES, INDEX_FILE, OPML_FILE, STYLESHEET_FILE } from './files.js';

export type Each = 'tag' | 'language' | 'author';

/** One selection, normalised: every list may be empty (no condition). */
export type Selector = {
  tagsAnyOf: string[];
  tagsAllOf: string[];
  languages: string[];
  authors: string[];
  /** Store-relative globs (`economie/**`). */
  folders: string[];
};

export type FeedSpec = {
  /** Folder under out/: '' for the root, else ending in `/`; with `each`, it holds `{slug}`. */
  path: string;
  title?: string;
  description?: string;
  /** The feed's home page (`<link>`, `home_page_url`), relative to the site URL; may hold `{slug}`. */
  link?: string;
  limit?: number;
  /** Articles must match all of its conditions. */
  select?: Selector;
  /** Articles matching any of its conditions are left out. */
  exclude?: Selector;
  /** One feed per tag, language or author present in the selected articles. */
  each?: Each;
  /** Per-value feeds with fewer articles are not made. */
  minItems: number;
  /** The expansion makes no feed unless at least this many values qualify. */
  minValues: number;
  /** Declares the feed a podcast: its RSS carries the iTunes and Podcasting 2.0 channel fields. */
  podcast?: PodcastSpec;
  /** Byte budget of each of its documents; default: the top-level `maxBytes`. */
  maxBytes?: number;
  /** RFC 5005: archive pages, or one complete document; `false` turns the main feed's default pages off. */
  archive?: ArchiveSpec | false;
};

/** A feed document's byte budget unless configured (1 MiB), and the range a budget may take (the validator reads up to 50 MiB). */
/** Every file name a publication writes besides archive pages, each with its compressed copies: no feed's folder may be named so. */
const FILE_NAMES = new Set([...Object.values(FEED_FILES), INDEX_FILE, STYLESHEET_FILE, OPML_FILE].flatMap((name) => [name, `${name}.gz`, `${name}.br`]));

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const MAX_BYTES_RANGE = [1024, 50 * 1024 * 1024] as const;

/**
 * Without a `feeds` key: the main feed where it always was, one feed per tag, and one per
 * language when the store has more than one.
 */
export const DEFAULT_FEEDS: readonly FeedSpec[] = [
  { path: '', minItems: 1, minValues: 1 },
  { path: 'tags/{slug}/', each: 'tag', minItems: 1, minValues: 1 },
  { path: 'languages/{slug}/', each: 'language', minItems: 1, minValues: 2 },
];

const SPEC_KEYS = new Set(['path', 'title', 'description', 'link', 'limit', 'select', 'exclude', 'each', 'minItems', 'minValues', 'podcast', 'maxBytes', 'archive']);
const SELECT_KEYS = new Set(['tags', 'language', 'author', 'folder']);
const EACH = new Set<string>(['tag', 'language', 'author']);

/** A folder path under out/: '' for the root, else `a/b/`; undefined when it could leave out/ or reach its state. */
/** The segment of a feed folder that is named as a file the publication writes (`rss.xml/`, `archive/1.xml/`), if any. */
function fileNamed(folder: string): string | undefined {
  const segments = folder.split('/');
  // In any case: `RSS.XML/` is `rss.xml` on a disk that ignores case.
  return segments.find((s, k) => FILE_NAMES.has(s.toLowerCase()) || (`${segments[k - 1]}/`.toLowerCase() === ARCHIVE_FOLDER && /^[1-9][0-9]*\.(xml|atom|json)(\.gz|\.br)?$/i.test(s)));
}

export function normaliseFolder(raw: string): string | undefined {
  const trimmed = raw.trim().replace(/^\.?\/+/, '');
  if (trimmed === '' || trimmed === '.') return '';
  if (trimmed.includes('\\') || trimmed.includes('\0')) return undefined;
  const segments = trimmed.replace(/\/+$/, '').split('/');
  if (!segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('.'))) return undefined;
  return `${segments.join('/')}/`;
}

/** `economie`, `economie/` and `economie/**` alike mean every article under economie/. */
export function folderPattern(glob: string): RegExp {
  let g = glob.trim().replace(/^\.?\/+/, '').normalize('NFC');
  if (!/[*?]/.test(g)) g = `${g.replace(/\/+$/, '')}/**`;
  let source = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      // `a/**` matches everything under a/; `**/b` any depth before b.
      source += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/**
 * Checks and normalises a `feeds` value. `pointer` is where it sits in the file (`/feeds`).
 * Returns undefined with errors when anything is wrong; warnings (unknown keys) do not stop it.
 */
export function parseFeedSpecs(raw: unknown, file: string, pointer = '/feeds'): Result<FeedSpec[] | undefined> {
  const issues: Issue[] = [];
  const problem = (at: string, message: string): void => {
    issues.push({ rule: 'config-invalid', level: 'error', message, file, pointer: `${pointer}${at}` });
  };
  if (!Array.isArray(raw) || raw.length === 0) {
    problem('', '"feeds" must be a non-empty list of feed specifications, e.g. [{ "path": "" }, { "path": "tags/{slug}/", "each": "tag" }]');
    return { value: undefined, issues };
  }
  const specs: FeedSpec[] = [];
  const paths = new Map<string, number>();
  raw.forEach((item, i) => {
    const at = `/${i}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problem(at, `feed ${i + 1} must be an object with at least a "path"`);
      return;
    }
    const input = item as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (SPEC_KEYS.has(key)) continue;
      const meant = closest(key, [...SPEC_KEYS]);
      // A misspelt "select" or "exclude" would publish every article of the site in this feed: that is no default to fall back on.
      if (meant === 'select' || meant === 'exclude') problem(`${at}/${key}`, `unknown key "${key}" in feed ${i + 1}: did you mean "${meant}"? As written, this feed would ${meant === 'select' ? 'carry every article of the site' : 'exclude nothing'}`);
      else issues.push({ rule: 'config-unknown-key', level: 'warning', message: `unknown key "${key}" in feed ${i + 1} is ignored${meant ? ` (did you mean "${meant}"?)` : ''}`, file, pointer: `${pointer}${at}/${key}` });
    }
    const errorsBefore = issues.filter((x) => x.level === 'error').length;
    const text = (key: string): string | undefined => {
      const value = input[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        problem(`${at}/${key}`, `"${key}" must be a non-empty string`);
        return undefined;
      }
      return value.trim();
    };
    const whole = (key: string, min: number, max: number): number | undefined => {
      const value = input[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        problem(`${at}/${key}`, `"${key}" must be a whole number from ${min} to ${max}`);
        return undefined;
      }
      return value;
    };

    let each: Each | undefined;
    if (input.each !== undefined) {
      if (typeof input.each === 'string' && EACH.has(input.each)) each = input.each as Each;
      else problem(`${at}/each`, '"each" must be "tag", "language" or "author"');
    }
    let path: string | undefined;
    if (typeof input.path !== 'string') {
      problem(`${at}/path`, `feed ${i + 1} needs a "path": the folder under the output directory ("" for the root)`);
    } else {
      path = normaliseFolder(input.path);
      if (path === undefined) problem(`${at}/path`, `"path" must be a folder inside the output directory, without "..", "\\" or names starting with ".", got "${input.path}"`);
      else if (each && (path.split('{slug}').length !== 2)) problem(`${at}/path`, `a feed with "each" makes one folder per value: its "path" needs "{slug}" once, e.g. "${each}s/{slug}/"`);
      else if (!each && path.includes('{')) problem(`${at}/path`, '"{slug}" in a "path" needs "each": "tag", "language" or "author"');
      else if (fileNamed(path) !== undefined) {
        problem(`${at}/path`, `"path" "${input.path}" has a folder named "${fileNamed(path)}", as a file of the publication is: a path cannot be both; choose another name`);
      } else {
        const folder = path;
        const first = paths.get(path);
        if (first !== undefined) problem(`${at}/path`, `the feed at ${pointer}/${first} already uses the path "${path}"`);
        else {
          // Two paths that differ only in case are one folder on a disk that ignores case (macOS, Windows) or once synced there.
          const twin = [...paths].find(([other]) => other.toLowerCase() === folder.toLowerCase());
          if (twin) issues.push({ rule: 'feed-path-case', level: 'warning', file, pointer: `${pointer}${at}/path`, message: `the paths "${twin[0]}" (${pointer}/${twin[1]}) and "${folder}" differ only in case: on a disk or a bucket copy that ignores case (macOS, Windows), one feed's files overwrite the other's; give them names apart` });
          paths.set(path, i);
        }
      }
    }
    const title = text('title');
    const description = text('description');
    const link = text('link');
    if (link !== undefined && !URL.canParse(link.replaceAll('{slug}', 'x'), 'https://site.example/')) problem(`${at}/link`, '"link" must be a URL, absolute or relative to the site "url"');
    if (link?.includes('{slug}') && !each) problem(`${at}/link`, '"{slug}" in a "link" needs "each"');
    const limit = whole('limit', 1, 10_000);
    const maxBytes = whole('maxBytes', ...MAX_BYTES_RANGE);
    const minItems = whole('minItems', 1, 1_000_000);
    const minValues = whole('minValues', 1, 1_000_000);
    if (!each) {
      if (input.minItems !== undefined) problem(`${at}/minItems`, '"minItems" applies to a feed with "each" only');
      if (input.minValues !== undefined) problem(`${at}/minValues`, '"minValues" applies to a feed with "each" only');
    }
    const select = input.select === undefined ? undefined : parseSelector(input.select, `${at}/select`, 'select', problem);
    const exclude = input.exclude === undefined ? undefined : parseSelector(input.exclude, `${at}/exclude`, 'exclude', problem);
    const warn = (where: string, message: string): void => void issues.push({ rule: 'config-unknown-key', level: 'warning', message, file, pointer: `${pointer}${where}` });
    const podcast = input.podcast === undefined ? undefined : parsePodcastSpec(input.podcast, `${at}/podcast`, problem, warn);
    const archive = input.archive === undefined ? undefined : parseArchiveSpec(input.archive, `${at}/archive`, problem);
    // Page entries are made from front matter alone (model/archive.ts headlineEntry): an episode on a page has no audio.
    if (podcast && archive && isPaged(archive)) {
      issues.push({
        rule: 'feed-podcast-pages', level: 'warning', file, pointer: `${pointer}${at}/archive`,
        message: `the podcast ${path ?? ''} has archive pages, whose entries carry title, link and summary but no enclosure: an app that backfills through them gets episodes it cannot play; declare it "archive": { "complete": true } (one document with every episode), or "archive": false`,
      });
    }
    if (issues.filter((x) => x.level === 'error').length > errorsBefore || path === undefined) return;
    specs.push({
      path,
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(link !== undefined ? { link } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(select ? { select } : {}),
      ...(exclude ? { exclude } : {}),
      ...(each ? { each } : {}),
      minItems: minItems ?? 1,
      minValues: minValues ?? 1,
      ...(podcast ? { podcast } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(archive !== undefined ? { archive } : {}),
    });
  });
  return { value: issues.some((x) => x.level === 'error') ? undefined : specs, issues };
}

function parseSelector(raw: unknown, at: string, name: string, problem: (at: string, message: string) => void): Selector | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(at, `"${name}" must be an object with "tags", "language", "author" or "folder"`);
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  const selector: Selector = { tagsAnyOf: [], tagsAllOf: [], languages: [], authors: [], folders: [] };
  let ok = true;
  const list = (value: unknown, where: string, what: string): string[] => {
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || items.length === 0 || !items.every((v) => typeof v === 'string' && v.trim() !== '')) {
      problem(where, `must be ${what} or a non-empty list of them`);
      ok = false;
      return [];
    }
    return items.map((v: string) => v.trim());
  };
  for (const key of Object.keys(input)) {
    if (!SELECT_KEYS.has(key)) {
      problem(`${at}/${key}`, `unknown selector "${key}": use "tags", "language", "author" or "folder"`);
      ok = false;
    }
  }
  const tags = input.tags;
  if (tags !== undefined) {
    if (tags !== null && typeof tags === 'object' && !Array.isArray(tags)) {
      const t = tags as Record<string, unknown>;
      const keys = Object.keys(t);
      if (keys.length === 0 || !keys.every((k) => k === 'anyOf' || k === 'allOf') || name === 'exclude') {
        problem(`${at}/tags`, name === 'exclude' ? 'excluded "tags" is a tag or a list of tags (any of them excludes)' : '"tags" takes "anyOf" and/or "allOf", each a list of tags');
        ok = false;
      }
      if (t.anyOf !== undefined) selector.tagsAnyOf = list(t.anyOf, `${at}/tags/anyOf`, 'a tag');
      if (t.allOf !== undefined) selector.tagsAllOf = list(t.allOf, `${at}/tags/allOf`, 'a tag');
    } else selector.tagsAnyOf = list(tags, `${at}/tags`, 'a tag');
  }
  if (input.language !== undefined) {
    selector.languages = list(input.language, `${at}/language`, 'a language tag such as "fr"');
    selector.languages.forEach((lang, k) => {
      if (!isPublishableLanguage(lang)) {
        problem(`${at}/language${Array.isArray(input.language) ? `/${k}` : ''}`, `"${lang}" is not a language tag such as "fr" or "en-GB"`);
        ok = false;
      }
    });
  }
  if (input.author !== undefined) selector.authors = list(input.author, `${at}/author`, 'an author name');
  if (input.folder !== undefined) {
    selector.folders = list(input.folder, `${at}/folder`, 'a store folder such as "economie/**"');
    selector.folders.forEach((glob, k) => {
      if (glob.split('/').includes('..') || glob.startsWith('/')) {
        problem(`${at}/folder${Array.isArray(input.folder) ? `/${k}` : ''}`, `"${glob}" must be a folder inside the store, relative to it, e.g. "economie/**"`);
        ok = false;
      }
    });
  }
  return ok ? selector : undefined;
}
