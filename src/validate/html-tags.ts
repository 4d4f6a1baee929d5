/**
 * The tags of an HTML string as a reader's parser finds them: text between tags, comments and
 * escaped markup (`&lt;img src="a"&gt;` in a code sample) hold none. A linear scanner, not a
 * regular expression over the whole string: content is untrusted and may be megabytes of `<`.
 */
export type HtmlTag = { name: string; attributes: { name: string; value?: string }[] };

// Character codes: the scanner compares numbers, not one-character strings against regular expressions.
const GT = 0x3e, SLASH = 0x2f, EQ = 0x3d, DQ = 0x22, SQ = 0x27;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c;
const isLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isNameChar = (c: number): boolean => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d;

/** Elements whose content an HTML parser reads as text (HTML §13.1.2): `<textarea><script>` holds no script. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

/** Where `</name` next starts (any case), or -1: found by `</`, never by lowering the whole string again. */
function endTag(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return -1;
}

export function* htmlTags(html: string): Generator<HtmlTag> {
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
    // `<![CDATA[…]]>`, `<!DOCTYPE …>`, `<?…>`: a bogus comment to an HTML parser, up to the next `>`.
    if (html.charCodeAt(j) === 0x21 || html.charCodeAt(j) === 0x3f) {
      const end = html.indexOf('>', j);
      if (end < 0) return;
      i = html.indexOf('<', end + 1);
      continue;
    }
    if (j >= n || !isLetter(html.charCodeAt(j))) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const nameStart = j;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    // Attributes until `>`; a quoted value may hold one.
    const attributes: HtmlTag['attributes'] = [];
    for (;;) {
      while (j < n && (isSpace(html.charCodeAt(j)) || html.charCodeAt(j) === SLASH)) j++;
      if (j >= n || html.charCodeAt(j) === GT) break;
      const attrStart = j;
      for (let c = html.charCodeAt(j); j < n && !isSpace(c) && c !== EQ && c !== GT && c !== SLASH; c = html.charCodeAt(++j));
      const attr = html.slice(attrStart, j).toLowerCase();
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      let value: string | undefined;
      if (html.charCodeAt(j) === EQ) {
        j++;
        while (j < n && isSpace(html.charCodeAt(j))) j++;
        const q = html.charCodeAt(j);
        if (q === DQ || q === SQ) {
          const end = html.indexOf(q === DQ ? '"' : "'", j + 1);
          const stop = end < 0 ? n : end;
          value = html.slice(j + 1, stop);
          j = stop + 1;
        } else {
          const vs = j;
          for (let c = html.charCodeAt(j); j < n && !isSpace(c) && c !== GT; c = html.charCodeAt(++j));
          value = html.slice(vs, j);
        }
      }
      // `<a =x>`: a stray `=` names nothing; skip it rather than loop.
      if (attr === '' && value === undefined) j++;
      else attributes.push(value === undefined ? { name: attr } : { name: attr, value });
    }
    // A tag the string ends inside is none.
    if (j >= n) return;
    yield { name, attributes };
    // What a raw text element holds is text, tags included, up to its end tag.
    if (RAW_TEXT.has(name)) {
      const raw = endTag(html, name, j);
      if (raw < 0) return;
      i = html.indexOf('<', raw + 2);
    } else i = html.indexOf('<', j);
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

/** The URLs of the tags' `href`, `src`, `poster` and `srcset` (each candidate), in order. */
export function* linkValues(html: string): Generator<{ attr: 'href' | 'src' | 'poster' | 'srcset'; url: string }> {
  for (const tag of htmlTags(html)) {
    for (const { name, value } of tag.attributes) {
      if (value === undefined) continue;
      if (name === 'href' || name === 'src' || name === 'poster') yield { attr: name, url: value.trim() };
      else if (name === 'srcset') for (const candidate of value.split(',')) yield { attr: name, url: candidate.trim().split(/\s+/)[0] ?? '' };
    }
  }
}

/** The HTML with what code samples hold left out (`<pre>`, `<code>`, `<kbd>`, `<samp>`): markup escaped there is meant to show. */
export function outsideCode(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let at = 0;
  for (;;) {
    const open = lower.slice(at).search(/<(?:pre|code|kbd|samp)[\s>]/);
    if (open < 0) return out + html.slice(at);
    const start = at + open;
    const name = /^<([a-z]+)/.exec(lower.slice(start, start + 6))![1]!;
    const close = lower.indexOf(`</${name}`, start);
    out += html.slice(at, start);
    if (close < 0) return out;
    at = close;
  }
}
