/**
 * The one feed model the core knows. Store records are normalised into it once
 * (model/to-feed.ts); the three renderers and the validators' cross-checks read only this.
 */

export type Person = {
  name: string;
  email?: string;
  url?: string;
};

/** Where an entry came from, for reporting. `file` is relative to the store, with `/` separators. */
export type SourceRef = {
  file: string;
  line?: number;
};

export type Entry = {
  /** Permanent URI (e.g. `tag:example.org,2020:dispatch/idlib`). Never derived from the title or build time. */
  id: string;
  /** Absolute permalink. */
  url: string;
  /** Plain text, never HTML. */
  title: string;
  /** True instant; date-only and offset-less values were resolved in the configured timezone. */
  published: Date;
  /** Equals `published` when the article has no `updated`. */
  updated: Date;
  authors: Person[];
  /** Sanitised HTML with absolute URLs and no XML-illegal characters. */
  contentHtml: string;
  /** Plain text. */
  summary: string;
  tags: string[];
  /** Absolute URL. */
  image?: string;
  /** BCP 47 tag. */
  lang?: string;
  source: SourceRef;
};

/** Site-level fields, from the configuration. All URLs absolute. */
export type Site = {
  title: string;
  description: string;
  /** Home page of the site, with a trailing slash. */
  url: string;
  /** BCP 47 tag. */
  language: string;
  author?: Person;
  copyright?: string;
  /** Absolute URLs of the three published feeds and the HTML index (self links). */
  links: { rss: string; atom: string; json: string; html: string; xsl: string };
  /** The feed's folder under out/ (absent or '' for the main feed), which its relative links start from. */
  folder?: string;
  /** Permanent feed-level id (a `tag:` URI). */
  id: string;
  /** WebSub hubs to advertise. */
  hubs: string[];
  /** Minutes a poller may cache the feeds; RSS `<ttl>` and HTTP max-age derive from it. */
  ttlMinutes: number;
  icon?: string;
  /** e.g. `kiosque 0.1.0`. */
  generator: { name: string; version: string; uri: string };
};

export type Feed = {
  site: Site;
  /** Newest first; equal dates ordered by id. At most `limit` entries. */
  entries: Entry[];
  /** Newest entry's `updated`, never the clock. When the store is empty: the epoch, so bytes stay stable. */
  updated: Date;
};

export type Format = 'rss' | 'atom' | 'json';
export const FORMATS: readonly Format[] = ['rss', 'atom', 'json'];
/** The file names live with the feed set; serve/ still reads them here until it tells feeds by media type. */
export { FEED_FILES as FILE_NAMES } from './feed-set.js';
export const MEDIA_TYPES: Readonly<Record<Format, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
