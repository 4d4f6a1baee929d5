/**
 * Plain text for titles, names and tags. Apart from content.ts so that what needs only these
 * (the configuration, archive pages, tags) does not load the Markdown renderer and sanitizer.
 */
import { stripIllegalXmlChars as stripXmlIllegal } from '../values/xml-chars.js';

/**
 * True when `text` shows nothing: only spaces of any kind, invisible format characters (zero-width
 * space and joiner, direction marks, BOM) and the other characters Unicode says to show as nothing
 * (variation selectors, the combining grapheme joiner, Hangul fillers).
 */
export function isBlank(text: string): boolean {
  return !/[^\s\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(stripXmlIllegal(text));
}

/** Plain text for titles and names: illegal characters out, runs of whitespace to one space (NBSP kept: French typography needs it). */
export function plainText(text: string): string {
  return stripXmlIllegal(text).replace(/[ \t\n\r\f\v\u2028\u2029]+/g, ' ').trim();
}
