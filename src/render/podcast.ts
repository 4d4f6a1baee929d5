// Apple Podcasts RSS tags (itunes namespace, "A Podcaster's Guide to RSS") and the Podcasting 2.0 namespace 1.0 (podcast:guid), for the RSS of podcast feeds.
/**
 * Only feeds declared podcasts carry these, so every other feed keeps its bytes. Values come
 * checked from the model (model/podcast.ts): categories from Apple's list, a UUIDv5 guid.
 */
import type { Entry, Podcast } from '../model/types.js';
import { asUri } from './feed-lib.js';
import { el, textEl, type XmlElement } from './xml.js';

export const PODCAST_NAMESPACES = {
  'xmlns:itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  'xmlns:podcast': 'https://podcastindex.org/namespace/1.0',
} as const;

/** Channel children, after RSS's own. */
export function podcastChannel(podcast: Podcast): XmlElement[] {
  return [
    textEl('itunes:author', podcast.author),
    el('itunes:image', { href: asUri(podcast.image) }),
    ...podcast.categories.map((c) => el('itunes:category', { text: c.text }, c.sub === undefined ? [] : [el('itunes:category', { text: c.sub })])),
    textEl('itunes:explicit', String(podcast.explicit)),
    textEl('itunes:type', podcast.type),
    ...(podcast.owner ? [el('itunes:owner', {}, [textEl('itunes:name', podcast.owner.name), textEl('itunes:email', podcast.owner.email)])] : []),
    textEl('podcast:guid', podcast.guid),
  ];
}

/** Item children of an episode: its length in time (the first enclosure's), numbers and advisory where the article gives them. */
export function podcastItem(entry: Entry): XmlElement[] {
  const duration = entry.enclosures?.[0]?.duration;
  return [
    ...(duration !== undefined ? [textEl('itunes:duration', String(duration))] : []),
    ...(entry.season !== undefined ? [textEl('itunes:season', String(entry.season))] : []),
    ...(entry.episode !== undefined ? [textEl('itunes:episode', String(entry.episode))] : []),
    ...(entry.episodeType !== undefined ? [textEl('itunes:episodeType', entry.episodeType)] : []),
    ...(entry.explicit !== undefined ? [textEl('itunes:explicit', String(entry.explicit))] : []),
  ];
}
