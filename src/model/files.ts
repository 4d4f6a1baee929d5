/** The names of the files a publication writes in a feed's folder and at its root (archive pages aside: model/archive.ts). */
import type { Format } from './types.js';

/** The three documents of every feed, inside its folder. */
export const FEED_FILES: Readonly<Record<Format, string>> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
/** Each feed's page, in its folder; the root one also lists the whole set. */
export const INDEX_FILE = 'index.html';
/** The browser view of RSS and Atom, once at the root for every feed. */
export const STYLESHEET_FILE = 'feed.xsl';
/** The whole set as a subscription list. */
export const OPML_FILE = 'feeds.opml';
