import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/issue.js';
import { validateJsonFeed } from '../../../src/validate/json/validate.js';
import { jsonRules } from '../../../src/validate/rules/json.js';
import { repoRoot } from '../../helpers.js';

const fixtures = join(repoRoot, 'tests/validate/fixtures/json');

/**
 * Each `<RULE-ID>/<case>.json` has a sidecar `<case>.expect`, one expectation a line:
 * `RULE POINTER [LINE:COL]` (an issue with that rule at that pointer; `""` is the whole
 * document), `RULE` alone (that rule fires somewhere), `!RULE [POINTER]` (it does not).
 */
type Expectation = { negate: boolean; rule: string; pointer?: string; line?: number; column?: number; text: string };

function readExpect(path: string): Expectation[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((text) => {
      const [head = '', pointerToken, pos] = text.split(/\s+/);
      const negate = head.startsWith('!');
      const e: Expectation = { negate, rule: negate ? head.slice(1) : head, text };
      if (pointerToken !== undefined) e.pointer = pointerToken === '""' ? '' : pointerToken;
      if (pos) [e.line, e.column] = pos.split(':').map(Number);
      return e;
    });
}

function matches(issue: Issue, e: Expectation): boolean {
  return (
    issue.rule === e.rule &&
    (e.pointer === undefined || issue.pointer === e.pointer) &&
    (e.line === undefined || (issue.line === e.line && issue.column === e.column))
  );
}

const ruleDirs = readdirSync(fixtures).filter((d) => d.startsWith('JF-')).sort();

describe('JSON Feed rule fixtures', () => {
  for (const dir of ruleDirs) {
    for (const file of readdirSync(join(fixtures, dir)).filter((f) => f.endsWith('.json')).sort()) {
      const expectations = readExpect(join(fixtures, dir, file.replace(/\.json$/, '.expect')));
      it(`${dir}/${file}: ${expectations.map((e) => e.text).join(', ')}`, () => {
        const issues = validateJsonFeed(new Uint8Array(readFileSync(join(fixtures, dir, file))), `${dir}/${file}`);
        const shown = issues.map((i) => `${i.rule} ${JSON.stringify(i.pointer)} ${i.line}:${i.column} ${i.message}`).join('\n');
        for (const e of expectations) {
          const found = issues.some((i) => matches(i, e));
          expect(found, `${e.text}\n-- issues:\n${shown}`).toBe(!e.negate);
        }
        expect(issues.filter((i) => i.rule === 'KIOSQUE-INTERNAL')).toEqual([]);
      });
    }
  }

  it('has a breaking fixture for every rule, and a rule for every fixture folder', () => {
    const ids = jsonRules.map((r) => r.id);
    for (const id of ids) {
      const dir = join(fixtures, id);
      const breaking = ruleDirs.includes(id)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.expect'))
            .some((f) => readExpect(join(dir, f)).some((e) => !e.negate && e.rule === id && e.pointer !== undefined))
        : false;
      expect(breaking, `${id} needs a fixture that breaks it`).toBe(true);
    }
    expect(ruleDirs.filter((d) => !ids.includes(d))).toEqual([]);
  });
});

describe('valid JSON Feed fixtures', () => {
  const dir = join(fixtures, 'valid');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    it(`${file} raises no error`, () => {
      const issues = validateJsonFeed(new Uint8Array(readFileSync(join(dir, file))), file);
      expect(issues.filter((i) => i.level === 'error')).toEqual([]);
    });
  }

  it('the realistic blog feed raises nothing at all', () => {
    expect(validateJsonFeed(new Uint8Array(readFileSync(join(dir, 'blog.json'))), 'blog.json')).toEqual([]);
  });
});

describe('JSON Feed rules', () => {
  it('have unique ids, levels matching the digest, and a spec section and title each', () => {
    const ids = jsonRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of jsonRules) {
      expect(r.id).toMatch(/^JF-(DOC|TOP|AUTH|ITEM|ATT|EXT)-\d{3}$/);
      expect(r.spec.length).toBeGreaterThan(0);
      expect(r.title.length).toBeGreaterThan(0);
    }
    const level = (id: string) => jsonRules.find((r) => r.id === id)?.level;
    expect([level('JF-DOC-001'), level('JF-ITEM-002'), level('JF-ATT-007')]).toEqual(['error', 'error', 'error']);
    expect([level('JF-DOC-005'), level('JF-TOP-006'), level('JF-EXT-004')]).toEqual(['warning', 'warning', 'warning']);
    expect([level('JF-DOC-007'), level('JF-ITEM-014'), level('JF-EXT-006')]).toEqual(['info', 'info', 'info']);
  });

  it('says a number as an item id is coerced by readers, as JSON Feed 1.1 has them do, and a missing id loses the item', () => {
    const issues = validateJsonFeed(new TextEncoder().encode('{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": 1, "content_text": "a"}, {"content_text": "b"}, {"id": " ", "content_text": "c"}]}'), 'feed.json')
      .filter((i) => i.rule === 'JF-ITEM-002').map((i) => i.message);
    expect(issues).toEqual([
      'item id must be a string, found the number 1 (write "1"): readers must coerce it to a string (JSON Feed 1.1), each in its own way, and some drop the item',
      'item id is missing: readers discard items without a usable id',
      'item id is empty or only whitespace: readers discard items without a usable id',
    ]);
  });

  it('give every issue the file name and a JSON pointer', () => {
    const bytes = new TextEncoder().encode('{"items": [1, {"id": 2}], "authors": {}, "expired": "no"}');
    const issues = validateJsonFeed(bytes, 'out/feed.json');
    expect(issues.length).toBeGreaterThan(5);
    for (const i of issues) {
      expect(i.file).toBe('out/feed.json');
      expect(typeof i.pointer).toBe('string');
      expect(i.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('JF-ATT-008', () => {
  it('says a size too large for readers to keep exactly is that, not a negative or fractional number', () => {
    const feed = (size: string) => Buffer.from(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","content_text":"x","attachments":[{"url":"https://e.org/a.mp3","mime_type":"audio/mpeg","size_in_bytes":${size}}]}]}`);
    const message = (size: string) => validateJsonFeed(feed(size), 'feed.json').find((i) => i.rule === 'JF-ATT-008')?.message;
    expect(message('123456789012345678901234567890')).toMatch(/is beyond 9007199254740991, the largest whole number readers' JSON parsers keep exactly$/);
    expect(message('-5')).toMatch(/should be a non-negative whole number of bytes$/);
  });
});
