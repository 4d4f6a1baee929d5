import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpool, SpoolError } from '../../src/publish/spool.js';
import { tempDir } from '../helpers.js';

describe('the spool of documents waiting for their publication', () => {
  let root: { dir: string; cleanup: () => Promise<void> };
  let dir: string;
  beforeEach(async () => {
    root = await tempDir('kiosque-spool-');
    dir = join(root.dir, '.kiosque', 'spool');
  });
  afterEach(() => root.cleanup());

  it('gives back each document byte for byte, however many are put', () => {
    const spool = openSpool(dir);
    const docs = Array.from({ length: 50 }, (_, n) => Buffer.from(`<feed>« dépêche » n°${n} ${'é'.repeat(n * 100)}</feed>`));
    const loads = docs.map((d) => spool.put(d));
    expect(loads.map((load) => Buffer.from(load()))).toEqual(docs);
    spool.close();
  });

  it('removes every document on close, and a document read after that is an error, not other bytes', () => {
    const spool = openSpool(dir);
    const load = spool.put(Buffer.from('<rss/>'));
    spool.close();
    expect(existsSync(dir)).toBe(false);
    expect(() => load()).toThrow(/spool closed/);
    expect(() => spool.put(Buffer.from('<rss/>'))).toThrow(/spool closed/);
  });

  it('removes what a killed build left there, and holds only its own documents', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '1'), 'left by a build killed mid-way');
    writeFileSync(join(dir, '7'), 'left too');
    const spool = openSpool(dir);
    expect(existsSync(dir)).toBe(false);
    const load = spool.put(Buffer.from('<feed/>'));
    expect(readdirSync(dir)).toEqual(['documents']);
    expect(Buffer.from(load()).toString()).toBe('<feed/>');
    spool.close();
  });

  it.skipIf(!existsSync('/dev/full'))('turns a full disk into a SpoolError naming the spool and the cause, for the build to report as a failure rather than crash', () => {
    const spool = openSpool(dir);
    // /dev/full takes every open and refuses every write with ENOSPC, as a full disk does.
    mkdirSync(dir, { recursive: true });
    symlinkSync('/dev/full', join(dir, 'documents'));
    let thrown: unknown;
    try {
      spool.put(Buffer.from('<feed/>'));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SpoolError);
    expect((thrown as Error).message).toBe(`cannot write the archive pages waiting for publication in ${dir}: ENOSPC: no space left on device, write`);
    spool.close();
  });
});
