import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../../src/validate/validate.js';
import { rssRules } from '../../../src/validate/rules/rss.js';
import { repoRoot } from '../../helpers.js';
import { listFixtures, readExpectations } from '../expectations.js';

const dir = join(repoRoot, 'tests/validate/fixtures/rss');
const fixtures = listFixtures(dir, '.xml');

describe('RSS 2.0 fixtures report exactly what they expect', () => {
  it.each(fixtures.map((f) => [relative(dir, f), f]))('%s', (_name, file) => {
    const bytes = readFileSync(file);
    const expectations = readExpectations(bytes);
    expect(expectations.length).toBeGreaterThan(0);
    const { format, issues } = validateDocument(bytes, 'feed.xml');
    expect(format).toBe('rss');
    const positives = new Set<string>();
    for (const e of expectations) {
      if (e.rule === 'error') {
        if (e.absent) expect(issues.filter((i) => i.level === 'error')).toEqual([]);
        continue;
      }
      const hits = issues.filter((i) => i.rule === e.rule);
      if (e.absent) {
        expect(hits, `${e.rule} should not be reported`).toEqual([]);
        continue;
      }
      positives.add(e.rule);
      expect(hits.length, `${e.rule} should be reported; got ${issues.map((i) => i.rule).join(', ')}`).toBeGreaterThan(0);
      if (e.line !== undefined) expect(hits.map((h) => h.line)).toContain(e.line);
      for (const h of hits) expect(h.file).toBe('feed.xml');
    }
    // A fixture breaks one rule: any other error would be a false positive of another rule.
    if (positives.size > 0) {
      const stray = issues.filter((i) => i.level === 'error' && !positives.has(i.rule));
      expect(stray.map((i) => `${i.rule} ${i.line}: ${i.message}`)).toEqual([]);
    }
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
