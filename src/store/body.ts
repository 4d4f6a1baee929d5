/**
 * One whole article, read when it is about to be published: the bytes are checked again
 * (size, NUL, UTF-8) and the fields parsed again, as the file may have changed since its
 * head was read; the body is returned for rendering.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../issue.js';
import type { ArticleBody, SourceFormat } from '../model/records.js';
import { decode } from './decode.js';
import { parseJsonArticle, parseMarkdownHead } from './fields.js';
import { DEFAULT_MAX_BYTES, readChunk, tooLarge, unreadable } from './files.js';
import type { Fields } from './frontmatter.js';
import { checkFields } from './schema.js';

export function readBody(dir: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Result<ArticleBody | undefined> {
  const abs = join(dir, ...file.split('/'));
  let bytes: Buffer;
  try {
    const fd = openSync(abs, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > maxBytes) return { value: undefined, issues: [tooLarge(file, size, maxBytes)] };
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
  const format: SourceFormat = /\.json$/i.test(file) ? 'json' : 'md';
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
    const head = parseMarkdownHead(file, text.value);
    if (!head.value) return { value: undefined, issues: head.issues };
    fields = head.value.fields;
    body = text.value.slice(head.value.bodyStart);
  }
  const checked = checkFields(file, format, fields);
  if (!checked.head) return { value: undefined, issues: checked.issues };
  // Warnings were already reported when the head was read.
  return { value: { fields: checked.head.fields, lines: checked.head.lines, kind, text: body }, issues: checked.issues.filter((i) => i.level === 'error') };
}
