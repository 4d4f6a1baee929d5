// RFC 6721 (The Atom "deleted-entry" Element, September 2012) §3: tombstones in Atom feeds; ids from RFC 4287 §4.2.6, dates RFC 3339 §5.6.
import { defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, child, children, descendants, type XmlDoc, type XmlElement } from '../xml.js';
import { absoluteIriProblem } from '../../values/uri.js';
import { parseRfc3339 } from '../../values/dates.js';

const found = new WeakMap<XmlDoc, XmlElement[]>();
/** Every at:deleted-entry of the document, wherever it is, found once per document. */
function tombstones(doc: XmlDoc): XmlElement[] {
  let list = found.get(doc);
  if (!list) {
    list = [];
    for (const el of descendants(doc.root)) if (el.ns === NS.at && el.local === 'deleted-entry') list.push(el);
    found.set(doc, list);
  }
  return list;
}

const instant = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = parseRfc3339(value.trim());
  return parsed.ok ? parsed.date.getTime() : undefined;
};

const at = (el: XmlElement, params: Record<string, string> = {}): Finding => ({ line: el.line, column: el.column, params });

export const tombstoneRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'ATOM-TOMB-001', level: 'error', spec: 'RFC 6721 §3; RFC 4287 §4.2.6',
    title: '`at:deleted-entry` has a `ref` attribute: the absolute IRI that was the removed entry\'s `atom:id`',
    message: (p) => `at:deleted-entry ${p['problem']}`,
    why: 'Readers drop the entry whose id equals ref, character for character: without a usable ref, the tombstone removes nothing and every reader keeps its copy.',
    fix: 'Write ref="…" with the exact atom:id the entry was published with.',
    *check(doc) {
      for (const el of tombstones(doc)) {
        const ref = attr(el, 'ref');
        if (ref === undefined) yield at(el, { problem: 'has no ref attribute' });
        else {
          const problem = absoluteIriProblem(ref);
          if (problem) yield at(el, { problem: `ref "${ref}" is not an id: ${problem}` });
        }
      }
    },
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-TOMB-002', level: 'error', spec: 'RFC 6721 §3; RFC 3339 §5.6',
    title: '`at:deleted-entry` has a `when` attribute: the RFC 3339 date-time the entry was removed',
    message: (p) => `at:deleted-entry ${p['problem']}`,
    why: 'The removal is placed in time against the entry\'s own updates by this date; a tombstone without a valid one is malformed, and readers may ignore it.',
    fix: 'Write when="2026-11-20T08:00:00Z": date, uppercase T, time and zone.',
    *check(doc) {
      for (const el of tombstones(doc)) {
        const when = attr(el, 'when');
        if (when === undefined) yield at(el, { problem: 'has no when attribute' });
        else {
          const parsed = parseRfc3339(when);
          if (!parsed.ok) yield at(el, { problem: `when "${when}": ${parsed.message}` });
        }
      }
    },
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-TOMB-003', level: 'warning', spec: 'RFC 6721 §3',
    title: '`at:deleted-entry` is a child of `atom:feed`',
    message: (p) => `at:deleted-entry inside <${p['parent']}> is ignored: it is read only as a child of the Atom feed element`,
    why: 'Anywhere else (inside an entry, in RSS) readers ignore it, so the removal is never announced.',
    fix: 'Move the at:deleted-entry elements to the top level of the Atom feed, beside its entries.',
    *check(doc) {
      for (const el of tombstones(doc)) {
        const parent = el.parent;
        if (!parent || parent.ns !== NS.atom || parent.local !== 'feed') yield at(el, { parent: parent ? parent.name : 'the document' });
      }
    },
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-TOMB-004', level: 'error', spec: 'RFC 6721 §3',
    title: 'No two `at:deleted-entry` elements of a feed share both `ref` and `when`',
    message: (p) => `a second at:deleted-entry for ref "${p['ref']}" with the same when "${p['when']}" (the first is on line ${p['first']})`,
    why: 'RFC 6721 forbids it: a tombstone is identified by its ref and its when together, so a repeat is either a copy the publisher wrote twice or two removals a reader cannot tell apart.',
    fix: 'Keep one at:deleted-entry per removal of an entry; a later removal of the same id carries its own when.',
    *check(doc) {
      const seen = new Map<string, XmlElement>();
      for (const el of tombstones(doc)) {
        const ref = attr(el, 'ref');
        const when = attr(el, 'when');
        if (ref === undefined || when === undefined) continue;
        const key = `${ref}\u0000${instant(when) ?? when}`;
        const first = seen.get(key);
        if (first) yield at(el, { ref, when, first: String(first.line) });
        else seen.set(key, el);
      }
    },
  }),
  defineRule<XmlDoc>({
    id: 'ATOM-TOMB-005', level: 'warning', spec: 'RFC 6721 §3',
    title: 'An entry the feed carries is not also announced as deleted at or after its `atom:updated`',
    message: (p) => `the entry "${p['ref']}" (line ${p['entry']}) is carried, but an at:deleted-entry dated ${p['when']}, not before its updated ${p['updated']}, tells readers it was removed`,
    why: 'When a feed holds an entry and a tombstone with the same id, readers compare the tombstone\'s when with the entry\'s updated: a removal dated at or after the update wins, so readers delete the entry this very document publishes.',
    fix: 'Drop the tombstone if the entry is back (or give the entry an updated after the removal); drop the entry if it was removed.',
    *check(doc) {
      if (doc.root.ns !== NS.atom || doc.root.local !== 'feed') return;
      const list = tombstones(doc);
      if (list.length === 0) return;
      const entries = new Map<string, XmlElement>();
      for (const entry of children(doc.root, 'entry', NS.atom)) {
        const id = child(entry, 'id', NS.atom)?.text.trim();
        if (id !== undefined && !entries.has(id)) entries.set(id, entry);
      }
      for (const el of list) {
        const ref = attr(el, 'ref');
        const entry = ref === undefined ? undefined : entries.get(ref);
        if (!entry) continue;
        const when = attr(el, 'when')!;
        const updated = child(entry, 'updated', NS.atom)?.text.trim() ?? '';
        const [removed, changed] = [instant(when), instant(updated)];
        if (removed !== undefined && changed !== undefined && removed >= changed) yield at(el, { ref: ref!, entry: String(entry.line), when, updated });
      }
    },
  }),
];
