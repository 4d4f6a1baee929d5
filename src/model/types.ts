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

/** A media file an entry carries: RSS `enclosure` / `media:content`, Atom `link rel="enclosure"`, JSON Feed attachment. */
export type Enclosure = {
  /** Absolute URL. */
  url: string;
  /** MIME type. */
  type: string;
  /** Size in bytes, known (from the file, or as written for a remote URL): never a placeholder 0. */
  length: number;
  title?: string;
  /** Whole seconds. */
  duration?: number;
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
  /** Pixel size of the lead image, when it is a local file kiosque could read. */
  imageSize?: { width: number; height: number };
  /** In the order written; absent when there are none. */
  enclosures?: Enclosure[];
  /** Podcast episode fields, where the article gives them. */
  episode?: number;
  season?: number;
  explicit?: boolean;
  /** Apple's `itunes:episodeType`: a trailer or a bonus needs no episode number in a serial show. */
  episodeType?: EpisodeType;
  /** BCP 47 tag. */
  lang?: string;
  /** An archive page's entry, made from the front matter alone (model/archive.ts): no content is written. */
  headline?: true;
  source: SourceRef;
};

export const EPISODE_TYPES = ['full', 'trailer', 'bonus'] as const;
export type EpisodeType = (typeof EPISODE_TYPES)[number];

/** Apple Podcasts category: one of Apple's, with an optional subcategory of it (model/podcast.ts). */
export type PodcastCategory = { text: string; sub?: string };

/** What makes a feed of the set a podcast: the iTunes and Podcasting 2.0 channel fields (RSS only). */
export type Podcast = {
  /** First is the primary one. */
  categories: PodcastCategory[];
  explicit: boolean;
  type: 'episodic' | 'serial';
  /** Absolute URL of the square artwork. */
  image: string;
  author: string;
  owner?: { name: string; email: string };
  /** Podcasting 2.0 `podcast:guid`: UUIDv5 of the feed URL unless the configuration fixes one. */
  guid: string;
};

/** Site-level fields, from the configuration. All URLs absolute. */
export type Site = {
  title: string;
  description: string;
  /** Home page of the site, with a trailing slash. */
  url: string;
  /** BCP 47 tag. */
  language: string;
  /** The language of an article that names none (the site's), where the feed's `language` is another (a tag written mostly in Arabic). */
  articleLanguage?: string;
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
  /**
   * Minutes a poller may cache the feeds; RSS `<ttl>` and HTTP max-age derive from it. Absent on
   * archive pages: a full page is cached for good, and a `<ttl>` there would tie its bytes to the schedule.
   */
  ttlMinutes?: number;
  icon?: string;
  /** Set when this feed of the set is a podcast. */
  podcast?: Podcast;
  /** e.g. `kiosque 0.1.0`. */
  generator: { name: string; version: string; uri: string };
};

/** An RFC 6721 `at:deleted-entry`: an entry withdrawn from the feed, for readers to drop their copy. */
export type Tombstone = {
  /** The retracted entry's id. */
  ref: string;
  /** When it was retracted. */
  when: Date;
  /** The retraction notice, plain text. */
  comment?: string;
};

/** RFC 5005 markup of one document; each link is given in the three formats, the renderer takes its own. */
export type Paging = {
  /** fh:archive: an archive page. */
  archive?: true;
  /** fh:complete: the document carries every entry of the feed. */
  complete?: true;
  /** `current`: the subscription document (archive pages). */
  current?: Record<Format, string>;
  /** `prev-archive`: the next older page (JSON Feed: `next_url`). */
  prevArchive?: Record<Format, string>;
  /** `next-archive`: the next newer page. */
  nextArchive?: Record<Format, string>;
};

export type Feed = {
  site: Site;
  /** RFC 5005 paging; absent for a feed without archives, whose documents stay as they were. */
  paging?: Paging;
  /** Newest first; equal dates ordered by id. At most `limit` entries. */
  entries: Entry[];
  /** Newest entry's `updated`, or the latest retraction of an article it carried when later (model/retraction.ts), never the clock. When the store is empty: the epoch, so bytes stay stable. */
  updated: Date;
  /** Retracted entries this feed announces (Atom only: RSS and JSON Feed have no such element). */
  tombstones?: Tombstone[];
};

export type Format = 'rss' | 'atom' | 'json';
export const FORMATS: readonly Format[] = ['rss', 'atom', 'json'];
/** The file names live in files.ts; serve/ still reads them here until it tells feeds by media type. */
export { FEED_FILES as FILE_NAMES } from './files.js';
export const MEDIA_TYPES: Readonly<Record<Format, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
