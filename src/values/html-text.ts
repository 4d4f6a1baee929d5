/**
 * HTML that leaked into a plain-text value (a title, a summary, a category): what the store warns
 * editors about and the validators report in any feed. A tag counts as markup when written as
 * markup is: `<em>`, `</p>`, `<a href="…">`; "si a<b alors b>a" is a formula, and `<word>` a
 * placeholder.
 */

// Element names a plain-text field would only hold if HTML leaked into it.
const HTML_ELEMENTS = new Set(
  (
    'a abbr address article aside audio b blockquote body br button caption cite code dd del details div dl dt em figcaption ' +
    'figure footer font form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label li link main mark meta nav ol ' +
    'p picture pre q s samp script section small source span strong style sub summary sup table tbody td th thead time tr u ul video'
  ).split(' '),
);
// A start tag with attributes written name="value" (or unquoted), or an end tag; bounded, so no backtracking runs away.
/** The tags a CMS leaves in a headline it exported (emphasis, a line break, a link), short of an article about HTML that names `<section>`. */
export const HEADLINE_MARKUP: ReadonlySet<string> = new Set(['p', 'br', 'em', 'strong', 'b', 'i', 'a', 'span', 'div', 'font', 'u', 'sup', 'sub']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]{0,40}\s*=\s*(?:"[^"<>]{0,500}"|'[^'<>]{0,500}'|[^\s"'<>=`]{1,500})){0,20})\s*(\/?)>/g;
const ENTITY = /&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/;

/** The first HTML tag in a plain-text value, e.g. `<p>`, shortened to 40 characters. */
export function findHtmlTag(value: string, elements: ReadonlySet<string> = HTML_ELEMENTS): string | undefined {
  if (!value.includes('<')) return undefined;
  for (const m of value.matchAll(TAG)) {
    // An end tag takes no attributes.
    if (m[1] === '/' && (m[3] !== '' || m[4] !== '')) continue;
    if (elements.has(m[2]!.toLowerCase())) return m[0].length > 40 ? `${m[0].slice(0, 40)}…` : m[0];
  }
  return undefined;
}

/** The first character reference in a plain-text value, e.g. `&amp;`. */
export function findEntity(value: string): string | undefined {
  if (!value.includes('&')) return undefined;
  return ENTITY.exec(value)?.[0];
}
