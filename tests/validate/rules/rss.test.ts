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

describe('RSS-IT-026', () => {
  it('says that an item dated only by dc:date is read by some readers and not others', () => {
    const feed = (item: string) => Buffer.from(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>https://e.org/</link><description>d</description><item><title>a</title><guid>https://e.org/a</guid>${item}</item></channel></rss>`);
    const message = (item: string) => validateDocument(feed(item), 'feed.xml').issues.find((i) => i.rule === 'RSS-IT-026')?.message;
    expect(message('<dc:date>2025-06-27T20:32:11Z</dc:date>')).toBe('<item> has no <pubDate>, only <dc:date>, which some readers do not read: they sort by pubDate');
    expect(message('')).toBe('<item> has no <pubDate>; readers sort by it');
  });
});

describe('RSS-DT-004', () => {
  it('shows a canonical date with white space around it as written, and says the spaces are what is wrong', () => {
    const feed = (date: string) => Buffer.from(`<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description><item><title>a</title><guid>https://e.org/a</guid><pubDate>${date}</pubDate></item></channel></rss>`);
    const message = (date: string) => validateDocument(feed(date), 'feed.xml').issues.find((i) => i.rule === 'RSS-DT-004')?.message;
    expect(message(' Sat, 01 Jun 2024 12:34:56 GMT ')).toBe('<item/pubDate> " Sat, 01 Jun 2024 12:34:56 GMT " is valid but not in the canonical form "Ddd, DD Mon YYYY HH:MM:SS +hhmm" (or GMT): white space around the date');
    expect(message('Sat, 1 Jun 2024 12:34:56 GMT')).toBe('<item/pubDate> "Sat, 1 Jun 2024 12:34:56 GMT" is valid but not in the canonical form "Ddd, DD Mon YYYY HH:MM:SS +hhmm" (or GMT)');
    expect(message('Sat, 01 Jun 2024 12:34:56 GMT')).toBeUndefined();
  });
});
