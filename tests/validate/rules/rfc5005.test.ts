import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rfc5005Rules } from '../../../src/validate/rules/rfc5005.js';
import { validateDocument } from '../../../src/validate/validate.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const fixtures = join(import.meta.dirname, '../fixtures/rfc5005');

describe('RFC 5005 fixtures report what their Expect comments say', () => {
  for (const file of listFixtures(fixtures, '.xml')) {
    const name = relative(fixtures, file);
    it(name, () => {
      const { format, issues } = validateDocument(readFileSync(file), name);
      expect(['rss', 'atom']).toContain(format);
      assertExpectations(name, readExpectations(readFileSync(file)), issues);
    });
  }
});

describe('RFC 5005 rules', () => {
  it('has a breaking fixture for every rule id it defines', () => {
    const dirs = new Set(readdirSync(fixtures));
    expect(rfc5005Rules.map((r) => r.id).filter((id) => !dirs.has(id))).toEqual([]);
  });
});
