import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { cdataEl, el, parseXmlTree, serializeXml, textEl } from '../../src/render/xml.js';
import { stripIllegalXmlChars } from '../../src/values/xml-chars.js';

const roundTrip = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', trimValues: false, parseTagValue: false, htmlEntities: true }).parse(xml).r;
};

describe('stripIllegalXmlChars', () => {
  test.each([
    ['backspace and form feed', 'a\u0008b\u000Cc', 'abc'],
    ['NUL, vertical tab and unit separator', '\u0000x\u000By\u001F', 'xy'],
    ['U+FFFE and U+FFFF', 'p\uFFFEq\uFFFF', 'pq'],
    ['lone surrogates', 'l\uD800m\uDC00n', 'lmn'],
  ])('removes %s', (_name, input, output) => {
    expect(stripIllegalXmlChars(input)).toBe(output);
  });

  test('keeps tab, newlines, NBSP, typographic quotes and astral characters', () => {
    const text = 'a\tb\nc\rd\u00a0«’» \u{1F4F0}';
    expect(stripIllegalXmlChars(text)).toBe(text);
  });
});

describe('serializeXml', () => {
  test('splits every ]]> in a CDATA section so the text parses back unchanged', () => {
    const html = '<p>a]]>b]]>c]]></p>';
    const xml = serializeXml(el('r', {}, [cdataEl('c', html)]));
    expect(xml.match(/]]]]><!\[CDATA\[>/g)).toHaveLength(3);
    expect(roundTrip(xml).c).toBe(html);
  });

  test('escapes text so &, < and > (and ]]>) parse back as written', () => {
    const text = 'A & B < C > D ]]> &amp; &#38;';
    const xml = serializeXml(el('r', {}, [textEl('t', text)]));
    expect(xml).toContain('<t>A &#x26; B &#x3C; C &#x3E; D ]]&#x3E; &#x26;amp; &#x26;#38;</t>');
    expect(roundTrip(xml).t).toBe(text);
  });

  test('escapes attribute values, keeping quotes, ampersands and newlines', () => {
    const value = 'x="1" & y<2 > z\n\tend';
    expect(roundTrip(serializeXml(el('r', {}, [el('a', { v: value })]))).a['@v']).toBe(value);
  });

  test('drops XML-illegal characters from text, CDATA and attributes', () => {
    const xml = serializeXml(el('r', { v: 'a\u0008' }, [textEl('t', 'b\u0008'), cdataEl('c', 'c\u0008')]));
    expect(xml).not.toContain('\u0008');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  test('writes a carriage return in HTML as a reference so it survives parsing', () => {
    const html = '<p>line\r\nnext</p>';
    expect(roundTrip(serializeXml(el('r', {}, [cdataEl('c', html)]))).c).toBe(html);
  });

  test('leaves out undefined attributes and writes the prolog once, with a final newline', () => {
    expect(serializeXml(el('r', { a: undefined, b: '1' }), { stylesheet: 'feed.xsl' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="feed.xsl"?>\n<r b="1"/>\n',
    );
  });
});

describe('parseXmlTree', () => {
  test('reads elements, attributes, text and CDATA back into a tree that serializes the same', () => {
    const tree = el('r', { a: '1 & 2 "3"\n' }, [textEl('t', 'x < y & &amp;#38;\r'), cdataEl('c', '<b>bold</b>'), el('e')]);
    const xml = serializeXml(tree);
    expect(parseXmlTree(xml)).toEqual(tree);
  });
});
