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
});
