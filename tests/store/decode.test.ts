import { describe, expect, it } from 'vitest';
import { decode, lineAt } from '../../src/store/decode.js';

describe('decode', () => {
  it.each([
    ['LF', 'a\nb\nc'],
    ['CRLF', 'a\r\nb\r\nc'],
    ['CR only (old Mac files)', 'a\rb\rc'],
  ])('counts lines ended by %s alike', (_name, text) => {
    expect(lineAt(text, text.indexOf('c'))).toBe(3);
    expect(lineAt(text, Infinity)).toBe(3);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('points a non-UTF-8 byte at its line whatever the line ends (%s)', (_name, eol) => {
    const bytes = Buffer.concat([Buffer.from(`---${eol}title: t${eol}`), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(eol)]);
    expect(decode('latin1.md', bytes).issues).toMatchObject([{ rule: 'store-not-utf8', line: 3 }]);
  });

  it.each([
    ['UTF-16LE with its byte order mark (Notepad\'s "Unicode")', Buffer.from('\ufeff---\r\ntitle: Notepad\r\n', 'utf16le')],
    ['UTF-16LE without one', Buffer.from('---\ntitle: t\n', 'utf16le')],
    ['UTF-16BE', Buffer.from('\ufeff---\n', 'utf16le').swap16()],
  ])('names a text saved as %s, rather than calling it binary', (_name, bytes) => {
    expect(decode('notepad.md', bytes).issues).toEqual([{ rule: 'store-not-utf8', level: 'error', file: 'notepad.md', line: 1, message: expect.stringContaining('saved as UTF-16') }]);
  });

  it('still calls a file with NUL bytes that is no UTF-16 text binary', () => {
    expect(decode('photo.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])).issues).toMatchObject([{ rule: 'store-binary' }]);
  });
});
