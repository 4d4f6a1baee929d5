import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extRules } from '../../../src/validate/rules/ext.js';
import { validateDocument } from '../../../src/validate/validate.js';
import { assertExpectations, listFixtures, readExpectations } from '../expectations.js';

const fixtures = join(import.meta.dirname, '../fixtures/ext');

// Through the public entry point: proves the extension rules are dispatched for both RSS and Atom.
const validate = (file: string) => validateDocument(readFileSync(file), relative(fixtures, file));

describe('extension fixtures report what their Expect comments say', () => {
  for (const file of listFixtures(fixtures, '.xml')) {
    const name = relative(fixtures, file);
    it(name, () => {
      const wanted = readExpectations(readFileSync(file));
      const { format, issues } = validate(file);
      expect(['rss', 'atom']).toContain(format);
      assertExpectations(name, wanted, issues);
    });
  }
});

describe('extension rules', () => {
  it('has a breaking fixture for every rule id it defines', () => {
    const dirs = new Set(readdirSync(fixtures).filter((d) => d.startsWith('EXT-')));
    const missing = extRules.map((r) => r.id).filter((id) => !dirs.has(id));
    expect(missing).toEqual([]);
  });

  it('gives every rule a distinct EXT-<MODULE>-NNN id, a title, a source, a why and a fix', () => {
    const ids = extRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of extRules) {
      expect(r.id).toMatch(/^EXT-[A-Z]+-\d{3}$/);
      expect(r.title.length, r.id).toBeGreaterThan(0);
      expect(r.spec, r.id).toMatch(/W3C Feed Validator/);
      expect(r.why?.length, r.id).toBeGreaterThan(0);
      expect(r.fix?.length, r.id).toBeGreaterThan(0);
    }
  });

  it('flags the same misplaced trackback in RSS and in Atom, at the element', () => {
    const rss = validate(join(fixtures, 'EXT-TB-001/ping-in-channel.xml')).issues.find((i) => i.rule === 'EXT-TB-001');
    const atom = validate(join(fixtures, 'EXT-TB-001/about-in-feed.xml')).issues.find((i) => i.rule === 'EXT-TB-001');
    expect(rss).toMatchObject({ level: 'error', column: 3 });
    expect(rss?.message).toContain('<channel>');
    expect(atom).toMatchObject({ level: 'error', column: 3 });
    expect(atom?.message).toContain('<feed>');
  });

  it('leaves extension elements outside the feed and item levels alone', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><title>t</title><id>urn:x:1</id><updated>2003-12-13T18:30:02Z</updated><author><name>a</name><dc:date>not a date</dc:date></author></feed>`;
    const issues = validateDocument(new TextEncoder().encode(xml), 'inline.xml').issues;
    expect(issues.filter((i) => i.rule.startsWith('EXT-'))).toEqual([]);
  });
});
