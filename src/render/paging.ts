// RFC 5005 (Feed Paging and Archiving) §2 and §4: fh:complete, fh:archive and the current / prev-archive / next-archive links.
/**
 * The same markup for RSS (links in the Atom namespace, as RFC 5005 §1.2 allows) and Atom;
 * JSON Feed has no link relations, so json.ts writes `next_url` itself.
 */
import type { Format, Paging } from '../model/types.js';
import { asUri } from './feed-lib.js';
import { el, type XmlElement } from './xml.js';

export const FH_NS = 'http://purl.org/syndication/history/1.0';

const LINK_TYPES: Readonly<Record<'rss' | 'atom', string>> = { rss: 'application/rss+xml', atom: 'application/atom+xml' };

/** Whether the document needs the fh namespace (only archive pages and complete feeds: a subscription document gains one link, no namespace). */
export const usesFh = (paging: Paging | undefined): boolean => paging?.archive === true || paging?.complete === true;

/** Head elements for `paging` in `format`; `link` is `atom:link` in RSS, `link` in Atom. */
export function pagingElements(paging: Paging | undefined, format: Extract<Format, 'rss' | 'atom'>): XmlElement[] {
  if (!paging) return [];
  const link = format === 'rss' ? 'atom:link' : 'link';
  const out: XmlElement[] = [];
  const add = (rel: string, links: Record<Format, string> | undefined): void => {
    if (links) out.push(el(link, { rel, type: LINK_TYPES[format], href: asUri(links[format]) }));
  };
  add('current', paging.current);
  add('prev-archive', paging.prevArchive);
  add('next-archive', paging.nextArchive);
  if (paging.archive) out.push(el('fh:archive'));
  if (paging.complete) out.push(el('fh:complete'));
  return out;
}
