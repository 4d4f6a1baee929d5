/**
 * Enclosures and lead images: what an article's `enclosures` (or `media`) and `image` say, made
 * into the model's values, with every fallback decided here once. Which public URLs are files
 * kiosque can measure is decided here too (`localRef`); the store reads those files
 * (store/media.ts) and hands their sizes in, so this module stays pure.
 *
 * A URL maps to a local file when it lies under the media folder's URL (`media/…` in the
 * media folder) or under the site URL (the same path in the store: the store mirrors the site).
 */
import mime from 'mime';
import type { Issue, Result } from '../issue.js';
import { isMimeType } from '../values/mime.js';
import { absoluteUrl, plainText } from './content.js';
import type { ArticleFields, RawEnclosure } from './records.js';
import type { Enclosure } from './types.js';

/** Where local media are served: the site (the store's files) and, when configured, the media folder. */
export type MediaRoots = { siteUrl: string; mediaUrl?: string };

/** A file under one of the roots: `path` is relative to it, decoded, `/`-separated. */
export type LocalRef = { root: 'store' | 'media'; path: string };

/** What the store found at a URL's local path, or nothing when there is no such file. */
export type MediaFile = { file: string; size: number; width?: number; height?: number; /** What its bytes are, for an image (`png`, `jpg`…). */ format?: string };
export type MediaFiles = ReadonlyMap<string, MediaFile>;

/** The local file a public URL names, or undefined for a remote URL (or a path that could leave its root). */
export function localRef(url: string, roots: MediaRoots): LocalRef | undefined {
  const bases: [LocalRef['root'], string | undefined][] = [['media', roots.mediaUrl], ['store', roots.siteUrl]];
  for (const [root, base] of bases) {
    if (base === undefined || !url.startsWith(base)) continue;
    const rest = url.slice(base.length);
    if (rest === '' || /[?#]/.test(rest)) return undefined;
    let path: string;
    try {
      path = decodeURIComponent(rest);
    } catch {
      return undefined;
    }
    // Never a hidden file (out/.kiosque, .git) nor a way out of the root.
    if (path.split('/').some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return undefined;
    return { root, path };
  }
  return undefined;
}

/** The media list as written: `enclosures`, else its alias `media`. */
function written(fields: ArticleFields): { key: 'enclosures' | 'media'; list: RawEnclosure[] } {
  if (fields.enclosures !== undefined) return { key: 'enclosures', list: fields.enclosures };
  return { key: 'media', list: fields.media ?? [] };
}

/** The absolute URLs an article's lead image and enclosures name, for the store to look for as files. */
export function mediaUrls(fields: ArticleFields, articleUrl: string): string[] {
  const urls: string[] = [];
  const add = (raw: string | undefined): void => {
    const url = raw === undefined ? undefined : absoluteUrl(raw, articleUrl);
    if (url !== undefined && /^https?:/.test(url) && !urls.includes(url)) urls.push(url);
  };
  add(fields.image);
  for (const item of written(fields).list) add(item.url);
  return urls;
}

/** Seconds, as `3600`, `1:00:00` or `60:00` (minutes and seconds below 60 after a colon). */
export function parseDuration(text: string): number | undefined {
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const m = /^(?:(\d+):)?(\d+):([0-5]\d)$/.exec(text);
    if (!m || (m[1] !== undefined && Number(m[2]) > 59)) return undefined;
    seconds = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  // No episode lasts no time, and past 2^53 the number written back would not be the one given.
  return seconds >= 1 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** The MIME type a file name or URL path implies, from the `mime` package's database. */
export function typeOfName(name: string): string | undefined {
  return mime.getType(name) ?? undefined;
}

type At = { file: string; line?: number };

/**
 * The address of a local file that ends as `url` does (`/media/shows/x.mp3` written on a site under `/site/`, whose
 * media folder is served at `/site/media/`): the longest common ending, at least the file's name.
 */
function nearestLocal(url: string, files: MediaFiles): string | undefined {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  for (let k = 0; k < segments.length; k++) {
    const tail = `/${segments.slice(k).join('/')}`;
    const found = [...files.keys()].filter((key) => key.endsWith(tail));
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/**
 * The entry's enclosures. A local file gives its size (and, unless the article says otherwise,
 * its type); a remote URL must say its length. Every problem names the field, counted from 1
 * (`enclosures[2].length`), and rejects the article: an enclosure with a made-up length is
 * worse than none (podcast apps stop the download at the announced size).
 */
export function toEnclosures(fields: ArticleFields, articleUrl: string, files: MediaFiles, at: At): Result<Enclosure[]> {
  const { key, list } = written(fields);
  const issues: Issue[] = [];
  const problem = (message: string): void => void issues.push({ rule: 'store-bad-enclosure', level: 'error', ...at, message });
  const enclosures: Enclosure[] = [];
  list.forEach((item, i) => {
    const name = `${key}[${i + 1}]`;
    const url = absoluteUrl(item.url, articleUrl);
    if (url === undefined || !/^https?:/.test(url)) {
      problem(`${name}.url must be an http(s) URL or a path, got "${item.url}"`);
      return;
    }
    const local = files.get(url);
    let length: number | undefined = local?.size;
    if (local === undefined) {
      if (item.length === undefined) {
        const near = nearestLocal(url, files);
        problem(`${name}.length is missing: ${url} is no file in the store or the media folder (${near ? `the file of that name there is served at ${near}: write that address, or a path relative to the article` : 'check its name'}); a file served from elsewhere needs its size in bytes written (length: 12345678)`);
        return;
      }
      if (!/^\d+$/.test(item.length) || Number(item.length) < 1 || !Number.isSafeInteger(Number(item.length))) {
        problem(`${name}.length must be the size in bytes, a whole number from 1, got "${item.length}"`);
        return;
      }
      length = Number(item.length);
    }
    if (length === undefined || length < 1) {
      problem(`${name}.url names an empty file (${local?.file ?? url}): an enclosure needs its bytes`);
      return;
    }
    let type = item.type;
    if (type !== undefined && !isMimeType(type)) {
      problem(`${name}.type must be a MIME type such as audio/mpeg, got "${type}"`);
      return;
    }
    type ??= typeOfName(local?.file ?? new URL(url).pathname);
    if (type === undefined) {
      problem(`${name}.type is missing: no MIME type is known for the name of ${url}`);
      return;
    }
    let duration: number | undefined;
    if (item.duration !== undefined) {
      duration = parseDuration(item.duration);
      if (duration === undefined) {
        problem(`${name}.duration must be whole seconds from 1 (3600) or H:MM:SS (1:00:00), got "${item.duration}"`);
        return;
      }
    }
    const title = item.title === undefined ? '' : plainText(item.title);
    enclosures.push({ url, type, length, ...(title ? { title } : {}), ...(duration !== undefined ? { duration } : {}) });
  });
  return { value: enclosures, issues };
}
