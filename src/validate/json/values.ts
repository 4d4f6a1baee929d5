/**
 * What the JSON Feed rules need beyond the shared value checks (src/values/): RFC 3339 results
 * in the shape JSON Feed messages use, and the HTML-in-plain-text heuristics.
 */
import { parseRfc3339 as parseDate } from '../../values/dates.js';
import { boundedMemo } from '../../values/memo.js';
import { htmlTags } from '../html-tags.js';

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

export { findEntity, findHtmlTag } from '../../values/html-text.js';

export type HtmlProblem = { kind: 'element' | 'handler' | 'relative-url'; detail: string };

/** Script/iframe elements, on* handlers and relative URLs in the start tags of `content_html` (the shared scanner: no backtracking over attacker-sized input). */
export function* htmlProblems(html: string): Generator<HtmlProblem> {
  for (const { name, attributes } of htmlTags(html)) {
    if (name === 'script' || name === 'iframe' || name === 'object' || name === 'embed') yield { kind: 'element', detail: `<${name}>` };
    for (const { name: attr, value } of attributes) {
      if (attr.startsWith('on') && attr.length > 2) yield { kind: 'handler', detail: `${attr}= on <${name}>` };
      else if (value !== undefined && (attr === 'href' || attr === 'src' || attr === 'poster' || attr === 'srcset')) {
        const urls = attr === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value.trim()];
        for (const url of urls) {
          if (url === '' || url.startsWith('#')) continue;
          if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) yield { kind: 'relative-url', detail: `${attr}="${url.length > 60 ? `${url.slice(0, 60)}…` : url}" on <${name}>` };
        }
      }
    }
  }
}
