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
/** Bytes read, and array elements parsed, at a time. */
const READ_CHUNK = 1 << 20;

/**
 * `JSON.parse` of a file whose top level is an object, without the file as one string: each
 * top-level value is parsed on its own, and a top-level array ~1 MB of elements at a time. The
 * head cache of 100k articles is 36 MB of JSON: read as one string (two bytes a character once
 * a curly quote is in it) and parsed, it was the highest point of a rebuild's memory. Throws on
 * anything `JSON.parse` of the whole file would refuse.
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
      if (skipSpace() === 0x5b) {
        pos++;
        const items: unknown[] = [];
        if (skipSpace() === 0x5d) pos++;
        else {
          mark = pos;
          for (;;) {
            const start = skipSpace();
            if (start === 0x2c || start === 0x5d) fail();
            scanValue();
            const end = buf[pos]!;
            if (end === 0x7d) fail();
            if (end === 0x5d || pos - mark >= chunkBytes) {
              for (const item of JSON.parse(`[${text(mark, pos)}]`) as unknown[]) items.push(item);
              pos++;
              if (end === 0x5d) break;
              mark = pos;
            } else pos++;
          }
        }
        value = items;
      } else {
        mark = pos;
        scanValue();
        if (buf[pos] === 0x5d) fail();
        value = JSON.parse(text(mark, pos));
      }
      // As JSON.parse does: an own property, even for "__proto__", and the last of duplicate keys.
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
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

/** Array elements serialised per write: a few hundred KB of text at a time. */
const ELEMENTS_PER_WRITE = 1000;

/** Object entries serialised per write: a page cache entry holds a page's ids, ~10 KB. */
const ENTRIES_PER_WRITE = 100;

const isLargeRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value) && Object.keys(value).length > ENTRIES_PER_WRITE;

/**
 * Writes `data` as `JSON.stringify(data)` would, byte for byte, but its top-level arrays and
 * large objects a slice at a time: the head cache of 100k articles is ~36 MB of JSON, which as
 * one string (two bytes a character once a curly quote is in it) plus its UTF-8 copy cost
 * ~100 MB at once.
 */
function writeJson(fd: number, data: object): void {
  // writeSync may write less than asked (a full disk): the rest is written, or the error thrown, by the next call.
  const put = (text: string): void => {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
  };
  let first = true;
  put('{');
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    put(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (isLargeRecord(value)) {
      // An object of many entries (the page cache: 1,000 pages at 100k articles, ~10 MB), a slice of them at a time.
      const keys = Object.keys(value);
      let written = false;
      put('{');
      for (let at = 0; at < keys.length; at += ENTRIES_PER_WRITE) {
        const slice = JSON.stringify(Object.fromEntries(keys.slice(at, at + ENTRIES_PER_WRITE).map((k) => [k, value[k]]))).slice(1, -1);
        if (slice === '') continue;
        put(`${written ? ',' : ''}${slice}`);
        written = true;
      }
      put('}');
      continue;
    }
    if (!Array.isArray(value) || value.length <= ELEMENTS_PER_WRITE) {
      put(JSON.stringify(value));
      continue;
    }
    put('[');
    for (let at = 0; at < value.length; at += ELEMENTS_PER_WRITE) {
      const slice = JSON.stringify(value.slice(at, at + ELEMENTS_PER_WRITE));
      put(`${at === 0 ? '' : ','}${slice.slice(1, -1)}`);
    }
    put(']');
  }
  put('}');
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
