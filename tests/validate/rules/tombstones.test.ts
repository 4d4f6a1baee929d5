import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tombstoneRules } from '../../../src/validate/rules/tombstones.js';
import { validateDocument } from '../../../src/validate/validate.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const fixtures = join(import.meta.dirname, '../fixtures/tombstones');

describe('tombstone fixtures report what their Expect comments say', () => {
  for (const file of listFixtures(fixtures, '.xml')) {
    const name = relative(fixtures, file);
    it(name, () => {
      const { format, issues } = validateDocument(readFileSync(file), name);
      expect(['rss', 'atom']).toContain(format);
      assertExpectations(name, readExpectations(readFileSync(file)), issues);
    });
  }
});

describe('tombstone rules', () => {
  it('has a breaking fixture for every rule id, and each cites RFC 6721', () => {
    const dirs = new Set(readdirSync(fixtures));
    expect(tombstoneRules.map((r) => r.id).filter((id) => !dirs.has(id))).toEqual([]);
    for (const r of tombstoneRules) {
      expect(r.spec, r.id).toMatch(/^RFC 6721 §3/);
      expect(r.link, r.id).toBe('https://www.rfc-editor.org/rfc/rfc6721#section-3');
    }
  });

  it('names the problem in the message: a relative ref, an impossible day', () => {
    const issue = (file: string, rule: string) => validateDocument(readFileSync(join(fixtures, file)), file).issues.find((i) => i.rule === rule);
    expect(issue('ATOM-TOMB-001/relative-ref.xml', 'ATOM-TOMB-001')).toMatchObject({ level: 'error', line: 12, column: 3 });
    expect(issue('ATOM-TOMB-001/relative-ref.xml', 'ATOM-TOMB-001')!.message).toContain('relative');
    expect(issue('ATOM-TOMB-002/impossible-when.xml', 'ATOM-TOMB-002')!.message).toContain('2026-02-30');
    expect(issue('ATOM-TOMB-003/in-entry.xml', 'ATOM-TOMB-003')).toMatchObject({ level: 'warning' });
    expect(issue('ATOM-TOMB-003/in-entry.xml', 'ATOM-TOMB-003')!.message).toContain('<entry>');
  });

  it('takes a ref and when written in two zones as one removal, and a later removal of the same id as another', () => {
    const { issues } = validateDocument(readFileSync(join(fixtures, 'ATOM-TOMB-004/same-ref-and-when.xml')), 'f.xml');
    expect(issues.filter((i) => i.rule === 'ATOM-TOMB-004').map((i) => [i.level, i.line])).toEqual([['error', 13]]);
    expect(issues.find((i) => i.rule === 'ATOM-TOMB-004')!.message).toContain('line 12');
  });

  it('warns about an entry carried beside its own later tombstone, not about one put back after its removal', () => {
    const { issues } = validateDocument(readFileSync(join(fixtures, 'ATOM-TOMB-005/entry-deleted-after-update.xml')), 'f.xml');
    const found = issues.filter((i) => i.rule === 'ATOM-TOMB-005');
    expect(found.map((i) => [i.level, i.line])).toEqual([['warning', 13]]);
    expect(found[0]!.message).toContain('tag:example.org,2026:one');
  });
});
