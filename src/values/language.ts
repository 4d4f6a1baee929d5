/**
 * Language tags: BCP 47 (RFC 5646) as JSON Feed, RSS `language` and the configuration use them,
 * and the looser RFC 3066 grammar that Atom (RFC 4287 §2, §4.2.7.4) and xml:lang refer to.
 * Syntax only, plus ISO 639-1 for RSS's two-letter codes.
 */

/** ISO 639-1 two-letter codes (plus deprecated ones still seen in feeds: iw, in, ji, jw, mo, sh). */
const ISO639_1 = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ' +
    'ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my ' +
    'na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ' +
    'ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu iw in ji jw mo sh'
  ).split(' '),
);

/** RFC 5646 `langtag` (syntax), plus private-use `x-…` and grandfathered `i-…` tags. */
const BCP47 =
  /^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*(?:-x(?:-[A-Za-z0-9]{1,8})+)?|x(?:-[A-Za-z0-9]{1,8})+|i-[A-Za-z]{2,8})$/;

/** A BCP 47 language tag (syntax only), as used by `xml:lang`, Atom `hreflang` and JSON Feed `language`. */
export function isLanguageTag(value: string): boolean {
  return BCP47.test(value) || GRANDFATHERED.test(value);
}

// Irregular grandfathered tags (RFC 5646 §2.2.8) the shared syntax check does not list.
const GRANDFATHERED = /^(?:en-gb-oed|i-[a-z]{2,8}|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn|zh-(?:guoyu|hakka|min|min-nan|xiang))$/i;

/** Why a value is not a well-formed BCP 47 tag (`en_US` is the usual slip), or undefined when it is one. */
export function languageTagProblem(value: string): string | undefined {
  if (isLanguageTag(value)) return undefined;
  if (value.includes('_')) return `use - not _ (${value.replace(/_/g, '-')})`;
  if (value.trim() !== value) return 'remove the surrounding spaces';
  return 'not a well-formed RFC 5646 language tag (e.g. en, en-US, fr-CA)';
}

/**
 * A tag that every format publishes as an item's or a feed's language: well-formed, and its
 * primary subtag a language of ISO 639 (two letters from the list, or three). The others are
 * well-formed but fail RSS `language` (RSS-DT-040) or name no language: private-use `x-…`,
 * grandfathered `i-…`, and four to eight letters (`english`), which no registry assigns.
 */
export function isPublishableLanguage(raw: string): boolean {
  const value = raw.trim();
  if (!BCP47.test(value)) return false;
  const primary = (value.split('-')[0] as string).toLowerCase();
  return primary.length === 3 || (primary.length === 2 && ISO639_1.has(primary));
}

/** RFC 3066 `Language-Tag` (1*8ALPHA *("-" 1*8alphanum)), the grammar Atom and xml:lang name. */
export const isRfc3066Tag = (value: string): boolean => /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(value);

/**
 * RSS `language`: an RSS/Netscape code (`en-us`) or a W3C code whose primary subtag is ISO 639
 * (two letters from the list, or three letters for ISO 639-2/3).
 */
export function isRssLanguage(raw: string): boolean {
  const value = raw.trim();
  if (!isLanguageTag(value)) return false;
  const primary = (value.split('-')[0] as string).toLowerCase();
  if (primary === 'x' || primary === 'i') return true;
  if (primary.length === 2) return ISO639_1.has(primary);
  return primary.length === 3;
}

/**
 * The primary subtag of a well-formed tag that names no language: two letters not in ISO 639-1 (`fe`, `xx`), or four
 * or more (`english`; RFC 5646 §2.2.1 reserves four letters and registers few of five to eight). Three letters
 * (ISO 639-2/3) and private use pass: only the IANA registry could tell those.
 */
export function unknownLanguage(value: string): string | undefined {
  const tag = value.trim();
  if (tag === '' || !isLanguageTag(tag) || GRANDFATHERED.test(tag)) return undefined;
  const primary = (tag.split('-')[0] as string).toLowerCase();
  if (primary === 'x' || primary === 'i' || primary.length === 3) return undefined;
  return primary.length === 2 && ISO639_1.has(primary) ? undefined : primary;
}
