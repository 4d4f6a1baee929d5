/**
 * W3C-Feed-Validator-style fixtures: each file states what it expects in a comment,
 * `<!-- Expect: RSS-DT-001 line 9 -->`, `<!-- Expect: !RSS-DT-001 -->` or `<!-- Expect: !error -->`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Expectation = { rule: string; line?: number; absent: boolean };

export function readExpectations(bytes: Uint8Array): Expectation[] {
  // Comments are ASCII, whatever the file's encoding: latin1 reads them from any 8-bit file.
  const text = new TextDecoder('latin1').decode(bytes).replace(/\0/g, '');
  const out: Expectation[] = [];
  for (const m of text.matchAll(/Expect:\s*([^\n]*?)\s*(?:-->|$)/gm)) {
    for (const token of (m[1] as string).split(',')) {
      const t = /^\s*(!?)([A-Za-z0-9-]+)(?:\s+line\s+(\d+))?\s*$/.exec(token);
      if (!t) throw new Error(`bad Expect token "${token}"`);
      const e: Expectation = { rule: t[2] as string, absent: t[1] === '!' };
      if (t[3] !== undefined) e.line = Number(t[3]);
      out.push(e);
    }
  }
  return out;
}

export function listFixtures(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFixtures(path, ext));
    else if (name.endsWith(ext)) out.push(path);
  }
  return out;
}
