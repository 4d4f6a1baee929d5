/**
 * Bytes to `JsonDoc`: detect the encoding (RFC 8259 §8.1, with the RFC 4627 §3 null-byte
 * pattern for BOM-less UTF-16/32), decode, then parse with an iterative RFC 8259 parser that
 * keeps offsets, records duplicate member names and unpaired surrogates, and stops at a depth
 * limit instead of overflowing the stack. Never throws on input.
 */
import { LineIndex } from '../../values/lines.js';
import type { Encoding, JsonArray, JsonDoc, JsonMember, JsonNode, JsonObject, Located } from './doc.js';
import { childPointer } from './doc.js';

/** Deeper documents are refused: readers' recursive parsers overflow long before 100,000 levels. */
export const MAX_DEPTH = 1000;
/**
 * Values (scalars, arrays, objects) parsed before giving up: each costs some 60 bytes of heap, and
 * a realistic 50 MB feed of 100,000 items holds about 2.6 million.
 */
export const MAX_VALUES = 4_000_000;
/** Duplicates and lone surrogates kept with their location; the rest are only counted. */
export const MAX_RECORDED = 1000;

export function readJsonDoc(bytes: Uint8Array): JsonDoc {
  const decoded = decodeJsonBytes(bytes);
  const position = lineIndex(decoded.text);
  const parsed = parseJson(decoded.text);
  const doc: JsonDoc = {
    text: decoded.text,
    byteLength: bytes.byteLength,
    encoding: decoded.encoding,
    bom: decoded.bom,
    duplicates: parsed.duplicates,
    duplicateCount: parsed.duplicateCount,
    loneSurrogates: parsed.loneSurrogates,
    loneSurrogateCount: parsed.loneSurrogateCount,
    position,
  };
  if (decoded.badByteOffset !== undefined) doc.badEncoding = { byteOffset: decoded.badByteOffset, ...bytePosition(bytes, decoded) };
  if (parsed.tooLarge) doc.tooLarge = parsed.tooLarge;
  else if (parsed.error) doc.syntaxError = parsed.error;
  else if (parsed.root) doc.root = parsed.root;
  return doc;
}

/**
 * The first syntax error of a JSON text (an article, the configuration), in the words of this
 * parser and at its line and column: V8's own message gives "at position 45" at best, and for an
 * unexpected token no place at all, only the text around it (raw line ends included).
 */
export function jsonSyntaxError(text: string): { message: string; line: number; column: number } | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const error = parseJson(text.slice(bom)).error;
  return error ? { message: error.message, ...new LineIndex(text).at(error.offset + bom) } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Encoding

export type Decoded = { text: string; encoding: Encoding; bom: boolean; bomLength: number; badByteOffset?: number };

export function detectEncoding(bytes: Uint8Array): { encoding: Encoding; bomLength: number } {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bomLength: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  // JSON text starts with an ASCII character, so the zero bytes around it give the width away.
  if (bytes.length >= 4) {
    if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return { encoding: 'utf-32be', bomLength: 0 };
    if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bomLength: 0 };
  }
  if (bytes.length >= 2) {
    if (b0 === 0 && b1 !== 0) return { encoding: 'utf-16be', bomLength: 0 };
    if (b0 !== 0 && b1 === 0) return { encoding: 'utf-16le', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

export function decodeJsonBytes(bytes: Uint8Array): Decoded {
  const { encoding, bomLength } = detectEncoding(bytes);
  const body = bytes.subarray(bomLength);
  const base = { encoding, bom: bomLength > 0, bomLength };
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    try {
      return { ...base, text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body) };
    } catch {
      const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
      const bad = encoding === 'utf-8' ? firstBadUtf8(body) : firstBadUtf16(body, true);
      return { ...base, text, badByteOffset: bomLength + bad };
    }
  }
  if (encoding === 'utf-16be') {
    // Swap to little-endian rather than rely on the optional ICU `utf-16be` decoder.
    const even = body.length - (body.length % 2);
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i < even; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    if (even < body.length) swapped[even] = body[even]!;
    const inner = decodeUtf16le(swapped);
    return inner.bad === undefined ? { ...base, text: inner.text } : { ...base, text: inner.text, badByteOffset: bomLength + inner.bad };
  }
  const inner = decodeUtf32(body, encoding === 'utf-32le');
  return inner.bad === undefined ? { ...base, text: inner.text } : { ...base, text: inner.text, badByteOffset: bomLength + inner.bad };
}

function decodeUtf16le(bytes: Uint8Array): { text: string; bad?: number } {
  try {
    return { text: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes), bad: firstBadUtf16(bytes, true) };
  }
}

function decodeUtf32(bytes: Uint8Array, little: boolean): { text: string; bad?: number } {
  const parts: string[] = [];
  let chunk: number[] = [];
  let bad: number | undefined;
  for (let i = 0; i < bytes.length; i += 4) {
    let cp: number;
    if (i + 4 > bytes.length) cp = -1;
    else if (little) cp = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    else cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      bad ??= i;
      cp = 0xfffd;
    }
    chunk.push(cp);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return bad === undefined ? { text: parts.join('') } : { text: parts.join(''), bad };
}

/** Byte offset of the first ill-formed UTF-8 sequence (Unicode Table 3-7). */
export function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return b.length;
}

function firstBadUtf16(b: Uint8Array, little: boolean): number {
  const unit = (i: number): number => (little ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
  let i = 0;
  for (; i + 1 < b.length; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) return i;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= b.length) return i;
      const v = unit(i + 2);
      if (v < 0xdc00 || v > 0xdfff) return i;
      i += 2;
    }
  }
  return i;
}

/** Line and column of a byte offset: lines by LF bytes, the column in decoded characters. */
function bytePosition(bytes: Uint8Array, decoded: Decoded): { line: number; column: number } {
  const target = decoded.badByteOffset ?? 0;
  const width = decoded.encoding === 'utf-8' ? 1 : decoded.encoding.startsWith('utf-16') ? 2 : 4;
  const lf = (i: number): boolean => {
    if (width === 1) return bytes[i] === 0x0a;
    const le = decoded.encoding.endsWith('le');
    for (let k = 0; k < width; k++) if (bytes[i + k] !== (k === (le ? 0 : width - 1) ? 0x0a : 0)) return false;
    return true;
  };
  let line = 1;
  let lineStart = decoded.bomLength;
  for (let i = decoded.bomLength; i + width <= target; i += width) {
    if (lf(i)) {
      line++;
      lineStart = i + width;
    }
  }
  const prefix = bytes.subarray(lineStart, target);
  const label = decoded.encoding === 'utf-16be' || decoded.encoding.startsWith('utf-32') ? undefined : decoded.encoding;
  const chars = label ? new TextDecoder(label, { ignoreBOM: true }).decode(prefix).length : Math.floor(prefix.length / width);
  return { line, column: chars + 1 };
}

// ---------------------------------------------------------------------------------------------
// Positions

/** 1-based line and column of an offset in `text` (LF, CRLF and CR line ends). */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const index = new LineIndex(text);
  return (offset) => index.at(offset);
}

// ---------------------------------------------------------------------------------------------
// Parser

export type ParseResult = {
  root?: JsonNode;
  error?: { message: string } & Located;
  /** The value budget ran out (the error then says so too). */
  tooLarge?: { message: string } & Located;
  duplicates: ({ key: string; firstOffset: number } & Located)[];
  duplicateCount: number;
  loneSurrogates: Located[];
  loneSurrogateCount: number;
};

type Frame =
  | { node: JsonArray }
  | { node: JsonObject; key: string; keyOffset: number; seen: Map<string, number> };

class SyntaxFault {
  constructor(
    readonly message: string,
    readonly offset: number,
    readonly limit = false,
  ) {}
}

const enum State {
  Value,
  Key,
  After,
  End,
}

/** RFC 8259 parser over decoded text. Iterative: nesting costs heap frames, never call stack. */
export function parseJson(text: string, maxDepth = MAX_DEPTH, maxValues = MAX_VALUES): ParseResult {
  const result: ParseResult = { duplicates: [], duplicateCount: 0, loneSurrogates: [], loneSurrogateCount: 0 };
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  let state = State.Value as State;
  let values = 0;
  // Member names repeat in every item: share one string per name instead of one per occurrence.
  const names = new Map<string, string>();

  // Pointer to the value currently being read; only built when something is reported.
  const pointerHere = (extraKey?: string): string => {
    let p = '';
    for (const f of stack) p = childPointer(p, 'seen' in f ? f.key : f.node.elements.length);
    return extraKey === undefined ? p : childPointer(p, extraKey);
  };

  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  const lone = (inKey: boolean, at: number): void => {
    result.loneSurrogateCount++;
    if (result.loneSurrogates.length < MAX_RECORDED) {
      // A lone surrogate in a key would make the pointer itself unprintable: point at the object.
      result.loneSurrogates.push({ pointer: inKey ? pointerHere().replace(/\/[^/]*$/, '') : pointerHere(), offset: at });
    }
  };

  const readString = (inKey: boolean): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let runStart = i;
    let surrogateReported = false;
    const reportLone = (): void => {
      if (!surrogateReported) lone(inKey, start);
      surrogateReported = true;
    };
    for (;;) {
      if (i >= n) throw new SyntaxFault('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(runStart, i);
        i++;
        return out;
      }
      if (c < 0x20) throw new SyntaxFault(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} must be escaped inside a string`, i);
      if (c >= 0xd800 && c <= 0xdfff) {
        // Raw surrogates only reach here when the caller passed a JS string, not decoded bytes.
        const next = text.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 2;
        else {
          reportLone();
          i++;
        }
        continue;
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(runStart, i);
      const esc = text.charCodeAt(i + 1);
      switch (esc) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const unit = hex4(text, i + 2);
          if (unit < 0) throw new SyntaxFault('\\u must be followed by four hex digits', i);
          if (unit >= 0xd800 && unit <= 0xdbff && text.charCodeAt(i + 6) === 0x5c && text.charCodeAt(i + 7) === 0x75) {
            const low = hex4(text, i + 8);
            if (low >= 0xdc00 && low <= 0xdfff) {
              out += String.fromCharCode(unit, low);
              i += 12;
              runStart = i;
              continue;
            }
          }
          if (unit >= 0xd800 && unit <= 0xdfff) reportLone();
          out += String.fromCharCode(unit);
          i += 6;
          runStart = i;
          continue;
        }
        default:
          if (Number.isNaN(esc)) throw new SyntaxFault('unterminated string', start);
          throw new SyntaxFault(`invalid escape \\${String.fromCharCode(esc)} in string`, i);
      }
      i += 2;
      runStart = i;
    }
  };

  const readNumber = (): JsonNode => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    const d0 = text.charCodeAt(i);
    if (d0 === 0x30) {
      i++;
      if (isDigit(text.charCodeAt(i))) throw new SyntaxFault('numbers must not have leading zeros', start);
    } else if (d0 >= 0x31 && d0 <= 0x39) {
      while (isDigit(text.charCodeAt(i))) i++;
    } else if (text.startsWith('Infinity', i)) {
      throw new SyntaxFault('-Infinity is not a JSON value', start);
    } else throw new SyntaxFault('a minus sign must be followed by digits', start);
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(text.charCodeAt(i))) throw new SyntaxFault('a decimal point must be followed by digits', i);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(text.charCodeAt(i))) throw new SyntaxFault('an exponent must have digits', i);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const raw = text.slice(start, i);
    const value = Number(raw);
    return String(value) === raw ? { kind: 'number', offset: start, value } : { kind: 'number', offset: start, value, raw };
  };

  const readLiteral = (): JsonNode => {
    const start = i;
    if (text.startsWith('true', i)) {
      i += 4;
      return { kind: 'boolean', offset: start, value: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { kind: 'boolean', offset: start, value: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { kind: 'null', offset: start };
    }
    throw new SyntaxFault(unexpected(text, i, 'a value'), i);
  };

  const emit = (node: JsonNode): void => {
    if (++values > maxValues) throw new SyntaxFault(`more than ${maxValues} JSON values: kiosque validates documents up to that size`, node.offset, true);
    const top = stack[stack.length - 1];
    if (!top) {
      result.root = node;
      state = State.End;
      return;
    }
    if ('seen' in top) top.node.members.push({ key: top.key, keyOffset: top.keyOffset, value: node } satisfies JsonMember);
    else top.node.elements.push(node);
    state = State.After;
  };

  const push = (frame: Frame, at: number): void => {
    if (stack.length >= maxDepth) throw new SyntaxFault(`nesting deeper than ${maxDepth} levels: kiosque stops here, and most readers fail sooner`, at, true);
    stack.push(frame);
  };

  try {
    for (;;) {
      skipWs();
      if (state === State.End) {
        if (i < n) throw new SyntaxFault(unexpected(text, i, 'the end of the document after the top-level value'), i);
        break;
      }
      if (i >= n) {
        if (stack.length === 0 && state === State.Value) throw new SyntaxFault('the document is empty', i);
        throw new SyntaxFault('unexpected end of document: a value, bracket or brace is missing', i);
      }
      const c = text.charCodeAt(i);
      if (state === State.Value) {
        if (c === 0x7b) {
          const obj: JsonObject = { kind: 'object', offset: i, members: [] };
          push({ node: obj, key: '', keyOffset: i, seen: new Map() }, i);
          i++;
          skipWs();
          if (text.charCodeAt(i) === 0x7d) {
            i++;
            stack.pop();
            emit(obj);
          } else state = State.Key;
        } else if (c === 0x5b) {
          const arr: JsonArray = { kind: 'array', offset: i, elements: [] };
          push({ node: arr }, i);
          i++;
          skipWs();
          if (text.charCodeAt(i) === 0x5d) {
            i++;
            stack.pop();
            emit(arr);
          } else state = State.Value;
        } else if (c === 0x22) {
          const start = i;
          emit({ kind: 'string', offset: start, value: readString(false) });
        } else if (c === 0x2d || isDigit(c)) emit(readNumber());
        else if (c === 0x5d && stack.length > 0 && afterComma(text, i)) throw new SyntaxFault('trailing comma before ]', i);
        else emit(readLiteral());
      } else if (state === State.Key) {
        const top = stack[stack.length - 1] as Extract<Frame, { seen: unknown }>;
        if (c === 0x7d) throw new SyntaxFault('trailing comma before }', i);
        if (c !== 0x22) throw new SyntaxFault(unexpected(text, i, 'a member name in double quotes'), i);
        const keyOffset = i;
        top.key = '';
        top.keyOffset = keyOffset;
        const read = readString(true);
        let key = names.get(read);
        if (key === undefined) {
          key = read;
          if (names.size < 10_000) names.set(key, key);
        }
        top.key = key;
        const first = top.seen.get(key);
        if (first === undefined) top.seen.set(key, keyOffset);
        else {
          result.duplicateCount++;
          if (result.duplicates.length < MAX_RECORDED) result.duplicates.push({ key, pointer: pointerHere(), offset: keyOffset, firstOffset: first });
        }
        skipWs();
        if (text.charCodeAt(i) !== 0x3a) throw new SyntaxFault(unexpected(text, i, `: after the member name ${JSON.stringify(key.slice(0, 40))}`), i);
        i++;
        state = State.Value;
      } else {
        const top = stack[stack.length - 1]!;
        const isObject = 'seen' in top;
        if (c === 0x2c) {
          i++;
          state = isObject ? State.Key : State.Value;
        } else if ((isObject && c === 0x7d) || (!isObject && c === 0x5d)) {
          i++;
          stack.pop();
          emit(top.node);
        } else throw new SyntaxFault(unexpected(text, i, isObject ? ', or } after a member' : ', or ] after an element'), i);
      }
    }
  } catch (err) {
    if (!(err instanceof SyntaxFault)) throw err;
    delete result.root;
    // Between members or elements the container is the clearest place to point at.
    const here = pointerHere();
    const pointer = state === State.Value && !err.message.startsWith('trailing comma') ? here : here.replace(/\/[^/]*$/, '');
    result.error = { message: err.message, offset: err.offset, pointer };
    if (err.limit) result.tooLarge = result.error;
  }
  return result;
}

function afterComma(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && /\s/.test(text[k]!)) k--;
  return text.charCodeAt(k) === 0x2c;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hex4(text: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = text.charCodeAt(at + k);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Name the usual non-JSON habits instead of printing a bare "unexpected character". */
function unexpected(text: string, at: number, wanted: string): string {
  const rest = text.slice(at, at + 12);
  if (rest.startsWith('//') || rest.startsWith('/*')) return 'comments are not allowed in JSON';
  if (rest.startsWith('NaN')) return 'NaN is not a JSON value';
  if (rest.startsWith('Infinity')) return 'Infinity is not a JSON value';
  if (rest.startsWith('undefined')) return 'undefined is not a JSON value';
  if (rest.startsWith("'")) return 'strings and member names must use double quotes';
  if (rest.startsWith('+')) return 'numbers must not start with +';
  if (rest.startsWith('.')) return 'numbers must start with a digit';
  const cp = text.codePointAt(at) ?? 0;
  const shown = cp > 0x20 && cp < 0x7f ? `'${String.fromCodePoint(cp)}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `expected ${wanted}, found ${shown}`;
}
