import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter, parseSimple, splitFrontMatter } from '../../src/store/frontmatter.js';

describe('splitFrontMatter', () => {
  it('finds the fences, with a BOM, CRLF line ends or a "..." closer', () => {
    expect(splitFrontMatter('\uFEFF---\r\ntitle: a\r\n---\r\nbody')).toMatchObject({ ok: true, yaml: 'title: a\r\n', bodyLine: 4 });
    expect(splitFrontMatter('---\ntitle: a\n...\nbody')).toMatchObject({ ok: true, yaml: 'title: a\n' });
    expect(splitFrontMatter('# no head')).toEqual({ ok: false, reason: 'none' });
    expect(splitFrontMatter('---\ntitle: a\n')).toEqual({ ok: false, reason: 'unclosed' });
  });
});

describe('the simple front-matter path', () => {
  const heads = [
    'title: "Poutine et Erdogan à Idlib"\ndate: 2020-02-28T17:30:00+01:00\nauthor: Sputnik\nlang: fr\ntags: [Russie, Turquie, Syrie, Idlib]',
    "title: 'l''été'\nsummary: a \"quoted\" word\ntags: []\n# comment\n\nurl: /a/b?c=d#e",
    'title: a\\b\ndate: 2020-02-28 17:30:00 +01:00\nid: urn:uuid:1234\nimage: images/x.png',
  ];
  it.each(heads)('gives exactly what the YAML failsafe schema gives (%#)', (yaml) => {
    const simple = parseSimple(yaml, 2);
    expect(simple).toBeDefined();
    const doc = parseDocument(yaml, { schema: 'failsafe', lineCounter: new LineCounter() });
    const expected = doc.toJS() as Record<string, unknown>;
    expect(Object.fromEntries([...simple!].map(([k, v]) => [k, v.value]))).toEqual(expected);
  });

  it.each([
    'title: a: b', 'title: a #comment', 'tags:\n  - a', 'author:\n  name: x', 'title: "esc\\u00e9"', 'title: |\n  block', 'a: 1\na: 2', 'title: &x a', 'title:',
  ])('leaves %j to the YAML package', (yaml) => {
    expect(parseSimple(yaml, 2)).toBeUndefined();
  });

  it('numbers each key with its line in the file, on both paths', () => {
    const simple = parseFrontMatter('title: a\n\ndate: b', 2);
    const full = parseFrontMatter('title: a\nauthor:\n  name: x\ndate: b', 2);
    expect(simple.ok && [...simple.fields].map(([k, v]) => [k, v.line])).toEqual([['title', 2], ['date', 4]]);
    expect(full.ok && [...full.fields].map(([k, v]) => [k, v.line])).toEqual([['title', 2], ['author', 3], ['date', 5]]);
  });

  it('reads every scalar as a string so titles keep their exact characters', () => {
    const parsed = parseFrontMatter('title: 1984\nsummary: 0123\ndraft: true\nlist:\n  - 1.50', 2);
    expect(parsed.ok && Object.fromEntries([...parsed.fields].map(([k, v]) => [k, v.value]))).toEqual({ title: '1984', summary: '0123', draft: 'true', list: ['1.50'] });
  });
});
