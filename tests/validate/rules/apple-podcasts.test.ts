import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appleFormatRule, appleRules } from '../../../src/validate/rules/apple-podcasts.js';
import { validateDocument } from '../../../src/validate/validate.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const fixtures = join(import.meta.dirname, '../fixtures/apple-podcasts');
const validate = (file: string) => validateDocument(readFileSync(file), relative(fixtures, file), { profile: 'apple-podcasts' });

describe('Apple Podcasts profile fixtures report what their Expect comments say', () => {
  for (const file of listFixtures(fixtures, '.xml')) {
    const name = relative(fixtures, file);
    it(name, () => {
      assertExpectations(name, readExpectations(readFileSync(file)), validate(file).issues, { strict: true });
    });
  }
});

describe('the apple-podcasts profile', () => {
  it('has a failing fixture for every rule it defines', () => {
    const dirs = new Set(readdirSync(fixtures));
    expect([appleFormatRule, ...appleRules].map((r) => r.id).filter((id) => !dirs.has(id))).toEqual([]);
  });

  it('is only checked when asked for: plain validation of a show without artwork finds no APPLE-* finding', () => {
    const issues = validateDocument(readFileSync(join(fixtures, 'APPLE-CH-001/no-artwork.xml')), 'f').issues;
    expect(issues.filter((i) => i.rule.startsWith('APPLE-'))).toEqual([]);
  });

  it('fails a JSON Feed once, as Apple reads RSS only', () => {
    const json = Buffer.from(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [] }));
    const issues = validateDocument(json, 'feed.json', { profile: 'apple-podcasts' }).issues;
    expect(issues.filter((i) => i.rule.startsWith('APPLE-')).map((i) => i.message)).toEqual(['Apple Podcasts reads RSS 2.0 feeds only; this is JSON Feed']);
  });

  it('cites Apple for every rule, with a why and a fix', () => {
    for (const r of [appleFormatRule, ...appleRules]) {
      expect(r.id).toMatch(/^APPLE-(DOC|CH|IT)-\d{3}$/);
      expect(r.link, r.id).toMatch(/^https:\/\/(help\.apple\.com|podcasters\.apple\.com)\//);
      expect(r.spec, r.id).toMatch(/^Apple Podcasts/);
    }
  });
});
