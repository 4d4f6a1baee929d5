import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDocumentHead, parseFrontMatter, parseMixed, parseSimple, parseTree, splitFrontMatter, type Fields, type YamlValue } from '../../src/store/frontmatter.js';
import { random } from '../../bench/random.js';
import { synthArticles } from '../../bench/synth.js';

describe('splitFrontMatter', () => {
  it('finds the fences, with a BOM, CRLF line ends or a "..." closer', () => {
    expect(splitFrontMatter('\uFEFF---\r\ntitle: a\r\n---\r\nbody')).toMatchObject({ ok: true, yaml: 'title: a\r\n', bodyLine: 4 });
    expect(splitFrontMatter('---\ntitle: a\n...\nbody')).toMatchObject({ ok: true, yaml: 'title: a\n' });
    expect(splitFrontMatter('# no head')).toEqual({ ok: false, reason: 'none' });
    expect(splitFrontMatter('---\ntitle: a\n')).toEqual({ ok: false, reason: 'unclosed' });
  });

  it('counts a lone CR inside the head as a line end for the body line', () => {
    expect(splitFrontMatter('---\n# a\rb\ntitle: a\n---\nbody')).toMatchObject({ ok: true, bodyLine: 6 });
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

  it('counts a lone CR as a line end in key and error lines, as the rest of the store does', () => {
    // YAML reads "# note\rdate: x" as one comment, so only title and id are keys; the file has a line more.
    const head = parseFrontMatter('title: a\n# note\rdate: x\nid: b', 2);
    expect(head.ok && [...head.fields].map(([k, v]) => [k, v.line])).toEqual([['title', 2], ['id', 5]]);
    expect(parseFrontMatter('title: a\n# note\rx\ntags: [a', 2)).toMatchObject({ ok: false, line: 5 });
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

/** Fields with Maps turned into entry lists, so key order counts in comparisons. */
function plain(fields: Fields): unknown {
  const value = (v: YamlValue): unknown => (v instanceof Map ? ['map', [...v].map(([k, x]) => [k, value(x)])] : Array.isArray(v) ? v.map(value) : v);
  return [...fields].map(([k, f]) => [k, f.line, value(f.value)]);
}

/** The simple, mixed and tree paths each either decline or give exactly what the document path gives. */
function sameAsDocument(yaml: string): { tree: boolean; mixed: boolean } {
  const simple = parseSimple(yaml, 2);
  const mixed = parseMixed(yaml, 2);
  const tree = parseTree(yaml, 2);
  const taken = { tree: !!tree, mixed: !!mixed };
  if (!simple && !mixed && !tree) return taken;
  const reference = parseDocumentHead(yaml, 2);
  expect(reference, yaml).toMatchObject({ ok: true });
  const expected = plain((reference as { fields: Fields }).fields);
  if (simple) expect(plain(simple), yaml).toEqual(expected);
  if (mixed) expect(plain(mixed), yaml).toEqual(expected);
  if (tree) expect(plain(tree), yaml).toEqual(expected);
  return taken;
}

const synthHeads = (count: number): string[] => {
  const heads: string[] = [];
  for (const a of synthArticles(count)) {
    const split = splitFrontMatter(a.text);
    if (split.ok) heads.push(split.yaml);
  }
  return heads;
};

describe('the fast front-matter paths against the document model', () => {
  it('reads every head of a synthetic newsroom store as the document path does', () => {
    const heads = synthHeads(1500);
    expect(heads.length).toBeGreaterThan(1000);
    const taken = heads.map(sameAsDocument);
    expect(taken.filter((p) => p.tree).length).toBe(heads.length);
    // Most newsroom heads mix simple lines with author mappings or tag lists.
    expect(taken.filter((p) => p.mixed).length).toBeGreaterThan(heads.length / 2);
  });

  it.each([
    'a: b\n\tc: d', 'a:\tb', 'a: b # c', '# c\na: b', 'a: b\na: c', 'author:\n  name: x\n  name: y', 'a: &x b\nc: *x', 'a: !!str b',
    'a: b\n  c', 'a: "b\n  c"', 'a: [b,\n  c]', 'author:\n  name: x\n   email: y', 'author:\n    name: x\n  email: y', '? a\n: b',
    '<<: {a: b}', 'author: {1: a, name: b}', 'author:\n  1: a\n  name: b', '__proto__: x\nauthor: {__proto__: y, name: z}', 'a:\nb: c',
    'a: ""', "a: ''", 'a: |+\n  x\n\n', 'a: >2\n   x\n', 'a: |\n x\n  y\n', 'a: "\\q"', 'a: "open', "a: 'open", 'a: [b, ]', 'a: [b, , c]',
    'a: [b: c]', 'a: {b:c}', 'a: {"b":c}', 'a: b\r\nc: d', 'a: b   \nc: d  ', 'a:\n- \n- b', 'a:\n- b\n- c\nd: e', 'a:\n  - - b',
    `${'k'.repeat(1100)}: v`, 'a: b: c', 'a: -b', 'a: - b', 'a:\n  b: c\n d: e', 'a: [b]x', 'a: {b: c}}', 'a: @b', 'a: `b', 'a: %b',
    '- a\n- b', 'a', '', '\n\na: b', 'a: b\n\n\n', 'tags:\n  - a\n  -b', 'author:\n  - name: a\n    email: b\n  - c', 'a: >-\n  x\n  y\nb: c',
    'a: |-\n\tx', 'a: "x\\ty"', "a: 'it''s'", 'a: {b: [c]}', 'a: [{b: c}]', 'a: { b: c, b: d }', 'a: [ "x" , y ]', 'a:  \n  b: c',
    'a:\n\n  b: c', 'a:\n  - b\n\n  - c', 'date: 2021-01-12T18:57:\t36', 'a: b:\tc',
    'a: |+\n  x\n\nb: c', 'a: |+\n  x\n\n\nb: c\n', 'a: >\n  x\n\n  y\nb: c', 'a: x\n  y\nb: c', 'b: c\na:\n  - x\n# c\nd: e', 'b: c\na:\n  - x\n  # c\nd: e',
    "title: 'a''\ndate: x'\nlang: fr", "author:\n  name: a\ntitle: 'a''\ndate: x\n", 'tags: [a,\ndate: b]\nlang: fr', 'author: {name: a,\ndate: b}', 'a: |+\n  x',
    'a: >-\n  x\n  y\n', 'a: >\n  x\n  y\n', 'a: |\n  x\n  y\n', 'a: |-\n  x\n  y', 'a: >-\n  x \n  y\n', 'a: >-\n  x\n   y\n', 'a: >\n  x\n  y\n\n',
    'a: >-\n  x\n y\n', 'a: >-\n  # x\n  y: z\n', 'a: >\n  x', 'a: |\n  x\n\nb: c\n', 'a: { b: c , d: "e, f" }', "a: {b: 'c''d'}", 'a: { b: c  d }', 'a: { b: c #d }',
    'a: {b: c}, d', 'a: { b: c, }', 'a: {}', 'a: { }', 'a: { b: [c] }', 'a: { b: c:d }', 'a: { b: "c" d }', 'a:\n  - b: c\n    d: e\n  - f', 'a:\n  - b: c\n   d: e',
    'a:\n  - b: c\n      d: e', 'a:\n  - b: c\n    b: e', 'a:\n  b: [c, d]\n  e: "f"', 'a:\n  - [b, c]', 'a:\n - b\n - c', 'a:\n  - b\n   - c', 'a:\n  - b\n  c: d',
    'a:\n  b: c\n  - d', 'a:\n  - b:\n    c: d', 'a:\n  - http://b\n  - c:d', 'a:\n  b: c\n  b: d', 'a:\n  b: c\n   d', 'a:\n  b: c\n\n  d: e',
    'a: ["b", c]', "a: ['b''c' , \"d, e\"]", 'a: ["b"c]', 'a: ["b",]', 'a: [ "b" ]x', 'a: ["b\\"c"]', 'a: ["b\\n"]', 'a: [b}]', 'a: { b: c] }', 'a: [b #c]',
    'a:\n \u00a0b: c', 'a:\n  b: c\n \u00a0d: e', 'a: >-\n \u00a0x\n  y\n', 'a:\n  - b: c\n   \u00a0d: e', 'a:\n\u00a0 b: c',
    'b: c\na: { x: y }\nb: d', 'a: [x]\nb:\n  c: d\na: e', 'b: c\n a: d', 'b: c\na:\nd: e', 'a:\n  b: c\n\n\n', 'x: y\nauthor:\n  name: a\n  name: b', 'a: b\n c: d', 'a: "é\\u00e9\\x41"', 'a: !x', 'a: &', 'a: *', 'a: [b, c]]', 'a: ]', 'a: }',
  ])('declines or agrees on %j', (yaml) => {
    sameAsDocument(yaml);
  });

  it('declines or agrees on 4 000 random edits of newsroom heads', () => {
    const rand = random(12);
    const pieces = [':', ': ', '-', '- ', '#', ' #', '\t', "'", '"', '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '\n', '  ', '?', '\\', '%', '@', '`', 'é', '’', '\u00a0', '>-\n  ', '\n  - ', '{ a: b }'];
    const heads = synthHeads(400);
    let tree = 0;
    let mixed = 0;
    for (let n = 0; n < 4000; n++) {
      let yaml = heads[Math.floor(rand() * heads.length)]!;
      for (let edits = 1 + Math.floor(rand() * 3); edits > 0; edits--) {
        const at = Math.floor(rand() * yaml.length);
        const lines = yaml.split('\n');
        const line = Math.floor(rand() * lines.length);
        const r = rand();
        if (r < 0.45) yaml = yaml.slice(0, at) + pieces[Math.floor(rand() * pieces.length)]! + yaml.slice(at);
        else if (r < 0.6) yaml = yaml.slice(0, at) + yaml.slice(at + 1);
        else if (r < 0.7) yaml = [...lines.slice(0, line + 1), lines[line]!, ...lines.slice(line + 1)].join('\n');
        else if (r < 0.85) yaml = lines.map((l, i) => (i === line ? ` ${l}` : l)).join('\n');
        else yaml = lines.map((l, i) => (i === line ? l.replace(/^ /, '') : l)).join('\n');
      }
      const taken = sameAsDocument(yaml);
      if (taken.tree) tree++;
      if (taken.mixed) mixed++;
    }
    // Most edits keep a head the fast paths read; the comparisons above then had something to compare.
    expect(tree).toBeGreaterThan(1000);
    expect(mixed).toBeGreaterThan(1000);
  });
});
