/**
 * Documents that wait for their publication on disk instead of in memory: written as they are
 * made, read back when the publisher needs their bytes. A first build of a 100k store's archive
 * renders ~3,000 page documents (~190 MB) long before it publishes them.
 *
 * One file, appended to: creating a file per document cost more than writing them (2 s of a
 * 100k store's archive build went to opening 2,934 new files). Owned by the build that holds
 * the publish lock: what a killed build left is removed when the next one opens its spool, and
 * `close` removes it.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A write to the spool failed (the disk is full, say): the build stops and says so, like any other unwritable output. */
export class SpoolError extends Error {
  constructor(dir: string, err: NodeJS.ErrnoException) {
    super(`cannot write the archive pages waiting for publication in ${dir}: ${err.message}`);
  }
}

export type Spool = {
  /** Writes `bytes`; the function returned reads them back (throws once the spool is closed). */
  put(bytes: Uint8Array): () => Uint8Array;
  /** Removes every document put. */
  close(): void;
};

export function openSpool(dir: string): Spool {
  rmSync(dir, { recursive: true, force: true });
  let fd: number | undefined;
  let closed = false;
  let end = 0;
  return {
    put(bytes) {
      if (closed) throw new Error('spool closed');
      const [at, length] = [end, bytes.byteLength];
      try {
        if (fd === undefined) {
          mkdirSync(dir, { recursive: true });
          fd = openSync(join(dir, 'documents'), 'w+');
        }
        for (let done = 0; done < length;) done += writeSync(fd, bytes, done, length - done, at + done);
      } catch (err) {
        throw new SpoolError(dir, err as NodeJS.ErrnoException);
      }
      end += length;
      return () => {
        if (closed || fd === undefined) throw new Error('spool closed: the document is gone');
        const out = Buffer.allocUnsafe(length);
        for (let done = 0; done < length;) {
          const n = readSync(fd, out, done, length - done, at + done);
          if (n === 0) throw new Error(`spool truncated: ${done} of ${length} bytes at ${at}`);
          done += n;
        }
        return out;
      };
    },
    close() {
      closed = true;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
