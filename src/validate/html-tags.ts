/**
 * The tags of an HTML string as a reader's parser finds them: text between tags, comments and
 * escaped markup (`&lt;img src="a"&gt;` in a code sample) hold none. A scan, not a regular
 * expression over the whole string: content is untrusted and may be megabytes of `<`.
 */
export type HtmlTag = { name: string; attributes: { name: string; value: string }[] };

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

export function* htmlTags(html: string): Generator<HtmlTag> {
  let at = 0;
  for (;;) {
    const open = html.indexOf('<', at);
    if (open < 0 || open + 1 >= html.length) return;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end < 0) return;
      at = end + 3;
      continue;
    }
    const first = html.charCodeAt(open + 1) | 0x20;
    if (first < 0x61 || first > 0x7a) {
      at = open + 1;
      continue;
    }
    // No `>` after this one: no tag after it can be complete either.
    const close = html.indexOf('>', open);
    if (close < 0) return;
    const inside = html.slice(open + 1, close);
    const space = inside.search(/[\s/]/);
    const name = (space < 0 ? inside : inside.slice(0, space)).toLowerCase();
    const attributes: HtmlTag['attributes'] = [];
    if (space >= 0) {
      for (const m of inside.slice(space).matchAll(ATTRIBUTE)) attributes.push({ name: m[1]!.toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? '' });
    }
    yield { name, attributes };
    at = close + 1;
  }
}

/** Active content readers strip: the first script, iframe, embed or object tag, or `on*` attribute, as the RSS and Atom rules name it. */
export function activeContent(html: string): string | undefined {
  for (const tag of htmlTags(html)) {
    if (['script', 'iframe', 'embed', 'object'].includes(tag.name)) return `<${tag.name}>`;
    const handler = tag.attributes.find((a) => /^on[a-z]+$/.test(a.name));
    if (handler) return `an ${handler.name} attribute`;
  }
  return undefined;
}

/** The `href` and `src` values of the tags, in order. */
export function* linkValues(html: string): Generator<{ attr: 'href' | 'src'; url: string }> {
  for (const tag of htmlTags(html)) for (const a of tag.attributes) if (a.name === 'href' || a.name === 'src') yield { attr: a.name, url: a.value };
}
