import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/validate/parse.js';
import { atomRules } from '../../../src/validate/rules/atom.js';
import { runRules } from '../../../src/validate/run.js';
import type { Issue } from '../../../src/issue.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const fixtures = join(import.meta.dirname, '../fixtures/atom');

function validate(file: string): Issue[] {
  const { doc, problems } = parseXml(readFileSync(file), relative(fixtures, file));
  if (!doc) throw new Error(`${file} did not parse: ${problems.map((p) => p.message).join('; ')}`);
  return runRules(atomRules, doc, relative(fixtures, file));
}

describe('Atom fixtures report what their Expect comments say', () => {
  for (const file of listFixtures(fixtures, '.xml')) {
    const name = relative(fixtures, file);
    it(name, () => {
      const wanted = readExpectations(readFileSync(file));
      const issues = validate(file);
      assertExpectations(name, wanted, issues);
    });
  }
});

describe('Atom rules', () => {
  it('has a breaking fixture for every rule id it defines', () => {
    const dirs = new Set(readdirSync(fixtures).filter((d) => d.startsWith('ATOM-')));
    const missing = atomRules.map((r) => r.id).filter((id) => !dirs.has(id));
    expect(missing).toEqual([]);
  });

  it('gives every rule a distinct id, a title and an RFC or XML section', () => {
    const ids = atomRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of atomRules) {
      expect(r.title.length, r.id).toBeGreaterThan(0);
      expect(r.spec, r.id).toMatch(/RFC|XML|Namespaces|FV|reader/);
    }
  });

  it('reports a finding at the line and column of the offending element', () => {
    const issues = validate(join(fixtures, 'ATOM-E-008/src-no-summary.xml'));
    const e008 = issues.find((i) => i.rule === 'ATOM-E-008');
    expect(e008).toMatchObject({ level: 'error', line: 16, column: 5, spec: 'RFC 4287 §4.1.2, §4.1.3.2' });
  });

  it('says a date written +00:00 is in UTC, only less plainly than with Z', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:f</id><title>t</title><updated>2024-01-15T17:00:06+00:00</updated><author><name>a</name></author></feed>';
    const { doc } = parseXml(Buffer.from(xml), 'f.xml');
    const c023 = runRules(atomRules, doc!, 'f.xml').find((i) => i.rule === 'ATOM-C-023');
    expect(c023?.message).toMatch(/is in UTC written \+00:00; Z says the same/);
    expect(c023?.message).not.toMatch(/not in UTC/);
  });

  it('says a space between date and time is the problem, not the case of a Z already uppercase, nor spaces "around" it', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:f</id><title>t</title><updated>2024-01-15 10:30:00Z</updated><author><name>a</name></author></feed>';
    const { doc } = parseXml(Buffer.from(xml), 'f.xml');
    const issues = runRules(atomRules, doc!, 'f.xml');
    expect(issues.find((i) => i.rule === 'ATOM-C-021')?.message).toMatch(/a space separates the date and the time, where Atom requires an uppercase T/);
    expect(issues.find((i) => i.rule === 'ATOM-DOC-008')?.message).toMatch(/write the value with no spaces or newlines$/);
  });

  it('reads a prefixed Atom document exactly like a default-namespace one', () => {
    const prefixed = validate(join(fixtures, 'ATOM-DOC-006/prefixed.xml'));
    expect(prefixed.map((i) => i.rule)).toContain('ATOM-DOC-006');
    expect(prefixed.filter((i) => i.level !== 'info')).toEqual([]);
  });

  it('maps MUST rows to errors, SHOULD rows to warnings and advisory rows to info', () => {
    const level = (id: string) => atomRules.find((r) => r.id === id)?.level;
    expect([level('ATOM-F-001'), level('ATOM-F-006'), level('ATOM-F-008')]).toEqual(['error', 'warning', 'info']);
    expect([level('ATOM-C-043'), level('ATOM-C-044'), level('ATOM-C-050')]).toEqual(['warning', 'info', 'error']);
  });
});
