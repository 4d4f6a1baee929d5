/**
 * What the JSON Feed rules need beyond the shared value checks (src/values/): RFC 3339 results
 * in the shape JSON Feed messages use, and the HTML-in-plain-text heuristics.
 */
import { parseRfc3339 as parseDate } from '../../values/dates.js';
import { boundedMemo } from '../../values/memo.js';

export type DateTime = {
  /** Epoch milliseconds of the instant. */
  epoch: number;
  /** RFC 3339 allows these; many parsers do not (JF-ITEM-013). */
  lowercase: boolean;
  spaceSeparator: boolean;
  utc: boolean;
};

/**
 * The shared RFC 3339 parser, in the shape the JSON Feed rules report from (no whitespace allowed
 * around a JSON string's value). Each date is read by three rules: parsed once.
 */
export const parseRfc3339 = boundedMemo((value): { ok: true; value: DateTime } | { ok: false; reason: string } => {
  const r = parseDate(value);
  if (!r.ok) return { ok: false, reason: r.message.replace(/^not an RFC 3339 date-time: /, '') };
  if (r.notes.includes('whitespace')) return { ok: false, reason: 'it has whitespace around it' };
  return { ok: true, value: { epoch: r.date.getTime(), lowercase: r.notes.includes('lowercase'), spaceSeparator: r.notes.includes('space-separator'), utc: /^(z|\+00:00)$/i.test(r.zone) } };
});

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
