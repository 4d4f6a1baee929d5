/**
 * The article record as stored (front matter or JSON), described once in FIELDS: the checks,
 * the raw TypeScript type and the "unknown key" warning all derive from that table.
 */
import type { Issue } from '../issue.js';
import type { Fields, YamlValue } from './frontmatter.js';

type Kind = 'text' | 'boolean' | 'tags' | 'persons';
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
  content: { kind: 'text', formats: ['json'] },
  content_html: { kind: 'text', formats: ['json'] },
} as const satisfies Record<string, Spec>;

export type FieldName = keyof typeof FIELDS;
export type RawPerson = { name: string; email?: string; url?: string };
type ValueOf<K extends Kind> = K extends 'text' ? string : K extends 'boolean' ? boolean : K extends 'tags' ? string[] : RawPerson[];

/** Checked fields of one article, body excluded. */
export type RawArticle = { [K in Exclude<FieldName, 'content' | 'content_html'>]?: ValueOf<(typeof FIELDS)[K]['kind']> };

export type Format = 'md' | 'json';

/** One article's fields after the type checks. */
export type CheckedRecord = {
  /** Relative to the store, `/` separators. */
  file: string;
  format: Format;
  fields: RawArticle;
  /** Line of each key, for pointing issues at it. */
  lines: Partial<Record<FieldName, number>>;
  /** JSON articles: which body field is present. */
  bodyField?: 'content' | 'content_html';
};

export type Check = { head?: CheckedRecord; issues: Issue[] };

/** What selection needs about every article; the rest is read again for the few published. */
export type ArticleHead = {
  /** Relative to the store, `/` separators. */
  file: string;
  format: Format;
  date?: string;
  updated?: string;
  id?: string;
  draft: boolean;
  /** Lines of the keys above, for issues raised while selecting. */
  lines: Partial<Record<FieldName, number>>;
};

/**
 * A head as one flat row (the cache's shape and what selection reads): format, date, updated,
 * id ('' when absent), draft, and the lines of those keys (0 when absent). 100k rows cost far
 * less to parse, hold and collect than 100k heads with their `lines` objects.
 */
export type HeadRow = [format: Format, date: string, updated: string, id: string, draft: 0 | 1, dateLine: number, updatedLine: number, idLine: number];

export function rowOf(head: ArticleHead): HeadRow {
  // '' means absent, so a present but empty id becomes a blank one, which selection refuses alike.
  return [head.format, head.date ?? '', head.updated ?? '', head.id === undefined ? '' : head.id || ' ', head.draft ? 1 : 0, head.lines.date ?? 0, head.lines.updated ?? 0, head.lines.id ?? 0];
}

export function headOf(file: string, row: HeadRow): ArticleHead {
  const head: ArticleHead = { file, format: row[0], draft: row[4] === 1, lines: {} };
  if (row[1]) head.date = row[1];
  if (row[2]) head.updated = row[2];
  if (row[3]) head.id = row[3];
  if (row[5]) head.lines.date = row[5];
  if (row[6]) head.lines.updated = row[6];
  if (row[7]) head.lines.id = row[7];
  return head;
}

/** Heads as columns, one row per valid article: `files[i]` has head `rows[i]`. */
export type HeadColumns = { readonly files: readonly string[]; readonly rows: readonly HeadRow[] };

/** A whole article, read when it is about to be published. */
export type ArticleBody = {
  fields: RawArticle;
  lines: Partial<Record<FieldName, number>>;
  kind: 'markdown' | 'html';
  text: string;
};

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
};

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
  }
}

/**
 * Checks the fields of one article. Errors reject it; an unknown key is only a warning.
 * Drafts need no title or date yet: they are not published, so they are not errors.
 */
export function checkFields(file: string, format: Format, fields: Fields): Check {
  const issues: Issue[] = [];
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const lines: Partial<Record<FieldName, number>> = {};
  let bodyField: CheckedRecord['bodyField'];
  for (const [key, { value, line }] of fields) {
    const spec: Spec | undefined = Object.hasOwn(FIELDS, key) ? FIELDS[key as FieldName] : undefined;
    if (!spec || (spec.formats && !spec.formats.includes(format))) {
      issues.push({ rule: 'store-unknown-key', level: 'warning', file, line, message: `unknown front-matter key "${key}" is ignored` });
      continue;
    }
    const converted = convert(spec.kind, value, format);
    if (converted === undefined) {
      issues.push({ rule: 'store-bad-field-type', level: 'error', file, line, message: `"${key}" must be ${EXPECTED[spec.kind]}` });
      continue;
    }
    if (key === 'content' || key === 'content_html') {
      bodyField ??= key;
      continue;
    }
    raw[key] = converted;
    lines[key as FieldName] = line;
  }
  const fieldsOut = raw as RawArticle;
  if (fieldsOut.draft !== true) {
    const first = fields.values().next().value?.line ?? 1;
    if (!fieldsOut.title?.trim() && !issues.some((i) => i.message.startsWith('"title"'))) {
      issues.push({ rule: 'store-missing-title', level: 'error', file, line: lines.title ?? first, message: 'missing "title": every published article needs one' });
    }
    if (!fieldsOut.date?.trim() && !issues.some((i) => i.message.startsWith('"date"'))) {
      issues.push({ rule: 'store-missing-date', level: 'error', file, line: lines.date ?? first, message: 'missing "date": every published article needs one, e.g. 2020-02-28T17:30:00+01:00' });
    }
  }
  if (issues.some((i) => i.level === 'error')) return { issues };
  return { head: { file, format, fields: fieldsOut, lines, ...(bodyField ? { bodyField } : {}) }, issues };
}
