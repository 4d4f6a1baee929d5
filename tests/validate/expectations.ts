/**
 * W3C-Feed-Validator-style fixtures: each file states what it expects in a comment,
 * `<!-- Expect: RSS-DT-001 line 9 -->`, `<!-- Expect: !RSS-DT-001 -->` or `<!-- Expect: !error -->`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Issue } from '../../src/issue.js';

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

const show = (issues: readonly Issue[]): string => issues.map((i) => `${i.level} ${i.rule} ${i.line}:${i.column} ${i.message}`).join('\n');

/**
 * Asserts a fixture's expectations against the issues reported for it. `!error` means no error
 * at all. With `strict`, an error from a rule the fixture does not name is a false positive.
 */
export function assertExpectations(name: string, wanted: readonly Expectation[], issues: readonly Issue[], opts: { strict?: boolean } = {}): void {
  expect(wanted.length, `${name} states no expectation`).toBeGreaterThan(0);
  const positives = new Set<string>();
  for (const w of wanted) {
    if (w.rule === 'error') {
      if (w.absent) expect(show(issues.filter((i) => i.level === 'error')), `${name} should raise no error`).toBe('');
      continue;
    }
    const hits = issues.filter((i) => i.rule === w.rule && (w.line === undefined || i.line === w.line));
    if (w.absent) {
      expect(hits, `${name} should not report ${w.rule}\n${show(issues)}`).toEqual([]);
      continue;
    }
    positives.add(w.rule);
    expect(hits.length, `${name} should report ${w.rule}${w.line ? ` on line ${w.line}` : ''}\n${show(issues)}`).toBeGreaterThan(0);
  }
  if (opts.strict && positives.size > 0) {
    const stray = issues.filter((i) => i.level === 'error' && !positives.has(i.rule));
    expect(stray.map((i) => `${i.rule} ${i.line}: ${i.message}`), `${name}: errors from rules it does not name`).toEqual([]);
  }
}
