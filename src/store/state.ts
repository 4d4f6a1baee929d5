/**
 * The build's own state files under out/.kiosque (the head and body caches): JSON, written
 * atomically, trusted only when written by this release in the expected format.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
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

/** Writes a JSON state file atomically (temp file + rename), so a crash never leaves half a cache. */
export function writeState(path: string, data: { format: string; version: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
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
