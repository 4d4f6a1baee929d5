/**
 * The validator builds a well-formed document's tree while scanning it, and asks fast-xml-parser
 * for the tree of a malformed one. Both must give the same tree for the same document: every
 * XML fixture of the test suite, and the corners written out below, are built both ways.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTree, decodeXml, parseXml } from '../../src/validate/parse.js';
import type { XmlElement } from '../../src/validate/xml.js';
import { LineIndex } from '../../src/values/lines.js';

const tests = fileURLToPath(new URL('..', import.meta.url));

/** A tree as plain data, checking on the way that each child points back to its parent. */
function plain(el: XmlElement): unknown {
  for (const child of el.children) expect(child.parent).toBe(el);
  const { name, local, ns, prefix, attrs, text, cdata, line, column } = el;
  return { name, local, ns, prefix, attrs, text, cdata, line, column, children: el.children.map(plain) };
}

function bothTrees(bytes: Uint8Array): { scanned: unknown; parsed: unknown; prefixes: [string[], string[]] } {
  const { doc, problems } = parseXml(bytes, 'f.xml');
  expect(problems.filter((p) => p.kind === 'well-formed')).toEqual([]);
  const { text } = decodeXml(bytes);
  const parsed = buildTree(text, new LineIndex(text));
  return {
    scanned: plain(doc!.root),
    parsed: plain(parsed!.root),
    prefixes: [doc!.undeclaredPrefixes.map((u) => u.prefix).sort(), parsed!.undeclared.map((u) => u.prefix).sort()],
  };
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : xmlFiles(path);
    return /\.(xml|atom|rss|opml)$/.test(d.name) ? [path] : [];
  });
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('the tree built while scanning is the tree fast-xml-parser gives', () => {
  const fixtures = xmlFiles(tests).filter((file) => {
    // Only the documents the scan accepts get their tree from it.
    const { doc, problems } = parseXml(readFileSync(file), file);
    return doc !== undefined && !problems.some((p) => p.kind === 'well-formed' || p.kind === 'limit');
  });

  it('covers the XML fixtures of the test suite', () => {
    expect(fixtures.length).toBeGreaterThan(200);
  });

  it.each(fixtures.map((f) => [f.slice(tests.length)]))('%s', (rel) => {
    const { scanned, parsed, prefixes } = bothTrees(readFileSync(join(tests, rel)));
    expect(scanned).toEqual(parsed);
    expect(prefixes[0]).toEqual(prefixes[1]);
  });

  const corners: Record<string, string> = {
    'namespaces declared, redeclared and undeclared': `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="urn:m"><entry xmlns="urn:other" m:a="1"><m:x xmlns:m="urn:m2" m:b="2"/><q:y q:c="3"/></entry><z:w/></feed>`,
    'text around comments, PIs and CDATA, entities, whitespace': `<a>\n  x &amp; y<!-- c --> z<?pi data?><![CDATA[ <b>&amp;</b> ]]>&#233;&#x1F600;\n  <b/>\n\t</a>`,
    'attribute values with entities, tabs and line breaks': `<a x="1&amp;2&lt;3" y='a\tb\nc\r\nd' z="&#10;"/>`,
    'a DOCTYPE and comments before the root, lines counted': `<?xml version="1.0"?>\n<!DOCTYPE rss [<!-- a ] and a " -->]>\n<!-- before -->\n<rss>\n<c>\r\n<i a="1">t</i></c></rss>\n<!-- after -->`,
    'elements with the same name nested': `<a><a><a>x</a>y</a>z</a>`,
  };
  it.each(Object.keys(corners))('%s', (name) => {
    const { scanned, parsed, prefixes } = bothTrees(enc(corners[name]!));
    expect(scanned).toEqual(parsed);
    expect(prefixes[0]).toEqual(prefixes[1]);
  });
});

describe('a document the scan rejects', () => {
  it('still gets a tree from the parser, so the rules say what they can', () => {
    const { doc, problems } = parseXml(enc('<rss version="2.0"><channel><title>A & B</title></channel></rss>'), 'f.xml');
    expect(problems.some((p) => p.kind === 'well-formed')).toBe(true);
    expect(doc?.root.name).toBe('rss');
    expect(doc?.root.children[0]?.children[0]?.name).toBe('title');
  });
});
