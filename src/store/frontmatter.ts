/**
 * Front matter: split a Markdown file into its `---` fenced YAML head and body, and parse
 * the head into top-level fields with the line each key sits on. Simple heads (the common
 * `key: value` / `key: [a, b]` shape) take a hand-written path that yields exactly what the
 * YAML failsafe schema would; anything else goes to the `yaml` package.
 */
import { LineCounter, parseDocument, isMap } from 'yaml';

/** A YAML value under the failsafe schema: every scalar is a string; null only for `~`-free empty nodes. */
export type YamlValue = string | null | YamlValue[] | Map<string, YamlValue>;
export type Field = { value: YamlValue; line: number };
export type Fields = Map<string, Field>;

export type Split =
  | { ok: true; yaml: string; yamlLine: number; bodyStart: number; bodyLine: number }
  | { ok: false; reason: 'none' | 'unclosed' };

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;

/** Finds the fences. `bodyStart` is a string index into `text`; lines are 1-based. */
export function splitFrontMatter(text: string): Split {
  const open = OPEN.exec(text);
  if (!open) return { ok: false, reason: 'none' };
  CLOSE.lastIndex = open[0].length;
  // The closing fence may directly follow the opening one (empty head).
  const close = open[0].length === 0 ? null : CLOSE.exec(text);
  if (!close) return { ok: false, reason: 'unclosed' };
  const yaml = text.slice(open[0].length, close.index);
  const bodyStart = close.index + close[0].length;
  let bodyLine = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < bodyStart; i = text.indexOf('\n', i + 1)) bodyLine++;
  return { ok: true, yaml, yamlLine: 2, bodyStart, bodyLine };
}

export type ParsedHead = { ok: true; fields: Fields } | { ok: false; line: number; column?: number; message: string };

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$/;
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]/;
const FLOW_ITEM = /^[^-?:,[\]{}#&*!|>'"%@`\s][^,[\]{}#:]*$/;

function plainOk(text: string): boolean {
  return PLAIN_START.test(text) && !text.includes(': ') && !text.includes(' #') && !text.endsWith(':') && !text.includes('\t#');
}

/** One value in the simple subset, or undefined when the YAML package must decide. */
function simpleValue(raw: string): YamlValue | undefined {
  const text = raw.replace(/[ \t]+$/, '');
  if (text === '') return undefined;
  const c = text[0];
  if (c === '"') {
    const m = /^"((?:[^"\\]|\\["\\])*)"$/.exec(text);
    return m ? m[1]!.replace(/\\(["\\])/g, '$1') : undefined;
  }
  if (c === "'") {
    const m = /^'((?:[^']|'')*)'$/.exec(text);
    return m ? m[1]!.replace(/''/g, "'") : undefined;
  }
  if (c === '[') {
    if (!text.endsWith(']')) return undefined;
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    const items: string[] = [];
    for (const part of inner.split(',')) {
      const item = part.trim();
      if (!FLOW_ITEM.test(item) || item.includes(' #')) return undefined;
      items.push(item);
    }
    return items;
  }
  return plainOk(text) ? text : undefined;
}

/** The hand-written path: undefined as soon as a line leaves the simple subset. */
export function parseSimple(yaml: string, firstLine: number): Fields | undefined {
  const fields: Fields = new Map();
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (/^[ \t]*$/.test(line) || line.startsWith('#')) continue;
    const m = KEY.exec(line);
    if (!m || fields.has(m[1]!)) return undefined;
    const value = simpleValue(m[2] ?? '');
    if (value === undefined) return undefined;
    fields.set(m[1]!, { value, line: firstLine + i });
  }
  return fields;
}

/** Own keys only, into Maps: `__proto__` or `constructor` in a file can never reach a prototype. */
function fromJs(value: unknown): YamlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(fromJs);
  if (typeof value === 'object') {
    const map = new Map<string, YamlValue>();
    for (const key of Object.keys(value)) map.set(key, fromJs((value as Record<string, unknown>)[key]));
    return map;
  }
  return String(value);
}

/** Parses a front-matter head. `firstLine` is the file line of the head's first line. */
export function parseFrontMatter(yaml: string, firstLine: number): ParsedHead {
  const simple = parseSimple(yaml, firstLine);
  if (simple) return { ok: true, fields: simple };
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    return { ok: false, line: firstLine + pos.line - 1, column: pos.col, message: error.message.split('\n')[0]! };
  }
  if (doc.contents === null) return { ok: true, fields: new Map() };
  if (!isMap(doc.contents)) return { ok: false, line: firstLine, message: 'the front matter must be a mapping of keys to values' };
  let js: unknown;
  try {
    // maxAliasCount stops "billion laughs" alias bombs before they expand.
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, line: firstLine, message: (err as Error).message };
  }
  const values = fromJs(js);
  const fields: Fields = new Map();
  if (!(values instanceof Map)) return { ok: false, line: firstLine, message: 'the front matter must be a mapping of keys to values' };
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as { value?: unknown; range?: [number, number, number] } | null;
    const key = keyNode && typeof keyNode.value === 'string' ? keyNode.value : undefined;
    if (key === undefined || !values.has(key)) continue;
    const line = keyNode?.range ? firstLine + lineCounter.linePos(keyNode.range[0]).line - 1 : firstLine;
    fields.set(key, { value: values.get(key) ?? null, line });
  }
  return { ok: true, fields };
}
