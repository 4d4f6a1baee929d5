/**
 * Bytes to text: an article must be UTF-8 text (a BOM is dropped); binaries, invalid UTF-8
 * and empty files are refused with the line where the problem is.
 */
import { isUtf8 } from 'node:buffer';
import type { Result } from '../issue.js';
import { LineIndex } from '../values/lines.js';

/** 1-based line of `index` in `text`; LF, CRLF and a lone CR each end a line. */
export function lineAt(text: string, index: number): number {
  return new LineIndex(text).at(Math.min(index, text.length)).line;
}

/** Line of the first byte that is not valid UTF-8 (for the error message). */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return line;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return line;
    if (!isUtf8(bytes.subarray(i, i + need + 1))) return line;
    i += need + 1;
  }
  return line;
}

/** Text saved as UTF-16 (Windows Notepad's "Unicode"): its byte order mark, or ASCII with every other byte NUL. */
function isUtf16(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  return bytes.length >= 4 && ((a !== 0 && b === 0 && c !== 0 && d === 0) || (a === 0 && b !== 0 && c === 0 && d !== 0));
}

/** Bytes -> text, refusing binaries and invalid UTF-8. */
export function decode(file: string, bytes: Uint8Array): Result<string | undefined> {
  if (isUtf16(bytes)) {
    return { value: undefined, issues: [{ rule: 'store-not-utf8', level: 'error', file, line: 1, message: 'saved as UTF-16 (Windows Notepad\'s "Unicode"), not UTF-8: save the file as UTF-8' }] };
  }
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
