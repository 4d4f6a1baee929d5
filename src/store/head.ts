/**
 * The head of one article: only the front matter of a Markdown file is read (the first
 * 16 KB, more only when the head is longer), a JSON article whole. The body is judged when
 * the article is about to be published (store/body.ts).
 */
import { closeSync, openSync } from 'node:fs';
import type { Result } from '../issue.js';
import type { ArticleHead, SourceFormat } from '../model/records.js';
import { decode } from './decode.js';
import { parseJsonArticle, parseMarkdownHead } from './fields.js';
import { DEFAULT_MAX_BYTES, readChunk, tooLarge, unreadable } from './files.js';
import type { Fields } from './frontmatter.js';
import { checkFields } from './schema.js';

/** Front matter longer than this is not front matter any more. */
export const MAX_HEAD_BYTES = 256 * 1024;
const FIRST_CHUNK = 16 * 1024;
const NO_FENCE = -2;
const FENCE_CLOSERS = new Set([0x0a, 0x0d, 0x20, 0x09]);

/** Reused for every first read: heads are parsed before the next file is opened. */
const scratch = Buffer.allocUnsafe(FIRST_CHUNK);

function toHead(file: string, format: SourceFormat, fields: Fields): Result<ArticleHead | undefined> {
  const checked = checkFields(file, format, fields);
  if (!checked.head) return { value: undefined, issues: checked.issues };
  const f = checked.head.fields;
  const head: ArticleHead = { file, format, draft: f.draft === true, tags: f.tags ?? [], authors: (f.authors ?? f.author ?? []).map((p) => p.name), lines: {} };
  if (f.lang !== undefined) head.lang = f.lang;
  if (f.retracted?.retracted) {
    head.retraction = { ...(f.retracted.date !== undefined ? { date: f.retracted.date } : {}), ...(f.retracted.notice !== undefined ? { notice: f.retracted.notice } : {}) };
    if (checked.head.lines.retracted !== undefined) head.lines.retracted = checked.head.lines.retracted;
  }
  for (const key of ['title', 'url', 'summary'] as const) if (f[key] !== undefined) head[key] = f[key];
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

/** A closing fence line anywhere in `text` (a Markdown file read whole, as latin1). */
const CLOSING_FENCE = /\n(?:---|\.\.\.)[ \t\r]*(?:\n|$)/;

/** Reads the head of one article file (`size` from its stat). */
export function readHead(file: string, abs: string, size: number, maxBytes = DEFAULT_MAX_BYTES): Result<ArticleHead | undefined> {
  if (size === 0) return { value: undefined, issues: [{ rule: 'store-empty', level: 'error', file, message: 'empty file' }] };
  if (size > maxBytes) return { value: undefined, issues: [tooLarge(file, size, maxBytes)] };
  const format: SourceFormat = /\.json$/i.test(file) ? 'json' : 'md';
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
      if (!parsed.value) return { value: undefined, issues: parsed.issues };
      const head = toHead(file, format, parsed.value.fields);
      return parsed.issues.length > 0 ? { ...head, issues: [...parsed.issues, ...head.issues] } : head;
    }
    let bytes = readChunk(fd, Math.min(size, FIRST_CHUNK), 0, scratch);
    for (;;) {
      const complete = bytes.length >= size;
      let end = headEnd(bytes, complete);
      // No front matter: judge the bytes read so far, cut at a line end so no character is split.
      if (end === NO_FENCE) end = complete ? bytes.length : bytes.lastIndexOf(0x0a) + 1 || Math.max(0, bytes.length - 3);
      if (end === -1 && !complete) {
        if (bytes.length >= MAX_HEAD_BYTES) {
          // Too long and unclosed are two mistakes with two fixes: look for a later closing fence to tell which.
          const closesLater = CLOSING_FENCE.test(readChunk(fd, size, 0).toString('latin1'));
          return {
            value: undefined,
            issues: [closesLater
              ? { rule: 'store-head-too-large', level: 'error', file, line: 1, message: `the front matter is longer than ${MAX_HEAD_BYTES / 1024} KB: move long text into the body` }
              : { rule: 'store-bad-yaml', level: 'error', file, line: 1, message: 'the front matter is never closed by a "---" line' }],
          };
        }
        const more = readChunk(fd, Math.min(size, bytes.length * 4) - bytes.length, bytes.length);
        if (more.length === 0) return { value: undefined, issues: [unreadable(file, { code: 'ESHORTREAD' })] };
        bytes = Buffer.concat([bytes, more]);
        continue;
      }
      // Only the head is decoded (and so checked): the body is judged when it is published.
      const text = decode(file, end === -1 ? bytes : bytes.subarray(0, end));
      if (text.value === undefined) return { value: undefined, issues: text.issues };
      const head = parseMarkdownHead(file, text.value);
      if (!head.value) return { value: undefined, issues: head.issues };
      const checked = toHead(file, format, head.value.fields);
      // The head's own warnings (a value a comment cut short) come first, in line order with the fields'.
      return head.issues.length ? { ...checked, issues: [...head.issues, ...checked.issues] } : checked;
    }
  } catch (err) {
    return { value: undefined, issues: [unreadable(file, err)] };
  } finally {
    closeSync(fd);
  }
}
