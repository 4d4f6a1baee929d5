import { describe, expect, it } from 'vitest';
import { plainOf, pointerToken } from '../../../src/validate/json/doc.js';
import { decodeJsonBytes, parseJson, readJsonDoc } from '../../../src/validate/json/parse.js';
import { isJsonFeedCandidate } from '../../../src/validate/json/validate.js';

describe('parseJson', () => {
  const valid = [
    '0', '-0.5e+3', '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"', '[]', '{}', ' [1, [2, [3, {}]], {"a": null}] ',
    '{"a": {"b": [true, false, null, 1e2, -1E-2, 123456789012345678901234567890]}, "": "", "é": "x"}',
  ];
  for (const text of valid) {
    it(`reads ${text.slice(0, 40)} as JSON.parse does`, () => {
      const r = parseJson(text);
      expect(r.error).toBeUndefined();
      expect(JSON.stringify(plainOf(r.root!))).toBe(JSON.stringify(JSON.parse(text)));
    });
  }

  const invalid: [string, RegExp, number][] = [
    ['{"a": 1,}', /trailing comma/, 8],
    ['[1 2]', /expected , or \]/, 3],
    ['{"a" 1}', /expected :/, 5],
    ['{a: 1}', /member name in double quotes/, 1],
    ['"\\x"', /invalid escape/, 1],
    ['"\\u12G4"', /four hex digits/, 1],
    ['01', /leading zeros/, 0],
    ['1.', /decimal point/, 2],
    ['-', /minus sign/, 0],
    ['[Infinity]', /Infinity is not a JSON value/, 1],
    ['{} {}', /end of the document/, 3],
    ['"abc', /unterminated string/, 0],
    ['\u00a0{}', /expected a value/, 0],
    ['[1, /* c */ 2]', /comments/, 4],
  ];
  for (const [text, message, offset] of invalid) {
    it(`rejects ${JSON.stringify(text)} at offset ${offset}`, () => {
      const r = parseJson(text);
      expect(r.root).toBeUndefined();
      expect(r.error?.message).toMatch(message);
      expect(r.error?.offset).toBe(offset);
    });
  }

  it('points a syntax error at the value being read, with RFC 6901 escaping', () => {
    expect(parseJson('{"items": [{}, {"a/b~c": tru}]}').error?.pointer).toBe('/items/1/a~1b~0c');
    expect(pointerToken('a/b~c')).toBe('a~1b~0c');
  });

  it('records every duplicate member at its second occurrence', () => {
    const r = parseJson('{"a": 1, "b": {"a": 2, "a": 3}, "a": 4}');
    expect(r.duplicates.map((d) => [d.pointer, d.offset])).toEqual([['/b/a', 23], ['/a', 32]]);
  });
});

describe('readJsonDoc', () => {
  it('gives 1-based line and column for CRLF, LF and CR line ends', () => {
    const doc = readJsonDoc(new TextEncoder().encode('{\r\n "a":\n1,\r "b": x}'));
    expect(doc.syntaxError?.message).toMatch(/expected a value/);
    expect(doc.position(doc.syntaxError!.offset)).toEqual({ line: 4, column: 7 });
  });

  it('decodes UTF-16 and UTF-32 with or without BOM, and flags invalid UTF-8 by byte', () => {
    const text = '{"t": "é😀"}';
    const units = [...text].flatMap((ch) => {
      const cp = ch.codePointAt(0)!;
      return cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp];
    });
    const be = new Uint8Array(units.length * 2);
    units.forEach((u, i) => ((be[2 * i] = u >> 8), (be[2 * i + 1] = u & 0xff)));
    expect(decodeJsonBytes(be)).toMatchObject({ text, encoding: 'utf-16be', bom: false });
    const le = Uint8Array.from(be, (_, i) => be[i ^ 1]!);
    expect(decodeJsonBytes(new Uint8Array([0xff, 0xfe, ...le]))).toMatchObject({ text, encoding: 'utf-16le', bom: true });
    const cps = [...text].map((c) => c.codePointAt(0)!);
    const u32 = new Uint8Array(cps.flatMap((cp) => [0, cp >> 16, (cp >> 8) & 0xff, cp & 0xff]));
    expect(decodeJsonBytes(u32)).toMatchObject({ text, encoding: 'utf-32be' });
    const bad = decodeJsonBytes(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    expect(bad).toMatchObject({ encoding: 'utf-8', badByteOffset: 2 });
  });
});

describe('isJsonFeedCandidate', () => {
  it('recognises JSON after BOMs and whitespace in any encoding, and not XML', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(isJsonFeedCandidate(enc(' \n{"version": 1}'))).toBe(true);
    expect(isJsonFeedCandidate(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x5d]))).toBe(true);
    expect(isJsonFeedCandidate(new Uint8Array([0x20, 0x00, 0x7b, 0x00]))).toBe(true);
    expect(isJsonFeedCandidate(new Uint8Array([0x00, 0x00, 0x00, 0x7b]))).toBe(true);
    expect(isJsonFeedCandidate(enc('<?xml version="1.0"?><rss/>'))).toBe(false);
    expect(isJsonFeedCandidate(new Uint8Array([0x3c, 0x00, 0x3f, 0x00]))).toBe(false);
    expect(isJsonFeedCandidate(new Uint8Array([]))).toBe(false);
  });
});
