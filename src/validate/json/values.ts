/**
 * Value checks the JSON Feed rules need: RFC 3339 date-times (with the reasons and UTC flag
 * JSON Feed messages use), language-tag hints, absolute URLs, and the HTML-in-plain-text
 * heuristics. Tag and media-type syntax come from the shared `validate/values.ts`.
 */
import { isLanguageTag, isMimeType } from '../values.js';

export type DateTime = {
  /** Epoch milliseconds of the instant (a leap second reads as :59.999). */
  epoch: number;
  /** RFC 3339 allows these; many parsers do not (JF-ITEM-013). */
  lowercase: boolean;
  spaceSeparator: boolean;
  utc: boolean;
};

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 §5.6 `date-time` with every field in range, or a reason it is not. */
export function parseRfc3339(value: string): { ok: true; value: DateTime } | { ok: false; reason: string } {
  const m = RFC3339.exec(value);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: false, reason: 'a date without a time' };
    if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return { ok: false, reason: 'no time zone offset (add Z or ±HH:MM)' };
    if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}([Zz]|[+-]\d{2}:\d{2})$/.test(value)) return { ok: false, reason: 'no seconds' };
    if (/^[A-Z][a-z]{2}, /.test(value)) return { ok: false, reason: 'an RFC 822 date, as used by RSS' };
    return { ok: false, reason: 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM) form' };
  }
  const [year, month, day, , hour, minute, second] = [1, 2, 3, 4, 5, 6, 7].map((k) => Number(m[k]));
  const zone = m[9]!;
  if (month! < 1 || month! > 12) return { ok: false, reason: `month ${m[2]} is out of range` };
  if (day! < 1 || day! > daysIn(year!, month!)) return { ok: false, reason: `day ${m[3]} is out of range for ${m[1]}-${m[2]}` };
  if (hour! > 23) return { ok: false, reason: `hour ${m[5]} is out of range` };
  if (minute! > 59) return { ok: false, reason: `minute ${m[6]} is out of range` };
  if (second! > 60) return { ok: false, reason: `second ${m[7]} is out of range` };
  let offsetMinutes = 0;
  if (zone.length > 1) {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return { ok: false, reason: `offset ${zone} is out of range` };
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[8] ? Number(`0${m[8]}`) * 1000 : 0;
  const sec = second === 60 ? 59.999 : second! + frac / 1000;
  const epoch = Date.UTC(year!, month! - 1, day!, hour!, minute!, 0) + sec * 1000 - offsetMinutes * 60_000;
  const lowercase = m[4] === 't' || zone === 'z';
  return { ok: true, value: { epoch, lowercase, spaceSeparator: m[4] === ' ', utc: zone === 'Z' || zone === 'z' || zone === '+00:00' } };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Irregular grandfathered tags (RFC 5646 §2.2.8) the shared syntax check does not list.
const GRANDFATHERED = /^(?:en-gb-oed|i-[a-z]{2,8}|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn|zh-(?:guoyu|hakka|min|min-nan|xiang))$/i;

/** Well-formed RFC 5646 tag, or why not (`en_US` is the usual slip). */
export function checkLanguageTag(value: string): string | undefined {
  if (isLanguageTag(value) || GRANDFATHERED.test(value)) return undefined;
  if (value.includes('_')) return `use - not _ (${value.replace(/_/g, '-')})`;
  if (value.trim() !== value) return 'remove the surrounding spaces';
  return 'not a well-formed RFC 5646 language tag (e.g. en, en-US, fr-CA)';
}

/** How a URL string reads: `https`, `http`, another scheme, or not absolute at all. */
export function urlKind(value: string): 'https' | 'http' | 'other-scheme' | 'relative' | 'invalid' {
  if (value.trim() === '') return 'invalid';
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) return 'relative';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'invalid';
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    // `https:example.com` parses leniently; a real absolute web URL has `//host`.
    if (!/^https?:\/\/[^/]/i.test(value)) return 'invalid';
    return url.protocol === 'https:' ? 'https' : 'http';
  }
  return 'other-scheme';
}

/** `type/subtype` with optional parameters; the shared check trims, a JSON Feed value should not need it. */
export function isMediaType(value: string): boolean {
  return value === value.trim() && isMimeType(value);
}

// Element names a plain-text field would only hold if HTML leaked into it; arbitrary
// `<word>` (generics, placeholders) is left alone.
const HTML_ELEMENTS = new Set(
  (
    'a abbr address article aside audio b blockquote body br button caption cite code dd del details div dl dt em figcaption ' +
    'figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label li link main mark meta nav ol ' +
    'p picture pre q s samp script section small source span strong style sub summary sup table tbody td th thead time tr u ul video'
  ).split(' '),
);
const TAG_LIKE = /<\/?([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])[^<>]{0,500}>/g;
const ENTITY = /&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/;

/** The first HTML tag in a plain-text value, e.g. `<p>`. */
export function findHtmlTag(value: string): string | undefined {
  if (!value.includes('<')) return undefined;
  for (const m of value.matchAll(TAG_LIKE)) {
    if (HTML_ELEMENTS.has(m[1]!.toLowerCase())) return m[0].length > 40 ? `${m[0].slice(0, 40)}…` : m[0];
  }
  return undefined;
}

/** The first character reference in a plain-text value, e.g. `&amp;`. */
export function findEntity(value: string): string | undefined {
  if (!value.includes('&')) return undefined;
  return ENTITY.exec(value)?.[0];
}

export type HtmlProblem = { kind: 'element' | 'handler' | 'relative-url'; detail: string; index: number };

/**
 * Walks start tags of `content_html` with a linear scanner (no backtracking regex over
 * attacker-sized input) and reports script/iframe elements, on* handlers and relative URLs.
 */
export function* htmlProblems(html: string): Generator<HtmlProblem> {
  const n = html.length;
  let i = html.indexOf('<');
  while (i >= 0 && i < n) {
    let j = i + 1;
    if (html.startsWith('!--', j)) {
      const end = html.indexOf('-->', j + 3);
      if (end < 0) return;
      i = html.indexOf('<', end + 3);
      continue;
    }
    const nameStart = j;
    while (j < n && /[a-zA-Z0-9-]/.test(html[j]!)) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    if (!name || !/[a-z]/.test(name[0]!)) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    if (name === 'script' || name === 'iframe' || name === 'object' || name === 'embed') yield { kind: 'element', detail: `<${name}>`, index: i };
    // Attributes until `>`.
    for (;;) {
      while (j < n && /[\s/]/.test(html[j]!)) j++;
      if (j >= n || html[j] === '>') break;
      const attrStart = j;
      while (j < n && !/[\s=>/]/.test(html[j]!)) j++;
      const attr = html.slice(attrStart, j).toLowerCase();
      while (j < n && /\s/.test(html[j]!)) j++;
      let value: string | undefined;
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          const stop = end < 0 ? n : end;
          value = html.slice(j + 1, stop);
          j = stop + 1;
        } else {
          const vs = j;
          while (j < n && !/[\s>]/.test(html[j]!)) j++;
          value = html.slice(vs, j);
        }
      }
      if (attr.startsWith('on') && attr.length > 2) yield { kind: 'handler', detail: `${attr}= on <${name}>`, index: attrStart };
      else if (value !== undefined && (attr === 'href' || attr === 'src' || attr === 'poster' || attr === 'srcset')) {
        const urls = attr === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value.trim()];
        for (const url of urls) {
          if (url === '' || url.startsWith('#')) continue;
          if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) yield { kind: 'relative-url', detail: `${attr}="${url.length > 60 ? `${url.slice(0, 60)}…` : url}" on <${name}>`, index: attrStart };
        }
      }
    }
    i = j >= n ? -1 : html.indexOf('<', j);
  }
}
