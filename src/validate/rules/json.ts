// JSON Feed 1.1 (jsonfeed.org/version/1.1, 2020-08-07), with 1.0 feeds read as 1.x; rows of the JSON Feed digest.
import type { Level } from '../../issue.js';
import type { Finding, Rule } from '../rule.js';
import type { JsonDoc, JsonNode, JsonObject } from '../json/doc.js';
import { describe, member, numberText, quote } from '../json/doc.js';
import type { At } from '../json/walk.js';
import { VERSION_10, VERSION_11, at, attachments, authors, definedObjects, extensions, feed, feedVersion, field, hubs, items, elements } from '../json/walk.js';
import { checkLanguageTag, findEntity, findHtmlTag, htmlProblems, isMediaType, parseRfc3339, urlKind } from '../json/values.js';

type Params = Record<string, string | number>;

function rule(id: string, level: Level, spec: string, title: string, message: (p: Params) => string, check: (doc: JsonDoc) => Iterable<Finding>): Rule<JsonDoc> {
  return { id, level, spec, title, message, check };
}

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

const doc001 = rule(
  'JF-DOC-001',
  'error',
  'RFC 8259 §2, §7, §8.1; JSON Feed 1.1, Suggestions for Feed Readers',
  'The file is syntactically valid JSON (and valid in its encoding)',
  (x) => `not valid JSON: ${p(x, 'reason')}`,
  function* (doc) {
    if (doc.badEncoding) {
      const { line, column, byteOffset } = doc.badEncoding;
      yield { pointer: '', line, column, params: { reason: `byte ${byteOffset} is not valid ${doc.encoding.toUpperCase()}` } };
    }
    if (doc.syntaxError) {
      const { line, column } = doc.position(doc.syntaxError.offset);
      yield { pointer: doc.syntaxError.pointer, line, column, params: { reason: doc.syntaxError.message } };
    }
  },
);

const doc002 = rule('JF-DOC-002', 'error', 'JSON Feed 1.1, Structure of a Feed', 'The top-level value is an object', (x) => `the top-level value must be an object, found ${p(x, 'found')}`, function* (doc) {
  if (doc.root && doc.root.kind !== 'object') yield at(doc, { node: doc.root, pointer: '' }, { found: describe(doc.root) });
});

const doc003 = rule('JF-DOC-003', 'warning', 'RFC 8259 §8.1; JSON Feed 1.1, Suggestions for Publishers', 'The file is encoded as UTF-8', (x) => `the file is ${p(x, 'encoding')}: JSON exchanged between systems must be UTF-8`, function* (doc) {
  if (doc.encoding !== 'utf-8') yield { pointer: '', line: 1, column: 1, params: { encoding: doc.encoding.toUpperCase() } };
});

const doc004 = rule('JF-DOC-004', 'error', 'RFC 8259 §8.1', 'No byte-order mark at the start of the file', (x) => `the file starts with a ${p(x, 'encoding')} byte-order mark: remove it`, function* (doc) {
  if (doc.bom) yield { pointer: '', line: 1, column: 1, params: { encoding: doc.encoding.toUpperCase() } };
});

const doc005 = rule('JF-DOC-005', 'warning', 'RFC 8259 §4', 'No object repeats a member name', (x) => `member ${p(x, 'key')} repeats the one at ${p(x, 'first')}: readers keep only one of them`, function* (doc) {
  for (const d of doc.duplicates) {
    const first = doc.position(d.firstOffset);
    yield at(doc, d, { key: quote(d.key, 40), first: `line ${first.line}, column ${first.column}` });
  }
});

const doc006 = rule('JF-DOC-006', 'info', 'RFC 8259 §8.2', 'Strings contain no unpaired surrogate escapes', () => 'string holds an unpaired UTF-16 surrogate (like \\ud800 alone): readers may drop or mangle it', function* (doc) {
  for (const s of doc.loneSurrogates) yield at(doc, s);
});

const doc007 = rule(
  'JF-DOC-007',
  'info',
  'JSON Feed 1.1, Extensions; Key Naming Rules',
  'Every key not starting with _ is defined for the declared version',
  (x) => `${p(x, 'key')} is not a JSON Feed ${p(x, 'version')} key of ${p(x, 'kind')}, so readers ignore it${p(x, 'hint')}`,
  function* (doc) {
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
);

const KIND_LABEL = { feed: 'the top level', item: 'an item', author: 'an author', attachment: 'an attachment', hub: 'a hub' } as const;
function kindLabel(kind: keyof typeof KIND_LABEL): string {
  return KIND_LABEL[kind];
}

/** Nearest defined key by a small edit distance over a case- and separator-folded form. */
function closest(key: string, candidates: readonly string[]): string | undefined {
  const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = fold(key);
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = k === fold(c) ? 0 : editDistance(k, fold(c), bestD);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap || a.length > 40) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

const SIZE_LIMIT = 250 * 1024;
const doc008 = rule('JF-DOC-008', 'info', S.publishers, 'The document stays under about 250 KB (ideally 100 KB)', (x) => `the feed is ${p(x, 'kb')} KB: keep it under 250 KB (ideally 100 KB) and move older items to pages linked by next_url`, function* (doc) {
  if (doc.byteLength > SIZE_LIMIT) yield { pointer: '', line: 1, column: 1, params: { kb: Math.round(doc.byteLength / 1024) } };
});

// ---------------------------------------------------------------------------------------------
// Top level

const top001 = rule('JF-TOP-001', 'error', `${S.feed}; Changes`, 'version is present, a string, and exactly https://jsonfeed.org/version/1.1 for a 1.1 feed', (x) => `version ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const v = field(f, 'version');
  if (!v) return yield at(doc, f, { problem: `is missing: add "version": "${VERSION_11}" as the first key` });
  if (v.node.kind !== 'string') return yield at(doc, v, { problem: `must be a string, found ${describe(v.node)}` });
  if (v.node.value === VERSION_11 || v.node.value === VERSION_10) return;
  const want = feedVersion(doc) === '1.0' ? VERSION_10 : VERSION_11;
  yield at(doc, v, { problem: `${quote(v.node.value)} is not a JSON Feed version URL: use exactly ${want} (https, no www, no trailing slash)` });
});

const top002 = rule('JF-TOP-002', 'info', S.feed, 'version is the first key of the feed object', () => 'version should be the first key, so tools can recognise the feed from its first bytes', function* (doc) {
  const f = feed(doc);
  const first = f?.node.members[0];
  if (!f || !first || first.key === 'version' || !member(f.node, 'version')) return;
  yield at(doc, field(f, 'version')!);
});

const top003 = rule('JF-TOP-003', 'error', S.feed, 'title is present and is a string', (x) => `the feed title ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const t = field(f, 'title');
  if (!t) yield at(doc, f, { problem: 'is missing' });
  else if (t.node.kind !== 'string') yield at(doc, t, { problem: `must be a string, found ${describe(t.node)}` });
});

const top004 = rule('JF-TOP-004', 'info', `${S.feed}; ${S.items}`, 'title is non-empty plain text', (x) => `the feed title ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  const t = f && field(f, 'title');
  if (t?.node.kind !== 'string') return;
  if (t.node.value.trim() === '') return yield at(doc, t, { problem: 'is empty: readers show nothing to recognise the feed by' });
  const tag = findHtmlTag(t.node.value) ?? findEntity(t.node.value);
  if (tag) yield at(doc, t, { problem: `contains HTML (${tag}), which readers display literally` });
});

const top005 = rule('JF-TOP-005', 'error', S.items, 'items is present and is an array', (x) => `items ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const it = field(f, 'items');
  if (!it) yield at(doc, f, { problem: 'is missing: an empty feed still has "items": []' });
  else if (it.node.kind !== 'array') yield at(doc, it, { problem: `must be an array, found ${describe(it.node)}` });
});

const missingTop = (id: string, key: string, why: string, spec = S.feed): Rule<JsonDoc> =>
  rule(id, 'warning', spec, `${key} is present`, () => `${key} is missing: ${why}`, function* (doc) {
    const f = feed(doc);
    if (f && !member(f.node, key)) yield at(doc, f);
  });

const top006 = missingTop('JF-TOP-006', 'home_page_url', 'readers have no site to link the feed to (it should be considered required on the public web)');
const top007 = missingTop('JF-TOP-007', 'feed_url', 'it identifies the feed and is the WebSub topic (it should be considered required on the public web)', `${S.feed}; ${S.realtime}`);

const TOP_URLS = ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon'];
const top008 = rule(
  'JF-TOP-008',
  'error',
  `${S.feed}; ${S.items}; ${S.attachments}`,
  'Every URL-valued top-level field is a string (item, author, attachment and hub URLs: JF-ITEM-010, JF-AUTH-002, JF-ATT-002, JF-TOP-019)',
  (x) => `${p(x, 'field')} must be a URL string, found ${p(x, 'found')}`,
  function* (doc) {
    const f = feed(doc);
    if (f) yield* notString(doc, f, TOP_URLS);
  },
);

/** Every URL-valued string in the feed, whatever object holds it. */
function* urlStrings(doc: JsonDoc): Generator<At & { value: string; field: string }> {
  const fields: Record<string, readonly string[]> = { feed: TOP_URLS, item: ['url', 'external_url', 'image', 'banner_image'], author: ['url', 'avatar'], attachment: ['url'], hub: ['url'] };
  for (const obj of definedObjects(doc)) {
    for (const key of fields[obj.kind] ?? []) {
      const f = field(obj, key);
      if (f?.node.kind === 'string') yield { ...f, value: f.node.value, field: key };
    }
  }
}

const top009 = rule('JF-TOP-009', 'info', 'reader expectation (JSON Feed defines no base URL)', 'All URLs are absolute https URLs', (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`, function* (doc) {
  for (const u of urlStrings(doc)) {
    const kind = urlKind(u.value);
    // Author links may be mailto: (the spec says so); other schemes are left alone too.
    if (kind === 'https' || kind === 'other-scheme') continue;
    const problem = kind === 'http' ? 'uses http: prefer https' : kind === 'relative' ? 'is relative: JSON Feed has no base URL to resolve it against' : 'is not a valid absolute URL';
    yield at(doc, u, { field: u.field, value: quote(u.value), problem });
  }
});

const top010 = rule('JF-TOP-010', 'error', S.feed, 'description and user_comment are strings when present', (x) => `${p(x, 'field')} must be a string, found ${p(x, 'found')}`, function* (doc) {
  const f = feed(doc);
  if (f) yield* notString(doc, f, ['description', 'user_comment']);
});

const top011 = rule('JF-TOP-011', 'error', S.feed, 'next_url differs from feed_url (pagination never loops)', () => 'next_url equals feed_url: readers following pages would loop forever', function* (doc) {
  const f = feed(doc);
  if (!f) return;
  const next = field(f, 'next_url');
  const self = field(f, 'feed_url');
  if (next?.node.kind !== 'string' || self?.node.kind !== 'string') return;
  if (sameUrl(next.node.value, self.node.value)) yield at(doc, next);
});

function sameUrl(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

const top012 = rule('JF-TOP-012', 'warning', S.publishers, 'The feed provides icon and favicon', (x) => `${p(x, 'field')} is missing: readers will scrape the site to find one`, function* (doc) {
  const f = feed(doc);
  if (!f) return;
  for (const key of ['icon', 'favicon']) if (!member(f.node, key)) yield at(doc, f, { field: key });
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

const top014 = rule('JF-TOP-014', 'error', S.feed, 'authors is an array of author objects', (x) => `authors ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  if (f) yield* authorsShape(doc, [f]);
});

const top015 = rule('JF-TOP-015', 'info', S.feed, 'authors is left out rather than empty', () => 'authors is an empty array: leave it out instead', function* (doc) {
  for (const owner of ownersOf(doc)) {
    const a = field(owner, 'authors');
    if (a?.node.kind === 'array' && a.node.elements.length === 0) yield at(doc, a);
  }
});

const top016 = rule('JF-TOP-016', 'warning', S.deprecations, 'Feeds use authors (array), not only the deprecated author', (x) => p(x, 'problem'), function* (doc) {
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
});

const top017 = rule('JF-TOP-017', 'error', S.feed, 'language is an RFC 5646 language tag string', (x) => `language ${p(x, 'problem')}`, function* (doc) {
  const f = feed(doc);
  if (f) yield* languageProblems(doc, f);
});

function* languageProblems(doc: JsonDoc, obj: At<JsonObject>): Generator<Finding> {
  const l = field(obj, 'language');
  if (!l) return;
  if (l.node.kind !== 'string') return yield at(doc, l, { problem: `must be a string, found ${describe(l.node)}` });
  const why = checkLanguageTag(l.node.value);
  if (why) yield at(doc, l, { problem: `${quote(l.node.value)}: ${why}` });
}

const top018 = rule('JF-TOP-018', 'error', S.feed, 'expired is a JSON boolean', (x) => `expired must be true or false, found ${p(x, 'found')}`, function* (doc) {
  const f = feed(doc);
  const e = f && field(f, 'expired');
  if (e && e.node.kind !== 'boolean') yield at(doc, e, { found: e.node.kind === 'string' ? `the string ${quote(e.node.value)}` : describe(e.node) });
});

const top019 = rule('JF-TOP-019', 'error', `${S.feed}; ${S.realtime}`, 'hubs is an array of objects, each with string type and url', (x) => `hubs ${p(x, 'problem')}`, function* (doc) {
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
});

const top020 = rule('JF-TOP-020', 'info', S.realtime, 'A WebSub hub has type "WebSub" and the feed has the feed_url it uses as topic', (x) => p(x, 'problem'), function* (doc) {
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
});

// ---------------------------------------------------------------------------------------------
// Authors

const auth001 = rule('JF-AUTH-001', 'error', `${S.feed} (authors)`, 'Every author object has name, url or avatar', () => 'author object has none of name, url or avatar', function* (doc) {
  for (const a of authors(doc)) {
    const has = ['name', 'url', 'avatar'].some((k) => {
      const v = member(a.node, k)?.value;
      return v !== undefined && !(v.kind === 'string' && v.value.trim() === '') && v.kind !== 'null';
    });
    if (!has) yield at(doc, a);
  }
});

const auth002 = rule('JF-AUTH-002', 'error', `${S.feed} (authors)`, 'Author name, url and avatar are strings', (x) => `author ${p(x, 'field')} must be a string, found ${p(x, 'found')}`, function* (doc) {
  for (const a of authors(doc)) yield* notString(doc, a, ['name', 'url', 'avatar']);
});

const auth004 = rule('JF-AUTH-004', 'error', `${S.deprecations}; JSON Feed 1.0, Top-level`, 'A deprecated author is a single object', (x) => `author must be a single author object, found ${p(x, 'found')}${p(x, 'hint')}`, function* (doc) {
  for (const owner of ownersOf(doc)) {
    const a = field(owner, 'author');
    if (a && a.node.kind !== 'object') yield at(doc, a, { found: describe(a.node), hint: a.node.kind === 'array' ? ' (an array belongs in authors)' : '' });
  }
});

const auth005 = rule('JF-AUTH-005', 'info', S.deprecations, 'When both are present, author equals the first element of authors', () => 'author differs from authors[0]: 1.0 readers and 1.1 readers will show different authors', function* (doc) {
  for (const owner of ownersOf(doc)) {
    const single = field(owner, 'author');
    const first = elements(owner, 'authors')[0];
    if (single?.node.kind !== 'object' || first?.node.kind !== 'object') continue;
    const same = ['name', 'url', 'avatar'].every((k) => scalarEqual(member(single.node as JsonObject, k)?.value, member(first.node as JsonObject, k)?.value));
    if (!same) yield at(doc, single);
  }
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

const item001 = rule('JF-ITEM-001', 'error', S.items, 'Every element of items is an object', (x) => `item must be an object, found ${p(x, 'found')}`, function* (doc) {
  const f = feed(doc);
  if (!f) return;
  for (const el of elements(f, 'items')) if (el.node.kind !== 'object') yield at(doc, el, { found: describe(el.node) });
});

const item002 = rule('JF-ITEM-002', 'error', `${S.items}; ${S.readers}`, 'Every item has id, a non-empty string', (x) => `item id ${p(x, 'problem')}: readers discard items without a usable id`, function* (doc) {
  for (const item of items(doc)) {
    const id = field(item, 'id');
    if (!id) yield at(doc, item, { problem: 'is missing' });
    else if (id.node.kind !== 'string') yield at(doc, id, { problem: `must be a string, found ${describe(id.node)}${id.node.kind === 'number' ? ` (write "${numberText(id.node)}")` : ''}` });
    else if (id.node.value.trim() === '') yield at(doc, id, { problem: 'is empty or only whitespace' });
  }
});

const item003 = rule('JF-ITEM-003', 'error', S.items, 'Item ids are unique within the feed', (x) => `item id ${p(x, 'id')} is already used by ${p(x, 'first')}`, function* (doc) {
  const seen = new Map<string, string>();
  for (const item of items(doc)) {
    const id = field(item, 'id');
    if (id?.node.kind !== 'string') continue;
    const first = seen.get(id.node.value);
    if (first === undefined) seen.set(id.node.value, item.pointer);
    else yield at(doc, id, { id: quote(id.node.value), first });
  }
});

const item005 = rule('JF-ITEM-005', 'info', S.items, 'id is a permalink URL or another globally unique string', (x) => `item id ${p(x, 'id')} is not a URL or URI: a permalink (or a tag: URI) stays unique if items are merged or moved`, function* (doc) {
  for (const item of items(doc)) {
    const id = field(item, 'id');
    if (id?.node.kind !== 'string' || id.node.value.trim() === '') continue;
    if (!/^[a-z][a-z0-9+.-]*:\S/i.test(id.node.value)) yield at(doc, id, { id: quote(id.node.value) });
  }
});

const item006 = rule('JF-ITEM-006', 'error', S.items, 'An item has content_html or content_text, as strings', (x) => p(x, 'problem'), function* (doc) {
  for (const item of items(doc)) {
    const html = field(item, 'content_html');
    const text = field(item, 'content_text');
    if (!html && !text) yield at(doc, item, { problem: 'item has neither content_html nor content_text: add at least one (even a short content_text)' });
    for (const c of [html, text]) {
      if (c && c.node.kind !== 'string') yield at(doc, c, { problem: `${c.pointer.slice(c.pointer.lastIndexOf('/') + 1)} must be a string, found ${describe(c.node)}` });
    }
  }
});

/** Plain-text fields of items and attachments, as (field name, located string). */
function* plainTexts(doc: JsonDoc): Generator<At & { value: string; field: string }> {
  for (const item of items(doc)) {
    for (const key of ['title', 'summary', 'content_text']) {
      const f = field(item, key);
      if (f?.node.kind === 'string') yield { ...f, value: f.node.value, field: key };
    }
    for (const t of elements(item, 'tags')) if (t.node.kind === 'string') yield { ...t, value: t.node.value, field: 'tag' };
  }
  for (const a of attachments(doc)) {
    const t = field(a, 'title');
    if (t?.node.kind === 'string') yield { ...t, value: t.node.value, field: 'attachment title' };
  }
}

const item007 = rule(
  'JF-ITEM-007',
  // The digest calls this MUST, but it can only be checked heuristically: flag it, do not block publishing.
  'warning',
  S.items,
  'HTML appears only in content_html (heuristic)',
  (x) => `${p(x, 'field')} looks like HTML (${p(x, 'found')}): only content_html may hold HTML`,
  function* (doc) {
    for (const t of plainTexts(doc)) {
      const found = findHtmlTag(t.value) ?? (t.field === 'content_text' ? undefined : findEntity(t.value));
      if (found) yield at(doc, t, { field: t.field, found });
    }
  },
);

const item008 = rule('JF-ITEM-008', 'info', S.items, 'content_text contains no HTML entities', (x) => `content_text contains the entity ${p(x, 'entity')}, which readers display literally`, function* (doc) {
  for (const item of items(doc)) {
    const t = field(item, 'content_text');
    const entity = t?.node.kind === 'string' ? findEntity(t.node.value) : undefined;
    if (t && entity) yield at(doc, t, { entity });
  }
});

const item009 = rule('JF-ITEM-009', 'warning', S.items, 'url (the permalink) is present', () => 'item has no url: readers cannot link to it (include it even when it equals id)', function* (doc) {
  for (const item of items(doc)) if (!member(item.node, 'url')) yield at(doc, item);
});

const item010 = rule('JF-ITEM-010', 'error', S.items, 'Item url, external_url, image and banner_image are strings', (x) => `${p(x, 'field')} must be a URL string, found ${p(x, 'found')}`, function* (doc) {
  for (const item of items(doc)) yield* notString(doc, item, ['url', 'external_url', 'image', 'banner_image']);
});

const item011 = rule('JF-ITEM-011', 'error', S.items, 'Item title and summary are strings', (x) => `${p(x, 'field')} must be a string, found ${p(x, 'found')}`, function* (doc) {
  for (const item of items(doc)) yield* notString(doc, item, ['title', 'summary']);
});

type DateField = At & { field: string };
function* dates(doc: JsonDoc): Generator<DateField & { item: At<JsonObject> }> {
  for (const item of items(doc)) {
    for (const key of ['date_published', 'date_modified']) {
      const f = field(item, key);
      if (f) yield { ...f, field: key, item };
    }
  }
}

const item012 = rule('JF-ITEM-012', 'error', `${S.items}; RFC 3339 §5.6`, 'date_published and date_modified are RFC 3339 date-time strings', (x) => `${p(x, 'field')} ${p(x, 'problem')}`, function* (doc) {
  for (const d of dates(doc)) {
    if (d.node.kind !== 'string') yield at(doc, d, { field: d.field, problem: `must be an RFC 3339 date-time string, found ${describe(d.node)}` });
    else {
      const parsed = parseRfc3339(d.node.value);
      if (!parsed.ok) yield at(doc, d, { field: d.field, problem: `${quote(d.node.value)} is not an RFC 3339 date-time: ${parsed.reason} (e.g. 2020-02-28T09:30:00Z)` });
    }
  }
});

const item013 = rule('JF-ITEM-013', 'info', 'RFC 3339 §5.6 (note)', 'Dates use uppercase T and Z, no space, preferably UTC', (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`, function* (doc) {
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
});

const item014 = rule('JF-ITEM-014', 'info', S.readers, 'Every item has date_published', () => 'item has no date_published: readers substitute the fetch time, which scrambles ordering', function* (doc) {
  for (const item of items(doc)) if (!member(item.node, 'date_published')) yield at(doc, item);
});

const item015 = rule('JF-ITEM-015', 'info', 'reader expectation', 'date_modified is no earlier than date_published', (x) => `date_modified ${p(x, 'modified')} is earlier than date_published ${p(x, 'published')}`, function* (doc) {
  for (const item of items(doc)) {
    const pub = field(item, 'date_published');
    const mod = field(item, 'date_modified');
    if (pub?.node.kind !== 'string' || mod?.node.kind !== 'string') continue;
    const a = parseRfc3339(pub.node.value);
    const b = parseRfc3339(mod.node.value);
    if (a.ok && b.ok && b.value.epoch < a.value.epoch) yield at(doc, mod, { modified: quote(mod.node.value), published: quote(pub.node.value) });
  }
});

const item016 = rule('JF-ITEM-016', 'error', S.items, 'tags is an array of strings', (x) => `tags ${p(x, 'problem')}`, function* (doc) {
  for (const item of items(doc)) {
    const t = field(item, 'tags');
    if (!t) continue;
    if (t.node.kind !== 'array') {
      yield at(doc, t, { problem: `must be an array of strings, found ${describe(t.node)}` });
      continue;
    }
    for (const el of elements(item, 'tags')) if (el.node.kind !== 'string') yield at(doc, el, { problem: `must hold strings, found ${describe(el.node)}` });
  }
});

const item017 = rule('JF-ITEM-017', 'error', S.items, 'Item authors is an array of author objects', (x) => `item authors ${p(x, 'problem')}`, function* (doc) {
  yield* authorsShape(doc, items(doc));
});

const item018 = rule('JF-ITEM-018', 'error', S.items, 'Item language is an RFC 5646 language tag string', (x) => `item language ${p(x, 'problem')}`, function* (doc) {
  for (const item of items(doc)) yield* languageProblems(doc, item);
});

const item019 = rule('JF-ITEM-019', 'info', 'reader expectation', 'content_html uses absolute URLs and no script, iframe or on* handlers', (x) => `content_html ${p(x, 'problem')}`, function* (doc) {
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
});

const SUMMARY_MAX = 500;
const item020 = rule('JF-ITEM-020', 'info', S.items, 'summary is a sentence or two of plain text', (x) => `summary is ${p(x, 'length')} characters: keep it to a sentence or two (the full text goes in content_html or content_text)`, function* (doc) {
  for (const item of items(doc)) {
    const s = field(item, 'summary');
    if (s?.node.kind !== 'string') continue;
    const length = [...s.node.value.slice(0, SUMMARY_MAX * 4)].length;
    if (length > SUMMARY_MAX) yield at(doc, s, { length: s.node.value.length > SUMMARY_MAX * 4 ? `over ${SUMMARY_MAX * 4}` : length });
  }
});

// ---------------------------------------------------------------------------------------------
// Attachments

const att001 = rule('JF-ATT-001', 'error', S.attachments, 'attachments is an array of objects', (x) => `attachments ${p(x, 'problem')}`, function* (doc) {
  for (const item of items(doc)) {
    const a = field(item, 'attachments');
    if (!a) continue;
    if (a.node.kind !== 'array') {
      yield at(doc, a, { problem: `must be an array of attachment objects, found ${describe(a.node)}` });
      continue;
    }
    for (const el of elements(item, 'attachments')) if (el.node.kind !== 'object') yield at(doc, el, { problem: `must hold objects, found ${describe(el.node)}` });
  }
});

const requiredAttachmentField = (id: string, key: string, hint: string): Rule<JsonDoc> =>
  rule(id, 'error', S.attachments, `Every attachment has ${key} (string)`, (x) => `attachment ${key} ${p(x, 'problem')}`, function* (doc) {
    for (const a of attachments(doc)) {
      const v = field(a, key);
      if (!v) yield at(doc, a, { problem: `is missing${hint}` });
      else if (v.node.kind !== 'string') yield at(doc, v, { problem: `must be a string, found ${describe(v.node)}` });
    }
  });

const att002 = requiredAttachmentField('JF-ATT-002', 'url', '');
const att003 = requiredAttachmentField('JF-ATT-003', 'mime_type', ' (e.g. "audio/mpeg")');

const att004 = rule('JF-ATT-004', 'info', 'reader expectation (RFC 6838 §4.2)', 'mime_type has type/subtype syntax (matching the served Content-Type is not checked here)', (x) => `mime_type ${p(x, 'value')} is not a type/subtype media type`, function* (doc) {
  for (const a of attachments(doc)) {
    const m = field(a, 'mime_type');
    if (m?.node.kind === 'string' && !isMediaType(m.node.value)) yield at(doc, m, { value: quote(m.node.value) });
  }
});

const att005 = rule('JF-ATT-005', 'error', S.attachments, 'Attachment title is a string', (x) => `attachment title must be a string, found ${p(x, 'found')}`, function* (doc) {
  for (const a of attachments(doc)) {
    const t = field(a, 'title');
    if (t && t.node.kind !== 'string') yield at(doc, t, { found: describe(t.node) });
  }
});

const att006 = rule('JF-ATT-006', 'info', S.attachments, 'Attachments share a title only as alternate formats of the same media', (x) => `attachment title ${p(x, 'title')} repeats ${p(x, 'first')} with the same mime_type: readers treat same-titled attachments as alternate formats`, function* (doc) {
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
});

const att007 = rule('JF-ATT-007', 'error', S.attachments, 'size_in_bytes and duration_in_seconds are JSON numbers', (x) => `${p(x, 'field')} must be a number, found ${p(x, 'found')}`, function* (doc) {
  for (const a of attachments(doc)) {
    for (const key of ['size_in_bytes', 'duration_in_seconds']) {
      const v = field(a, key);
      if (v && v.node.kind !== 'number') yield at(doc, v, { field: key, found: v.node.kind === 'string' ? `the string ${quote(v.node.value)}` : describe(v.node) });
    }
  }
});

const att008 = rule('JF-ATT-008', 'info', 'reader expectation', 'size_in_bytes is a non-negative integer, duration_in_seconds non-negative (served length not checked here)', (x) => `${p(x, 'field')} ${p(x, 'value')} ${p(x, 'problem')}`, function* (doc) {
  for (const a of attachments(doc)) {
    const size = field(a, 'size_in_bytes');
    if (size?.node.kind === 'number') {
      const n = size.node.value;
      if (!Number.isSafeInteger(n) || n < 0) yield at(doc, size, { field: 'size_in_bytes', value: numberText(size.node).slice(0, 30), problem: 'should be a non-negative whole number of bytes' });
    }
    const dur = field(a, 'duration_in_seconds');
    if (dur?.node.kind === 'number' && !(Number.isFinite(dur.node.value) && dur.node.value >= 0)) {
      yield at(doc, dur, { field: 'duration_in_seconds', value: numberText(dur.node).slice(0, 30), problem: 'should be a non-negative, finite number of seconds' });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Extensions

const ext001 = rule('JF-EXT-001', 'error', S.extensions, 'An extension name is _ followed by a letter', (x) => `extension name ${p(x, 'name')} must be _ followed by a letter (like _blue_shed)`, function* (doc) {
  for (const e of extensions(doc)) if (!/^_\p{L}/u.test(e.name)) yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { name: quote(e.name) });
});

/** Direct member keys of object-valued extensions. */
function* extensionKeys(doc: JsonDoc): Generator<{ key: string; pointer: string; offset: number; ext: string }> {
  for (const e of extensions(doc)) {
    if (e.node.kind !== 'object') continue;
    for (const m of e.node.members) yield { key: m.key, pointer: `${e.pointer}/${m.key.replace(/~/g, '~0').replace(/\//g, '~1')}`, offset: m.keyOffset, ext: e.name };
  }
}

const ext002 = rule('JF-EXT-002', 'error', S.extensions, 'Extension names and their member keys contain no "."', (x) => `${p(x, 'what')} ${p(x, 'key')} must not contain "."`, function* (doc) {
  for (const e of extensions(doc)) if (e.name.includes('.')) yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { what: 'extension name', key: quote(e.name) });
  for (const k of extensionKeys(doc)) if (k.key.includes('.')) yield at(doc, k, { what: `member of ${k.ext}`, key: quote(k.key) });
});

const ext003 = rule('JF-EXT-003', 'error', S.extensions, 'Only the extension name starts with _, not its member keys', (x) => `member ${p(x, 'key')} of ${p(x, 'ext')} must not start with _ (only the extension name does)`, function* (doc) {
  for (const k of extensionKeys(doc)) if (k.key.startsWith('_')) yield at(doc, k, { key: quote(k.key), ext: k.ext });
});

const ext004 = rule('JF-EXT-004', 'warning', S.extensions, 'Each extension has an about string at least once in the feed', (x) => `extension ${p(x, 'name')} ${p(x, 'problem')}`, function* (doc) {
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
});

const ext005 = rule('JF-EXT-005', 'warning', S.extensions, 'Extension member keys are alphanumeric', (x) => `member ${p(x, 'key')} of ${p(x, 'ext')} should be alphanumeric (letters, digits, _)`, function* (doc) {
  for (const k of extensionKeys(doc)) {
    // `.` and a leading `_` have their own MUST rules; snake_case is how JSON Feed's own keys read.
    if (k.key.includes('.') || k.key.startsWith('_')) continue;
    if (!/^[A-Za-z0-9_]+$/.test(k.key)) yield at(doc, k, { key: quote(k.key), ext: k.ext });
  }
});

const GENERIC = new Set(['ext', 'extension', 'custom', 'data', 'meta', 'metadata', 'extra', 'info', 'misc', 'my', 'x', 'test', 'tmp', 'private', 'internal', 'other', 'stuff']);
const ext006 = rule('JF-EXT-006', 'info', S.extensions, 'Extension names carry a company or service name', (x) => `extension name ${p(x, 'name')} says nothing about who defined it: prefix it with a company or service name (like _blue_shed)`, function* (doc) {
  const reported = new Set<string>();
  for (const e of extensions(doc)) {
    const bare = e.name.slice(1).toLowerCase();
    if (reported.has(e.name) || !/^_\p{L}/u.test(e.name)) continue;
    if (bare.length < 3 || GENERIC.has(bare)) {
      reported.add(e.name);
      yield at(doc, { pointer: e.pointer, offset: e.keyOffset }, { name: quote(e.name) });
    }
  }
});

/**
 * Every row of the JSON Feed digest a document can decide alone. Not here: JF-ITEM-004 (needs
 * the previous build: the build gate), JF-TOP-013 and JF-AUTH-003 (image sizes need fetching),
 * and the served-resource halves of JF-ATT-004 and JF-ATT-008.
 */
export const jsonRules: Rule<JsonDoc>[] = [
  doc001, doc002, doc003, doc004, doc005, doc006, doc007, doc008,
  top001, top002, top003, top004, top005, top006, top007, top008, top009, top010,
  top011, top012, top014, top015, top016, top017, top018, top019, top020,
  auth001, auth002, auth004, auth005,
  item001, item002, item003, item005, item006, item007, item008, item009, item010,
  item011, item012, item013, item014, item015, item016, item017, item018, item019, item020,
  att001, att002, att003, att004, att005, att006, att007, att008,
  ext001, ext002, ext003, ext004, ext005, ext006,
];
