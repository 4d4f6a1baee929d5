/**
 * Shared by the renderer tests: golden-file comparison and a strict XML re-parse.
 * Regenerate the golden files after an intended output change with
 *   UPDATE_GOLDEN=1 npx vitest run tests/render
 * then review the diff before committing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const path = `${fixtures}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** Elements that may repeat are always arrays, so tests index them the same way. */
const REPEATED = {
  rss: new Set(['item', 'category', 'dc:creator', 'atom:link', 'media:content']),
  atom: new Set(['entry', 'category', 'author', 'link', 'media:content']),
};

/** Well-formedness first, then a plain object view. */
export function parseXml(xml: string, format: 'rss' | 'atom'): Record<string, any> {
  expect(XMLValidator.validate(xml)).toBe(true);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    // Decodes numeric character references (`&#x26;`) as well as the five XML entities.
    htmlEntities: true,
    isArray: (name) => REPEATED[format].has(name),
  }).parse(xml);
}

/** XML 1.0 `Char` excluded: C0 controls but TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
export const ILLEGAL_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Named references other than the five XML ones are fatal in XML (`&nbsp;`). */
export const NON_XML_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#x[0-9A-Fa-f]+|#[0-9]+);)/;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The raw XML with CDATA sections removed: what is left is markup and escaped text. */
export function outsideCdata(xml: string): string {
  return xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
}

/** Text of an element that may carry attributes. */
export function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object' && '#text' in node) return String((node as { '#text': unknown })['#text']);
  return '';
}
