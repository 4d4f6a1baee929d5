/**
 * The JSON document the JSON Feed rules read. `parse.ts` builds it from bytes with its own
 * parser, because `JSON.parse` forgets positions, keeps only the last of duplicate members
 * and turns lone surrogates into text silently: all three are things the rules report.
 */

export type JsonObject = { kind: 'object'; offset: number; members: JsonMember[] };
export type JsonArray = { kind: 'array'; offset: number; elements: JsonNode[] };
export type JsonString = { kind: 'string'; offset: number; value: string };
/** `value` may be `Infinity` for `1e400`; `raw` (as written) is kept only when `String(value)` would differ. */
export type JsonNumber = { kind: 'number'; offset: number; value: number; raw?: string };
export type JsonBoolean = { kind: 'boolean'; offset: number; value: boolean };
export type JsonNull = { kind: 'null'; offset: number };
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

/** Members in document order, duplicates included (a plain array: `__proto__` is just a key here). */
export type JsonMember = { key: string; keyOffset: number; value: JsonNode };

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export type Located = { pointer: string; offset: number };

export type JsonDoc = {
  /** Decoded text, BOM removed. Offsets below are UTF-16 indexes into it. */
  text: string;
  byteLength: number;
  encoding: Encoding;
  bom: boolean;
  /** First byte sequence that is not valid in `encoding` (decoding went on with U+FFFD). */
  badEncoding?: { byteOffset: number; line: number; column: number };
  /** The first syntax error; when set, `root` is absent. */
  syntaxError?: { message: string } & Located;
  /** Set instead of `syntaxError` when the document is valid so far but exceeds `MAX_VALUES`. */
  tooLarge?: { message: string } & Located;
  root?: JsonNode;
  /** Second and later occurrences of a member name, at most `MAX_RECORDED` of them; `duplicateCount` is the total. */
  duplicates: ({ key: string; firstOffset: number } & Located)[];
  duplicateCount: number;
  /** Strings (values or keys) holding an unpaired surrogate, at most `MAX_RECORDED`. */
  loneSurrogates: Located[];
  loneSurrogateCount: number;
  /** 1-based line and column (UTF-16 units) of a text offset. */
  position: (offset: number) => { line: number; column: number };
};

/** RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
export function pointerToken(token: string | number): string {
  if (typeof token === 'number') return String(token);
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

/** A number as written in the document. */
export function numberText(node: JsonNumber): string {
  return node.raw ?? String(node.value);
}

export function childPointer(base: string, token: string | number): string {
  return `${base}/${pointerToken(token)}`;
}

/** A tree as `JSON.parse` makes it: the last of duplicate members wins, and `__proto__` is a member like any other. */
export function plainOf(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const m of node.members) out[m.key] = plainOf(m.value);
      return out;
    }
    case 'array':
      return node.elements.map(plainOf);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** The member a reader would use: the last one with this name, like `JSON.parse`. */
export function member(obj: JsonObject, key: string): JsonMember | undefined {
  for (let i = obj.members.length - 1; i >= 0; i--) {
    const m = obj.members[i]!;
    if (m.key === key) return m;
  }
  return undefined;
}

export function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

/** How a value's type reads in messages: `number 42`, `null`, `array`. */
export function describe(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${cut(numberText(node), 24)}`;
    case 'boolean':
      return `the boolean ${node.value}`;
    case 'null':
      return 'null';
  }
}

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Quote a value for a message, cut to a readable length. */
export function quote(value: string, max = 60): string {
  return JSON.stringify(cut(value, max));
}
