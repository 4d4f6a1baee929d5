/**
 * The store's IO edge: walks `articles/`, reads only the front matter of each article (the
 * head of the file, up to the closing fence), and reads a whole file only when its article
 * is about to be published. A cache keyed by path + size + mtime + ctime + inode lets an
 * unchanged store be rebuilt without opening any article.
 *
 * File system calls are synchronous on purpose: on a warm page cache they are 3-4 times
 * cheaper than the thread-pool versions, and the work is cut into slices that yield to
 * the event loop, so a server sharing the process stays responsive.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Issue, Result } from '../issue.js';
import { VERSION } from '../version.js';
import { parseFrontMatter, splitFrontMatter, type Fields, type YamlValue } from './frontmatter.js';
import { checkFields, headOf, rowOf, type ArticleBody, type ArticleHead, type Format, type HeadColumns, type HeadRow } from './schema.js';

import { readHeadsInParallel, toRow, type ReadRow } from './heads-parallel.js';
import { startStats } from './stat-parallel.js';

export type { ArticleBody, ArticleHead } from './schema.js';

export type StoreStats = { files: number; cached: number; read: number };
export type ReadOptions = {
  cacheFile?: string;
  maxBytes?: number;
  /** Stores of at least this many files are statted by a worker thread too when rebuilt (default 20 000; tests lower it). */
  parallelStatFiles?: number;
  /** Stores of at least this many files read without a cache are read by several threads (default 2 000; tests lower it). */
  parallelHeadFiles?: number;
};
export type StoreRead = {
  /** Valid heads as columns, in walk order (what selection reads). */
  columns: HeadColumns;
  /** The same heads as objects, made on demand (for small stores and tests). */
  readonly heads: ArticleHead[];
  issues: Issue[];
  stats: StoreStats;
  /** Identity (size, mtime, ctime, inode) of the file of row `i` when old enough to be cached; undefined otherwise. */
  stampAt(row: number): string | undefined;
};

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** Front matter longer than this is not front matter any more. */
const MAX_HEAD_BYTES = 256 * 1024;
const FIRST_CHUNK = 16 * 1024;
const CACHE_FORMAT = 'kiosque-store-cache/2';
/** From this many files on, a rebuild has a worker thread stat them while the cache loads (starting it costs ~40 ms). */
const PARALLEL_STAT_FILES = 20_000;
/** From this many files on, a store read without a cache has its heads read by worker threads too. */
const PARALLEL_HEAD_FILES = 2_000;
/** Entries modified this close to the scan are not cached: a same-size edit within one clock tick would go unseen. */
const RACY_MS = 2000;

const ARTICLE = /\.(md|json)$/i;

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Calls `work` over `items`, giving the event loop a turn every ~15 ms. */
async function sliced<T>(items: readonly T[], work: (item: T, index: number) => void): Promise<void> {
  let since = performance.now();
  for (let i = 0; i < items.length; i++) {
    work(items[i]!, i);
    if ((i & 255) === 255 && performance.now() - since > 15) {
      await yieldNow();
      since = performance.now();
    }
  }
}

function unreadable(file: string, err: unknown): Issue {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return { rule: 'store-unreadable', level: 'error', file, message: `cannot read (${code})` };
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Articles under `root`, sorted by path. Names starting with `.` or `_` are skipped; symbolic
 * links are followed only when they resolve inside the store, and each real directory is
 * walked once, so link loops end.
 */
export function walkStore(root: string): { files: string[]; issues: Issue[]; realRoot?: string } {
  const issues: Issue[] = [];
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    if (!statSync(realRoot).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { files: [], issues: [{ rule: 'store-unreadable', level: 'error', file: '.', message: code === 'ENOENT' ? `the article store ${root} does not exist` : `cannot read the article store (${code ?? 'error'})` }] };
  }
  const files: string[] = [];
  const seenDirs = new Set<string>([realRoot]);
  const walkedDirs = new Set<string>();
  const linkedFiles: { rel: string; real: string }[] = [];
  const walk = (abs: string, rel: string, real: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      issues.push(unreadable(rel || '.', err));
      return;
    }
    walkedDirs.add(real);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = entry.name;
      if (name.startsWith('.') || name.startsWith('_')) continue;
      let isFile = entry.isFile();
      // The common case, a plain article file: no path but its store path is built.
      if (isFile && ARTICLE.test(name)) {
        files.push(rel ? `${rel}/${name}` : name);
        continue;
      }
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      let childReal = join(real, name);
      let isDir = entry.isDirectory();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        try {
          childReal = realpathSync(childAbs);
        } catch {
          issues.push({ rule: 'store-broken-link', level: 'warning', file: childRel, message: 'symbolic link to nothing is ignored' });
          continue;
        }
        const target = statSafe(childReal);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
        if (!inside(realRoot, childReal)) {
          if (isDir || ARTICLE.test(name)) {
            issues.push({ rule: 'store-link-outside', level: 'warning', file: childRel, message: 'symbolic link leading outside the store is not followed' });
          }
          continue;
        }
      }
      if (isDir) {
        if (seenDirs.has(childReal)) continue;
        seenDirs.add(childReal);
        walk(childAbs, childRel, childReal);
      } else if (isLink && isFile && ARTICLE.test(name)) {
        linkedFiles.push({ rel: childRel, real: childReal });
      }
    }
  };
  walk(realRoot, '', realRoot);
  // A link to an article already in the store would publish it twice under two ids.
  // Found as itself when its real directory was walked (a real path has no link left in it).
  const linkedReal = new Set<string>();
  for (const link of linkedFiles) {
    const name = basename(link.real);
    const walked = walkedDirs.has(dirname(link.real)) && !name.startsWith('.') && !name.startsWith('_') && ARTICLE.test(name);
    if (walked || linkedReal.has(link.real)) continue;
    linkedReal.add(link.real);
    files.push(link.rel);
  }
  if (linkedFiles.length) files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, issues, realRoot };
}

function statSafe(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Line of the first byte that is not valid UTF-8 (for the error message). */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === 0x0a) line++;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return line;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return line;
    if (!isUtf8(bytes.subarray(i, i + need + 1))) return line;
    i += need + 1;
  }
  return line;
}

type Checked = Result<{ fields: Fields } | undefined>;

/** Bytes -> text, refusing binaries and invalid UTF-8. */
function decode(file: string, bytes: Uint8Array): Result<string | undefined> {
  if (bytes.indexOf(0) !== -1) {
    return { value: undefined, issues: [{ rule: 'store-binary', level: 'error', file, line: lineAt(Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString('latin1'), Infinity), message: 'binary file (NUL bytes): not an article' }] };
  }
  if (!isUtf8(bytes)) {
    return { value: undefined, issues: [{ rule: 'store-not-utf8', level: 'error', file, line: firstInvalidUtf8Line(bytes), message: 'not valid UTF-8: save the file as UTF-8' }] };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '' || text === '\uFEFF') return { value: undefined, issues: [{ rule: 'store-empty', level: 'error', file, message: 'empty file' }] };
  return { value: text.startsWith('\uFEFF') ? text.slice(1) : text, issues: [] };
}

function jsonValue(value: unknown): YamlValue {
  if (Array.isArray(value)) return value.map(jsonValue) as YamlValue;
  if (value !== null && typeof value === 'object') {
    const map = new Map<string, YamlValue>();
    for (const key of Object.keys(value)) map.set(key, jsonValue((value as Record<string, unknown>)[key]));
    return map;
  }
  // Numbers and booleans travel as they are so the schema can refuse or accept them by type.
  return value as YamlValue;
}

/** Top-level keys of a JSON article, with the line each first appears on. */
function parseJsonArticle(file: string, text: string): Checked {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(text, Number(at[1])) : undefined;
    return { value: undefined, issues: [{ rule: 'store-bad-json', level: 'error', file, ...(line ? { line } : {}), message: `not valid JSON: ${message.split('\n')[0]}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { value: undefined, issues: [{ rule: 'store-bad-json', level: 'error', file, line: 1, message: 'a JSON article must be one object' }] };
  }
  const fields: Fields = new Map();
  for (const key of Object.keys(data)) {
    const quoted = JSON.stringify(key);
    const index = text.indexOf(`${quoted}`);
    fields.set(key, { value: jsonValue((data as Record<string, unknown>)[key]), line: index === -1 ? 1 : lineAt(text, index) });
  }
  return { value: { fields }, issues: [] };
}

function parseMarkdownHead(file: string, text: string, complete: boolean): Result<{ fields: Fields; bodyStart: number } | undefined> | 'more' {
  const split = splitFrontMatter(text);
  if (!split.ok) {
    if (split.reason === 'unclosed' && !complete) return 'more';
    return {
      value: undefined,
      issues: [split.reason === 'none'
        ? { rule: 'store-missing-front-matter', level: 'error', file, line: 1, message: 'no front matter: start the file with a line "---", the title and date, and another "---"' }
        : { rule: 'store-bad-yaml', level: 'error', file, line: 1, message: 'the front matter is never closed by a "---" line' }],
    };
  }
  const parsed = parseFrontMatter(split.yaml, split.yamlLine);
  if (!parsed.ok) {
    return { value: undefined, issues: [{ rule: 'store-bad-yaml', level: 'error', file, line: parsed.line, ...(parsed.column ? { column: parsed.column } : {}), message: `front matter is not valid YAML: ${parsed.message}` }] };
  }
  return { value: { fields: parsed.fields, bodyStart: split.bodyStart }, issues: [] };
}

function toHead(file: string, format: Format, fields: Fields): Result<ArticleHead | undefined> {
  const checked = checkFields(file, format, fields);
  if (!checked.head) return { value: undefined, issues: checked.issues };
  const f = checked.head.fields;
  const head: ArticleHead = { file, format, draft: f.draft === true, lines: {} };
  for (const key of ['date', 'updated', 'id'] as const) {
    const value = f[key];
    if (value !== undefined) head[key] = value;
    const line = checked.head.lines[key];
    if (line !== undefined) head.lines[key] = line;
  }
  if (format === 'json' && !checked.head.bodyField && !head.draft) {
    return { value: undefined, issues: [...checked.issues, { rule: 'store-missing-content', level: 'error', file, line: 1, message: 'a JSON article needs "content" (Markdown) or "content_html"' }] };
  }
  return { value: head, issues: checked.issues };
}

const NO_FENCE = -2;

/** Reused for every first read: heads are parsed before the next file is opened. */
const scratch = Buffer.allocUnsafe(FIRST_CHUNK);

const FENCE_CLOSERS = new Set([0x0a, 0x0d, 0x20, 0x09]);

/**
 * Byte index just past the closing fence line of a Markdown head, or -1 if not in `bytes`.
 * Files without an opening fence end at 0 bytes of head (the whole chunk is then judged).
 */
function headEnd(bytes: Buffer, complete: boolean): number {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes.toString('latin1', start, start + 3) !== '---') return NO_FENCE;
  start = bytes.indexOf(0x0a, start);
  if (start === -1) return complete ? bytes.length : -1;
  for (let i = start; i !== -1; i = bytes.indexOf(0x0a, i + 1)) {
    const a = bytes[i + 1], b = bytes[i + 2], c = bytes[i + 3];
    if ((a === 0x2d && b === 0x2d && c === 0x2d) || (a === 0x2e && b === 0x2e && c === 0x2e)) {
      const after = i + 4;
      if (after >= bytes.length) return complete ? bytes.length : -1;
      if (FENCE_CLOSERS.has(bytes[after]!)) {
        const eol = bytes.indexOf(0x0a, after);
        if (eol !== -1) return eol + 1;
        return complete ? bytes.length : -1;
      }
    }
  }
  return complete ? bytes.length : -1;
}

function readChunk(fd: number, length: number, position: number, into?: Buffer): Buffer {
  const buffer = into && into.length >= length ? into : Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

/** Reads the head of one article file (`size` from its stat). */
export function readHead(file: string, abs: string, size: number, maxBytes = DEFAULT_MAX_BYTES): Result<ArticleHead | undefined> {
  if (size === 0) return { value: undefined, issues: [{ rule: 'store-empty', level: 'error', file, message: 'empty file' }] };
  if (size > maxBytes) return { value: undefined, issues: [{ rule: 'store-too-large', level: 'error', file, message: `file is ${size} bytes, over the ${maxBytes}-byte limit for one article` }] };
  const format: Format = /\.json$/i.test(file) ? 'json' : 'md';
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    return { value: undefined, issues: [unreadable(file, err)] };
  }
  try {
    if (format === 'json') {
      const text = decode(file, readChunk(fd, size, 0));
      if (text.value === undefined) return { value: undefined, issues: text.issues };
      const parsed = parseJsonArticle(file, text.value);
      return parsed.value ? toHead(file, format, parsed.value.fields) : { value: undefined, issues: parsed.issues };
    }
    let bytes = readChunk(fd, Math.min(size, FIRST_CHUNK), 0, scratch);
    for (;;) {
      const complete = bytes.length >= size;
      let end = headEnd(bytes, complete);
      // No front matter: judge the bytes read so far, cut at a line end so no character is split.
      if (end === NO_FENCE) end = complete ? bytes.length : bytes.lastIndexOf(0x0a) + 1 || Math.max(0, bytes.length - 3);
      if (end === -1 && !complete) {
        if (bytes.length >= MAX_HEAD_BYTES) {
          return { value: undefined, issues: [{ rule: 'store-bad-yaml', level: 'error', file, line: 1, message: `the front matter is not closed within ${MAX_HEAD_BYTES / 1024} KB` }] };
        }
        const more = readChunk(fd, Math.min(size, bytes.length * 4) - bytes.length, bytes.length);
        if (more.length === 0) return { value: undefined, issues: [unreadable(file, { code: 'ESHORTREAD' })] };
        bytes = Buffer.concat([bytes, more]);
        continue;
      }
      // Only the head is decoded (and so checked): the body is judged when it is published.
      const text = decode(file, end === -1 ? bytes : bytes.subarray(0, end));
      if (text.value === undefined) return { value: undefined, issues: text.issues };
      const head = parseMarkdownHead(file, text.value, true);
      if (head === 'more') return { value: undefined, issues: [] };
      return head.value ? toHead(file, format, head.value.fields) : { value: undefined, issues: head.issues };
    }
  } catch (err) {
    return { value: undefined, issues: [unreadable(file, err)] };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one whole article: checks the bytes (size, NUL, UTF-8), parses its fields again (the
 * file may have changed since its head was read) and returns the body to render.
 */
export function readBody(dir: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Result<ArticleBody | undefined> {
  const abs = join(dir, ...file.split('/'));
  let bytes: Buffer;
  try {
    const fd = openSync(abs, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > maxBytes) return { value: undefined, issues: [{ rule: 'store-too-large', level: 'error', file, message: `file is ${size} bytes, over the ${maxBytes}-byte limit for one article` }] };
      bytes = readChunk(fd, size, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return { value: undefined, issues: [unreadable(file, err)] };
  }
  if (bytes.length === 0) return { value: undefined, issues: [{ rule: 'store-empty', level: 'error', file, message: 'empty file' }] };
  const text = decode(file, bytes);
  if (text.value === undefined) return { value: undefined, issues: text.issues };
  const format: Format = /\.json$/i.test(file) ? 'json' : 'md';
  let fields: Fields;
  let body: string;
  let kind: ArticleBody['kind'] = 'markdown';
  if (format === 'json') {
    const parsed = parseJsonArticle(file, text.value);
    if (!parsed.value) return { value: undefined, issues: parsed.issues };
    fields = parsed.value.fields;
    const html = fields.get('content_html')?.value;
    const md = fields.get('content')?.value;
    body = typeof md === 'string' ? md : typeof html === 'string' ? html : '';
    if (typeof md !== 'string' && typeof html === 'string') kind = 'html';
  } else {
    const head = parseMarkdownHead(file, text.value, true);
    if (head === 'more' || !head.value) return { value: undefined, issues: head === 'more' ? [] : head.issues };
    fields = head.value.fields;
    body = text.value.slice(head.value.bodyStart);
  }
  const checked = checkFields(file, format, fields);
  if (!checked.head) return { value: undefined, issues: checked.issues };
  // Warnings were already reported when the head was read.
  return { value: { fields: checked.head.fields, lines: checked.head.lines, kind, text: body }, issues: checked.issues.filter((i) => i.level === 'error') };
}

/**
 * Columns rather than one object per file: 100k entries parse and collect as a few large
 * arrays instead of a million small objects, which is most of a no-change rebuild's time.
 */
type CacheFile = {
  format: string;
  version: string;
  root: string;
  files: string[];
  /** size, mtimeMs, ctimeMs, ino for each file, in order. */
  stats: number[];
  heads: (HeadRow | 0)[];
  /** [file index, issues] for the files that had any. */
  issues: [number, Issue[]][];
};

/** Reads a JSON state file written by `writeState`; undefined when missing, corrupt or from another release. */
export function readState<T extends { format: string; version: string }>(path: string, format: string): T | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as T;
    return data?.format === format && data.version === VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a JSON state file atomically (temp file + rename), so a crash never leaves half a cache. */
export function writeState(path: string, data: { format: string; version: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, path);
}

type LoadedCache = { data: CacheFile; issues: Map<number, Issue[]> };

function loadCache(path: string | undefined, root: string): LoadedCache | undefined {
  if (!path) return undefined;
  const data = readState<CacheFile>(path, CACHE_FORMAT);
  // Another format, release or store, or columns that do not line up: start afresh rather than trust it.
  if (!data || data.root !== root || !Array.isArray(data.files) || !Array.isArray(data.stats) || !Array.isArray(data.heads) || !Array.isArray(data.issues)) return undefined;
  if (data.stats.length !== data.files.length * 4 || data.heads.length !== data.files.length) return undefined;
  return { data, issues: new Map(data.issues) };
}

/**
 * Reads the heads of every article in the store. Broken files become issues and the rest
 * go on; the result is in path order, so everything downstream is deterministic.
 */
export async function readStore(dir: string, opts: ReadOptions = {}): Promise<StoreRead> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const scanStart = Date.now();
  const walked = walkStore(dir);
  const issues = [...walked.issues];
  const stats: StoreStats = { files: walked.files.length, cached: 0, read: 0 };
  const files: string[] = [];
  const rows: HeadRow[] = [];
  const columns: HeadColumns = { files, rows };
  const heads = (): ArticleHead[] => files.map((file, i) => headOf(file, rows[i]!));
  if (!walked.realRoot) return { columns, get heads() { return heads(); }, issues, stats, stampAt: () => undefined };
  const root = walked.realRoot;
  const prefix = root.endsWith(sep) ? root : root + sep;
  // A rebuild of a large store has a worker stat it while the cache loads.
  const early = opts.cacheFile && walked.files.length >= (opts.parallelStatFiles ?? PARALLEL_STAT_FILES) && existsSync(opts.cacheFile) ? startStats(prefix, walked.files) : undefined;
  const cache = loadCache(opts.cacheFile, root);
  const next: CacheFile = { format: CACHE_FORMAT, version: VERSION, root, files: [], stats: [], heads: [], issues: [] };
  // Where each row's identity sits in `next.stats`, or -1 when the file was too fresh to cache.
  const stampIndex: number[] = [];
  let changed = 0;
  // Both lists are in walk order, so a cursor finds nearly every file; a map is built only if the store moved around.
  let cursor = 0;
  let index: Map<string, number> | undefined;
  const cachedAt = (rel: string): number | undefined => {
    if (!cache) return undefined;
    const cf = cache.data.files;
    if (cf[cursor] === rel) return cursor++;
    if (!index) {
      index = new Map();
      for (let i = 0; i < cf.length; i++) index.set(cf[i]!, i);
    }
    const i = index.get(rel);
    if (i !== undefined) cursor = i + 1;
    return i;
  };
  const cs = cache?.data.stats;
  const toAbs = (rel: string): string => prefix + (sep === '/' ? rel : rel.split('/').join(sep));
  const visit = (rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, pre?: ReadRow): void => {
    const i = cachedAt(rel);
    let row: HeadRow | 0;
    let fileIssues: Issue[] | undefined;
    const hit = i !== undefined && cs![i * 4] === size && cs![i * 4 + 1] === mtimeMs && cs![i * 4 + 2] === ctimeMs && cs![i * 4 + 3] === ino;
    if (hit) {
      row = cache!.data.heads[i]!;
      fileIssues = cache!.issues.get(i);
      stats.cached++;
    } else {
      const result = pre ?? toRow(readHead(rel, toAbs(rel), size, maxBytes));
      row = result.row;
      if (result.issues.length) fileIssues = result.issues;
      stats.read++;
    }
    if (fileIssues) issues.push(...fileIssues);
    let stamp = -1;
    if (mtimeMs < scanStart - RACY_MS) {
      const n = next.files.push(rel) - 1;
      stamp = next.stats.push(size, mtimeMs, ctimeMs, ino) - 4;
      next.heads.push(row);
      if (fileIssues) next.issues.push([n, fileIssues]);
      if (!hit) changed++;
    }
    if (row) {
      files.push(rel);
      rows.push(row);
      stampIndex.push(stamp);
    }
  };
  const statHere = (rel: string): void => {
    let st;
    try {
      st = statSync(toAbs(rel));
    } catch (err) {
      issues.push(unreadable(rel, err));
      return;
    }
    visit(rel, st.size, st.mtimeMs, st.ctimeMs, st.ino);
  };
  // Without a cache every head is read: a large store is read by several threads, then visited in path order as usual.
  if (!cache) early?.cancel();
  const cold = !cache && walked.files.length >= (opts.parallelHeadFiles ?? PARALLEL_HEAD_FILES) ? await readHeadsInParallel(prefix, walked.files, maxBytes, (rel, abs, size) => toRow(readHead(rel, abs, size, maxBytes))) : undefined;
  const read = cold ?? (cache && early ? await early.finish() : undefined);
  if (read) {
    await sliced(walked.files, (rel, k) => {
      const st = read.stats;
      if (Number.isNaN(st[k * 4])) issues.push(unreadable(rel, { code: read.errors.get(k) }));
      else visit(rel, st[k * 4]!, st[k * 4 + 1]!, st[k * 4 + 2]!, st[k * 4 + 3]!, cold?.head(k));
    });
  } else {
    await sliced(walked.files, statHere);
  }
  // Rewritten only when what it would hold differs (a deleted file disappears from it too).
  if (opts.cacheFile && (changed > 0 || next.files.length !== (cache?.data.files.length ?? 0))) {
    try {
      writeState(opts.cacheFile, next);
    } catch (err) {
      issues.push({ rule: 'store-cache-unwritable', level: 'warning', file: opts.cacheFile, message: `cannot write the cache (${(err as NodeJS.ErrnoException).code ?? 'error'}): the next build reads every file again` });
    }
  }
  const stampAt = (row: number): string | undefined => {
    const at = stampIndex[row];
    return at === undefined || at < 0 ? undefined : next.stats.slice(at, at + 4).join(':');
  };
  return { columns, get heads() { return heads(); }, issues, stats, stampAt };
}
