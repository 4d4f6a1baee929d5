/**
 * The few file-system helpers every store reader shares: whole reads by chunks (a short read
 * is not an error), and the one way an unreadable file is reported.
 */
import { readSync } from 'node:fs';
import type { Issue } from '../issue.js';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export function unreadable(file: string, err: unknown): Issue {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  // A name in another encoding (Latin-1 from an old share or a zip) is listed with U+FFFD for its bytes, a name no file has.
  if (code === 'ENOENT' && file.includes('\uFFFD')) {
    return { rule: 'store-unreadable', level: 'error', file, message: 'cannot read: its name is not valid UTF-8 (shown with � for the bytes that are not), so it cannot be opened by that name; rename it' };
  }
  return { rule: 'store-unreadable', level: 'error', file, message: `cannot read (${code})` };
}

/** A read failure says nothing lasting about the file (a remount, a sync swapping folders): never cached, read again next build. */
export const isReadFailure = (issue: Pick<Issue, 'rule'>): boolean => issue.rule === 'store-unreadable';
/**
 * A rejection that may not happen again to the same bytes: a read that failed (a remount, a folder swapped back), or a
 * body whose rendering ran out of time (a loaded machine). Never repeated as the file's verdict by a build that reads nothing.
 */
export const mayPassNextTime = (issue: Pick<Issue, 'rule'>): boolean => isReadFailure(issue) || issue.rule === 'store-too-complex';

export function tooLarge(file: string, size: number, maxBytes: number): Issue {
  return { rule: 'store-too-large', level: 'error', file, message: `file is ${size} bytes, over the ${maxBytes}-byte limit for one article` };
}

/** Reads `length` bytes at `position` (into `into` when it is large enough); fewer at the end of the file. */
export function readChunk(fd: number, length: number, position: number, into?: Buffer): Buffer {
  const buffer = into && into.length >= length ? into : Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}
