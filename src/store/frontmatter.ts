/**
 * Front matter: split a Markdown file into its `---` fenced YAML head and body, and parse
 * the head into top-level fields with the line each key sits on. Three paths, each giving
 * exactly what the one after it would: simple heads (the common `key: value` / `key: [a, b]`
 * shape) and the newsroom shapes of nested entries (author mappings, tag lists, folded
 * summaries) are read by hand; other block and flow collections of plain or quoted scalars
 * are read from the `yaml` package's concrete syntax tree, skipping its document model;
 * anything else goes through `parseDocument`.
 */
import { CST, Parser, parseDocument, isMap, visit } from 'yaml';
import { LineIndex } from '../values/lines.js';

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
  return { ok: true, yaml, yamlLine: 2, bodyStart, bodyLine: new LineIndex(text.slice(0, bodyStart)).at(bodyStart).line };
}

export type ParsedHead = { ok: true; fields: Fields } | { ok: false; line: number; column?: number; message: string };

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$/;
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]/;
const FLOW_ITEM = /^[^-?:,[\]{}#&*!|>'"%@`\s][^,[\]{}#:]*$/;
const FLOW_KEY = /^([A-Za-z_][A-Za-z0-9_-]*): +/;
const DQ_PREFIX = /^"(?:[^"\\]|\\["\\])*"/;
const SQ_PREFIX = /^'(?:[^']|'')*'/;

function plainOk(text: string): boolean {
  return PLAIN_START.test(text) && !text.includes(': ') && !text.includes(':\t') && !text.includes(' #') && !text.endsWith(':') && !text.includes('\t#');
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
    const items: string[] = [];
    let i = 1;
    while (text[i] === ' ') i++;
    if (i === text.length - 1) return items;
    for (;;) {
      const item = flowScalarAt(text, i);
      if (!item) return undefined;
      items.push(item[0]);
      i = item[1];
      while (text[i] === ' ') i++;
      if (i === text.length - 1) return items;
      if (text[i] !== ',') return undefined;
      i++;
      while (text[i] === ' ') i++;
    }
  }
  return plainOk(text) ? text : undefined;
}

const LONE_CR = /\r(?!\n)/;

/** The hand-written path: undefined as soon as a line leaves the simple subset. */
export function parseSimple(yaml: string, firstLine: number): Fields | undefined {
  // A lone CR ends a line of the file but not of YAML: the document path counts such lines.
  if (LONE_CR.test(yaml)) return undefined;
  const fields: Fields = new Map();
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (/^[ \t]*$/.test(line) || line.startsWith('#')) continue;
    const m = KEY.exec(line);
    // YAML refuses an implicit key of 1024 characters or more.
    if (!m || fields.has(m[1]!) || m[1]!.length > 1000) return undefined;
    const value = simpleValue(m[2] ?? '');
    if (value === undefined) return undefined;
    fields.set(m[1]!, { value, line: firstLine + i });
  }
  return fields;
}

/**
 * The quoted or plain scalar at `i` of a one-line flow collection that ends with `text`, and
 * the index just past it (the spaces after a plain one included); plain ones without `:` or
 * `#`, quoted ones with no escape but `\"` and `\\`.
 */
function flowScalarAt(text: string, i: number): [string, number] | undefined {
  const c = text[i];
  if (c === '"' || c === "'") {
    const quoted = (c === '"' ? DQ_PREFIX : SQ_PREFIX).exec(text.slice(i));
    const value = quoted ? simpleValue(quoted[0]) : undefined;
    return typeof value === 'string' ? [value, i + quoted![0].length] : undefined;
  }
  let end = i;
  while (end < text.length - 1 && text[end] !== ',' && text[end] !== ']' && text[end] !== '}') end++;
  const plain = text.slice(i, end).replace(/ +$/, '');
  return FLOW_ITEM.test(plain) && !plain.includes(' #') ? [plain, end] : undefined;
}

/** A one-line flow mapping of simple keys and values (`{ name: a, email: b }`), or undefined when the YAML package must decide. */
function flowMap(text: string): Map<string, YamlValue> | undefined {
  const s = text.replace(/ +$/, '');
  if (s[0] !== '{' || s[s.length - 1] !== '}') return undefined;
  const map = new Map<string, YamlValue>();
  let i = 1;
  const spaces = (): void => {
    while (s[i] === ' ') i++;
  };
  spaces();
  if (i === s.length - 1) return map;
  for (;;) {
    const key = FLOW_KEY.exec(s.slice(i));
    if (!key || map.has(key[1]!) || key[1]!.length > 1000) return undefined;
    i += key[0].length;
    const value = flowScalarAt(s, i);
    if (!value) return undefined;
    map.set(key[1]!, value[0]);
    i = value[1];
    spaces();
    if (i === s.length - 1 && s[i] === '}') return map;
    if (s[i] !== ',') return undefined;
    i++;
    spaces();
  }
}

const BLOCK_HEADER = /^([>|])(-?)$/;

/** Leading spaces: YAML indents with U+0020 alone (`trim` would also take tabs and no-break spaces). */
function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}

/** `key: value` at exactly `indent` spaces, the value in the simple subset. */
function indentedPair(line: string, indent: number): [string, YamlValue] | undefined {
  if (indentOf(line) !== indent) return undefined;
  const m = KEY.exec(indent ? line.slice(indent) : line);
  if (!m || m[1]!.length > 1000) return undefined;
  const value = simpleValue(m[2] ?? '');
  return value === undefined ? undefined : [m[1]!, value];
}

/**
 * The value of a top-level entry written over several lines, in the shapes newsroom heads
 * use: a block mapping of simple values (an author), a block sequence of simple values (tags)
 * or of such mappings (authors), a folded or literal block scalar without indentation
 * indicator or keep chomping (a summary). `lines` are the entry's lines after its key's,
 * without the blank lines that follow them (`blankAfter`: there were some), `newlineAfter`
 * when a line end follows the last. Undefined for anything else, which `parseTree` or the
 * document path then decides.
 */
function blockEntry(header: string, lines: string[], blankAfter: boolean, newlineAfter: boolean): YamlValue | undefined {
  const indent = indentOf(lines[0]!);
  const head = header.replace(/ +$/, '');
  const block = BLOCK_HEADER.exec(head);
  if (block) {
    // Trailing blank lines and a missing last line end are where chomping rules differ: left to the package.
    if (blankAfter || !newlineAfter) return undefined;
    const content: string[] = [];
    for (const line of lines) {
      // Every line at the same indentation, none blank or ending in a space: no folding rule but the plain one applies.
      if (indentOf(line) !== indent || line.length === indent || line.endsWith(' ')) return undefined;
      content.push(line.slice(indent));
    }
    return content.join(block[1] === '>' ? ' ' : '\n') + (block[2] === '-' ? '' : '\n');
  }
  if (head !== '') return undefined;
  const dash = ' '.repeat(indent) + '- ';
  if (!lines[0]!.startsWith(dash)) {
    const map = new Map<string, YamlValue>();
    for (const line of lines) {
      const pair = indentedPair(line, indent);
      if (!pair || map.has(pair[0])) return undefined;
      map.set(pair[0], pair[1]);
    }
    return map;
  }
  const list: YamlValue[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (!line.startsWith(dash)) return undefined;
    const item = line.slice(dash.length);
    if (!KEY.test(item)) {
      const value = simpleValue(item);
      if (value === undefined) return undefined;
      list.push(value);
      continue;
    }
    // A mapping in the item: its first key after the dash, the others below it at the same column.
    const at = dash.length;
    const map = new Map<string, YamlValue>();
    for (let first = true; k < lines.length && (first || !lines[k]!.startsWith(dash)); k++, first = false) {
      const pair = indentedPair(first ? ' '.repeat(at) + item : lines[k]!, at);
      if (!pair || map.has(pair[0])) return undefined;
      map.set(pair[0], pair[1]);
    }
    k--;
    list.push(map);
  }
  return list;
}

/**
 * Heads of top-level entries some of which are simple lines: those are read by the simple
 * path, the newsroom shapes of the others (a key's line with its indented and blank lines) by
 * `flowMap` and `blockEntry`, and only the rest go to `parseTree`, which then lexes and
 * parses a fraction of the head. Each such entry is given
 * with the line that follows it in the head: a quote or bracket left open would run on into
 * that line, in the head as here, and `parseTree` declines multi-line scalars and flow
 * collections. Declines on comments, tabs, CR, or any line at column 0 that is not `key:`.
 */
export function parseMixed(yaml: string, firstLine: number): Fields | undefined {
  if (yaml.includes('\t') || yaml.includes('\r')) return undefined;
  const starts = [0];
  for (let nl = yaml.indexOf('\n'); nl !== -1; nl = yaml.indexOf('\n', nl + 1)) starts.push(nl + 1);
  const lineAt = (i: number): string => yaml.slice(starts[i], i + 1 < starts.length ? starts[i + 1]! - 1 : yaml.length);
  // Entries: first line, line after the last, and the value when the entry is one simple line.
  const entries: { from: number; to: number; key: string; value: YamlValue | undefined }[] = [];
  const keys = new Set<string>();
  let byHand = false;
  for (let i = 0; i < starts.length;) {
    const line = lineAt(i);
    if (line.trim() === '') {
      i++;
      continue;
    }
    const m = KEY.exec(line);
    if (!m || keys.has(m[1]!) || m[1]!.length > 1000) return undefined;
    keys.add(m[1]!);
    // The entry runs to the next line at column 0; blank lines stay with it (a kept block scalar ends with them).
    let to = i + 1;
    while (to < starts.length && (lineAt(to) === '' || lineAt(to).startsWith(' '))) to++;
    let last = to;
    while (last > i + 1 && lineAt(last - 1).trim() === '') last--;
    const simple = last === i + 1 ? simpleValue(m[2] ?? '') : undefined;
    if (simple === undefined) byHand = true;
    entries.push({ from: i, to, key: m[1]!, value: last === i + 1 ? simple ?? flowMap(m[2] ?? '') : blockEntry(m[2] ?? '', yaml.slice(starts[i + 1], starts[last - 1]! + lineAt(last - 1).length).split('\n'), to - last > (to === starts.length && yaml.endsWith('\n') ? 1 : 0), last < starts.length) });
    i = to;
  }
  // The other entries' text, each followed by the next line when that line is not in it already; and the head line of each of its lines (-1: a following line).
  let rest = '';
  const origin: number[] = [];
  const text = (from: number, to: number): string => yaml.slice(starts[from], to < starts.length ? starts[to] : yaml.length);
  entries.forEach((entry, k) => {
    if (entry.value !== undefined) return;
    rest += text(entry.from, entry.to);
    for (let i = entry.from; i < entry.to; i++) origin.push(entry.from);
    const next = entries[k + 1];
    if (next && next.value !== undefined) {
      rest += text(next.from, next.from + 1);
      origin.push(-1);
    }
  });
  // Nothing beyond the simple path's subset: its answer (or its refusal) stands.
  if (rest === '' && !byHand) return undefined;
  const fromTree = new Map<number, [string, YamlValue]>();
  if (rest !== '') {
    const tree = parseTree(rest, 0);
    if (!tree) return undefined;
    for (const [key, field] of tree) if (origin[field.line]! >= 0) fromTree.set(origin[field.line]!, [key, field.value]);
  }
  const fields: Fields = new Map();
  for (const entry of entries) {
    const value = entry.value ?? fromTree.get(entry.from)?.[1];
    if (value === undefined) return undefined;
    fields.set(entry.key, { value, line: firstLine + entry.from });
  }
  return fields;
}

/** Tokens that may sit between the parts of a node: spaces without tabs, and newlines where allowed. */
function blank(tokens: readonly CST.Token[] | undefined, newlines: boolean): boolean {
  if (!tokens) return true;
  for (const t of tokens) {
    if (t.type === 'space' ? t.source.includes('\t') : t.type !== 'newline' || !newlines) return false;
  }
  return true;
}

let scalarFailed = false;
const failScalar = (): void => {
  scalarFailed = true;
};

/** A flow scalar on one line, as the `yaml` package resolves it; undefined if it reports anything. */
function flowScalar(token: CST.Token, newlineAfter: boolean): string | undefined {
  if ((token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') || token.source.includes('\n')) return undefined;
  if (!blank((token as CST.FlowScalar).end, newlineAfter)) return undefined;
  scalarFailed = false;
  const resolved = CST.resolveAsScalar(token, true, failScalar);
  return scalarFailed ? undefined : resolved.value;
}

/** Keys whose order a JavaScript object would change (array indexes come first), or that YAML may treat specially. */
const AWKWARD_KEY = /^(?:0|[1-9]\d*|<<)$/;

function flowCollection(fc: CST.FlowCollection): YamlValue | undefined {
  const isMap = fc.start.source === '{';
  if (!isMap && fc.start.source !== '[') return undefined;
  const [close, ...after] = fc.end;
  if (close?.source !== (isMap ? '}' : ']') || !blank(after, true)) return undefined;
  const list: YamlValue[] = [];
  const map = new Map<string, YamlValue>();
  for (let i = 0; i < fc.items.length; i++) {
    const item = fc.items[i]!;
    let commas = 0;
    for (const t of item.start) {
      if (t.type === 'comma') commas++;
      else if (t.type !== 'space' || t.source.includes('\t')) return undefined;
    }
    if (commas !== (i === 0 ? 0 : 1) || !item.value) return undefined;
    const value = flowScalar(item.value, false);
    if (value === undefined) return undefined;
    if (!isMap) {
      if (item.key !== undefined || item.sep !== undefined) return undefined;
      list.push(value);
      continue;
    }
    if (!item.key || (item.key as CST.FlowScalar).end?.length || !item.sep || item.sep[0]?.type !== 'map-value-ind' || !blank(item.sep.slice(1), false)) return undefined;
    const key = flowScalar(item.key, false);
    if (key === undefined || map.has(key) || AWKWARD_KEY.test(key)) return undefined;
    map.set(key, value);
  }
  return isMap ? map : list;
}

function blockSeq(bs: CST.BlockSequence, depth: number): YamlValue[] | undefined {
  const list: YamlValue[] = [];
  for (const item of bs.items) {
    if ((item as { key?: unknown }).key !== undefined || (item as { sep?: unknown }).sep !== undefined || !item.value) return undefined;
    let dashes = 0;
    for (const t of item.start) {
      if (t.type === 'seq-item-ind') dashes++;
      else if (t.type !== 'space' || t.source.includes('\t')) return undefined;
    }
    if (dashes !== 1) return undefined;
    const v = item.value;
    const value = v.type === 'block-map' ? (depth < 4 ? blockMap(v, depth + 1) : undefined) : v.type === 'flow-collection' ? flowCollection(v) : flowScalar(v, true);
    if (value === undefined) return undefined;
    list.push(value);
  }
  return list;
}

/** A block mapping's keys and values; `lines` receives the offset of each key when given. */
function blockMap(bm: CST.BlockMap, depth: number, offsets?: number[]): Map<string, YamlValue> | undefined {
  const map = new Map<string, YamlValue>();
  for (const item of bm.items) {
    if (item.explicitKey || !item.key || !item.sep || !item.value || !blank(item.start, true)) return undefined;
    const k = item.key;
    // The composer's checks on implicit keys: same column as the mapping, one line, at most 1024 characters.
    if (!('indent' in k) || k.indent !== bm.indent || (k as CST.FlowScalar).end?.length || !('source' in k) || k.source.length > 1000) return undefined;
    const key = flowScalar(k, false);
    if (key === undefined || map.has(key) || (depth > 0 && AWKWARD_KEY.test(key)) || key === '<<') return undefined;
    if (item.sep[0]?.type !== 'map-value-ind') return undefined;
    let newlines = 0;
    for (let i = 1; i < item.sep.length; i++) {
      const t = item.sep[i]!;
      if (t.type === 'newline') newlines++;
      else if (t.type !== 'space' || t.source.includes('\t')) return undefined;
    }
    const v = item.value;
    let value: YamlValue | undefined;
    if (v.type === 'block-map') value = newlines === 1 && v.indent > bm.indent && depth < 4 ? blockMap(v, depth + 1) : undefined;
    else if (v.type === 'block-seq') value = newlines === 1 && v.indent >= bm.indent ? blockSeq(v, depth + 1) : undefined;
    else if (newlines !== 0) value = undefined;
    else if (v.type === 'flow-collection') value = flowCollection(v);
    else if (v.type === 'block-scalar') {
      if (v.props.length !== 2 || v.props[0]!.type !== 'block-scalar-header' || v.props[1]!.type !== 'newline') return undefined;
      scalarFailed = false;
      const resolved = CST.resolveAsScalar(v, true, failScalar);
      value = scalarFailed ? undefined : resolved.value;
    } else value = flowScalar(v, true);
    if (value === undefined) return undefined;
    map.set(key, value);
    offsets?.push(k.offset);
  }
  return map;
}

/**
 * The `yaml` package's concrete syntax tree read directly, for heads made only of block
 * mappings, block sequences, one-line flow collections and scalars without anchors, tags,
 * comments or tabs. Undefined for anything else, or for anything the package would report:
 * `parseDocument` then decides, so values, lines and messages never differ from it.
 */
export function parseTree(yaml: string, firstLine: number): Fields | undefined {
  if (yaml.includes('\r')) return undefined;
  let doc: CST.Token | undefined;
  for (const token of new Parser().parse(yaml)) {
    if (doc || token.type !== 'document') return undefined;
    doc = token;
  }
  if (doc?.type !== 'document' || doc.start.length || doc.value?.type !== 'block-map' || doc.value.indent !== 0 || !blank(doc.end, true)) return undefined;
  const offsets: number[] = [];
  const values = blockMap(doc.value, 0, offsets);
  if (!values) return undefined;
  const fields: Fields = new Map();
  // Keys come in offset order: count the newlines before each from where the last count stopped.
  let line = firstLine;
  let nl = yaml.indexOf('\n');
  let k = 0;
  for (const [key, value] of values) {
    const offset = offsets[k++]!;
    for (; nl !== -1 && nl < offset; nl = yaml.indexOf('\n', nl + 1)) line++;
    fields.set(key, { value, line });
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
  const fast = parseSimple(yaml, firstLine) ?? parseMixed(yaml, firstLine) ?? parseTree(yaml, firstLine);
  return fast ? { ok: true, fields: fast } : parseDocumentHead(yaml, firstLine);
}

/** The reference path: the `yaml` package's whole document model, which also words every error. */
export function parseDocumentHead(yaml: string, firstLine: number): ParsedHead {
  // Lines as the file counts them (a lone CR ends one too, though not for YAML).
  const lines = new LineIndex(yaml);
  const doc = parseDocument(yaml, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lines.at(error.pos[0]);
    return { ok: false, line: firstLine + pos.line - 1, column: pos.column, message: error.message.split('\n')[0]! };
  }
  if (doc.contents === null) return { ok: true, fields: new Map() };
  if (!isMap(doc.contents)) return { ok: false, line: firstLine, message: 'the front matter must be a mapping of keys to values' };
  // `date: !!timestamp 2021-01-01 10:00:00`, at any depth (a retraction's date): the tag makes a date object of it,
  // read in UTC; the text as written is read as every date is, in the site's zone.
  visit(doc, {
    Scalar(_key, node) {
      if (node.value instanceof Date) node.value = node.source ?? node.value.toISOString();
    },
  });
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
    const line = keyNode?.range ? firstLine + lines.at(keyNode.range[0]).line - 1 : firstLine;
    fields.set(key, { value: values.get(key) ?? null, line });
  }
  return { ok: true, fields };
}
