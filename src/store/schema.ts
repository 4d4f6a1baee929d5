/**
 * The article record as stored (front matter or JSON), described once in FIELDS: the checks,
 * the raw TypeScript type and the "unknown key" warning all derive from that table.
 */
import type { Issue } from '../issue.js';
import type { ArticleFields, FieldLines, RawEnclosure, RawPerson, RawRetraction, SourceFormat } from '../model/records.js';
import type { Fields, YamlValue } from './frontmatter.js';
import { isBlank } from '../model/text.js';

/** Tags on one article past which it is most likely a keyword list from another system (store-many-tags). */
const MANY_TAGS = 50;

type Kind = 'text' | 'boolean' | 'tags' | 'persons' | 'count' | 'media' | 'retraction';
type Spec = { kind: Kind; required?: true; formats?: readonly ('md' | 'json')[] };

export const FIELDS = {
  title: { kind: 'text', required: true },
  date: { kind: 'text', required: true },
  updated: { kind: 'text' },
  id: { kind: 'text' },
  url: { kind: 'text' },
  author: { kind: 'persons' },
  authors: { kind: 'persons' },
  summary: { kind: 'text' },
  tags: { kind: 'tags' },
  image: { kind: 'text' },
  lang: { kind: 'text' },
  draft: { kind: 'boolean' },
  enclosures: { kind: 'media' },
  media: { kind: 'media' },
  episode: { kind: 'count' },
  season: { kind: 'count' },
  explicit: { kind: 'boolean' },
  episodeType: { kind: 'text' },
  retracted: { kind: 'retraction' },
  content: { kind: 'text', formats: ['json'] },
  content_html: { kind: 'text', formats: ['json'] },
} as const satisfies Record<string, Spec>;

export type FieldName = keyof typeof FIELDS;
type ValueOf<K extends Kind> = K extends 'text' | 'count' ? string : K extends 'boolean' ? boolean : K extends 'tags' ? string[] : K extends 'media' ? RawEnclosure[] : K extends 'retraction' ? RawRetraction : RawPerson[];

/** Checked fields of one article, body excluded: derived from FIELDS, and exactly the record the model takes. */
export type RawArticle = { [K in Exclude<FieldName, 'content' | 'content_html'>]?: ValueOf<(typeof FIELDS)[K]['kind']> };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const fieldsMatchTheModel: Same<RawArticle, ArticleFields> = true;
void fieldsMatchTheModel;

type Format = SourceFormat;

/** One article's fields after the type checks. */
export type CheckedRecord = {
  /** Relative to the store, `/` separators. */
  file: string;
  format: Format;
  fields: RawArticle;
  /** Line of each key, for pointing issues at it. */
  lines: FieldLines;
  /** JSON articles: which body field is present. */
  bodyField?: 'content' | 'content_html';
};

export type Check = { head?: CheckedRecord; issues: Issue[] };

const BOOLEAN_TEXT = /^(true|True|TRUE|false|False|FALSE)$/;

function toText(value: YamlValue | unknown, format: Format): string | undefined {
  if (typeof value === 'string') return value;
  // Under the YAML failsafe schema every scalar is already a string; JSON numbers are refused.
  return format === 'md' && value === null ? '' : undefined;
}

function toPerson(value: unknown, format: Format): RawPerson | undefined | null {
  const name = toText(value, format);
  if (name !== undefined) return name.trim() ? { name } : null;
  if (value instanceof Map) {
    const map = value as Map<string, unknown>;
    const n = toText(map.get('name'), format);
    if (n === undefined || !n.trim()) return undefined;
    const person: RawPerson = { name: n };
    for (const key of ['email', 'url'] as const) {
      if (!map.has(key)) continue;
      const v = toText(map.get(key), format);
      if (v === undefined) return undefined;
      if (v.trim()) person[key] = v.trim();
    }
    return person;
  }
  return undefined;
}

const EXPECTED: Record<Kind, string> = {
  text: 'a string',
  boolean: 'true or false',
  tags: 'a tag or a list of tags',
  persons: 'a name, a {name, email, url} object, or a list of those',
  count: 'a whole number from 1',
  media: 'a URL, a {url, type, length, title, duration} object, or a list of those',
  retraction: 'true, false, or a {date, notice} object',
};

const MEDIA_KEYS = ['url', 'type', 'length', 'title', 'duration'] as const;

/** A number as text: JSON numbers are accepted where YAML would give the digits as a string. */
function toNumberText(value: unknown, format: Format): string | undefined {
  if (format === 'json' && typeof value === 'number' && Number.isFinite(value)) return String(value);
  return toText(value, format);
}

function toEnclosure(value: unknown, format: Format): RawEnclosure | undefined {
  const url = toText(value, format);
  if (url !== undefined) return url.trim() ? { url: url.trim() } : undefined;
  if (!(value instanceof Map)) return undefined;
  const map = value as Map<string, unknown>;
  if ([...map.keys()].some((k) => !(MEDIA_KEYS as readonly string[]).includes(k))) return undefined;
  const out: Partial<RawEnclosure> = {};
  for (const key of MEDIA_KEYS) {
    if (!map.has(key)) continue;
    const v = key === 'length' || key === 'duration' ? toNumberText(map.get(key), format) : toText(map.get(key), format);
    if (v === undefined) return undefined;
    if (v.trim()) out[key] = v.trim();
  }
  return out.url === undefined ? undefined : (out as RawEnclosure);
}

/** Which item of a media list `toEnclosure` refused, and why: a typo in a key (`lenght`) is the usual slip. */
function mediaProblem(key: string, value: unknown, format: Format): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  for (const [i, item] of list.entries()) {
    if (toEnclosure(item, format) !== undefined) continue;
    const name = `${key}[${i + 1}]`;
    if (!(item instanceof Map)) return `${name} is neither a URL nor an object`;
    const map = item as Map<string, unknown>;
    const unknown = [...map.keys()].find((k) => !(MEDIA_KEYS as readonly string[]).includes(k));
    if (unknown !== undefined) return `${name} has the unknown key "${unknown}" (it takes ${MEDIA_KEYS.join(', ')})`;
    if (!map.has('url')) return `${name} has no "url"`;
    const bad = MEDIA_KEYS.find((k) => map.has(k) && (k === 'length' || k === 'duration' ? toNumberText(map.get(k), format) : toText(map.get(k), format)) === undefined);
    if (bad !== undefined) return `${name}.${bad} must be ${bad === 'length' || bad === 'duration' ? 'a number or a string' : 'a string'}`;
    return `${name}.url is empty`;
  }
  return undefined;
}

const RETRACTION_KEYS = ['date', 'notice'] as const;

/** `true`/`false`, or `{ date, notice }` (both optional: the object alone says "retracted"). */
function toRetraction(value: unknown, format: Format): RawRetraction | undefined {
  const flag = convert('boolean', value, format);
  if (typeof flag === 'boolean') return { retracted: flag };
  if (!(value instanceof Map)) return undefined;
  const map = value as Map<string, unknown>;
  if ([...map.keys()].some((k) => !(RETRACTION_KEYS as readonly string[]).includes(k))) return undefined;
  const out: RawRetraction = { retracted: true };
  for (const key of RETRACTION_KEYS) {
    if (!map.has(key)) continue;
    const v = toText(map.get(key), format);
    if (v === undefined) return undefined;
    if (v.trim()) out[key] = v.trim();
  }
  return out;
}

/** Converts one value by kind; undefined means the type is wrong. */
function convert(kind: Kind, value: unknown, format: Format): unknown {
  switch (kind) {
    case 'text':
      return toText(value, format);
    case 'boolean':
      if (typeof value === 'boolean' && format === 'json') return value;
      if (typeof value === 'string' && format === 'md' && BOOLEAN_TEXT.test(value)) return value.toLowerCase() === 'true';
      return undefined;
    case 'tags': {
      if (value === null) return [];
      const list = Array.isArray(value) ? value : [value];
      const tags: string[] = [];
      for (const item of list) {
        const tag = toText(item, format);
        if (tag === undefined) return undefined;
        if (tag.trim()) tags.push(tag);
      }
      return tags;
    }
    case 'persons': {
      if (value === null) return [];
      const list = Array.isArray(value) ? value : [value];
      const people: RawPerson[] = [];
      for (const item of list) {
        const person = toPerson(item, format);
        if (person === undefined) return undefined;
        if (person) people.push(person);
      }
      return people;
    }
    case 'count': {
      const text = toNumberText(value, format)?.trim();
      return text !== undefined && /^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text)) ? String(Number(text)) : undefined;
    }
    case 'retraction':
      return toRetraction(value, format);
    case 'media': {
      if (value === null) return [];
      const list = Array.isArray(value) ? value : [value];
      const items: RawEnclosure[] = [];
      for (const item of list) {
        const media = toEnclosure(item, format);
        if (media === undefined) return undefined;
        items.push(media);
      }
      return items;
    }
  }
}

/**
 * Keys other tools read to decide whether a post is shown: a site migrated as it is would
 * publish every post they kept off it to subscribers, who never delete an item. Jekyll's
 * `published: false` says it plainly and rejects the article (an error); Hugo's `publishDate`
 * and `expiryDate` only date it, so they are warned about in words of their own, apart from
 * the unknown keys, rather than refused (a store may have carried them for years).
 */
function otherToolsKey(key: string, value: unknown): Pick<Issue, 'rule' | 'level' | 'message'> | undefined {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  switch (key.toLowerCase()) {
    case 'published':
      return value === false || text === 'false' || text === 'no'
        ? { level: 'error', rule: 'store-visibility-key', message: '"published: false" (Jekyll\'s) is not read: write "draft: true" to keep the article out of the feeds' }
        : undefined;
    case 'publishdate':
      return { level: 'warning', rule: 'store-foreign-date', message: `"${key}" (Hugo's) is not read: the article is published as of its "date"; to embargo it until ${typeof value === 'string' ? value.trim() : 'then'}, write that as its "date"` };
    case 'expirydate':
    case 'unpublishdate':
      return { level: 'warning', rule: 'store-foreign-date', message: `"${key}" is not read: kiosque never takes an article down by date; retract it ("retracted: true") once it must go` };
    default:
      return undefined;
  }
}

/**
 * Checks the fields of one article. Errors reject it; an unknown key is only a warning.
 * Drafts need no title or date yet: they are not published, so they are not errors.
 */
export function checkFields(file: string, format: Format, fields: Fields): Check {
  const issues: Issue[] = [];
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const lines: FieldLines = {};
  let bodyField: CheckedRecord['bodyField'];
  for (const [key, { value, line }] of fields) {
    const spec: Spec | undefined = Object.hasOwn(FIELDS, key) ? FIELDS[key as FieldName] : undefined;
    const other = spec ? undefined : otherToolsKey(key, value);
    if (other) {
      issues.push({ ...other, file, line });
      continue;
    }
    if (!spec || (spec.formats && !spec.formats.includes(format))) {
      issues.push({ rule: 'store-unknown-key', level: 'warning', file, line, message: `unknown front-matter key "${key}" is ignored` });
      continue;
    }
    const converted = convert(spec.kind, value, format);
    if (converted === undefined) {
      const which = spec.kind === 'media' ? mediaProblem(key, value, format) : undefined;
      // `title: [Mise à jour]`: brackets open a YAML list, which the editor meant as text.
      const bracketed = format === 'md' && spec.kind === 'text' && typeof value === 'object' && value !== null
        ? ` (YAML reads a value that starts with ${Array.isArray(value) ? '[' : '{'} as a ${Array.isArray(value) ? 'list' : 'map'}: put it in quotes, ${key}: "${Array.isArray(value) ? '[…] …' : '{…} …'}")` : '';
      issues.push({ rule: 'store-bad-field-type', level: 'error', file, line, message: `"${key}" must be ${EXPECTED[spec.kind]}${which ? `: ${which}` : ''}${bracketed}` });
      continue;
    }
    if (key === 'content' || key === 'content_html') {
      // store/body.ts publishes the Markdown when there are both.
      if (bodyField !== undefined && bodyField !== key) issues.push({ rule: 'store-content-and-html', level: 'warning', file, line, message: '"content" and "content_html" are both set: "content" (Markdown) is published, "content_html" is ignored' });
      bodyField ??= key;
      continue;
    }
    // `tags: Économie, Politique` is one tag here (and one tag feed, its name holding a comma), where other tools read a list.
    if (key === 'tags' && typeof value === 'string' && value.includes(',')) {
      const list = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
      issues.push({ rule: 'store-tags-one-string', level: 'warning', file, line, message: `"tags" is one string holding commas, so it is the single tag "${value.trim()}"; for ${list.length} tags, write a list: tags: [${list.join(', ')}]` });
    }
    // A keyword list exported from another system: with a feed per tag, each of its tags can become a feed whose item
    // lists them all (3,000 tags on one article: 9,000 documents of 250 kB, ~1 GB written by a 100-article store).
    if (key === 'tags' && Array.isArray(converted) && converted.length > MANY_TAGS) {
      issues.push({ rule: 'store-many-tags', level: 'warning', file, line, message: `${converted.length} tags on one article: a feed per tag ("each": "tag") makes a feed of each tag that has "minItems" articles, every item of it listing all ${converted.length}; a keyword list from another system? keep the tags readers follow` });
    }
    raw[key] = converted;
    lines[key as keyof FieldLines] = line;
  }
  const fieldsOut = raw as RawArticle;
  // `published: false` beside `draft: true`: kept back already, as the message would have asked.
  if (fieldsOut.draft === true) {
    const kept = issues.findIndex((i) => i.rule === 'store-visibility-key');
    if (kept >= 0) issues.splice(kept, 1, { ...issues[kept]!, rule: 'store-unknown-key', level: 'warning', message: 'unknown front-matter key "published" is ignored (the article is a draft)' });
  }
  if (fieldsOut.draft !== true) {
    const first = fields.values().next().value?.line ?? 1;
    // A title of zero-width characters alone would list an invisible headline.
    if (isBlank(fieldsOut.title ?? '') && !issues.some((i) => i.message.startsWith('"title"'))) {
      // `title: #1 du classement` is a key and a comment to YAML: the editor sees a title.
      const message = lines.title === undefined ? 'missing "title": every published article needs one'
        : fieldsOut.title ? '"title" shows nothing (only spaces or invisible characters): every published article needs one'
        : `"title" is empty: every published article needs one${format === 'md' ? ' (if it starts with #, YAML read it as a comment: put it in quotes, title: "#1 …")' : ''}`;
      issues.push({ rule: 'store-missing-title', level: 'error', file, line: lines.title ?? first, message });
    }
    if (!fieldsOut.date?.trim() && !issues.some((i) => i.message.startsWith('"date"'))) {
      issues.push({ rule: 'store-missing-date', level: 'error', file, line: lines.date ?? first, message: 'missing "date": every published article needs one, e.g. 2020-02-28T17:30:00+01:00' });
    }
  }
  if (issues.some((i) => i.level === 'error')) return { issues };
  return { head: { file, format, fields: fieldsOut, lines, ...(bodyField ? { bodyField } : {}) }, issues };
}
