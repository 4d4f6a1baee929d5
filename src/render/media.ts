// Media RSS 1.5.1 (https://www.rssboard.org/media-rss) `media:content`, written by the RSS 2.0 and Atom 1.0 renderers alike.
import type { Enclosure, Entry } from '../model/types.js';
import { asUri } from './feed-lib.js';
import { el, textEl, type XmlElement } from './xml.js';

/** Media RSS `medium` from a MIME type: the five it names, or none. */
function medium(type: string): string | undefined {
  const major = type.split('/')[0]!.toLowerCase();
  if (major === 'image' || major === 'audio' || major === 'video') return major;
  return type.toLowerCase().startsWith('application/pdf') ? 'document' : undefined;
}

/** An enclosure as Media RSS 1.5.1 `media:content` (RSS items beyond the first enclosure). */
export function mediaContent(enclosure: Enclosure): XmlElement {
  const attrs = {
    url: asUri(enclosure.url),
    fileSize: String(enclosure.length),
    type: enclosure.type,
    medium: medium(enclosure.type),
    duration: enclosure.duration === undefined ? undefined : String(enclosure.duration),
  };
  return el('media:content', attrs, enclosure.title === undefined ? [] : [textEl('media:title', enclosure.title, { type: 'plain' })]);
}

/** The lead image as Media RSS `media:content`, with its pixel size when the file was read. */
export function imageElement(url: string, size: Entry['imageSize']): XmlElement {
  return el('media:content', { url: asUri(url), medium: 'image', width: size && String(size.width), height: size && String(size.height) });
}
