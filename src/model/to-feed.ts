/**
 * Store records to the one feed model: every fallback, trim and absolute URL happens here,
 * once, so the renderers only print.
 */
import type { Config } from '../config.js';
import type { Issue, Result } from '../issue.js';
import type { ArticleBody, RawPerson } from './records.js';
import { absoluteUrl, plainText, summaryFromHtml } from './content.js';
import { isBlank } from './text.js';
import { cleanTags } from './tags.js';
import { FEED_FILES, INDEX_FILE, STYLESHEET_FILE } from './feed-set.js';
import { entryUrl, feedId, isMistypedScheme } from './ids.js';
import { localRef, toEnclosures, type MediaFiles } from './media.js';
import type { Candidate } from './select.js';
import { EPISODE_TYPES, type Entry, type Feed, type Person, type Site } from './types.js';
import { isAddrSpec } from '../values/email.js';
import { findEntity, findHtmlTag, HEADLINE_MARKUP } from '../values/html-text.js';
import { isPublishableLanguage } from '../values/language.js';


/** The article's permalink (the base its content's relative URLs resolve against), or undefined if its `url` is unusable. */
export function articleUrl(candidate: Candidate, body: ArticleBody, config: Pick<Config, 'url'>): string | undefined {
  return entryUrl(config.url, candidate.head.file, body.fields.url?.trim() || undefined);
}

/** An author as the feeds carry it; an email or url no format accepts is dropped with a warning rather than failing every feed. */
function person(raw: RawPerson, base: string, dropped: (message: string) => void): Person | undefined {
  const name = plainText(raw.name);
  if (!name) return undefined;
  const out: Person = { name };
  const email = raw.email ? plainText(raw.email) : '';
  if (isAddrSpec(email)) out.email = email;
  else if (email) dropped(`author "${name}": "email" must be a bare address such as name@news.example (no name, no mailto:), got "${email}": ignored`);
  const url = raw.url && !isMistypedScheme(raw.url.trim()) ? absoluteUrl(raw.url, base) : undefined;
  if (url && /^https?:/.test(url)) out.url = url;
  else if (raw.url) dropped(`author "${name}": "url" must be an http(s) URL or a path on the site, got "${raw.url}": ignored`);
  return out;
}

const NO_FILES: MediaFiles = new Map();

/**
 * Shortcodes and template tags of the tools sites migrate from (Hugo `{{< figure >}}`, Liquid
 * `{% include %}` and `{{ site.baseurl }}`, WordPress `[caption]`), outside code: the first one
 * found, or undefined. A body published with them shows readers the code instead of the figure.
 */
// WordPress's: `[caption …]…[/caption]` and `[embed]…[/embed]` with their end, `[gallery ids=…]` with an attribute; "[caption]" in prose is none.
const TEMPLATE_CODE = /\{\{(?:&lt;|%)\s*\/?\w*|\{\{-?\s*(?:site|page|\.Site|\.Params|\.Page)\b[\w.]*|\{%-?\s*\w+|\[(caption|embed)\b[^\]]{0,200}\](?=[\s\S]{0,2000}?\[\/\1\])|\[(?:gallery|playlist|audio|video)\s+\w+=[^\]]{0,200}\]/;
function templateCode(html: string): string | undefined {
  if (!/[{[]/.test(html)) return undefined;
  const m = TEMPLATE_CODE.exec(html.replace(/<(pre|code)\b[^>]*>[\s\S]*?<\/\1>/g, ''));
  if (!m) return undefined;
  const text = m[0].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** HTML in a plain-text field (a CMS export's `&#8220;` or `<p>`): what it holds, or undefined. */
function markupIn(text: string | undefined): string | undefined {
  if (!text || !/[&<]/.test(text)) return undefined;
  const reference = findEntity(text);
  if (reference) return `the HTML character reference ${reference}`;
  const tag = findHtmlTag(text, HEADLINE_MARKUP);
  return tag ? `the HTML tag ${tag}` : undefined;
}

/**
 * One entry from its selected head, its full record, its rendered content and the local media
 * files it names (measured by the store). Errors (an unusable url, an empty title, an enclosure
 * without a length) reject it; oddities that can be dropped are warnings.
 */
export function toEntry(candidate: Candidate, body: ArticleBody, contentHtml: string, config: Pick<Config, 'url' | 'author' | 'media'>, files: MediaFiles = NO_FILES): Result<Entry | undefined> {
  const file = candidate.head.file;
  const f = body.fields;
  const at = (key: keyof ArticleBody['lines']): { line?: number } => (body.lines[key] ? { line: body.lines[key] } : {});
  const issues: Issue[] = [];
  const title = plainText(f.title ?? '');
  if (isBlank(title)) issues.push({ rule: 'store-missing-title', level: 'error', file, ...at('title'), message: 'missing "title": every published article needs one' });
  const url = articleUrl(candidate, body, config);
  if (!url) issues.push({ rule: 'store-bad-field-type', level: 'error', file, ...at('url'), message: `"url" must be an http(s) URL or a path on the site, got "${f.url ?? ''}"` });
  if (isBlank(title) || !url) return { value: undefined, issues };
  const enclosures = toEnclosures(f, url, files, { file, ...at(f.enclosures !== undefined ? 'enclosures' : 'media') });
  issues.push(...enclosures.issues);
  if (enclosures.issues.length > 0) return { value: undefined, issues };
  if (f.enclosures !== undefined && f.media !== undefined) {
    issues.push({ rule: 'store-enclosures-and-media', level: 'warning', file, ...at('media'), message: 'both "enclosures" and "media" are set: "enclosures" is used' });
  }

  if (f.author !== undefined && f.authors !== undefined) {
    issues.push({ rule: 'store-author-and-authors', level: 'warning', file, ...at('author'), message: 'both "author" and "authors" are set: "authors" is used' });
  }
  const dropped = (message: string): void => {
    issues.push({ rule: 'store-bad-author', level: 'warning', file, ...at(f.authors !== undefined ? 'authors' : 'author'), message });
  };
  const authors = (f.authors ?? f.author ?? []).map((p) => person(p, config.url, dropped)).filter((p): p is Person => p !== undefined);
  if (authors.length === 0 && config.author) authors.push({ ...config.author });

  const entry: Entry = {
    id: candidate.id,
    url,
    title,
    published: candidate.published,
    updated: candidate.updated,
    authors,
    contentHtml,
    summary: f.summary !== undefined && plainText(f.summary) ? plainText(f.summary) : summaryFromHtml(contentHtml),
    tags: cleanTags(f.tags ?? []),
    source: { file, line: 1 },
  };
  if (f.image !== undefined && f.image.trim()) {
    const image = absoluteUrl(f.image, url);
    if (image && /^https?:/.test(image)) {
      entry.image = image;
      const local = files.get(image);
      if (local?.width !== undefined && local.height !== undefined) entry.imageSize = { width: local.width, height: local.height };
      // Only where a file is meant: a path written relative to the article (the store mirrors the site), or the media folder's
      // address. An absolute URL on the site may be served by the site itself, from files the store never holds.
      const relative = !/^(?:[a-z][a-z0-9+.-]*:|\/)/i.test(f.image.trim());
      // A query or fragment (`q.png?w=800`) names no file kiosque can look for: the server may resize it.
      if (!local && !/[?#]/.test(image) && ((relative && image.startsWith(config.url)) || (config.media !== undefined && image.startsWith(config.media.url)))) {
        // Where it was looked for, as a path in the store: an article's URL is its path without extension, so `x/index.md` looks in `x/index/`.
        const path = relative ? localRef(image, { siteUrl: config.url })?.path : undefined;
        const where = path !== undefined ? ` at ${path}` : '';
        issues.push({ rule: 'store-image-missing', level: 'warning', file, ...at('image'), message: `"image": ${image} is no file in the ${relative ? 'store' : 'media folder'}${where} (check its name): readers would show a broken image` });
      }
    } else issues.push({ rule: 'store-bad-image', level: 'warning', file, ...at('image'), message: `"image" must be an http(s) URL or a path, got "${f.image}": ignored` });
  }
  const template = templateCode(contentHtml);
  if (template) issues.push({ rule: 'store-template-code', level: 'warning', file, message: `the body holds template code that another tool would have rendered (${template}): readers show it as typed; write it as Markdown or HTML` });
  for (const key of ['title', 'summary'] as const) {
    const markup = markupIn(f[key]);
    if (markup) issues.push({ rule: 'store-markup-in-text', level: 'warning', file, ...at(key), message: `"${key}" is plain text, and holds ${markup}: readers show it as typed; write the characters themselves` });
  }
  if (enclosures.value.length > 0) entry.enclosures = enclosures.value;
  if (f.episode !== undefined) entry.episode = Number(f.episode);
  if (f.season !== undefined) entry.season = Number(f.season);
  if (f.explicit !== undefined) entry.explicit = f.explicit;
  if (f.episodeType !== undefined && f.episodeType.trim()) {
    const type = EPISODE_TYPES.find((t) => t === f.episodeType!.trim().toLowerCase());
    if (type) entry.episodeType = type;
    else issues.push({ rule: 'store-bad-episode-type', level: 'warning', file, ...at('episodeType'), message: `"episodeType" must be full, trailer or bonus, got "${f.episodeType}": ignored` });
  }
  if (f.lang !== undefined && f.lang.trim()) {
    if (isPublishableLanguage(f.lang)) entry.lang = f.lang.trim();
    else issues.push({ rule: 'store-bad-lang', level: 'warning', file, ...at('lang'), message: `"lang" must be a language tag such as "fr" or "en-GB", got "${f.lang}": ignored` });
  }
  return { value: entry, issues };
}

/** Site-level fields from the configuration. */
export function siteFromConfig(config: Config, version: string): Site {
  const base = config.feedBaseUrl;
  return {
    title: plainText(config.title),
    description: plainText(config.description),
    url: config.url,
    language: config.language,
    ...(config.author ? { author: { ...config.author } } : {}),
    ...(config.copyright ? { copyright: config.copyright } : {}),
    ...(config.icon ? { icon: config.icon } : {}),
    links: {
      rss: new URL(FEED_FILES.rss, base).href,
      atom: new URL(FEED_FILES.atom, base).href,
      json: new URL(FEED_FILES.json, base).href,
      html: new URL(INDEX_FILE, base).href,
      xsl: new URL(STYLESHEET_FILE, base).href,
    },
    id: feedId(config.idPrefix),
    hubs: [...config.hubs],
    ttlMinutes: config.ttlMinutes,
    generator: { name: 'kiosque', version, uri: config.url },
  };
}

/** The feed: entries as given (already chosen and ordered), `updated` = the newest entry update, never the clock. */
export function toFeed(site: Site, entries: Entry[]): Feed {
  let updated = 0;
  for (const entry of entries) updated = Math.max(updated, entry.updated.getTime());
  return { site, entries, updated: new Date(updated) };
}

/**
 * Entries that are one article published twice: the same title at the same instant from two
 * files (`budget copy.md`, a sync tool's conflicted copy), which readers would list twice. Each
 * later file (in feed order) is named with the first; `entries` are one feed's, newest first.
 */
export function publishedTwice(entries: readonly Entry[]): Issue[] {
  const first = new Map<string, Entry>();
  const issues: Issue[] = [];
  for (const entry of entries) {
    const key = `${entry.published.getTime()}\u0000${entry.title}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, entry);
      continue;
    }
    issues.push({
      rule: 'store-published-twice', level: 'warning', file: entry.source.file, ...(entry.source.line ? { line: entry.source.line } : {}),
      message: `"${entry.title}" (${entry.published.toISOString()}) is also published from ${earlier.source.file}: readers list it twice; delete the copy, or give it a title or date of its own`,
    });
  }
  return issues;
}

