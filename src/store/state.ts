/**
 * The build's own state files under out/.kiosque (the head and body caches): JSON, written
 * atomically, trusted only when written by this release in the expected format.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VERSION } from '../version.js';

/** Reads a JSON state file written by `writeState`; undefined when missing, corrupt or from another release. */
export function readState<T extends { format: string; version: string }>(path: string, format: string): T | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as T;
    return data?.format === format && data.version === VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Array elements serialised per write: a few hundred KB of text at a time. */
const ELEMENTS_PER_WRITE = 1000;

/**
 * Writes `data` as `JSON.stringify(data)` would, byte for byte, but its top-level arrays a slice
 * at a time: the head cache of 100k articles is ~36 MB of JSON, which as one string (two bytes
 * a character once a curly quote is in it) plus its UTF-8 copy cost ~100 MB at once.
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
