/**
 * Documents that wait for their publication on disk instead of in memory: written as they are
 * made, read back when the publisher needs their bytes. A first build of a 100k store's archive
 * renders ~3,000 page documents (~190 MB) long before it publishes them.
 *
 * One directory, owned by the build that holds the publish lock: what a killed build left there
 * is removed when the next one opens it, and `close` removes it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Spool = {
  /** Writes `bytes`; the function returned reads them back (throws if they were lost meanwhile). */
  put(bytes: Uint8Array): () => Uint8Array;
  /** Removes every document put. */
  close(): void;
};

export function openSpool(dir: string): Spool {
  rmSync(dir, { recursive: true, force: true });
  let made = false;
  let count = 0;
  return {
    put(bytes) {
      if (!made) {
        mkdirSync(dir, { recursive: true });
        made = true;
      }
      const file = join(dir, String(++count));
      writeFileSync(file, bytes);
      return () => readFileSync(file);
    },
    close() {
      if (made) rmSync(dir, { recursive: true, force: true });
      made = false;
    },
  };
}
