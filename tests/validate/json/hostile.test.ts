import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/issue.js';
import { MAX_VALUES } from '../../../src/validate/json/parse.js';
import { LIMIT_RULE, MAX_FINDINGS_PER_RULE, validateJsonFeed } from '../../../src/validate/json/validate.js';
import { repoRoot } from '../../helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Every hostile input must give findings, never a crashed rule. */
function run(s: string | Uint8Array): Issue[] {
  const issues = validateJsonFeed(typeof s === 'string' ? enc(s) : s, 'hostile.json');
  expectNoInternalFailure(issues);
  return issues;
}
const rules = (issues: Issue[]): string[] => [...new Set(issues.map((i) => i.rule))].sort();
const head = '"version": "https://jsonfeed.org/version/1.1", "title": "T", "home_page_url": "https://e.org/", "feed_url": "https://e.org/feed.json"';

function expectNoInternalFailure(issues: Issue[]): void {
  expect(issues.filter((i) => i.rule === 'KIOSQUE-INTERNAL')).toEqual([]);
}

describe('hostile JSON input', () => {
  it('reports 100,000 nested arrays as kiosque\'s depth limit, not as invalid JSON (RFC 8259 §9 allows limits), instead of overflowing the stack', () => {
    const depth = 100_000;
    const issues = run('['.repeat(depth) + ']'.repeat(depth));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'KIOSQUE-LIMIT', level: 'error', line: 1, column: 1001 });
    expect(issues[0]!.message).toMatch(/nesting deeper than 1000/);
    expect(issues[0]!.pointer).toBe('/0'.repeat(1000));
  });

  it('reports 100,000 nested objects and unclosed brackets the same way: past the limit, nothing is read', () => {
    // Past 250 KB the size advice (JF-DOC-008) still applies; nothing else can be said of such a file.
    expect(rules(run('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)))).toEqual(['JF-DOC-008', 'KIOSQUE-LIMIT']);
    expect(rules(run('['.repeat(100_000)))).toEqual(['KIOSQUE-LIMIT']);
  });

  it('accepts nesting up to the limit inside an extension', () => {
    const deep = '['.repeat(990) + ']'.repeat(990);
    const issues = run(`{${head}, "items": [], "_deep_corp": {"about": "https://e.org/x", "value": ${deep}}}`);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
  });

  it('validates a 50 MB feed with one huge content_html', () => {
    const body = '<p>' + 'Dépêche très longue. '.repeat(2_300_000) + '</p>';
    const bytes = enc(`{${head}, "items": [{"id": "https://e.org/1", "url": "https://e.org/1", "content_html": ${JSON.stringify(body)}}]}`);
    expect(bytes.byteLength).toBeGreaterThan(50_000_000);
    const issues = run(bytes);
    expectNoInternalFailure(issues);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(issues.find((i) => i.rule === 'JF-DOC-008')?.message).toMatch(/\d{5} KB/);
  });

  it('validates a 50 MB feed of 150,000 broken items with a bounded number of issues', { timeout: 120_000 }, () => {
    const item = (n: number): string => `{"id": ${n}, "title": "<b>Item ${n}</b>", "content_text": "${'x'.repeat(280)}", "date_published": "yesterday", "tags": [1]}`;
    const parts: string[] = [];
    for (let n = 0; n < 150_000; n++) parts.push(item(n));
    const bytes = enc(`{${head}, "items": [${parts.join(',')}]}`);
    expect(bytes.byteLength).toBeGreaterThan(50_000_000);
    const issues = run(bytes);
    expectNoInternalFailure(issues);
    const ids = issues.filter((i) => i.rule === 'JF-ITEM-002');
    expect(ids).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    expect(ids[0]!.pointer).toBe('/items/0/id');
    expect(ids.at(-1)!.message).toMatch(/and 149900 more JF-ITEM-002/);
    expect(issues.length).toBeLessThan(40 * (MAX_FINDINGS_PER_RULE + 1));
  });

  it('reports wrong types everywhere without failing a rule', () => {
    const cases: [string, string, string][] = [
      [`{${head}, "items": 5}`, 'JF-TOP-005', '/items'],
      [`{${head}, "items": [1, null, "x"]}`, 'JF-ITEM-001', '/items/2'],
      [`{${head}, "items": [], "authors": {}}`, 'JF-TOP-014', '/authors'],
      [`{${head}, "items": [{"id": "a", "content_text": "t", "authors": [{}], "attachments": {}, "tags": {}}]}`, 'JF-ATT-001', '/items/0/attachments'],
      [`{${head}, "items": [{"id": "a", "content_text": "t", "attachments": [{"url": 1, "mime_type": [], "size_in_bytes": {}}]}]}`, 'JF-ATT-007', '/items/0/attachments/0/size_in_bytes'],
      [`{"version": {}, "title": [], "items": {}, "hubs": "x", "author": 3, "expired": null, "language": true}`, 'JF-TOP-019', '/hubs'],
      [`{${head}, "items": [{"id": {}, "url": [], "date_published": {}, "content_html": 0, "_x": 1}]}`, 'JF-ITEM-012', '/items/0/date_published'],
    ];
    for (const [text, rule, pointer] of cases) {
      const issues = run(text);
      expectNoInternalFailure(issues);
      expect(issues.some((i) => i.rule === rule && i.pointer === pointer), `${rule} ${pointer} in ${text}`).toBe(true);
    }
  });

  it('stops at the value budget with a limit error instead of exhausting the heap', () => {
    const bytes = enc(`{${head}, "items": [], "_num_corp": {"about": "https://e.org/", "v": [${'0,'.repeat(MAX_VALUES)}0]}}`);
    const issues = run(bytes);
    expect(issues.filter((i) => i.level === 'error').map((i) => i.rule)).toEqual([LIMIT_RULE]);
    expect(issues.find((i) => i.rule === LIMIT_RULE)).toMatchObject({ pointer: `/_num_corp/v/${MAX_VALUES - 6}` });
    expect(rules(issues)).not.toContain('JF-DOC-001');
  });

  it('treats __proto__ keys as plain data and pollutes no prototype', () => {
    const text = `{"__proto__": {"polluted": true}, ${head}, "items": [{"__proto__": {"id": "x"}, "constructor": {"prototype": {"polluted": true}}, "id": "a", "content_text": "t"}]}`;
    const issues = run(text);
    expectNoInternalFailure(issues);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(issues.filter((i) => i.rule === 'JF-EXT-001').map((i) => i.pointer)).toEqual(['/__proto__', '/items/0/__proto__']);
    expect(issues.some((i) => i.rule === 'JF-DOC-007' && i.pointer === '/items/0/constructor')).toBe(true);
    expect(issues.some((i) => i.rule === 'JF-ITEM-002')).toBe(false);
  });

  it('reads huge and long numbers without losing the document', () => {
    const text = `{${head}, "items": [{"id": "a", "content_text": "t", "attachments": [{"url": "https://e.org/a", "mime_type": "audio/mpeg", "size_in_bytes": 1e400, "duration_in_seconds": -1e-400}, {"url": "https://e.org/b", "mime_type": "audio/mpeg", "size_in_bytes": ${'9'.repeat(100_000)}}]}]}`;
    const issues = run(text);
    expectNoInternalFailure(issues);
    expect(issues.filter((i) => i.rule === 'JF-ATT-008').map((i) => i.pointer)).toEqual(['/items/0/attachments/0/size_in_bytes', '/items/0/attachments/1/size_in_bytes']);
    expect(issues.find((i) => i.pointer === '/items/0/attachments/1/size_in_bytes')!.message.length).toBeLessThan(200);
  });

  it('reports lone surrogates in values and keys, but not pairs', () => {
    const issues = run(`{${head}, "items": [{"id": "\\ud800", "content_text": "\\ud83d\\ude00 ok", "_x\\udfff": 1}]}`);
    expect(issues.filter((i) => i.rule === 'JF-DOC-006').map((i) => i.pointer)).toEqual(['/items/0/id', '/items/0']);
  });

  it('reports a duplicate key at its second occurrence', () => {
    const issues = run(`{${head},\n "items": [],\n "title": "again"}`);
    expect(issues.filter((i) => i.rule === 'JF-DOC-005')).toMatchObject([{ pointer: '/title', line: 3, column: 2 }]);
  });

  it('caps a million duplicate keys to a bounded list of issues', () => {
    const members = Array.from({ length: 1_000_000 }, () => '"k": 1').join(',');
    const issues = run(`{${head}, "items": [], "_dup_corp": {"about": "https://e.org/", ${members}}}`);
    const dups = issues.filter((i) => i.rule === 'JF-DOC-005');
    expect(dups).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    expect(dups.at(-1)!.message).toMatch(/more JF-DOC-005/);
  });

  it('never throws on random bytes or on any truncation of a valid feed', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: next() % 400 }, () => next() % 256);
      expect(() => run(bytes)).not.toThrow();
    }
    const valid = readFileSync(join(repoRoot, 'tests/validate/fixtures/json/valid/podcast-with-extension.json'));
    for (let cut = 0; cut < valid.toString('utf8').trimEnd().length; cut += 7) {
      const issues = run(new Uint8Array(valid.subarray(0, cut)));
      expect(issues.some((i) => i.rule === 'JF-DOC-001'), `cut at ${cut}`).toBe(true);
      expectNoInternalFailure(issues);
    }
  });

  it('walks a megabyte of escapes and a megabyte of tags in content_html in one pass', () => {
    const escapes = '\\n\\u00e9\\"'.repeat(100_000);
    const tags = '<a href="x" onclick="y" src=z>'.repeat(35_000);
    const issues = run(`{${head}, "items": [{"id": "https://e.org/1", "content_text": "${escapes}", "content_html": ${JSON.stringify(tags)}}]}`);
    expectNoInternalFailure(issues);
    expect(issues.filter((i) => i.rule === 'JF-ITEM-019')).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
  });
});
