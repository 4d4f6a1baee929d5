// OPML 2.0 (http://opml.org/spec2.opml), subscription lists: one `type="rss"` outline per feed, grouped.
/**
 * `feeds.opml`: the whole feed set as a subscription list, so a reader imports every section,
 * tag and language at once. Each feed is listed once, by its RSS address (the format every
 * reader takes); outlines are grouped as on the index page. Deterministic: the date is the
 * newest entry's, never the clock.
 */
import { GROUPS, type Group } from '../model/feed-set.js';
import type { Feed, Site } from '../model/types.js';
import { rfc822 } from './feed-lib.js';
import { el, serializeXml, textEl, type XmlElement } from './xml.js';
import { groupLabel } from './html.js';

export type OpmlFeed = { group: Group; feed: Feed };

function outline(feed: Feed): XmlElement {
  const { site } = feed;
  return el('outline', {
    type: 'rss',
    // OPML 2.0 names RSS 0.91 to 2.0 "RSS" ("RSS1" is RSS 1.0); there is no "RSS2".
    version: 'RSS',
    text: site.title,
    title: site.title,
    ...(site.description ? { description: site.description } : {}),
    xmlUrl: site.links.rss,
    htmlUrl: site.url,
    language: site.language,
  });
}

export function renderOpml(site: Site, feeds: readonly OpmlFeed[]): string {
  let newest = 0;
  for (const { feed } of feeds) newest = Math.max(newest, feed.updated.getTime());
  const head = el('head', {}, [
    textEl('title', site.title),
    textEl('dateModified', rfc822(new Date(newest))),
    ...(site.author ? [textEl('ownerName', site.author.name)] : []),
    ...(site.author?.email ? [textEl('ownerEmail', site.author.email)] : []),
    textEl('docs', 'http://opml.org/spec2.opml'),
  ]);
  const body = el('body', {}, GROUPS.flatMap((group) => {
    const members = feeds.filter((f) => f.group === group);
    if (members.length === 0) return [];
    const label = groupLabel(group, site.language);
    return [el('outline', { text: label, title: label }, members.map((m) => outline(m.feed)))];
  }));
  return serializeXml(el('opml', { version: '2.0' }, [head, body]));
}
