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

  it('normalises attribute values as XML 1.0 §3.3.3 says: line ends and tabs become spaces, references are decoded after', () => {
    const a = parseXml(enc('<a plain="https://e.org/p?q=1" tab="x\ty" lines="1\r\n2\n3\r4" ref="x&#9;y&#xD;z" amp="p&amp;q"/>'), 'f').doc?.root;
    expect(Object.fromEntries(a?.attrs.map((x) => [x.name, x.value]) ?? [])).toEqual({
      plain: 'https://e.org/p?q=1', tab: 'x y', lines: '1 2 3 4', ref: 'x\ty\rz', amp: 'p&q',
    });
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
    [`<a ${Array.from({ length: 9 }, (_, k) => `a${k}="${k}"`).join(' ')} a3="again"/>`, 'well-formed', 1, 67],
    ['<a></b>', 'well-formed', 1, 4],
    ['<a>', 'well-formed', 1, 4],
    ['<?xml version="1.0" encoding="UTF-8"><a/>', 'well-formed', 1, 1],
    ['<a b=1/>', 'well-formed', 1, 6],
  ] as const)('%j -> %s at %i:%i', (xml, kind, line, column) => {
    expect(first(xml)).toMatchObject({ kind, line, column });
  });

  it('tells a repeated attribute however many attributes come before it', () => {
    const many = Array.from({ length: 9 }, (_, k) => `a${k}="${k}"`).join(' ');
    for (const xml of ['<a a3="1" a3="again"/>', `<a ${many} a3="again"/>`]) {
      expect(parseXml(enc(xml), 'f').problems.map((p) => p.message)).toContain('attribute a3 is repeated on <a>');
    }
  });

  it('rejects every document fast-xml-parser\'s validator rejects, so that validator need not run too', () => {
    const bases = [
      `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="fr">\n  <title type="text">L’AFP &#x26; «\u00a0nous\u00a0»</title>\n  <link rel="self" href="https://e.org/atom.xml?a=1&amp;b=2"/>\n  <entry>\n    <id>tag:e.org,2020:a</id>\n    <content type="html"><![CDATA[<p>x &amp; y</p>]]></content>\n    <media:content url="https://e.org/i.jpg" medium="image"/>\n  </entry>\n</feed>\n`,
      `<?xml version="1.0"?>\n<!-- a comment -->\n<?xml-stylesheet href="feed.xsl" type="text/xsl"?>\n<rss version="2.0"><channel><title>A &lt; B</title><item><guid isPermaLink='false'>1</guid><description>&#233;t&#xE9;</description></item></channel></rss>\n`,
    ];
    const tokens = ['<', '>', '&', '"', "'", '/', '=', '!', '?', '-', '[', ']', ' ', '\n', '\t', '\r', 'a', ':', ';', '#', 'x', '1', '.', 'é', '\u0001', '\uFFFE', '\uD800', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#x', '&#0;', '&nbsp;', '</', '/>', '<b>', '</b>', '<b/>', 'xmlns:p="u"', 'p:', '<a:b:c>', '< ', ' =', '<?', '?>', '<!', '<?xml'];
    // A fixed seed: the same documents every run.
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const mutate = (text: string): string => {
      let out = text;
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(out.length + 1);
        const op = random(4);
        if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + random(3));
        else if (op === 1) out = out.slice(0, at) + tokens[random(tokens.length)] + out.slice(at);
        else if (op === 2) out = out.slice(0, at) + out.slice(random(out.length)).slice(0, random(20)) + out.slice(at);
        else out = out.slice(0, at) + tokens[random(tokens.length)] + out.slice(at + 1);
      }
      return out;
    };
    let rejected = 0;
    const missed: string[] = [];
    for (let n = 0; n < 4000; n++) {
      const xml = mutate(bases[n % bases.length]!);
      if (XMLValidator.validate(xml, { allowBooleanAttributes: false }) === true) continue;
      rejected++;
      if (!kinds(xml).includes('well-formed')) missed.push(xml);
    }
    expect(missed).toEqual([]);
    // Enough of the mutants are malformed for the comparison to mean something.
    expect(rejected).toBeGreaterThan(2000);
  });

  it('finds what fast-xml-parser\'s validator lets through', () => {
    // Each of these passes XMLValidator.validate; the scan exists for them.
    for (const xml of ['<a b="<"/>', '<a/><b/>', '<a><!-- -- --></a>', '<a>&nbsp;</a>']) {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(kinds(xml).length).toBeGreaterThan(0);
    }
  });

  it('refuses what Namespaces in XML 1.0 forbids, as namespace-aware readers do, and still builds the tree', () => {
    const problems = (xml: string): string[] => parseXml(enc(xml), 'f').problems.map((p) => `${p.kind} ${p.line}:${p.column} ${p.message}`);
    expect(problems('<rss>\n<x:a xmlns:x="urn:a" xmlns:y="urn:a" x:v="1" y:v="2"/></rss>')).toEqual(['well-formed 2:1 element <x:a>: attributes x:v and y:v are both {urn:a}v (Namespaces in XML 1.0 §6.3)']);
    expect(problems('<rss xmlns:x=""/>')).toEqual([expect.stringMatching(/^well-formed 1:1 xmlns:x="" undeclares a prefix/)]);
    expect(problems('<rss><xmlns:a/></rss>')).toEqual([expect.stringMatching(/the prefix xmlns is reserved/)]);
    expect(problems('<rss xmlns:xml="urn:other"/>')).toEqual([expect.stringMatching(/the prefix xml is bound to/)]);
    expect(parseXml(enc('<rss xmlns:x=""/>'), 'f').doc?.root.name).toBe('rss');
    // The same local name in two namespaces, or the xml prefix bound to its own namespace, is fine.
    expect(problems('<a xmlns:x="urn:a" xmlns:y="urn:b" x:v="1" y:v="2" v="3" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>')).toEqual([]);
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

  it('reads UTF-16 without a byte order mark or a declaration, and reports it: only UTF-8 may go undeclared (XML 1.0 §4.3.3)', () => {
    const s = '<?xml version="1.0"?><a>é</a>';
    const be = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) be.set([s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff], 2 * i);
    const decoded = decodeXml(be);
    expect(decoded.text).toBe(s);
    expect(decoded.problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/^the bytes are UTF-16BE with neither a byte order mark nor an encoding declaration/) })]);
  });

  it('names the encoding a byte order mark imposed when the bytes do not decode in it, not the contradicting declaration', () => {
    const problems = decodeXml(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), 0xe9, ...enc('</a>')])).problems;
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/byte order mark says UTF-8 but the declaration says "ISO-8859-1"/),
      expect.stringMatching(/^the bytes are not valid UTF-8 \(byte order mark\)/),
    ]);
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
