// JSON Feed 1.1 (jsonfeed.org/version/1.1, 2020-08-07), with 1.0 feeds read as 1.x; rows of the JSON Feed digest.
import { defineRule, type Finding, type Rule } from '../rule.js';
import type { JsonDoc, JsonNode, JsonObject } from '../json/doc.js';
import { describe, member, numberText, quote } from '../json/doc.js';
import type { At } from '../json/walk.js';
import { VERSION_10, VERSION_11, at, attachments, authors, definedObjects, extensions, feed, feedVersion, field, hubs, items, elements } from '../json/walk.js';
import { findEntity, findHtmlTag, htmlProblems, parseRfc3339 } from '../json/values.js';
import { languageTagProblem, unknownLanguage } from '../../values/language.js';
import { isMimeType } from '../../values/mime.js';
import { urlKind } from '../../values/uri.js';
import { closest } from '../../values/closest.js';

type Params = Record<string, string | number>;

const p = (params: Params, key: string): string => String(params[key] ?? '');

const S = {
  feed: 'JSON Feed 1.1, Top-level',
  items: 'JSON Feed 1.1, Items',
  attachments: 'JSON Feed 1.1, Attachments',
  deprecations: 'JSON Feed 1.1, Deprecations',
  extensions: 'JSON Feed 1.1, Extensions',
  realtime: 'JSON Feed 1.1, Subscribing to Real-time Notifications',
  publishers: 'JSON Feed 1.1, Suggestions for Publishers',
  readers: 'JSON Feed 1.1, Suggestions for Feed Readers',
};

/** Keys each object kind defines, per version; 1.1 only added `authors` and `language`. */
const KEYS_10 = {
  feed: ['version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'author', 'expired', 'hubs', 'items'],
  item: ['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'author', 'tags', 'attachments'],
  author: ['name', 'url', 'avatar'],
  attachment: ['url', 'mime_type', 'title', 'size_in_bytes', 'duration_in_seconds'],
  hub: ['type', 'url'],
} as const;
const ADDED_11 = { feed: ['authors', 'language'], item: ['authors', 'language'], author: [], attachment: [], hub: [] } as const;

/** True when the member is present but not a string. */
function* notString(doc: JsonDoc, obj: At<JsonObject>, keys: readonly string[]): Generator<Finding> {
  for (const key of keys) {
    const f = field(obj, key);
    if (f && f.node.kind !== 'string') yield at(doc, f, { field: key, found: describe(f.node) });
  }
}

/** Author-like values that are present: `authors` (any type) and `author` (any type), at top level and in items. */
function ownersOf(doc: JsonDoc): At<JsonObject>[] {
  const f = feed(doc);
  return f ? [f, ...items(doc)] : [];
}

function label(a: At): string {
  return a.pointer === '' ? 'the feed' : a.pointer;
}

// ---------------------------------------------------------------------------------------------
// Document level

const doc001 = defineRule<JsonDoc>({
  id: 'JF-DOC-001',
  level: 'error',
  spec: 'RFC 8259 §2, §7, §8.1; JSON Feed 1.1, Suggestions for Feed Readers',
  title: 'The file is syntactically valid JSON (and valid in its encoding)',
  message: (x) => `not valid JSON: ${p(x, 'reason')}`,
  check: function* (doc) {
    if (doc.badEncoding) {
      const { line, column, byteOffset } = doc.badEncoding;
      yield { pointer: '', line, column, params: { reason: `byte ${byteOffset} is not valid ${doc.encoding.toUpperCase()}` } };
    }
    if (doc.syntaxError) {
      const { line, column } = doc.position(doc.syntaxError.offset);
      yield { pointer: doc.syntaxError.pointer, line, column, params: { reason: doc.syntaxError.message } };
    }
  },
  why: 'Readers cannot read a file that is not valid JSON: the whole feed is lost.',
  fix: 'Generate the file with a JSON serializer, never by string concatenation.',
});

const doc002 = defineRule<JsonDoc>({
  id: 'JF-DOC-002',
  level: 'error',
  spec: 'JSON Feed 1.1, Structure of a Feed',
  title: 'The top-level value is an object',
  message: (x) => `the top-level value must be an object, found ${p(x, 'found')}`,
  check: function* (doc) {
  if (doc.root && doc.root.kind !== 'object') yield at(doc, { node: doc.root, pointer: '' }, { found: describe(doc.root) });
},
  why: 'A JSON Feed is one object; readers stop at anything else.',
  fix: 'Make the top-level value an object with version, title and items.',
});

const doc003 = defineRule<JsonDoc>({
  id: 'JF-DOC-003',
  level: 'warning',
  spec: 'RFC 8259 §8.1; JSON Feed 1.1, Suggestions for Publishers',
  title: 'The file is encoded as UTF-8',
  message: (x) => `the file is ${p(x, 'encoding')}: JSON exchanged between systems must be UTF-8`,
  check: function* (doc) {
  if (doc.encoding !== 'utf-8') yield { pointer: '', line: 1, column: 1, params: { encoding: doc.encoding.toUpperCase() } };
},
  why: 'JSON exchanged between systems is UTF-8; readers may not decode other encodings.',
  fix: 'Save the file as UTF-8.',
});

const doc004 = defineRule<JsonDoc>({
  id: 'JF-DOC-004',
  level: 'error',
  spec: 'RFC 8259 §8.1',
  title: 'No byte-order mark at the start of the file',
  message: (x) => `the file starts with a ${p(x, 'encoding')} byte-order mark: remove it`,
  check: function* (doc) {
  if (doc.bom) yield { pointer: '', line: 1, column: 1, params: { encoding: doc.encoding.toUpperCase() } };
},
  why: 'Many JSON parsers reject a leading byte-order mark.',
  fix: 'Save as UTF-8 without a BOM.',
});

const doc005 = defineRule<JsonDoc>({
  id: 'JF-DOC-005',
  level: 'warning',
  spec: 'RFC 8259 §4',
  title: 'No object repeats a member name',
  message: (x) => `member ${p(x, 'key')} repeats the one at ${p(x, 'first')}: readers keep only one of them`,
  check: function* (doc) {
  for (const d of doc.duplicates) {
    const first = doc.position(d.firstOffset);
    yield at(doc, d, { key: quote(d.key, 40), first: `line ${first.line}, column ${first.column}` });
  }
},
  why: 'Readers keep only one of the repeated members, and not all the same one.',
  fix: 'Write each member once per object.',
});

const doc006 = defineRule<JsonDoc>({
  id: 'JF-DOC-006',
  level: 'info',
  spec: 'RFC 8259 §8.2',
  title: 'Strings contain no unpaired surrogate escapes',
  message: () => 'string holds an unpaired UTF-16 surrogate (like \\ud800 alone): readers may drop or mangle it',
  check: function* (doc) {
  for (const s of doc.loneSurrogates) yield at(doc, s);
},
  why: 'An unpaired surrogate is not a character: readers drop or mangle it.',
  fix: 'Escape whole characters only (`\\ud83d\\ude00`), or write the character itself.',
});

const doc007 = defineRule<JsonDoc>({
  id: 'JF-DOC-007',
  level: 'info',
  spec: 'JSON Feed 1.1, Extensions; Key Naming Rules',
  title: 'Every key not starting with _ is defined for the declared version',
  message: (x) => `${p(x, 'key')} is not a JSON Feed ${p(x, 'version')} key of ${p(x, 'kind')}, so readers ignore it${p(x, 'hint')}`,
  check: function* (doc) {
    const version = feedVersion(doc);
    for (const obj of definedObjects(doc)) {
      const known: readonly string[] = KEYS_10[obj.kind];
      const added: readonly string[] = ADDED_11[obj.kind];
      const reported = new Set<string>();
      for (const m of obj.node.members) {
        if (m.key.startsWith('_') || known.includes(m.key) || reported.has(m.key)) continue;
        reported.add(m.key);
        if (added.includes(m.key)) {
          // `authors` in a 1.0 feed is JF-TOP-016's warning; `language` is only advisory.
          if (version === '1.1' || m.key === 'authors') continue;
          yield at(doc, { pointer: `${obj.pointer}/${m.key}`, offset: m.keyOffset }, { key: quote(m.key), version, kind: kindLabel(obj.kind), hint: ': declare https://jsonfeed.org/version/1.1' });
          continue;
        }
        const guess = closest(m.key, [...known, ...added]);
        const pointer = `${obj.pointer}/${m.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        yield at(doc, { pointer, offset: m.keyOffset }, { key: quote(m.key), version, kind: kindLabel(obj.kind), hint: guess ? ` (did you mean "${guess}"?)` : '' });
      }
    }
  },
  why: 'Readers ignore keys they do not know, so the data is lost (often a typo).',
  fix: 'Use the spec\'s key names, or prefix your own with `_`.',
});

const KIND_LABEL = { feed: 'the top level', item: 'an item', author: 'an author', attachment: 'an attachment', hub: 'a hub' } as const;
function kindLabel(kind: keyof typeof KIND_LABEL): string {
  return KIND_LABEL[kind];
}

const SIZE_LIMIT = 250 * 1024;
const doc008 = defineRule<JsonDoc>({
  id: 'JF-DOC-008',
  level: 'info',
  spec: S.publishers,
  title: 'The document stays under about 250 KB (ideally 100 KB)',
  message: (x) => `the feed is ${p(x, 'kb')} KB: keep it under 250 KB (ideally 100 KB) and move older items to pages linked by next_url`,
  check: function* (doc) {
  if (doc.byteLength > SIZE_LIMIT) yield { pointer: '', line: 1, column: 1, params: { kb: Math.round(doc.byteLength / 1024) } };
},
  why: 'Readers poll the whole file every time; large feeds waste their bandwidth.',
  fix: 'Keep the feed under 250 KB and page older items with next_url.',
});

// ---------------------------------------------------------------------------------------------
// Top level

const top001 = defineRule<JsonDoc>({
  id: 'JF-TOP-001',
  level: 'error',
  spec: `${S.feed}; Changes`,
  title: 'version is present, a string, and exactly https://jsonfeed.org/version/1.1 for a 1.1 feed',
  message: (x) => `version ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const v = field(f, 'version');
  if (!v) return yield at(doc, f, { problem: `is missing: add "version": "${VERSION_11}" as the first key` });
  if (v.node.kind !== 'string') return yield at(doc, v, { problem: `must be a string, found ${describe(v.node)}` });
  if (v.node.value === VERSION_11 || v.node.value === VERSION_10) return;
  const want = feedVersion(doc) === '1.0' ? VERSION_10 : VERSION_11;
  yield at(doc, v, { problem: `${quote(v.node.value)} is not a JSON Feed version URL: use exactly ${want} (https, no www, no trailing slash)` });
},
  why: 'Readers recognise JSON Feed and its version by this exact URL.',
  fix: 'Write `"version": "https://jsonfeed.org/version/1.1"`.',
});

const top002 = defineRule<JsonDoc>({
  id: 'JF-TOP-002',
  level: 'info',
  spec: S.feed,
  title: 'version is the first key of the feed object',
  message: () => 'version should be the first key, so tools can recognise the feed from its first bytes',
  check: function* (doc) {
  const f = feed(doc);
  const first = f?.node.members[0];
  if (!f || !first || first.key === 'version' || !member(f.node, 'version')) return;
  yield at(doc, field(f, 'version')!);
},
  why: 'Tools recognise the feed from its first bytes.',
  fix: 'Put `version` first in the object.',
});

const top003 = defineRule<JsonDoc>({
  id: 'JF-TOP-003',
  level: 'error',
  spec: S.feed,
  title: 'title is present and is a string',
  message: (x) => `the feed title ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const t = field(f, 'title');
  if (!t) yield at(doc, f, { problem: 'is missing' });
  else if (t.node.kind !== 'string') yield at(doc, t, { problem: `must be a string, found ${describe(t.node)}` });
},
  why: 'Readers list the feed under its title.',
  fix: 'Add a string `title`.',
});

const top004 = defineRule<JsonDoc>({
  id: 'JF-TOP-004',
  level: 'info',
  spec: `${S.feed}; ${S.items}`,
  title: 'title is non-empty plain text',
  message: (x) => `the feed title ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  const t = f && field(f, 'title');
  if (t?.node.kind !== 'string') return;
  if (t.node.value.trim() === '') return yield at(doc, t, { problem: 'is empty: readers show nothing to recognise the feed by' });
  const tag = findHtmlTag(t.node.value) ?? findEntity(t.node.value);
  if (tag) yield at(doc, t, { problem: `contains HTML (${tag}), which readers display literally` });
},
  why: 'An empty or HTML title shows up blank or with raw tags.',
  fix: 'Write the site name as plain text.',
});

const top005 = defineRule<JsonDoc>({
  id: 'JF-TOP-005',
  level: 'error',
  spec: S.items,
  title: 'items is present and is an array',
  message: (x) => `items ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const it = field(f, 'items');
  if (!it) yield at(doc, f, { problem: 'is missing: an empty feed still has "items": []' });
  else if (it.node.kind !== 'array') yield at(doc, it, { problem: `must be an array, found ${describe(it.node)}` });
},
  why: 'Readers read the entries from items; without it there is nothing to show.',
  fix: 'Add `"items": []` holding the item objects.',
});

/** Why and fix of the rules built by the two helpers below. */
const HELPER_DOCS: Record<string, { why: string; fix: string }> = {
  'JF-TOP-006': { why: 'Readers link the feed name to the site.', fix: 'Add `home_page_url` with the site URL.' },
  'JF-TOP-007': { why: 'Readers use it to identify the feed and follow moves; it is the WebSub topic.', fix: 'Add `feed_url` with the URL the feed is served from.' },
  'JF-ATT-002': { why: 'Clients download the attachment from its url.', fix: 'Give every attachment a `url` string.' },
  'JF-ATT-003': { why: 'Clients choose a player from the media type.', fix: 'Give every attachment a `mime_type` such as `audio/mpeg`.' },
};

const missingTop = (id: string, key: string, why: string, spec = S.feed): Rule<JsonDoc> =>
  defineRule<JsonDoc>({
    id,
    level: 'warning',
    spec: spec,
    title: `${key} is present`,
    message: () => `${key} is missing: ${why}`,
    check: function* (doc) {
    const f = feed(doc);
    if (f && !member(f.node, key)) yield at(doc, f);
  },
    why: (HELPER_DOCS[id] as { why: string }).why,
    fix: (HELPER_DOCS[id] as { fix: string }).fix,
  });

const top006 = missingTop('JF-TOP-006', 'home_page_url', 'readers have no site to link the feed to (it should be considered required on the public web)');
const top007 = missingTop('JF-TOP-007', 'feed_url', 'it identifies the feed and is the WebSub topic (it should be considered required on the public web)', `${S.feed}; ${S.realtime}`);

const TOP_URLS = ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon'];
const top008 = defineRule<JsonDoc>({
  id: 'JF-TOP-008',
  level: 'error',
  spec: `${S.feed}; ${S.items}; ${S.attachments}`,
  title: 'Every URL-valued top-level field is a string (item, author, attachment and hub URLs: JF-ITEM-010, JF-AUTH-002, JF-ATT-002, JF-TOP-019)',
  message: (x) => `${p(x, 'field')} must be a URL string, found ${p(x, 'found')}`,
  check: function* (doc) {
    const f = feed(doc);
    if (f) yield* notString(doc, f, TOP_URLS);
  },
  why: 'Readers expect these URLs as strings and ignore anything else.',
  fix: 'Write each URL as a JSON string.',
});

/** Every URL-valued string in the feed, whatever object holds it. */
function* urlStrings(doc: JsonDoc): Generator<At & { value: string; field: string }> {
  const fields: Record<string, readonly string[]> = { feed: TOP_URLS, item: ['url', 'external_url', 'image', 'banner_image'], author: ['url', 'avatar'], attachment: ['url'], hub: ['url'] };
  for (const obj of definedObjects(doc)) {
    for (const key of fields[obj.kind] ?? []) {
      const f = field(obj, key);
      if (f?.node.kind === 'string') yield { node: f.node, pointer: f.pointer, value: f.node.value, field: key };
    }
  }
}

const top009 = defineRule<JsonDoc>({
  id: 'JF-TOP-009',
  level: 'info',
  spec: 'reader expectation (JSON Feed defines no base URL)',
  title: 'All URLs are absolute https URLs',
  message: (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const u of urlStrings(doc)) {
    const kind = urlKind(u.value);
    // Author links may be mailto: (the spec says so); other schemes are left alone too.
    if (kind === 'https' || kind === 'other-scheme') continue;
    const problem = kind === 'http' ? 'uses http: prefer https' : kind === 'relative' ? 'is relative: JSON Feed has no base URL to resolve it against' : 'is not a valid absolute URL';
    yield at(doc, u, { field: u.field, value: quote(u.value), problem });
  }
},
  why: 'JSON Feed has no base URL, so relative URLs lead nowhere; http is downgraded by some readers.',
  fix: 'Write absolute https URLs.',
});

const top010 = defineRule<JsonDoc>({
  id: 'JF-TOP-010',
  level: 'error',
  spec: S.feed,
  title: 'description and user_comment are strings when present',
  message: (x) => `${p(x, 'field')} must be a string, found ${p(x, 'found')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (f) yield* notString(doc, f, ['description', 'user_comment']);
},
  why: 'Readers show these as text and ignore other types.',
  fix: 'Write description and user_comment as strings.',
});

const top011 = defineRule<JsonDoc>({
  id: 'JF-TOP-011',
  level: 'error',
  spec: S.feed,
  title: 'next_url differs from feed_url (pagination never loops)',
  message: () => 'next_url equals feed_url: readers following pages would loop forever',
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const next = field(f, 'next_url');
  const self = field(f, 'feed_url');
  if (next?.node.kind !== 'string' || self?.node.kind !== 'string') return;
  if (sameUrl(next.node.value, self.node.value)) yield at(doc, next);
},
  why: 'Readers following next_url would loop forever.',
  fix: 'Point next_url at the next page, never at the feed itself.',
});

function sameUrl(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

const top012 = defineRule<JsonDoc>({
  id: 'JF-TOP-012',
  level: 'warning',
  spec: S.publishers,
  title: 'The feed provides icon and favicon',
  message: (x) => `${p(x, 'field')} is missing: readers will scrape the site to find one`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  for (const key of ['icon', 'favicon']) if (!member(f.node, key)) yield at(doc, f, { field: key });
},
  why: 'Readers otherwise scrape the site for an icon, or show none.',
  fix: 'Add `icon` (512×512) and `favicon` (64×64) URLs.',
});

/** `authors` must be an array of objects wherever it appears; the top-level one is JF-TOP-014, items' JF-ITEM-017. */
function* authorsShape(doc: JsonDoc, owners: At<JsonObject>[]): Generator<Finding> {
  for (const owner of owners) {
    const a = field(owner, 'authors');
    if (!a) continue;
    if (a.node.kind !== 'array') {
      yield at(doc, a, { problem: `must be an array of author objects, found ${describe(a.node)}${a.node.kind === 'object' ? ' (wrap it in [ ])' : ''}` });
      continue;
    }
    for (const el of elements(owner, 'authors')) if (el.node.kind !== 'object') yield at(doc, el, { problem: `must hold author objects, found ${describe(el.node)}` });
  }
}

const top014 = defineRule<JsonDoc>({
  id: 'JF-TOP-014',
  level: 'error',
  spec: S.feed,
  title: 'authors is an array of author objects',
  message: (x) => `authors ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (f) yield* authorsShape(doc, [f]);
},
  why: 'Readers read authors as an array of objects and drop anything else.',
  fix: 'Write `"authors": [{ "name": "…" }]`.',
});

const top015 = defineRule<JsonDoc>({
  id: 'JF-TOP-015',
  level: 'info',
  spec: S.feed,
  title: 'authors is left out rather than empty',
  message: () => 'authors is an empty array: leave it out instead',
  check: function* (doc) {
  for (const owner of ownersOf(doc)) {
    const a = field(owner, 'authors');
    if (a?.node.kind === 'array' && a.node.elements.length === 0) yield at(doc, a);
  }
},
  why: 'An empty authors array says nothing.',
  fix: 'Leave authors out when there is no author.',
});

const top016 = defineRule<JsonDoc>({
  id: 'JF-TOP-016',
  level: 'warning',
  spec: S.deprecations,
  title: 'Feeds use authors (array), not only the deprecated author',
  message: (x) => p(x, 'problem'),
  check: function* (doc) {
  const version = feedVersion(doc);
  for (const owner of ownersOf(doc)) {
    const single = field(owner, 'author');
    const plural = field(owner, 'authors');
    if (version === '1.1' && single && !plural) {
      yield at(doc, single, { problem: `${label(owner)} has only the deprecated author: add "authors": [ … ] (keeping author is fine for 1.0 readers)` });
    }
    if (version === '1.0' && plural) {
      yield at(doc, plural, { problem: `authors is a JSON Feed 1.1 field but the feed declares version 1: 1.0 readers ignore it; declare ${VERSION_11} (and keep author for them)` });
    }
  }
},
  why: 'JSON Feed 1.1 readers read authors; the deprecated author alone may be ignored.',
  fix: 'Add `authors` (you may keep `author` for 1.0 readers).',
});

const top017 = defineRule<JsonDoc>({
  id: 'JF-TOP-017',
  level: 'error',
  spec: S.feed,
  title: 'language is an RFC 5646 language tag string',
  message: (x) => `language ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (f) yield* languageProblems(doc, f);
},
  why: 'Readers use the language for fonts, hyphenation and speech.',
  fix: 'Write an RFC 5646 tag such as `en` or `fr-CA`.',
});

function* languageProblems(doc: JsonDoc, obj: At<JsonObject>): Generator<Finding> {
  const l = field(obj, 'language');
  if (!l) return;
  if (l.node.kind !== 'string') return yield at(doc, l, { problem: `must be a string, found ${describe(l.node)}` });
  const why = languageTagProblem(l.node.value);
  if (why) yield at(doc, l, { problem: `${quote(l.node.value)}: ${why}` });
}

const top021 = defineRule<JsonDoc>({
  id: 'JF-TOP-021',
  level: 'warning',
  spec: `${S.feed}; ${S.items}; RFC 5646 §2.2.1`,
  title: 'language names a language: its primary subtag is an ISO 639 code',
  message: (x) => `${p(x, 'where')} "${p(x, 'value')}" names no language: "${p(x, 'primary')}" is no ISO 639 code (e.g. en, fr, pt-BR)`,
  check: function* (doc) {
    const f = feed(doc);
    const objects = [...(f ? [{ obj: f, where: 'language' }] : []), ...items(doc).map((item) => ({ obj: item, where: 'item language' }))];
    for (const { obj, where } of objects) {
      const l = field(obj, 'language');
      if (l?.node.kind !== 'string') continue;
      const primary = unknownLanguage(l.node.value);
      if (primary) yield at(doc, l, { where, value: l.node.value, primary });
    }
  },
  why: 'A well-formed tag of no language (`fe`, `english`) is as good as none: readers pick fonts, hyphenation and voices by it.',
  fix: 'Write the ISO 639 code of the language (`en`, not `english`), with a region where it matters (`pt-BR`).',
});

const top018 = defineRule<JsonDoc>({
  id: 'JF-TOP-018',
  level: 'error',
  spec: S.feed,
  title: 'expired is a JSON boolean',
  message: (x) => `expired must be true or false, found ${p(x, 'found')}`,
  check: function* (doc) {
  const f = feed(doc);
  const e = f && field(f, 'expired');
  if (e && e.node.kind !== 'boolean') yield at(doc, e, { found: e.node.kind === 'string' ? `the string ${quote(e.node.value)}` : describe(e.node) });
},
  why: 'Readers stop polling a feed marked expired; only a real boolean is understood.',
  fix: 'Write `"expired": true` or leave it out.',
});

const top019 = defineRule<JsonDoc>({
  id: 'JF-TOP-019',
  level: 'error',
  spec: `${S.feed}; ${S.realtime}`,
  title: 'hubs is an array of objects, each with string type and url',
  message: (x) => `hubs ${p(x, 'problem')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const h = field(f, 'hubs');
  if (!h) return;
  if (h.node.kind !== 'array') return yield at(doc, h, { problem: `must be an array of hub objects, found ${describe(h.node)}` });
  for (const el of elements(f, 'hubs')) {
    if (el.node.kind !== 'object') {
      yield at(doc, el, { problem: `must hold objects, found ${describe(el.node)}` });
      continue;
    }
    const hub = el as At<JsonObject>;
    for (const key of ['type', 'url']) {
      const v = field(hub, key);
      if (!v) yield at(doc, hub, { problem: `entry has no ${key}` });
      else if (v.node.kind !== 'string') yield at(doc, v, { problem: `${key} must be a string, found ${describe(v.node)}` });
    }
  }
},
  why: 'Readers subscribe to real-time updates through these hubs.',
  fix: 'Write `"hubs": [{ "type": "WebSub", "url": "https://…" }]`.',
});

const top020 = defineRule<JsonDoc>({
  id: 'JF-TOP-020',
  level: 'info',
  spec: S.realtime,
  title: 'A WebSub hub has type "WebSub" and the feed has the feed_url it uses as topic',
  message: (x) => p(x, 'problem'),
  check: function* (doc) {
  const f = feed(doc);
  const list = hubs(doc);
  if (!f || list.length === 0) return;
  for (const hub of list) {
    const t = field(hub, 'type');
    if (t?.node.kind === 'string' && t.node.value !== 'WebSub' && t.node.value.replace(/[\s-]/g, '').toLowerCase() === 'websub') {
      yield at(doc, t, { problem: `hub type ${quote(t.node.value)} should be spelled "WebSub"` });
    }
  }
  const usesWebSub = list.some((h) => {
    const t = field(h, 'type');
    return t?.node.kind === 'string' && t.node.value.toLowerCase().includes('websub');
  });
  if (usesWebSub && !member(f.node, 'feed_url')) yield at(doc, field(f, 'hubs')!, { problem: 'a WebSub hub uses feed_url as its topic, but the feed has no feed_url' });
},
  why: 'A WebSub subscription needs the hub type and the feed_url topic.',
  fix: 'Use type "WebSub" and give the feed a feed_url.',
});

// ---------------------------------------------------------------------------------------------
// Authors

const auth001 = defineRule<JsonDoc>({
  id: 'JF-AUTH-001',
  level: 'error',
  spec: `${S.feed} (authors)`,
  title: 'Every author object has name, url or avatar',
  message: () => 'author object has none of name, url or avatar',
  check: function* (doc) {
  for (const a of authors(doc)) {
    const has = ['name', 'url', 'avatar'].some((k) => {
      const v = member(a.node, k)?.value;
      return v !== undefined && !(v.kind === 'string' && v.value.trim() === '') && v.kind !== 'null';
    });
    if (!has) yield at(doc, a);
  }
},
  why: 'An author object with none of these shows nothing.',
  fix: 'Give each author a name, url or avatar.',
});

const auth002 = defineRule<JsonDoc>({
  id: 'JF-AUTH-002',
  level: 'error',
  spec: `${S.feed} (authors)`,
  title: 'Author name, url and avatar are strings',
  message: (x) => `author ${p(x, 'field')} must be a string, found ${p(x, 'found')}`,
  check: function* (doc) {
  for (const a of authors(doc)) yield* notString(doc, a, ['name', 'url', 'avatar']);
},
  why: 'Readers expect these as strings and ignore anything else.',
  fix: 'Write name, url and avatar as strings.',
});

const auth004 = defineRule<JsonDoc>({
  id: 'JF-AUTH-004',
  level: 'error',
  spec: `${S.deprecations}; JSON Feed 1.0, Top-level`,
  title: 'A deprecated author is a single object',
  message: (x) => `author must be a single author object, found ${p(x, 'found')}${p(x, 'hint')}`,
  check: function* (doc) {
  for (const owner of ownersOf(doc)) {
    const a = field(owner, 'author');
    if (a && a.node.kind !== 'object') yield at(doc, a, { found: describe(a.node), hint: a.node.kind === 'array' ? ' (an array belongs in authors)' : '' });
  }
},
  why: 'JSON Feed 1.0 readers read author as one object.',
  fix: 'Write `"author": { "name": "…" }`, or use authors.',
});

const auth005 = defineRule<JsonDoc>({
  id: 'JF-AUTH-005',
  level: 'info',
  spec: S.deprecations,
  title: 'When both are present, author equals the first element of authors',
  message: () => 'author differs from authors[0]: 1.0 readers and 1.1 readers will show different authors',
  check: function* (doc) {
  for (const owner of ownersOf(doc)) {
    const single = field(owner, 'author');
    const first = elements(owner, 'authors')[0];
    if (single?.node.kind !== 'object' || first?.node.kind !== 'object') continue;
    const same = ['name', 'url', 'avatar'].every((k) => scalarEqual(member(single.node as JsonObject, k)?.value, member(first.node as JsonObject, k)?.value));
    if (!same) yield at(doc, single);
  }
},
  why: '1.0 readers and 1.1 readers then show different authors.',
  fix: 'Make author equal to authors[0], or drop author.',
});

function scalarEqual(a: JsonNode | undefined, b: JsonNode | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'string' || a.kind === 'boolean') return a.value === (b as typeof a).value;
  if (a.kind === 'number') return a.value === (b as typeof a).value;
  return a.kind === 'null';
}

// ---------------------------------------------------------------------------------------------
// Items

const item001 = defineRule<JsonDoc>({
  id: 'JF-ITEM-001',
  level: 'error',
  spec: S.items,
  title: 'Every element of items is an object',
  message: (x) => `item must be an object, found ${p(x, 'found')}`,
  check: function* (doc) {
  const f = feed(doc);
  if (!f) return;
  for (const el of elements(f, 'items')) if (el.node.kind !== 'object') yield at(doc, el, { found: describe(el.node) });
},
  why: 'Readers skip items that are not objects.',
  fix: 'Write every item as an object.',
});

const item002 = defineRule<JsonDoc>({
  id: 'JF-ITEM-002',
  level: 'error',
  spec: `${S.items}; ${S.readers}`,
  title: 'Every item has id, a non-empty string',
  message: (x) => `item id ${p(x, 'problem')}: ${p(x, 'effect')}`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const id = field(item, 'id');
    const discarded = 'readers discard items without a usable id';
    if (!id) yield at(doc, item, { problem: 'is missing', effect: discarded });
    // The spec has readers coerce a number to a string; many don't, and its spelling ("1.0", "1e3") is theirs to choose.
    else if (id.node.kind === 'number') yield at(doc, id, { problem: `must be a string, found ${describe(id.node)} (write "${numberText(id.node)}")`, effect: 'readers must coerce it to a string (JSON Feed 1.1), each in its own way, and some drop the item' });
    else if (id.node.kind !== 'string') yield at(doc, id, { problem: `must be a string, found ${describe(id.node)}`, effect: discarded });
    else if (id.node.value.trim() === '') yield at(doc, id, { problem: 'is empty or only whitespace', effect: discarded });
  }
},
  why: 'Readers discard items without a usable id, or show them as new on every fetch.',
  fix: 'Give every item a permanent non-empty string id.',
});

const item003 = defineRule<JsonDoc>({
  id: 'JF-ITEM-003',
  level: 'error',
  spec: S.items,
  title: 'Item ids are unique within the feed',
  message: (x) => `item id ${p(x, 'id')} is already used by ${p(x, 'first')}`,
  check: function* (doc) {
  const seen = new Map<string, string>();
  for (const item of items(doc)) {
    const id = field(item, 'id');
    if (id?.node.kind !== 'string') continue;
    const first = seen.get(id.node.value);
    if (first === undefined) seen.set(id.node.value, item.pointer);
    else yield at(doc, id, { id: quote(id.node.value), first });
  }
},
  why: 'Readers key items by id: a duplicate hides one item or merges two.',
  fix: 'Give each item its own id.',
});

const item005 = defineRule<JsonDoc>({
  id: 'JF-ITEM-005',
  level: 'info',
  spec: S.items,
  title: 'id is a permalink URL or another globally unique string',
  message: (x) => `item id ${p(x, 'id')} is not a URL or URI: a permalink (or a tag: URI) stays unique if items are merged or moved`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const id = field(item, 'id');
    if (id?.node.kind !== 'string' || id.node.value.trim() === '') continue;
    if (!/^[a-z][a-z0-9+.-]*:\S/i.test(id.node.value)) yield at(doc, id, { id: quote(id.node.value) });
  }
},
  why: 'Ids that are not URLs or URIs may collide when items are merged across feeds.',
  fix: 'Use the permalink or a `tag:` URI as the id.',
});

const item006 = defineRule<JsonDoc>({
  id: 'JF-ITEM-006',
  level: 'error',
  spec: S.items,
  title: 'An item has content_html or content_text, as strings',
  message: (x) => p(x, 'problem'),
  check: function* (doc) {
  for (const item of items(doc)) {
    const html = field(item, 'content_html');
    const text = field(item, 'content_text');
    if (!html && !text) yield at(doc, item, { problem: 'item has neither content_html nor content_text: add at least one (even a short content_text)' });
    for (const c of [html, text]) {
      if (c && c.node.kind !== 'string') yield at(doc, c, { problem: `${c.pointer.slice(c.pointer.lastIndexOf('/') + 1)} must be a string, found ${describe(c.node)}` });
    }
  }
},
  why: 'Readers have nothing to show for an item without content.',
  fix: 'Add `content_html` or `content_text`.',
});

/** Plain-text fields of items and attachments, as (field name, located string). */
function* plainTexts(doc: JsonDoc): Generator<At & { value: string; field: string }> {
  for (const item of items(doc)) {
    for (const key of ['title', 'summary', 'content_text']) {
      const f = field(item, key);
      if (f?.node.kind === 'string') yield { node: f.node, pointer: f.pointer, value: f.node.value, field: key };
    }
    for (const t of elements(item, 'tags')) if (t.node.kind === 'string') yield { node: t.node, pointer: t.pointer, value: t.node.value, field: 'tag' };
  }
  for (const a of attachments(doc)) {
    const t = field(a, 'title');
    if (t?.node.kind === 'string') yield { node: t.node, pointer: t.pointer, value: t.node.value, field: 'attachment title' };
  }
}

const item007 = defineRule<JsonDoc>({
  id: 'JF-ITEM-007',
  level: 'warning',
  spec: S.items,
  title: 'HTML appears only in content_html (heuristic)',
  message: (x) => `${p(x, 'field')} looks like HTML (${p(x, 'found')}): only content_html may hold HTML`,
  check: function* (doc) {
    for (const t of plainTexts(doc)) {
      const found = findHtmlTag(t.value) ?? (t.field === 'content_text' ? undefined : findEntity(t.value));
      if (found) yield at(doc, t, { field: t.field, found });
    }
  },
  why: 'HTML in a plain-text field is shown with raw tags.',
  fix: 'Put HTML in content_html and keep the other fields plain.',
});

const item008 = defineRule<JsonDoc>({
  id: 'JF-ITEM-008',
  level: 'info',
  spec: S.items,
  title: 'content_text contains no HTML entities',
  message: (x) => `content_text contains the entity ${p(x, 'entity')}, which readers display literally`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const t = field(item, 'content_text');
    const entity = t?.node.kind === 'string' ? findEntity(t.node.value) : undefined;
    if (t && entity) yield at(doc, t, { entity });
  }
},
  why: 'Readers show content_text literally, entities included.',
  fix: 'Write the characters themselves in content_text.',
});

const item009 = defineRule<JsonDoc>({
  id: 'JF-ITEM-009',
  level: 'warning',
  spec: S.items,
  title: 'url (the permalink) is present',
  message: () => 'item has no url: readers cannot link to it (include it even when it equals id)',
  check: function* (doc) {
  for (const item of items(doc)) if (!member(item.node, 'url')) yield at(doc, item);
},
  why: 'Readers link each item to its page.',
  fix: 'Add the item\'s permalink in `url`.',
});

const item010 = defineRule<JsonDoc>({
  id: 'JF-ITEM-010',
  level: 'error',
  spec: S.items,
  title: 'Item url, external_url, image and banner_image are strings',
  message: (x) => `${p(x, 'field')} must be a URL string, found ${p(x, 'found')}`,
  check: function* (doc) {
  for (const item of items(doc)) yield* notString(doc, item, ['url', 'external_url', 'image', 'banner_image']);
},
  why: 'Readers expect these URLs as strings and ignore anything else.',
  fix: 'Write each URL as a JSON string.',
});

const item011 = defineRule<JsonDoc>({
  id: 'JF-ITEM-011',
  level: 'error',
  spec: S.items,
  title: 'Item title and summary are strings',
  message: (x) => `${p(x, 'field')} must be a string, found ${p(x, 'found')}`,
  check: function* (doc) {
  for (const item of items(doc)) yield* notString(doc, item, ['title', 'summary']);
},
  why: 'Readers show these as text and ignore other types.',
  fix: 'Write title and summary as strings.',
});

type DateField = At & { field: string };
function* dates(doc: JsonDoc): Generator<DateField & { item: At<JsonObject> }> {
  for (const item of items(doc)) {
    for (const key of ['date_published', 'date_modified']) {
      const f = field(item, key);
      if (f) yield { node: f.node, pointer: f.pointer, field: key, item };
    }
  }
}

const item012 = defineRule<JsonDoc>({
  id: 'JF-ITEM-012',
  level: 'error',
  spec: `${S.items}; RFC 3339 §5.6`,
  title: 'date_published and date_modified are RFC 3339 date-time strings',
  message: (x) => `${p(x, 'field')} ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const d of dates(doc)) {
    if (d.node.kind !== 'string') yield at(doc, d, { field: d.field, problem: `must be an RFC 3339 date-time string, found ${describe(d.node)}` });
    else {
      const parsed = parseRfc3339(d.node.value);
      if (!parsed.ok) yield at(doc, d, { field: d.field, problem: `${quote(d.node.value)} is not an RFC 3339 date-time: ${parsed.reason} (e.g. 2020-02-28T09:30:00Z)` });
    }
  }
},
  why: 'Readers sort and age items by these dates; an unparseable one becomes the fetch time.',
  fix: 'Write RFC 3339 date-times such as `2024-01-02T10:00:00Z`.',
});

const item013 = defineRule<JsonDoc>({
  id: 'JF-ITEM-013',
  level: 'info',
  spec: 'RFC 3339 §5.6 (note)',
  title: 'Dates use uppercase T and Z, no space, preferably UTC',
  message: (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const d of dates(doc)) {
    if (d.node.kind !== 'string') continue;
    const parsed = parseRfc3339(d.node.value);
    if (!parsed.ok) continue;
    const v = parsed.value;
    const problem = v.spaceSeparator
      ? 'separates date and time with a space: many parsers need T'
      : v.lowercase
        ? 'uses lowercase t or z: many parsers need uppercase'
        : !v.utc
          ? 'is not in UTC: prefer Z'
          : undefined;
    if (problem) yield at(doc, d, { field: d.field, value: quote(d.node.value), problem });
  }
},
  why: 'Some parsers only accept uppercase T and Z, and UTC compares without arithmetic.',
  fix: 'Write dates like `2024-01-02T10:00:00Z`.',
});

const item014 = defineRule<JsonDoc>({
  id: 'JF-ITEM-014',
  level: 'info',
  spec: S.readers,
  title: 'Every item has date_published',
  message: () => 'item has no date_published: readers substitute the fetch time, which scrambles ordering',
  check: function* (doc) {
  for (const item of items(doc)) if (!member(item.node, 'date_published')) yield at(doc, item);
},
  why: 'Undated items are shown with the fetch time, which scrambles ordering.',
  fix: 'Give every item its date_published.',
});

const item015 = defineRule<JsonDoc>({
  id: 'JF-ITEM-015',
  level: 'info',
  spec: 'reader expectation',
  title: 'date_modified is no earlier than date_published',
  message: (x) => `date_modified ${p(x, 'modified')} is earlier than date_published ${p(x, 'published')}`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const pub = field(item, 'date_published');
    const mod = field(item, 'date_modified');
    if (pub?.node.kind !== 'string' || mod?.node.kind !== 'string') continue;
    const a = parseRfc3339(pub.node.value);
    const b = parseRfc3339(mod.node.value);
    if (a.ok && b.ok && b.value.epoch < a.value.epoch) yield at(doc, mod, { modified: quote(mod.node.value), published: quote(pub.node.value) });
  }
},
  why: 'A modification before the publication confuses readers\' "edited" marks.',
  fix: 'Make date_modified at least date_published.',
});

const item016 = defineRule<JsonDoc>({
  id: 'JF-ITEM-016',
  level: 'error',
  spec: S.items,
  title: 'tags is an array of strings',
  message: (x) => `tags ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const t = field(item, 'tags');
    if (!t) continue;
    if (t.node.kind !== 'array') {
      yield at(doc, t, { problem: `must be an array of strings, found ${describe(t.node)}` });
      continue;
    }
    for (const el of elements(item, 'tags')) if (el.node.kind !== 'string') yield at(doc, el, { problem: `must hold strings, found ${describe(el.node)}` });
  }
},
  why: 'Readers show tags from an array of strings and drop anything else.',
  fix: 'Write `"tags": ["a", "b"]`.',
});

const item017 = defineRule<JsonDoc>({
  id: 'JF-ITEM-017',
  level: 'error',
  spec: S.items,
  title: 'Item authors is an array of author objects',
  message: (x) => `item authors ${p(x, 'problem')}`,
  check: function* (doc) {
  yield* authorsShape(doc, items(doc));
},
  why: 'Readers read item authors as an array of objects.',
  fix: 'Write `"authors": [{ "name": "…" }]`.',
});

const item018 = defineRule<JsonDoc>({
  id: 'JF-ITEM-018',
  level: 'error',
  spec: S.items,
  title: 'Item language is an RFC 5646 language tag string',
  message: (x) => `item language ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const item of items(doc)) yield* languageProblems(doc, item);
},
  why: 'Readers use the language for fonts, hyphenation and speech.',
  fix: 'Write an RFC 5646 tag such as `en` or `fr-CA`.',
});

const item019 = defineRule<JsonDoc>({
  id: 'JF-ITEM-019',
  level: 'info',
  spec: 'reader expectation',
  title: 'content_html uses absolute URLs and no script, iframe or on* handlers',
  message: (x) => `content_html ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const h = field(item, 'content_html');
    if (h?.node.kind !== 'string') continue;
    for (const problem of htmlProblems(h.node.value)) {
      const text =
        problem.kind === 'element'
          ? `has ${problem.detail}: readers strip it, and it should not come from the feed`
          : problem.kind === 'handler'
            ? `has an event handler ${problem.detail}: readers strip it`
            : `has a relative URL ${problem.detail}: readers have no base URL to resolve it against`;
      yield at(doc, h, { problem: text });
    }
  }
},
  why: 'Readers strip active content and cannot resolve relative URLs.',
  fix: 'Keep HTML static and make every URL absolute.',
});

const SUMMARY_MAX = 500;
const item020 = defineRule<JsonDoc>({
  id: 'JF-ITEM-020',
  level: 'info',
  spec: S.items,
  title: 'summary is a sentence or two of plain text',
  message: (x) => `summary is ${p(x, 'length')} characters: keep it to a sentence or two (the full text goes in content_html or content_text)`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const s = field(item, 'summary');
    if (s?.node.kind !== 'string') continue;
    const length = [...s.node.value.slice(0, SUMMARY_MAX * 4)].length;
    if (length > SUMMARY_MAX) yield at(doc, s, { length: s.node.value.length > SUMMARY_MAX * 4 ? `over ${SUMMARY_MAX * 4}` : length });
  }
},
  why: 'Readers show the summary in lists; a long one is cut or pushes other items away.',
  fix: 'Keep the summary to a sentence or two.',
});

// ---------------------------------------------------------------------------------------------
// Attachments

const att001 = defineRule<JsonDoc>({
  id: 'JF-ATT-001',
  level: 'error',
  spec: S.attachments,
  title: 'attachments is an array of objects',
  message: (x) => `attachments ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const a = field(item, 'attachments');
    if (!a) continue;
    if (a.node.kind !== 'array') {
      yield at(doc, a, { problem: `must be an array of attachment objects, found ${describe(a.node)}` });
      continue;
    }
    for (const el of elements(item, 'attachments')) if (el.node.kind !== 'object') yield at(doc, el, { problem: `must hold objects, found ${describe(el.node)}` });
  }
},
  why: 'Podcast clients read attachments as an array of objects.',
  fix: 'Write `"attachments": [{ "url": "…", "mime_type": "…" }]`.',
});

const requiredAttachmentField = (id: string, key: string, hint: string): Rule<JsonDoc> =>
  defineRule<JsonDoc>({
    id,
    level: 'error',
    spec: S.attachments,
    title: `Every attachment has ${key} (string)`,
    message: (x) => `attachment ${key} ${p(x, 'problem')}`,
    check: function* (doc) {
    for (const a of attachments(doc)) {
      const v = field(a, key);
      if (!v) yield at(doc, a, { problem: `is missing${hint}` });
      else if (v.node.kind !== 'string') yield at(doc, v, { problem: `must be a string, found ${describe(v.node)}` });
    }
  },
    why: (HELPER_DOCS[id] as { why: string }).why,
    fix: (HELPER_DOCS[id] as { fix: string }).fix,
  });

const att002 = requiredAttachmentField('JF-ATT-002', 'url', '');
const att003 = requiredAttachmentField('JF-ATT-003', 'mime_type', ' (e.g. "audio/mpeg")');

const att004 = defineRule<JsonDoc>({
  id: 'JF-ATT-004',
  level: 'info',
  spec: 'reader expectation (RFC 6838 §4.2)',
  title: 'mime_type has type/subtype syntax (matching the served Content-Type is not checked here)',
  message: (x) => `mime_type ${p(x, 'value')} is not a type/subtype media type`,
  check: function* (doc) {
  for (const a of attachments(doc)) {
    const m = field(a, 'mime_type');
    if (m?.node.kind === 'string' && !isMimeType(m.node.value)) yield at(doc, m, { value: quote(m.node.value) });
  }
},
  why: 'Clients choose a player from the media type; a malformed one is unplayable.',
  fix: 'Write `type/subtype`, e.g. `audio/mpeg`.',
});

const att005 = defineRule<JsonDoc>({
  id: 'JF-ATT-005',
  level: 'error',
  spec: S.attachments,
  title: 'Attachment title is a string',
  message: (x) => `attachment title must be a string, found ${p(x, 'found')}`,
  check: function* (doc) {
  for (const a of attachments(doc)) {
    const t = field(a, 'title');
    if (t && t.node.kind !== 'string') yield at(doc, t, { found: describe(t.node) });
  }
},
  why: 'Clients show the title as a label.',
  fix: 'Write the title as a string.',
});

const att006 = defineRule<JsonDoc>({
  id: 'JF-ATT-006',
  level: 'info',
  spec: S.attachments,
  title: 'Attachments share a title only as alternate formats of the same media',
  message: (x) => `attachment title ${p(x, 'title')} repeats ${p(x, 'first')} with the same mime_type: readers treat same-titled attachments as alternate formats`,
  check: function* (doc) {
  for (const item of items(doc)) {
    const seen = new Map<string, string>();
    for (const el of elements(item, 'attachments')) {
      if (el.node.kind !== 'object') continue;
      const a = el as At<JsonObject>;
      const t = field(a, 'title');
      const m = member(a.node, 'mime_type')?.value;
      if (t?.node.kind !== 'string') continue;
      const key = `${t.node.value}\u0000${m?.kind === 'string' ? m.value.toLowerCase() : ''}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, a.pointer);
      else yield at(doc, t, { title: quote(t.node.value), first });
    }
  }
},
  why: 'Readers treat same-titled attachments as alternate formats of one media file.',
  fix: 'Give different media different titles.',
});

const att007 = defineRule<JsonDoc>({
  id: 'JF-ATT-007',
  level: 'error',
  spec: S.attachments,
  title: 'size_in_bytes and duration_in_seconds are JSON numbers',
  message: (x) => `${p(x, 'field')} must be a number, found ${p(x, 'found')}`,
  check: function* (doc) {
  for (const a of attachments(doc)) {
    for (const key of ['size_in_bytes', 'duration_in_seconds']) {
      const v = field(a, key);
      if (v && v.node.kind !== 'number') yield at(doc, v, { field: key, found: v.node.kind === 'string' ? `the string ${quote(v.node.value)}` : describe(v.node) });
    }
  }
},
  why: 'Clients show sizes and durations from these numbers.',
  fix: 'Write JSON numbers, not strings.',
});

const att008 = defineRule<JsonDoc>({
  id: 'JF-ATT-008',
  level: 'info',
  spec: 'reader expectation',
  title: 'size_in_bytes is a non-negative integer, duration_in_seconds non-negative (served length not checked here)',
  message: (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`,
  check: function* (doc) {
  for (const a of attachments(doc)) {
    const size = field(a, 'size_in_bytes');
    if (size?.node.kind === 'number') {
      const n = size.node.value;
      if (!Number.isSafeInteger(n) || n < 0) {
        const problem = Number.isInteger(n) && n > 0 ? `is beyond ${Number.MAX_SAFE_INTEGER}, the largest whole number readers' JSON parsers keep exactly` : 'should be a non-negative whole number of bytes';
        yield at(doc, size, { field: 'size_in_bytes', value: numberText(size.node).slice(0, 30), problem });
      }
    }
    const dur = field(a, 'duration_in_seconds');
    if (dur?.node.kind === 'number' && !(Number.isFinite(dur.node.value) && dur.node.value >= 0)) {
      yield at(doc, dur, { field: 'duration_in_seconds', value: numberText(dur.node).slice(0, 30), problem: 'should be a non-negative, finite number of seconds' });
    }
  }
},
  why: 'Negative or fractional sizes cannot be real.',
  fix: 'Write the size in bytes as a whole number and the duration in seconds.',
});

// ---------------------------------------------------------------------------------------------
// Extensions

const ext001 = defineRule<JsonDoc>({
  id: 'JF-EXT-001',
  level: 'error',
  spec: S.extensions,
  title: 'An extension name is _ followed by a letter',
  message: (x) => `extension name ${p(x, 'name')} must be _ followed by a letter (like _blue_shed)`,
  check: function* (doc) {
  for (const e of extensions(doc)) if (!/^_\p{L}/u.test(e.name)) yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { name: quote(e.name) });
},
  why: 'Readers recognise extensions by the leading underscore and a letter.',
  fix: 'Name the extension `_` then a letter, e.g. `_blue_shed`.',
});

/** Direct member keys of object-valued extensions. */
function* extensionKeys(doc: JsonDoc): Generator<{ key: string; pointer: string; offset: number; ext: string }> {
  for (const e of extensions(doc)) {
    if (e.node.kind !== 'object') continue;
    for (const m of e.node.members) yield { key: m.key, pointer: `${e.pointer}/${m.key.replace(/~/g, '~0').replace(/\//g, '~1')}`, offset: m.keyOffset, ext: e.name };
  }
}

const ext002 = defineRule<JsonDoc>({
  id: 'JF-EXT-002',
  level: 'error',
  spec: S.extensions,
  title: 'Extension names and their member keys contain no "."',
  message: (x) => `${p(x, 'what')} ${p(x, 'key')} must not contain "."`,
  check: function* (doc) {
  for (const e of extensions(doc)) if (e.name.includes('.')) yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { what: 'extension name', key: quote(e.name) });
  for (const k of extensionKeys(doc)) if (k.key.includes('.')) yield at(doc, k, { what: `member of ${k.ext}`, key: quote(k.key) });
},
  why: 'Dots in keys break JSON path tools and are forbidden in extension names.',
  fix: 'Use letters, digits and `_` only.',
});

const ext003 = defineRule<JsonDoc>({
  id: 'JF-EXT-003',
  level: 'error',
  spec: S.extensions,
  title: 'Only the extension name starts with _, not its member keys',
  message: (x) => `member ${p(x, 'key')} of ${p(x, 'ext')} must not start with _ (only the extension name does)`,
  check: function* (doc) {
  for (const k of extensionKeys(doc)) if (k.key.startsWith('_')) yield at(doc, k, { key: quote(k.key), ext: k.ext });
},
  why: 'Only the extension object\'s name starts with `_`; its members do not.',
  fix: 'Remove the leading `_` from member keys.',
});

const ext004 = defineRule<JsonDoc>({
  id: 'JF-EXT-004',
  level: 'warning',
  spec: S.extensions,
  title: 'Each extension has an about string at least once in the feed',
  message: (x) => `extension ${p(x, 'name')} ${p(x, 'problem')}`,
  check: function* (doc) {
  const firstUse = new Map<string, (typeof list)[number]>();
  const documented = new Set<string>();
  const list = extensions(doc);
  for (const e of list) {
    if (!firstUse.has(e.name)) firstUse.set(e.name, e);
    if (e.node.kind === 'object' && member(e.node, 'about')?.value.kind === 'string') documented.add(e.name);
  }
  for (const [name, e] of firstUse) {
    if (documented.has(name)) continue;
    const problem = e.node.kind === 'object' ? 'never has an "about" string linking to its documentation' : `is ${describe(e.node)}, not an object, so it cannot carry an "about" link to its documentation`;
    yield at(doc, e, { name: quote(name), problem });
  }
},
  why: 'People finding the extension need to know what it means.',
  fix: 'Add an `about` URL describing the extension.',
});

const ext005 = defineRule<JsonDoc>({
  id: 'JF-EXT-005',
  level: 'warning',
  spec: S.extensions,
  title: 'Extension member keys are alphanumeric',
  message: (x) => `member ${p(x, 'key')} of ${p(x, 'ext')} should be alphanumeric (letters, digits, _)`,
  check: function* (doc) {
  for (const k of extensionKeys(doc)) {
    // `.` and a leading `_` have their own MUST rules; snake_case is how JSON Feed's own keys read.
    if (k.key.includes('.') || k.key.startsWith('_')) continue;
    if (!/^[A-Za-z0-9_]+$/.test(k.key)) yield at(doc, k, { key: quote(k.key), ext: k.ext });
  }
},
  why: 'Tools expect plain alphanumeric member keys.',
  fix: 'Use letters, digits and `_` in member keys.',
});

const GENERIC = new Set(['ext', 'extension', 'custom', 'data', 'meta', 'metadata', 'extra', 'info', 'misc', 'my', 'x', 'test', 'tmp', 'private', 'internal', 'other', 'stuff']);
const ext006 = defineRule<JsonDoc>({
  id: 'JF-EXT-006',
  level: 'info',
  spec: S.extensions,
  title: 'Extension names carry a company or service name',
  message: (x) => `extension name ${p(x, 'name')} says nothing about who defined it: prefix it with a company or service name (like _blue_shed)`,
  check: function* (doc) {
  const reported = new Set<string>();
  for (const e of extensions(doc)) {
    const bare = e.name.slice(1).toLowerCase();
    if (reported.has(e.name) || !/^_\p{L}/u.test(e.name)) continue;
    if (bare.length < 3 || GENERIC.has(bare)) {
      reported.add(e.name);
      yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { name: quote(e.name) });
    }
  }
},
  why: 'Generic names collide with other publishers\' extensions.',
  fix: 'Prefix the extension with your company or service name.',
});

/**
 * Every row of the JSON Feed digest a document can decide alone. Not here: JF-ITEM-004 (needs
 * the previous build: the build gate), JF-TOP-013 and JF-AUTH-003 (image sizes need fetching),
 * and the served-resource halves of JF-ATT-004 and JF-ATT-008.
 */
export const jsonRules: Rule<JsonDoc>[] = [
  doc001, doc002, doc003, doc004, doc005, doc006, doc007, doc008,
  top001, top002, top003, top004, top005, top006, top007, top008, top009, top010,
  top011, top012, top014, top015, top016, top017, top018, top019, top020, top021,
  auth001, auth002, auth004, auth005,
  item001, item002, item003, item005, item006, item007, item008, item009, item010,
  item011, item012, item013, item014, item015, item016, item017, item018, item019, item020,
  att001, att002, att003, att004, att005, att006, att007, att008,
  ext001, ext002, ext003, ext004, ext005, ext006,
];
