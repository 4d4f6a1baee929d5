/**
 * A feed of the set declared a podcast: the `podcast` option of its specification, checked up
 * front like the rest of the configuration, and made into the model's `Podcast` for one feed.
 * Apple's category list is embedded as data; the Podcasting 2.0 guid is computed here. Pure.
 */
import { createHash } from 'node:crypto';
import type { Issue } from '../issue.js';
import { isAddrSpec } from '../values/email.js';
import type { Entry, Podcast, PodcastCategory } from './types.js';

/**
 * Apple Podcasts categories and their subcategories, as Apple lists them for `itunes:category`
 * (Apple Podcasts for Creators, "Apple Podcasts categories",
 * https://podcasters.apple.com/support/1691-apple-podcasts-categories; the 2019 list, current
 * in 2026). Apple refuses a show whose category is not one of these, spelled exactly.
 */
export const APPLE_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  Arts: ['Books', 'Design', 'Fashion & Beauty', 'Food', 'Performing Arts', 'Visual Arts'],
  Business: ['Careers', 'Entrepreneurship', 'Investing', 'Management', 'Marketing', 'Non-Profit'],
  Comedy: ['Comedy Interviews', 'Improv', 'Stand-Up'],
  Education: ['Courses', 'How To', 'Language Learning', 'Self-Improvement'],
  Fiction: ['Comedy Fiction', 'Drama', 'Science Fiction'],
  Government: [],
  History: [],
  'Health & Fitness': ['Alternative Health', 'Fitness', 'Medicine', 'Mental Health', 'Nutrition', 'Sexuality'],
  'Kids & Family': ['Education for Kids', 'Parenting', 'Pets & Animals', 'Stories for Kids'],
  Leisure: ['Animation & Manga', 'Automotive', 'Aviation', 'Crafts', 'Games', 'Hobbies', 'Home & Garden', 'Video Games'],
  Music: ['Music Commentary', 'Music History', 'Music Interviews'],
  News: ['Business News', 'Daily News', 'Entertainment News', 'News Commentary', 'Politics', 'Sports News', 'Tech News'],
  'Religion & Spirituality': ['Buddhism', 'Christianity', 'Hinduism', 'Islam', 'Judaism', 'Religion', 'Spirituality'],
  Science: ['Astronomy', 'Chemistry', 'Earth Sciences', 'Life Sciences', 'Mathematics', 'Natural Sciences', 'Nature', 'Physics', 'Social Sciences'],
  'Society & Culture': ['Documentary', 'Personal Journals', 'Philosophy', 'Places & Travel', 'Relationships'],
  Sports: ['Baseball', 'Basketball', 'Cricket', 'Fantasy Sports', 'Football', 'Golf', 'Hockey', 'Rugby', 'Running', 'Soccer', 'Swimming', 'Tennis', 'Volleyball', 'Wilderness', 'Wrestling'],
  Technology: [],
  'True Crime': [],
  'TV & Film': ['After Shows', 'Film History', 'Film Interviews', 'Film Reviews', 'TV Reviews'],
};

/** The category with Apple's spelling, from `Parent` or `Parent/Sub` in any case; undefined when Apple has no such category. */
export function appleCategory(text: string, sub?: string): PodcastCategory | undefined {
  const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.toLowerCase();
  const parent = Object.keys(APPLE_CATEGORIES).find((c) => same(text, c));
  if (parent === undefined) return undefined;
  if (sub === undefined) return { text: parent };
  const child = APPLE_CATEGORIES[parent]!.find((c) => same(sub, c));
  return child === undefined ? undefined : { text: parent, sub: child };
}

/** The Podcasting 2.0 namespace UUID under which `podcast:guid` values are minted (podcast-namespace, docs/tags/guid.md). */
export const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 9562 §5.5: a name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replaceAll('-', ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `podcast:guid` of a feed URL: UUIDv5 of the URL without its scheme and trailing slashes. */
export function podcastGuid(feedUrl: string): string {
  return uuidV5(feedUrl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '').replace(/\/+$/, ''), PODCAST_GUID_NAMESPACE);
}

/** The `podcast` option of a feed specification, checked. */
export type PodcastSpec = {
  categories: PodcastCategory[];
  explicit: boolean;
  type: Podcast['type'];
  /** As written: absolute, or relative to the site `url`. */
  image: string;
  author?: string;
  owner?: { name?: string; email: string };
  /** Set once a podcast has a guid that must survive a move of its feed. */
  guid?: string;
};

const PODCAST_KEYS = new Set(['category', 'explicit', 'type', 'image', 'author', 'owner', 'guid']);

/** Checks a `podcast` value; `at` is its JSON pointer. Problems are errors reported through `problem`. */
export function parsePodcastSpec(raw: unknown, at: string, problem: (at: string, message: string) => void, warn: (at: string, message: string) => void): PodcastSpec | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(at, '"podcast" must be an object with at least "category" and "image"');
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!PODCAST_KEYS.has(key)) warn(`${at}/${key}`, `unknown key "${key}" in "podcast" is ignored`);
  let ok = true;
  const fail = (where: string, message: string): void => {
    problem(`${at}${where}`, message);
    ok = false;
  };
  const text = (key: string): string | undefined => {
    const value = input[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !value.trim()) {
      fail(`/${key}`, `"${key}" must be a non-empty string`);
      return undefined;
    }
    return value.trim();
  };

  const categories: PodcastCategory[] = [];
  const rawCategories = typeof input.category === 'string' ? [input.category] : input.category;
  if (!Array.isArray(rawCategories) || rawCategories.length === 0) {
    fail('/category', 'a podcast needs a "category" from Apple\'s list, e.g. "News" or "News/Daily News" (or a list of them, the first one primary)');
  } else {
    rawCategories.forEach((value, i) => {
      const where = Array.isArray(input.category) ? `/category/${i}` : '/category';
      const [parent, sub, extra] = typeof value === 'string' ? value.split('/') : [];
      const found = parent !== undefined && extra === undefined ? appleCategory(parent, sub) : undefined;
      if (!found) fail(where, `${JSON.stringify(value)} is not an Apple Podcasts category: write "Category" or "Category/Subcategory" from Apple's list (README, Podcasts)`);
      else categories.push(found);
    });
  }
  let explicit = false;
  if (input.explicit !== undefined) {
    if (typeof input.explicit === 'boolean') explicit = input.explicit;
    else fail('/explicit', '"explicit" must be true or false');
  }
  let type: Podcast['type'] = 'episodic';
  if (input.type !== undefined) {
    if (input.type === 'episodic' || input.type === 'serial') type = input.type;
    else fail('/type', '"type" must be "episodic" or "serial"');
  }
  const image = text('image');
  if (image === undefined && input.image === undefined) fail('/image', 'a podcast needs "image": its square artwork, JPEG or PNG, 1400 to 3000 pixels a side');
  else if (image !== undefined && !URL.canParse(image, 'https://site.example/')) fail('/image', '"image" must be a URL, absolute or relative to the site "url"');
  const author = text('author');
  let owner: PodcastSpec['owner'];
  if (input.owner !== undefined) {
    const o = input.owner as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object' || typeof o.email !== 'string' || !isAddrSpec(o.email.trim()) || (o.name !== undefined && (typeof o.name !== 'string' || !o.name.trim()))) {
      fail('/owner', '"owner" must be { "name": "…", "email": "…" } with a valid e-mail address');
    } else owner = { email: o.email.trim(), ...(typeof o.name === 'string' ? { name: o.name.trim() } : {}) };
  }
  const guid = text('guid');
  if (guid !== undefined && !UUID.test(guid)) fail('/guid', '"guid" must be a UUID such as 917393e3-1b1e-5cef-ace4-edaa54e1f810');
  if (!ok || image === undefined) return undefined;
  return {
    categories, explicit, type, image,
    ...(author !== undefined ? { author } : {}),
    ...(owner ? { owner } : {}),
    ...(guid !== undefined ? { guid: guid.toLowerCase() } : {}),
  };
}

/** The podcast of one feed: the image made absolute against the site, the defaults filled from the site. */
export function toPodcast(spec: PodcastSpec, site: { url: string; title: string; author?: { name: string; email?: string } }, feedUrl: string): Podcast {
  const ownerEmail = spec.owner?.email ?? site.author?.email;
  const ownerName = spec.owner?.name ?? spec.author ?? site.author?.name ?? site.title;
  return {
    categories: spec.categories,
    explicit: spec.explicit,
    type: spec.type,
    image: new URL(spec.image, site.url).href,
    author: spec.author ?? site.author?.name ?? site.title,
    ...(ownerEmail !== undefined ? { owner: { name: ownerName, email: ownerEmail } } : {}),
    guid: spec.guid ?? podcastGuid(feedUrl),
  };
}

/** The media types Apple Podcasts plays (its RSS `<enclosure>`): M4A, MP3, MOV, MP4, M4V, PDF. */
export const APPLE_MEDIA_TYPES = ['audio/mpeg', 'audio/x-m4a', 'audio/mp4', 'video/mp4', 'video/quicktime', 'video/x-m4v', 'application/pdf'];

/**
 * The episodes of a podcast feed: the entries Apple can list. An article without an enclosure,
 * one whose enclosure Apple does not play, or, in a serial show, a full episode without a
 * number is left out of that feed, with a warning, and stays in the others: one episode must
 * not stop the publication of the whole set.
 */
export function episodesOf(entries: readonly Entry[], show: { folder: string; rss: string; type?: Podcast['type'] }): { value: Entry[]; issues: Issue[] } {
  const { folder, type = 'episodic' } = show;
  const issues: Issue[] = [];
  const leftOut = (entry: Entry, rule: string, why: string): false => {
    issues.push({ rule, level: 'warning', file: entry.source.file, message: `the podcast "${folder}" selects this article, ${why}` });
    return false;
  };
  const value = entries.filter((entry) => {
    const first = entry.enclosures?.[0];
    if (first === undefined) return leftOut(entry, 'feed-podcast-no-enclosure', 'which has no enclosure: it is left out of that feed (add its audio under "enclosures", or select it out)');
    const media = first.type.split(';')[0]!.trim().toLowerCase();
    if (!APPLE_MEDIA_TYPES.includes(media)) {
      return leftOut(entry, 'feed-podcast-unplayable', `whose first enclosure is ${media}, which Apple Podcasts does not play: it is left out of that feed (encode it as MP3 or M4A, or MP4, M4V or MOV for video)`);
    }
    if (type === 'serial' && entry.episode === undefined && entry.episodeType !== 'trailer' && entry.episodeType !== 'bonus') {
      return leftOut(entry, 'feed-podcast-unnumbered', 'which has no "episode" number, as a serial show needs: it is left out of that feed (number it, or mark it "episodeType: trailer" or "bonus")');
    }
    return true;
  });
  if (value.length === 0) {
    issues.push({ rule: 'feed-podcast-empty', level: 'warning', file: show.rss, message: `the podcast "${folder}" has no episode: Apple Podcasts does not list a show without one, nor accept it when it is submitted` });
  }
  return { value, issues };
}
