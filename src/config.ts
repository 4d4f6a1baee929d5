/**
 * kiosque.config.json: read once, checked up front, every problem reported in one pass.
 * `resolveConfig` is pure (object in, config or issues out); `loadConfig` does the file IO.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createTask, validateDetailed } from 'node-cron';
import type { Issue, Result } from './issue.js';
import { DEFAULT_MAX_BYTES, MAX_BYTES_RANGE, parseFeedSpecs, type FeedSpec } from './model/feed-spec.js';
import type { Person } from './model/types.js';
import { DEFAULT_TOMBSTONE_DAYS } from './model/retraction.js';
import { resolveScaling, type ScalingConfig } from './scaling-config.js';
import { closest } from './values/closest.js';
import { isAddrSpec } from './values/email.js';
import { isPublishableLanguage } from './values/language.js';
import { jsonSyntaxError, lineIndex, parseJson } from './validate/json/parse.js';

export type Config = {
  title: string;
  description: string;
  /** Site home page, absolute, normalised with a trailing slash. */
  url: string;
  /** Where `out/` is served from, absolute, with a trailing slash. Defaults to `url`. */
  feedBaseUrl: string;
  /** Prefix that entry ids are minted under; fixed once so moving the site never changes ids. */
  idPrefix: string;
  language: string;
  /** IANA zone used for date-only and offset-less article dates, and for the schedule. */
  timezone: string;
  author?: Person;
  copyright?: string;
  /** Square site icon (absolute URL), about 512x512: JSON Feed icon/favicon, Atom icon. */
  icon?: string;
  limit: number;
  /** node-cron expression (5 or 6 fields). */
  schedule: string;
  /** Minutes pollers may cache; defaults to the schedule's interval. */
  ttlMinutes: number;
  hubs: string[];
  host: string;
  port: number;
  /** Absolute paths. */
  articles: string;
  out: string;
  /** The feed set as declared; absent: the default set (model/feed-spec.ts DEFAULT_FEEDS). */
  feeds?: FeedSpec[];
  /** A folder of media files (absolute path) and the URL it is served at (absolute, trailing slash). */
  media?: { dir: string; url: string };
  /** Byte budget of each feed document, unless its feed specification sets one. */
  maxBytes: number;
  /** Days Atom feeds announce a retracted article (RFC 6721 tombstones) after its retraction; 0 for none. */
  tombstoneDays: number;
  /**
   * Feed folders that moved (a tag renamed): each old folder's documents answer 301 to the same
   * file in the new one, instead of 410. `from` relative, with its trailing slash; `to` absolute.
   */
  moved?: { from: string; to: string }[];
  /** The file the configuration was read from, as issues about its settings name it. */
  file: string;
} & ScalingConfig;

export const CONFIG_FILE = 'kiosque.config.json';
/** A configuration is a few kilobytes; anything past this is another file named by mistake. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const KNOWN_KEYS = new Set([
  '$schema', 'title', 'description', 'url', 'feedBaseUrl', 'idPrefix', 'language', 'timezone', 'author',
  'copyright', 'icon', 'limit', 'schedule', 'ttl', 'hubs', 'host', 'port', 'articles', 'out', 'feeds', 'media', 'mediaUrl',
  'publish', 'coordination', 'tombstoneDays', 'maxBytes', 'moved',
]);

const DEFAULTS = {
  description: '',
  language: 'en',
  timezone: 'UTC',
  limit: 50,
  schedule: '*/15 * * * *',
  host: '127.0.0.1',
  port: 8080,
  articles: 'articles',
  out: 'out',
} as const;

export function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function absoluteHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return url.href;
  } catch {
    return undefined;
  }
}

/** Why node-cron refuses `schedule` ('' when it gives no reason), or undefined when it is a valid expression. */
export function cronProblem(schedule: string): string | undefined {
  const cron = validateDetailed(schedule);
  return cron.valid ? undefined : cron.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}

/** The longest ttl a schedule gives by itself, in minutes: a day. A longer one takes `ttl` set on purpose. */
export const MAX_DERIVED_TTL = 24 * 60;

/**
 * The shortest gap between the schedule's next runs, in whole minutes (at least 1).
 * Pollers should not come back sooner than the job can have changed anything.
 * Read on UTC's clock, whatever the site's zone: in a zone's, the night clocks change makes one
 * gap an hour shorter or longer (a daily job's 23 h) whenever it falls among the next runs, and
 * the feeds' bytes (`<ttl>`) would change twice a year with nothing published.
 */
export function scheduleIntervalMinutes(schedule: string): number {
  const task = createTask(schedule, () => undefined, { timezone: 'UTC' });
  try {
    // Enough runs to span a week of an irregular schedule, so the minimum does not depend on today.
    const runs = task.getNextRuns(64);
    let gap = Infinity;
    for (let i = 1; i < runs.length; i++) gap = Math.min(gap, runs[i]!.getTime() - runs[i - 1]!.getTime());
    return Number.isFinite(gap) ? Math.max(1, Math.round(gap / 60_000)) : 60;
  } finally {
    void task.destroy();
  }
}

/**
 * Validates a parsed config object and fills in defaults. `baseDir` anchors relative
 * `articles`/`out` paths; `file` labels the issues.
 */
export function resolveConfig(raw: unknown, baseDir: string, file: string): Result<Config | undefined> {
  const issues: Issue[] = [];
  const problem = (key: string, message: string): void => {
    issues.push({ rule: 'config-invalid', level: 'error', message, file, pointer: `/${key}` });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ rule: 'config-invalid', level: 'error', message: 'the configuration must be a JSON object', file });
    return { value: undefined, issues };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) {
      const meant = closest(key, [...KNOWN_KEYS]);
      issues.push({ rule: 'config-unknown-key', level: 'warning', message: `unknown key "${key}" is ignored${meant ? ` (did you mean "${meant}"?)` : ''}`, file, pointer: `/${key}` });
    }
  }

  const str = (key: string, fallback?: string): string | undefined => {
    const value = input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      problem(key, `"${key}" must be a non-empty string`);
      return fallback;
    }
    return value.trim();
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const value = input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problem(key, `"${key}" must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const title = str('title');
  if (title === undefined && input.title === undefined) problem('title', 'missing "title": the name readers see for the feed');
  const description = typeof input.description === 'string' ? input.description.trim() : (input.description === undefined ? DEFAULTS.description : (problem('description', '"description" must be a string'), ''));

  let url: string | undefined;
  const rawUrl = str('url');
  if (rawUrl === undefined) {
    if (input.url === undefined) problem('url', 'missing "url": the absolute URL of the site, e.g. "https://news.example/"');
  } else {
    url = absoluteHttpUrl(rawUrl);
    if (!url) problem('url', `"url" must be an absolute http(s) URL, got "${rawUrl}"`);
  }
  let feedBaseUrl = url;
  const rawBase = str('feedBaseUrl');
  if (rawBase !== undefined) {
    feedBaseUrl = absoluteHttpUrl(rawBase);
    if (!feedBaseUrl) problem('feedBaseUrl', `"feedBaseUrl" must be an absolute http(s) URL, got "${rawBase}"`);
  }

  const language = str('language', DEFAULTS.language)!;
  if (!isPublishableLanguage(language)) problem('language', `"language" must be a language tag such as "fr" or "en-GB", got "${language}"`);

  const timezone = str('timezone', DEFAULTS.timezone)!;
  const timezoneOk = isValidTimezone(timezone);
  if (!timezoneOk) problem('timezone', `unknown timezone "${timezone}": use an IANA name such as "Europe/Paris" or "UTC"`);

  const schedule = str('schedule', DEFAULTS.schedule)!;
  const cron = cronProblem(schedule);
  if (cron !== undefined) problem('schedule', `"schedule" is not a valid cron expression ("${schedule}")${cron ? `: ${cron}` : ''}`);

  let idPrefix = str('idPrefix');
  if (idPrefix !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(idPrefix)) {
    problem('idPrefix', `"idPrefix" must start a URI, such as "tag:news.example,2024:", got "${idPrefix}"`);
  }
  if (idPrefix === undefined && url) idPrefix = `tag:${new URL(url).hostname},2000:`;

  let author: Person | undefined;
  if (input.author !== undefined) {
    if (typeof input.author === 'string' && input.author.trim()) author = { name: input.author.trim() };
    else if (input.author && typeof input.author === 'object' && typeof (input.author as Person).name === 'string') {
      const a = input.author as Record<string, unknown>;
      author = { name: String(a.name).trim() };
      if (typeof a.email === 'string') author.email = a.email.trim();
      if (typeof a.url === 'string') author.url = a.url.trim();
      // Every feed carries this author: a value no format accepts would stop every build.
      if (author.email !== undefined && !isAddrSpec(author.email)) problem('author/email', `"email" must be a bare address such as redaction@news.example (no name, no mailto:), got "${author.email}"`);
      if (author.url !== undefined && !absoluteHttpUrl(author.url)) problem('author/url', `"url" must be an absolute http(s) URL, got "${author.url}"`);
    } else problem('author', '"author" must be a name or an object with a "name"');
  }
  const copyright = str('copyright');
  let icon = str('icon');
  if (icon !== undefined && url) {
    // Relative to the site, so "icon.png" works; the result must be an absolute http(s) URL.
    icon = URL.canParse(icon, url) ? new URL(icon, url).href : undefined;
    if (!icon) problem('icon', '"icon" must be a URL (absolute, or relative to "url")');
  }

  const limit = int('limit', DEFAULTS.limit, 1, 10_000);
  const tombstoneDays = int('tombstoneDays', DEFAULT_TOMBSTONE_DAYS, 0, 3650);
  const maxBytes = int('maxBytes', DEFAULT_MAX_BYTES, ...MAX_BYTES_RANGE);
  const port = int('port', DEFAULTS.port, 0, 65_535);
  const host = str('host', DEFAULTS.host)!;

  const hubs: string[] = [];
  if (input.hubs !== undefined) {
    if (!Array.isArray(input.hubs)) problem('hubs', '"hubs" must be a list of hub URLs');
    else input.hubs.forEach((hub, i) => {
      if (typeof hub === 'string' && /^https?:\/\//i.test(hub) && URL.canParse(hub)) {
        // Every feed publishes its hubs' URLs (and pings cannot send them): a password there would be public.
        const { username, password } = new URL(hub);
        if (username || password) problem(`hubs/${i}`, `hub ${i + 1} must not hold a user or password: every feed publishes its hubs' addresses for subscribers to read`);
        else hubs.push(hub);
      } else problem(`hubs/${i}`, `hub ${i + 1} must be an absolute http(s) URL`);
    });
  }

  let moved: { from: string; to: string }[] | undefined;
  if (input.moved !== undefined) {
    const example = 'e.g. { "tags/transport/": "tags/transports/" }';
    if (!input.moved || typeof input.moved !== 'object' || Array.isArray(input.moved)) problem('moved', `"moved" must map old feed folders to new ones, ${example}`);
    else {
      moved = [];
      for (const [key, value] of Object.entries(input.moved as Record<string, unknown>)) {
        // Folders are named as on disk (`tags/île-de-france/`); an address copied from feeds.opml or a log is percent-encoded.
        let name = key;
        if (/%[0-9A-Fa-f]{2}/.test(key)) {
          try {
            name = key.split('/').map((s) => decodeURIComponent(s)).join('/');
          } catch {
            problem('moved', `"moved": "${key}" has a malformed percent-encoding`);
            continue;
          }
        }
        // NFC, as folders are written: a key typed on a Mac may come decomposed (e + U+0301).
        name = name.normalize('NFC');
        const from = name.endsWith('/') ? name : `${name}/`;
        const segments = from.slice(0, -1).split('/');
        if (from === '/' || from.startsWith('/') || from.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) {
          problem('moved', `"moved": "${key}" must be the folder of a feed under "feedBaseUrl", such as "tags/transport/"`);
          continue;
        }
        const target = typeof value === 'string' && value.trim() !== '' && feedBaseUrl && URL.canParse(value.trim(), feedBaseUrl) ? new URL(value.trim(), feedBaseUrl) : undefined;
        if (!target || !/^https?:$/.test(target.protocol)) {
          problem('moved', `"moved": "${key}" must lead to a feed folder, relative to "feedBaseUrl" or an absolute http(s) URL, ${example}`);
          continue;
        }
        if (!target.pathname.endsWith('/')) target.pathname += '/';
        const written = (value as string).trim();
        const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(written);
        // An empty `?` or `#` still ends the URL: the documents' names would land after it (`…/x/#rss.xml`).
        if (/[?#]/.test(target.href)) {
          problem('moved', `"moved": "${key}" leads to "${written}", which has a query or a fragment: a feed folder has neither`);
          continue;
        }
        // Every poller would be sent them in Location headers.
        if (target.username !== '' || target.password !== '') {
          problem('moved', `"moved": "${key}" leads to an address holding a user or password, which every reader redirected would be sent`);
          continue;
        }
        // `https:other.example/x/` reads as a path under the site: a scheme takes its "//".
        if (scheme && !written.startsWith('//', scheme[0].length)) {
          problem('moved', `"moved": "${key}" leads to "${written}": an absolute URL is written with "//" after its scheme (https://…)`);
          continue;
        }
        // A relative target names a feed folder; `../x/` or `//host/x/` would send readers out of the feeds, unjudged as "elsewhere" is.
        if (feedBaseUrl && !scheme && !target.href.startsWith(feedBaseUrl)) {
          problem('moved', `"moved": "${key}" leads to "${written}", outside "feedBaseUrl" (${feedBaseUrl}): a relative target is a feed folder under it; write an absolute URL for an address elsewhere`);
          continue;
        }
        if (feedBaseUrl && target.href === new URL(from, feedBaseUrl).href) {
          problem('moved', `"moved": "${key}" leads to itself`);
          continue;
        }
        moved.push({ from, to: target.href });
      }
      moved.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    }
  }

  let ttlMinutes = 15;
  if (input.ttl !== undefined) ttlMinutes = int('ttl', 15, 1, 7 * 24 * 60);
  // At most a day: a weekly job's readers would otherwise not see for a week what an editor publishes by hand between
  // runs, and pollers hold a copy no longer than a day (kiosque validate's HTTP-CACHE-003).
  else if (cron === undefined && timezoneOk) ttlMinutes = Math.min(scheduleIntervalMinutes(schedule), MAX_DERIVED_TTL);

  let feeds: FeedSpec[] | undefined;
  if (input.feeds !== undefined) {
    const parsed = parseFeedSpecs(input.feeds, file);
    issues.push(...parsed.issues);
    feeds = parsed.value;
  }

  // Media files are served by the site, not by kiosque: the folder is only read, for sizes and image dimensions.
  const mediaDir = str('media');
  let mediaUrl = str('mediaUrl');
  if (mediaUrl !== undefined && mediaDir === undefined) problem('mediaUrl', '"mediaUrl" needs "media": the folder whose files it serves');
  if (url && mediaDir !== undefined) {
    mediaUrl = URL.canParse(mediaUrl ?? 'media/', url) ? new URL(mediaUrl ?? 'media/', url).href : undefined;
    if (!mediaUrl || !/^https?:/.test(mediaUrl)) problem('mediaUrl', '"mediaUrl" must be an http(s) URL, absolute or relative to "url"');
    else if (!mediaUrl.endsWith('/')) mediaUrl += '/';
  }
  const media = mediaDir !== undefined && mediaUrl ? { dir: resolve(baseDir, mediaDir), url: mediaUrl } : undefined;
  const scaling = resolveScaling(input, problem, (key, message) => issues.push({ rule: 'config-unknown-key', level: 'warning', message, file, pointer: `/${key}` }));

  const articles = resolve(baseDir, str('articles', DEFAULTS.articles)!);
  const out = resolve(baseDir, str('out', DEFAULTS.out)!);

  if (issues.some((i) => i.level === 'error') || !url || !feedBaseUrl || !title || !idPrefix) {
    return { value: undefined, issues };
  }
  return {
    value: {
      title, description, url, feedBaseUrl, idPrefix, language, timezone,
      ...(author ? { author } : {}), ...(copyright ? { copyright } : {}), ...(icon ? { icon } : {}),
      limit, tombstoneDays, maxBytes, schedule, ttlMinutes, hubs, host, port, articles, out, ...(feeds ? { feeds } : {}), ...(media ? { media } : {}), ...(moved?.length ? { moved } : {}), ...scaling, file,
    },
    issues,
  };
}

export type ConfigOverrides = { articles?: string; out?: string };

/** A key given twice in one object: JSON.parse keeps the last without a word (RFC 8259 §4 calls it unpredictable). */
function duplicateKeys(text: string, file: string): Issue[] {
  const { duplicates } = parseJson(text);
  if (duplicates.length === 0) return [];
  const at = lineIndex(text);
  return duplicates.map((d) => ({
    rule: 'config-duplicate-key', level: 'warning', file, pointer: d.pointer, ...at(d.offset),
    message: `"${d.key}" is given twice in one object (first on line ${at(d.firstOffset).line}): the last one is used and the first ignored; remove the one not meant`,
  }));
}

/**
 * Reads the config file. With no explicit path and no file in `cwd`, the defaults apply
 * (the sample site), so `kiosque build` works in a fresh checkout.
 */
export async function loadConfig(
  path: string | undefined,
  cwd: string,
  overrides: ConfigOverrides = {},
  /** Keys set on the command line (e.g. `schedule`), checked like the file's own. */
  settings: Record<string, unknown> = {},
): Promise<Result<Config | undefined>> {
  const file = resolve(cwd, path ?? CONFIG_FILE);
  const unreadable = (message: string): Result<Config | undefined> => ({ value: undefined, issues: [{ rule: 'config-unreadable', level: 'error', file, message }] });
  let text: string;
  try {
    // A FIFO or a device would be read for ever (and no signal ends a read in progress): only a regular file of sane size is opened.
    const st = await stat(file);
    if (!st.isFile()) return unreadable(`the configuration must be a file; this is ${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe' : 'a device or a socket'}`);
    if (st.size > MAX_CONFIG_BYTES) return unreadable(`the configuration is ${st.size} bytes; a configuration file is a few kilobytes (at most ${MAX_CONFIG_BYTES})`);
    const bytes = await readFile(file);
    // Windows Notepad's "Unicode": every character would read as garbage, and JSON.parse would name the first.
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return unreadable('the configuration is saved as UTF-16; save it as UTF-8');
    text = bytes.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return unreadable(code === 'ENOENT' ? 'configuration file not found' : `cannot read the configuration (${code ?? (err as Error).message})`);
  }
  let raw: unknown;
  // An editor may save the file with a byte order mark, which JSON.parse refuses.
  const body = text.replace(/^\uFEFF/, '');
  try {
    raw = JSON.parse(body);
  } catch (err) {
    const located = jsonSyntaxError(text);
    const message = located?.message ?? (err as Error).message.split(/[\r\n]/)[0];
    return { value: undefined, issues: [{ rule: 'config-invalid', level: 'error', file, ...(located ? { line: located.line, column: located.column } : {}), message: `not valid JSON: ${message}` }] };
  }
  const baseDir = resolve(file, '..');
  const merged = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), ...settings } : raw;
  const result = resolveConfig(merged, baseDir, file);
  result.issues.unshift(...duplicateKeys(body, file));
  if (result.value) {
    if (overrides.articles) result.value.articles = resolve(cwd, overrides.articles);
    if (overrides.out) result.value.out = resolve(cwd, overrides.out);
  }
  return result;
}
