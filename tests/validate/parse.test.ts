import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decodeXml, parseXml } from '../../src/validate/parse.js';
import { NS, type XmlProblemKind } from '../../src/validate/xml.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const kinds = (s: string | Uint8Array): XmlProblemKind[] => parseXml(typeof s === 'string' ? enc(s) : s, 'f').problems.map((p) => p.kind);
const first = (s: string) => parseXml(enc(s), 'f').problems[0];

describe('parseXml: the element tree', () => {
  const { doc } = parseXml(
    enc(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:a="http://www.w3.org/2005/Atom">
  <channel>
    <title>A &amp; B &#233; &#x1F600;</title>
    <description><![CDATA[<p>x</p>]]> and &lt;text&gt;</description>
    <a:link href="https://e.org/?a=1&amp;b=2" rel='self'/>
    <item xmlns="urn:other"><x:y xmlns:x="urn:x" x:z="1"/></item>
  </channel>
</rss>`),
    'f.xml',
  );
  const channel = doc?.root.children[0];

  it('decodes the five entities and numeric references, and keeps CDATA as text', () => {
    expect(channel?.children[0]?.text).toBe('A & B é 😀');
    expect(channel?.children[1]?.text).toBe('<p>x</p> and <text>');
    expect(channel?.children[1]?.cdata).toBe(true);
    expect(channel?.children[0]?.cdata).toBe(false);
  });

  it('gives every element its 1-based line and column', () => {
    expect([doc?.root.line, doc?.root.column]).toEqual([2, 1]);
    expect([channel?.children[2]?.line, channel?.children[2]?.column]).toEqual([6, 5]);
  });

  it('resolves prefixes and default namespaces, including on attributes', () => {
    const link = channel?.children[2];
    expect([link?.local, link?.ns, link?.prefix]).toEqual(['link', NS.atom, 'a']);
    expect(link?.attrs.find((a) => a.local === 'href')?.value).toBe('https://e.org/?a=1&b=2');
    const item = channel?.children[3];
    expect(item?.ns).toBe('urn:other');
    expect(item?.children[0]?.ns).toBe('urn:x');
    expect(item?.children[0]?.attrs.find((a) => a.local === 'z')?.ns).toBe('urn:x');
    expect(doc?.undeclaredPrefixes).toEqual([]);
  });

  it('reads the declaration', () => {
    expect(doc?.declaration).toMatchObject({ version: '1.0', encoding: 'UTF-8', line: 1, column: 1 });
  });

  it('treats the xml: prefix as predeclared and records undeclared prefixes where first used', () => {
    const r = parseXml(enc('<rss xml:lang="en">\n<channel><dc:creator/><dc:creator/></channel></rss>'), 'f');
    expect(r.doc?.root.attrs[0]?.ns).toBe(NS.xml);
    expect(r.doc?.undeclaredPrefixes).toEqual([{ prefix: 'dc', line: 2, column: 10 }]);
  });
});

describe('parseXml: document problems, each with a line and column', () => {
  it.each([
    ['<a>&nbsp;</a>', 'undefined-entity', 1, 4],
    ['<a b="<"/>', 'well-formed', 1, 7],
    ['<a/>\n<b/>', 'well-formed', 2, 1],
    ['<a>\n\u000c</a>', 'illegal-char', 2, 1],
    ['<a>&#x1B;</a>', 'illegal-char', 1, 4],
    ['<a>&#0;</a>', 'illegal-char', 1, 4],
    ['<a>x ]]> y</a>', 'cdata-end', 1, 6],
    ['\n<?xml version="1.0"?><a/>', 'declaration-position', 2, 1],
    ['<a><!-- a -- b --></a>', 'well-formed', 1, 11],
    ['<a>fish & chips</a>', 'well-formed', 1, 9],
    ['<a b="1" b="2"/>', 'well-formed', 1, 10],
    ['<a></b>', 'well-formed', 1, 4],
    ['<a>', 'well-formed', 1, 4],
    ['<?xml version="1.0" encoding="UTF-8"><a/>', 'well-formed', 1, 1],
    ['<a b=1/>', 'well-formed', 1, 6],
  ] as const)('%j -> %s at %i:%i', (xml, kind, line, column) => {
    expect(first(xml)).toMatchObject({ kind, line, column });
  });

  it('finds what fast-xml-parser\'s validator lets through', () => {
    // Each of these passes XMLValidator.validate; the scan exists for them.
    for (const xml of ['<a b="<"/>', '<a/><b/>', '<a><!-- -- --></a>', '<a>&nbsp;</a>']) {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(kinds(xml).length).toBeGreaterThan(0);
    }
  });

  it('accepts well-formed oddities', () => {
    for (const xml of [
      '<?xml version="1.0"?>\n<!-- before -->\n<?pi data?>\n<a><![CDATA[ <not> &markup; ]]></a>\n<!-- after -->\n',
      "<a b='1' c=\"it's\" d='say \"hi\"'/>",
      '<a>&#x10FFFF; &#9; &#xD;</a>',
      '<!DOCTYPE a SYSTEM "a.dtd"><a/>',
      '<a>\r\n</a>',
    ]) expect(kinds(xml)).toEqual([]);
  });
});

describe('decodeXml: encodings', () => {
  const latin1 = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

  it('decodes declared ISO-8859-1 and windows-1252', () => {
    expect(decodeXml(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>')).text).toContain('café');
    expect(decodeXml(Uint8Array.from([...enc('<?xml version="1.0" encoding="windows-1252"?><a>'), 0x93, 0x94, ...enc('</a>')])).text).toContain('“”');
  });

  it('decodes UTF-16 with a byte order mark, both endians', () => {
    const s = '<?xml version="1.0" encoding="UTF-16"?><a>é</a>';
    const le = new Uint8Array(2 + s.length * 2);
    const be = new Uint8Array(2 + s.length * 2);
    le.set([0xff, 0xfe]);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      le.set([c & 0xff, c >> 8], 2 + 2 * i);
      be.set([c >> 8, c & 0xff], 2 + 2 * i);
    }
    expect(decodeXml(le)).toMatchObject({ text: s, hasBom: true, problems: [] });
    expect(decodeXml(be)).toMatchObject({ text: s, hasBom: true, problems: [] });
  });

  it('reports bytes that are not the declared (or default UTF-8) encoding', () => {
    expect(kinds(latin1('<a>caf\u00e9</a>'))).toEqual(['encoding']);
    expect(kinds(latin1('<?xml version="1.0" encoding="UTF-8"?><a>caf\u00e9</a>'))).toEqual(['encoding']);
    expect(kinds(latin1('<?xml version="1.0" encoding="US-ASCII"?><a>caf\u00e9</a>'))).toEqual(['encoding']);
    expect(kinds(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')]))).toEqual(['encoding']);
    expect(kinds(enc('<?xml version="1.0" encoding="UTF-16"?><a/>'))).toEqual(['encoding']);
    expect(kinds(enc('<?xml version="1.0" encoding="no-such-thing"?><a/>'))).toEqual(['encoding']);
  });

  it('points at the first byte that is not in a declared ASCII file', () => {
    const bytes = latin1('<?xml version="1.0" encoding="us-ascii"?>\n<rss>\n <title>\u00a3</title>\n</rss>');
    expect(parseXml(bytes, 'f').problems).toEqual([expect.objectContaining({ kind: 'encoding', line: 3, column: 9 })]);
  });

  it('strips a UTF-8 byte order mark and remembers it', () => {
    const r = parseXml(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('<?xml version="1.0" encoding="utf-8"?><a/>')]), 'f');
    expect(r.problems).toEqual([]);
    expect(r.doc?.hasBom).toBe(true);
    expect(r.doc?.text.startsWith('<?xml')).toBe(true);
  });
});
