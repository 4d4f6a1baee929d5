/**
 * Values that name a feed of the set (tags, author names): one key per value whatever its
 * case, Unicode normalisation or spacing, a spelling to show, and a slug for its folder.
 * Pure and locale-independent: the same values give the same keys and slugs on any machine.
 */
import { plainText } from './text.js';

/**
 * The spelling as written, cleaned: control characters removed, spaces collapsed and trimmed,
 * NFC (so a combining accent and a precomposed one are the same text).
 */
export function cleanLabel(value: string): string {
  const text = plainText(value);
  return /^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFC');
}

/**
 * The key two spellings share when they are one value: the cleaned label, case-folded.
 * Upper then lower case approximates Unicode full case folding without a table
 * ("Straße" and "STRASSE" fold alike, Greek final sigma too), and NFC again because case
 * mapping may decompose. Dotless ı folds with i, as upper case gives I for both: a tag does not
 * know its language, and Turkish "Irak", "IRAK" and "ırak" are one word (two Turkish words that
 * differ only by the dot, "sınır" and "sinir", are one tag: the lesser harm).
 */
export function foldKey(value: string): string {
  const label = cleanLabel(value);
  if (/^[\x20-\x7e]*$/.test(label)) return label.toLowerCase();
  return label.toUpperCase().toLowerCase().normalize('NFC');
}

/** What makes two values look alike on screen while they are two: characters that show nothing, and compatibility forms (full-width letters). */
export function lookalikeKey(key: string): string {
  return foldKey(key.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, ''));
}

/** A label with the characters that show nothing written as code points, so that a message tells two look-alikes apart. */
export function visibleLabel(label: string): string {
  return label.replace(/[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

/**
 * An item's tags as plain text, blank ones dropped, in the order written, each tag once: two
 * spellings of one tag (`Économie`, `économie`) are one tag feed, and one category in the item.
 */
export function cleanTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = plainText(tag);
    const key = foldKey(clean);
    if (clean && !seen.has(key)) {
      seen.add(key);
      out.push(clean);
    }
  }
  return out;
}

/** Longest slug, in code points: 60 characters of any script stay within the 255 bytes file systems allow for a name. */
const MAX_SLUG = 60;

/** FNV-1a over UTF-16 code units, as 8 hex digits: short, stable, dependency-free. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The folder name of a value: its key with letters, marks and digits of every script kept
 * ("économie", "straße", "οικονομία", "経済", "اقتصاد"), every other run of characters made
 * one `-`. A key with no letter or digit at all gets its hash, so it still has a stable folder.
 * Written as an IRI; URLs percent-encode it.
 */
export function slugForKey(key: string): string {
  const slug = Array.from(key.replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '')).slice(0, MAX_SLUG).join('').replace(/-+$/, '');
  return slug === '' ? shortHash(key) : slug;
}

/**
 * The spelling shown for a value written several ways: the one most articles use; on a tie,
 * the one of the first file in path order (stable from build to build), then code-point order.
 * Each spelling maps to [articles, first file].
 */
export function preferredLabel(spellings: ReadonlyMap<string, readonly [count: number, firstFile: string]>): string {
  let best: string | undefined;
  let bestCount = -1;
  let bestFile = '';
  for (const [label, [count, file]] of spellings) {
    const better = count > bestCount || (count === bestCount && (file < bestFile || (file === bestFile && best !== undefined && label < best)));
    if (better) {
      best = label;
      bestCount = count;
      bestFile = file;
    }
  }
  return best ?? '';
}
