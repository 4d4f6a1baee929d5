import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../../src/validate/validate.js';
import { rssRules } from '../../../src/validate/rules/rss.js';
import { repoRoot } from '../../helpers.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const dir = join(repoRoot, 'tests/validate/fixtures/rss');
const fixtures = listFixtures(dir, '.xml');

describe('RSS 2.0 fixtures report exactly what they expect', () => {
  it.each(fixtures.map((f) => [relative(dir, f), f]))('%s', (_name, file) => {
    const bytes = readFileSync(file);
    const expectations = readExpectations(bytes);
    const { format, issues } = validateDocument(bytes, 'feed.xml');
    expect(format).toBe('rss');
    assertExpectations(relative(dir, file), expectations, issues, { strict: true });
    // Every finding is labelled with the name the document was given.
    for (const i of issues) expect(i.file).toBe('feed.xml');
  });
});

describe('RSS rules', () => {
  it('are each broken by at least one fixture', () => {
    const covered = new Set(fixtures.flatMap((f) => readExpectations(readFileSync(f)).filter((e) => !e.absent).map((e) => e.rule)));
    expect(rssRules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('have unique ids, a level, a spec section, why and fix', () => {
    const ids = rssRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rssRules) {
      expect(r.id).toMatch(/^RSS-(DOC|DT|CH|IT|EXT)-\d{3}$/);
      expect(r.spec.length).toBeGreaterThan(3);
      expect(r.why?.length ?? 0).toBeGreaterThan(3);
      expect(r.fix?.length ?? 0).toBeGreaterThan(3);
    }
  });
});
