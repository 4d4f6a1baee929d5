// RFC 6721 (The Atom "deleted-entry" Element) §3: tombstones as children of atom:feed, with RFC 3339 `when`.
/**
 * One `at:deleted-entry` per retracted entry: `ref` is its id, verbatim (ids are opaque, never
 * run through a URL parser), `when` the retraction instant, `at:comment` the notice. A feed
 * without tombstones declares no `at` prefix, so its bytes are what they were before.
 */
import type { Tombstone } from '../model/types.js';
import { rfc3339 } from './feed-lib.js';
import { el, textEl, type XmlElement } from './xml.js';

export const TOMBSTONES_NS = 'http://purl.org/atompub/tombstones/1.0';

export function tombstoneElement(tombstone: Tombstone): XmlElement {
  return el('at:deleted-entry', { ref: tombstone.ref, when: rfc3339(tombstone.when) }, tombstone.comment !== undefined ? [textEl('at:comment', tombstone.comment, { type: 'text' })] : []);
}
