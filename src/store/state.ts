/**
 * The build's own state files under out/.kiosque (the head and body caches): JSON, written
 * atomically, trusted only when written by this release in the expected format.
 */
import { closeSync, mkdirSync, openSync, readSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VERSION } from '../version.js';

/** Reads a JSON state file written by `writeState`; undefined when missing, corrupt or from another release. */
export function readState<T extends { format: string; version: string }>(path: string, format: string): T | undefined {
  try {
    const data = readJson(path) as T;
    return data?.format === format && data.version === VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

const SPACE = new Set([0x20, 0x0a, 0x0d, 0x09]);
/** Bytes read at a time. */
const READ_CHUNK = 1 << 20;
/**
 * Text handled at a time (characters written, bytes read). Strings and buffers below V8's
 * large-object size (128 KB) are made and dropped in the young generation; larger ones are
 * each mapped apart and stay until a full collection: slices of ~1 MB were ~25 MB of a
 * rebuild's peak.
 */
const TEXT_BATCH = 32 * 1024;

/**
 * `JSON.parse` of a file whose top level is an object, without the file as one string: each
 * top-level value is parsed on its own, a top-level array or object ~32 KB of its elements or
 * entries at a time. The head cache of 100k articles is 36 MB of JSON: read as one string (two
 * bytes a character once a curly quote is in it) and parsed, it was the highest point of a
 * rebuild's memory. Throws on anything `JSON.parse` of the whole file would refuse.
 */
export function readJson(path: string, chunkBytes = READ_CHUNK): unknown {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    /** Next byte to read; bytes before `mark` are no longer needed. */
    let pos = 0;
    let mark = 0;
    let eof = false;
    const fail = (): never => {
      throw new SyntaxError(`${path} is not well-formed JSON near byte ${pos}`);
    };
    const fill = (): boolean => {
      if (eof) return false;
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) {
        eof = true;
        return false;
      }
      buf = Buffer.concat([buf.subarray(mark), chunk.subarray(0, n)]);
      pos -= mark;
      mark = 0;
      return true;
    };
    const peek = (): number => (pos < buf.length || fill() ? buf[pos]! : -1);
    const skipSpace = (): number => {
      for (let c = peek(); ; c = peek()) {
        if (!SPACE.has(c)) return c;
        pos++;
      }
    };
    /** Moves `pos` to the `,`, `]` or `}` that ends the value starting at `pos` (strings and nesting skipped). */
    const scanValue = (): void => {
      let depth = 0;
      let inString = false;
      let escaped = false;
      for (;;) {
        if (pos >= buf.length && !fill()) fail();
        for (const end = buf.length; pos < end; pos++) {
          const c = buf[pos]!;
          if (inString) {
            if (escaped) escaped = false;
            else if (c === 0x5c) escaped = true;
            else if (c === 0x22) inString = false;
          } else if (c === 0x22) inString = true;
          else if (c === 0x7b || c === 0x5b) depth++;
          else if (c === 0x7d || c === 0x5d) {
            if (depth === 0) return;
            depth--;
          } else if (c === 0x2c && depth === 0) return;
        }
      }
    };
    /** Moves `pos` past the string that starts at `pos`. */
    const scanString = (): void => {
      let escaped = false;
      pos++;
      for (;;) {
        if (pos >= buf.length && !fill()) fail();
        for (const end = buf.length; pos < end; pos++) {
          const c = buf[pos]!;
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) {
            pos++;
            return;
          }
        }
      }
    };
    const text = (from: number, to: number): string => buf.toString('utf8', from, to);
    // As JSON.parse does: an own property, even for "__proto__", and the last of duplicate keys.
    const define = (target: Record<string, unknown>, key: string, value: unknown): void => {
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    };
    const out: Record<string, unknown> = {};
    if (skipSpace() !== 0x7b) fail();
    pos++;
    let next = skipSpace();
    if (next === 0x7d) pos++;
    while (next !== 0x7d) {
      if (skipSpace() !== 0x22) fail();
      mark = pos;
      scanString();
      const key = JSON.parse(text(mark, pos)) as string;
      let value: unknown;
      if (skipSpace() !== 0x3a) fail();
      pos++;
      const open = skipSpace();
      if (open === 0x5b || open === 0x7b) {
        // An array or an object: its elements or entries parsed ~TEXT_BATCH at a time.
        const close = open + 2; // `]` and `}` follow `[` and `{` by two code points
        const items: unknown[] = [];
        const record: Record<string, unknown> = {};
        pos++;
        if (skipSpace() === close) pos++;
        else {
          mark = pos;
          for (;;) {
            const start = skipSpace();
            if (start === 0x2c || start === close) fail();
            scanValue();
            const end = buf[pos]!;
            if (end !== 0x2c && end !== close) fail();
            if (end === close || pos - mark >= TEXT_BATCH) {
              const piece = text(mark, pos);
              if (open === 0x5b) for (const item of JSON.parse(`[${piece}]`) as unknown[]) items.push(item);
              else for (const [k, v] of Object.entries(JSON.parse(`{${piece}}`) as Record<string, unknown>)) define(record, k, v);
              pos++;
              if (end === close) break;
              mark = pos;
            } else pos++;
          }
        }
        value = open === 0x5b ? items : record;
      } else {
        mark = pos;
        scanValue();
        if (buf[pos] === 0x5d) fail();
        value = JSON.parse(text(mark, pos));
      }
      define(out, key, value);
      next = skipSpace();
      if (next === 0x2c) pos++;
      else if (next === 0x7d) pos++;
      else fail();
      if (next === 0x2c && skipSpace() === 0x7d) fail();
    }
    if (skipSpace() !== -1) fail();
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Array elements, and object entries, serialised per slice (a head row is ~350 B; a page cache entry ~10 KB). */
const ELEMENTS_PER_SLICE = 64;
const ENTRIES_PER_SLICE = 2;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);

/**
 * Writes `data` as `JSON.stringify(data)` would, byte for byte, but its top-level arrays and
 * objects a slice at a time: the head cache of 100k articles is ~36 MB of JSON, which as one
 * string (two bytes a character once a curly quote is in it) plus its UTF-8 copy cost ~100 MB
 * at once.
 */
function writeJson(fd: number, data: object): void {
  const out = Buffer.allocUnsafe(3 * TEXT_BATCH);
  let pending: string[] = [];
  let length = 0;
  const flush = (): void => {
    const text = pending.join('');
    pending = [];
    length = 0;
    // A UTF-16 unit is at most 3 bytes of UTF-8: what fits is encoded into the one buffer, a longer slice on its own.
    const bytes = text.length <= TEXT_BATCH ? out.subarray(0, out.write(text)) : Buffer.from(text, 'utf8');
    // writeSync may write less than asked (a full disk): the rest is written, or the error thrown, by the next call.
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  };
  const put = (text: string): void => {
    if (length + text.length > TEXT_BATCH && length > 0) flush();
    pending.push(text);
    length += text.length;
  };
  let first = true;
  put('{');
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    put(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (isRecord(value)) {
      // An object (the page cache: 1,000 pages at 100k articles, ~10 MB), a few entries at a time.
      const keys = Object.keys(value);
      let written = false;
      put('{');
      for (let at = 0; at < keys.length; at += ENTRIES_PER_SLICE) {
        const slice = JSON.stringify(Object.fromEntries(keys.slice(at, at + ENTRIES_PER_SLICE).map((k) => [k, value[k]]))).slice(1, -1);
        if (slice === '') continue;
        put(`${written ? ',' : ''}${slice}`);
        written = true;
      }
      put('}');
      continue;
    }
    if (!Array.isArray(value)) {
      put(JSON.stringify(value));
      continue;
    }
    put('[');
    for (let at = 0; at < value.length; at += ELEMENTS_PER_SLICE) {
      const slice = JSON.stringify(value.slice(at, at + ELEMENTS_PER_SLICE));
      put(`${at === 0 ? '' : ','}${slice.slice(1, -1)}`);
    }
    put(']');
  }
  put('}');
  flush();
}

/** Writes a JSON state file atomically (temp file + rename), so a crash never leaves half a cache. */
export function writeState(path: string, data: { format: string; version: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeJson(fd, data);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Removes the temp files of `path` that a killed writer left (`<name>.<pid>.tmp`); each can be
 * as large as the cache. Call while holding the build lock, so no live writer owns one.
 */
export function sweepStateTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+\.tmp$/.test(name.slice(prefix.length))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Gone already, or not ours to remove: the next sweep tries again.
    }
  }
}
