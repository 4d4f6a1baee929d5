/**
 * Where things are in a JSON Feed: the feed object, items, authors, attachments, hubs and
 * extension objects, each with its JSON pointer. Rules iterate these instead of re-walking
 * the tree, and wrong-typed containers are simply skipped here (their own rules report them).
 */
import type { Finding } from '../rule.js';
import type { JsonDoc, JsonNode, JsonObject } from './doc.js';
import { childPointer, member } from './doc.js';

/**
 * A place in the document. Copied field by field, never spread (`{ ...at, kind }`): in V8 the
 * spread copies made listing an archive page's 454 plain-text fields ten times slower (1.0 ms
 * against 0.09 ms).
 */
export type At<T extends JsonNode = JsonNode> = { node: T; pointer: string };
export type ObjectKind = 'feed' | 'item' | 'author' | 'attachment' | 'hub';

export type FeedVersion = '1.0' | '1.1';
export const VERSION_11 = 'https://jsonfeed.org/version/1.1';
export const VERSION_10 = 'https://jsonfeed.org/version/1';

/** The declared version; near-misses (`http://`, trailing slash) count as what they meant, unknown as 1.1. */
export function feedVersion(doc: JsonDoc): FeedVersion {
  const root = feed(doc);
  const v = root && member(root.node, 'version')?.value;
  if (v?.kind !== 'string') return '1.1';
  return /^https?:\/\/(www\.)?jsonfeed\.org\/version\/1\/?$/i.test(v.value.trim()) ? '1.0' : '1.1';
}

export function feed(doc: JsonDoc): At<JsonObject> | undefined {
  return doc.root?.kind === 'object' ? { node: doc.root, pointer: '' } : undefined;
}

export function field(obj: At<JsonObject>, key: string): At | undefined {
  const m = member(obj.node, key);
  return m && { node: m.value, pointer: childPointer(obj.pointer, key) };
}

/** Elements of an array-valued member, with pointers; nothing when the member is absent or not an array. */
export function elements(obj: At<JsonObject>, key: string): At[] {
  const arr = field(obj, key);
  if (arr?.node.kind !== 'array') return [];
  const base = arr.pointer;
  return arr.node.elements.map((node, i) => ({ node, pointer: childPointer(base, i) }));
}

function objectsOnly(list: At[]): At<JsonObject>[] {
  return list.filter((a): a is At<JsonObject> => a.node.kind === 'object');
}

const cache = new WeakMap<JsonDoc, Map<string, unknown>>();
function memo<T>(doc: JsonDoc, key: string, make: () => T): T {
  let m = cache.get(doc);
  if (!m) cache.set(doc, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

export function items(doc: JsonDoc): At<JsonObject>[] {
  return memo(doc, 'items', () => {
    const f = feed(doc);
    return f ? objectsOnly(elements(f, 'items')) : [];
  });
}

/** Author objects from `authors` arrays and deprecated `author`, top level then items. */
export function authors(doc: JsonDoc): (At<JsonObject> & { owner: At<JsonObject> })[] {
  return memo(doc, 'authors', () => {
    const f = feed(doc);
    if (!f) return [];
    const out: (At<JsonObject> & { owner: At<JsonObject> })[] = [];
    for (const owner of [f, ...items(doc)]) {
      for (const a of objectsOnly(elements(owner, 'authors'))) out.push({ node: a.node, pointer: a.pointer, owner });
      const single = field(owner, 'author');
      if (single?.node.kind === 'object') out.push({ node: single.node, pointer: single.pointer, owner });
    }
    return out;
  });
}

export function attachments(doc: JsonDoc): (At<JsonObject> & { item: At<JsonObject> })[] {
  return memo(doc, 'attachments', () => items(doc).flatMap((item) => objectsOnly(elements(item, 'attachments')).map((a) => ({ node: a.node, pointer: a.pointer, item }))));
}

export function hubs(doc: JsonDoc): At<JsonObject>[] {
  return memo(doc, 'hubs', () => {
    const f = feed(doc);
    return f ? objectsOnly(elements(f, 'hubs')) : [];
  });
}

/** Every object whose keys JSON Feed defines, with its kind. */
export function definedObjects(doc: JsonDoc): (At<JsonObject> & { kind: ObjectKind })[] {
  return memo(doc, 'defined', () => {
    const f = feed(doc);
    if (!f) return [];
    return [
      { node: f.node, pointer: f.pointer, kind: 'feed' as const },
      ...items(doc).map((o) => ({ node: o.node, pointer: o.pointer, kind: 'item' as const })),
      ...authors(doc).map((o) => ({ node: o.node, pointer: o.pointer, kind: 'author' as const })),
      ...attachments(doc).map((o) => ({ node: o.node, pointer: o.pointer, kind: 'attachment' as const })),
      ...hubs(doc).map((o) => ({ node: o.node, pointer: o.pointer, kind: 'hub' as const })),
    ];
  });
}

/** Extension members (`_name`) of defined objects. */
export function extensions(doc: JsonDoc): (At & { name: string; keyOffset: number; owner: At<JsonObject> })[] {
  return memo(doc, 'extensions', () =>
    definedObjects(doc).flatMap((owner) =>
      owner.node.members
        .filter((m) => m.key.startsWith('_'))
        .map((m) => ({ node: m.value, pointer: childPointer(owner.pointer, m.key), name: m.key, keyOffset: m.keyOffset, owner })),
    ),
  );
}

/** A finding at a node (or at a member name, given its offset). */
export function at(doc: JsonDoc, where: At | { pointer: string; offset: number }, params?: Record<string, string | number>): Finding {
  const offset = 'node' in where ? where.node.offset : where.offset;
  const { line, column } = doc.position(offset);
  const f: Finding = { pointer: where.pointer, line, column };
  if (params) f.params = params;
  return f;
}
