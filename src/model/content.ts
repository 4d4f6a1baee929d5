/**
 * Article bodies to reader-safe HTML (CommonMark + GFM via micromark, then sanitize-html),
 * and XML-illegal character stripping (plain-text helpers in text.ts). Pure: strings in, strings out.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml, type Extension, type HtmlExtension } from 'micromark-extension-gfm';
import { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote, gfmFootnoteHtml } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough, gfmStrikethroughHtml } from 'micromark-extension-gfm-strikethrough';
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table';
import { gfmTagfilterHtml } from 'micromark-extension-gfm-tagfilter';
import { gfmTaskListItem, gfmTaskListItemHtml } from 'micromark-extension-gfm-task-list-item';
import sanitizeHtml from 'sanitize-html';

import { stripIllegalXmlChars as stripXmlIllegal } from '../values/xml-chars.js';
import { plainText } from './text.js';

export { plainText } from './text.js';

/**
 * GFM's tagfilter would print `<script>` as visible text; sanitize-html removes such elements
 * with their contents instead, so raw HTML is passed through untouched here.
 */
const rawHtmlPassThrough: HtmlExtension = {
  exit: {
    htmlFlowData(token) {
      this.raw(this.encode(this.sliceSerialize(token)));
    },
    htmlTextData(token) {
      this.raw(this.encode(this.sliceSerialize(token)));
    },
  },
};

/** "Notes" reads right in both French and English articles. */
const FOOTNOTES = { label: 'Notes' };

type Constructs = { extensions: Extension[]; htmlExtensions: HtmlExtension[] };

/** GFM as `gfm()` and `gfmHtml()` put it together, in their order, with or without the two constructs below. */
function gfmParts(autolinks: boolean, tables: boolean): Constructs {
  return {
    extensions: [...(autolinks ? [gfmAutolinkLiteral()] : []), gfmFootnote(), gfmStrikethrough(), ...(tables ? [gfmTable()] : []), gfmTaskListItem()],
    htmlExtensions: [
      ...(autolinks ? [gfmAutolinkLiteralHtml()] : []), gfmFootnoteHtml(FOOTNOTES), gfmStrikethroughHtml(), ...(tables ? [gfmTableHtml()] : []),
      gfmTagfilterHtml(), gfmTaskListItemHtml(), rawHtmlPassThrough,
    ],
  };
}

/**
 * Two GFM constructs are tried at most characters or lines, and were 60 % of the time micromark
 * took on a 4.8 KB news body (2.1 ms of it; without them 0.8 ms). Neither can match a body that
 * lacks their first characters, so such a body is parsed without them, with the same output
 * (tests compare both paths):
 * - literal autolinks start with `www.`, `http:`/`https:`, or hold an `@` (an e-mail address);
 * - a table's delimiter row needs a `|`, or a `:` beside a `-` (`:-`, `-:`) for a single column.
 */
const AUTOLINK_START = /@|www\.|https?:/i;
const TABLE_START = /\||:[ \t]*-|-[ \t]*:/;
const PARTS = [gfmParts(false, false), gfmParts(false, true), gfmParts(true, false), gfmParts(true, true)] as const;
const EVERY_CONSTRUCT: Constructs = { extensions: [gfm()], htmlExtensions: [gfmHtml(FOOTNOTES), rawHtmlPassThrough] };

/**
 * CommonMark + GFM to HTML, raw HTML allowed (it is sanitised next). `every` parses with every
 * GFM construct whatever the body holds: the reference the shortcut above is tested against.
 */
export function markdownToHtml(markdown: string, constructs: 'needed' | 'every' = 'needed'): string {
  const chosen = constructs === 'every' ? EVERY_CONSTRUCT : PARTS[Number(AUTOLINK_START.test(markdown)) * 2 + Number(TABLE_START.test(markdown))]!;
  return micromark(markdown, { allowDangerousHtml: true, allowDangerousProtocol: true, ...chosen });
}

/**
 * Link schemes kept: the web's, and those editors link to for what a browser hands to another
 * application (a calendar, an SMS, a map, a chat, a torrent). None runs code in the reader, as
 * `javascript:` does, or carries a document of its own, as `data:` does.
 */
const LINK_SCHEMES = ['http', 'https', 'mailto', 'tel', 'sms', 'ftp', 'webcal', 'geo', 'irc', 'ircs', 'news', 'nntp', 'magnet', 'xmpp', 'sip', 'sips'];
const SAFE_SCHEMES = new Set(LINK_SCHEMES.map((s) => `${s}:`));
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'poster'] as const;

/** Absolute form of a URL found in content, or undefined when it is unusable or not a safe scheme. */
export function absoluteUrl(value: string, base: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  try {
    const url = new URL(trimmed, base);
    return SAFE_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A width (`640w`) or a pixel density (`2x`, `1.5x`): HTML's srcset descriptors (a height, `h`, only beside a width). */
const SRCSET_DESCRIPTOR = /^(?:[1-9]\d*w(?:\s+[1-9]\d*h)?|(?:\d+|\d*\.\d+)(?:[eE][+-]?\d+)?x)$/;

/** `srcset` candidates (URL + optional descriptor), each URL made absolute; unsafe candidates and unreadable descriptors dropped. */
export function absoluteSrcset(value: string, base: string): string | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    let j = i;
    while (j < value.length && !/\s/.test(value[j]!)) j++;
    let url = value.slice(i, j);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', j);
      const end = comma === -1 ? value.length : comma;
      descriptor = value.slice(j, end).trim();
      j = end + 1;
    }
    i = j;
    // A candidate whose descriptor is not a width or a density (a space inside a URL, say) is dropped
    // here: passed on, the sanitizer's srcset parser drops it too, but prints a line on stdout, the
    // channel of `build --json`.
    if (descriptor && !SRCSET_DESCRIPTOR.test(descriptor)) continue;
    // An image candidate loads over http(s) only, as `src` does: a `tel:` 2x would be handed to the system.
    const absolute = absoluteUrl(url, base);
    if (absolute && /^https?:/.test(absolute)) out.push(descriptor ? `${absolute} ${descriptor}` : absolute);
  }
  return out.length ? out.join(', ') : undefined;
}

/**
 * Presentation MathML as MathML Core defines it, which browsers and WebKit readers render: an
 * equation dropped with its markup left "Formule :  fin." Left out: `annotation-xml`, `mglyph` and
 * `malignmark`, the elements through which HTML parsers can be led into other namespaces, and every
 * attribute that holds a URL or a style.
 */
const MATHML_TAGS = [
  'math', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'mrow', 'mfrac', 'msqrt', 'mroot', 'mstyle', 'merror',
  'mpadded', 'mphantom', 'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mmultiscripts',
  'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'semantics', 'annotation',
];
const MATHML_ATTRIBUTES = [
  'display', 'displaystyle', 'scriptlevel', 'mathvariant', 'fence', 'separator', 'stretchy', 'symmetric', 'largeop',
  'movablelimits', 'lspace', 'rspace', 'minsize', 'maxsize', 'form', 'accent', 'accentunder', 'linethickness', 'width',
  'height', 'depth', 'voffset', 'columnspan', 'rowspan', 'encoding', 'intent', 'arg', 'mathcolor', 'mathbackground', 'mathsize',
];

/** Elements removed together with everything inside them. */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'select', 'noscript', 'title', 'iframe', 'object', 'embed',
  'template', 'xmp', 'noembed', 'noframes', 'svg', 'head', 'frameset', 'annotation-xml', 'mglyph', 'malignmark',
];

/**
 * Names kiosque gives elements it removes itself (allowed, so that the sanitizer closes them
 * in order, then taken out): what is hidden, with its content (`exclusiveFilter`); an inline
 * SVG and its title, down to the SVG's accessible name (`svgAsText`).
 */
const RESERVED = 'kiosque-';
const OWN = 'data-kiosque-own';
const HIDDEN = `${RESERVED}hidden`;
const SVG = `${RESERVED}svg`;
const SVG_LABEL = `${RESERVED}svg-label`;

/**
 * What a page never shows stays out of the feeds: editors hide internal notes and alternative
 * drafts with `hidden` or an inline `display: none`, and readers, which drop both attributes,
 * would show the text to every subscriber, for good.
 */
function isHidden(attribs: sanitizeHtml.Attributes): boolean {
  const style = attribs['style'] !== undefined && /display|visibility/i.test(attribs['style']) ? readStyle(attribs['style']) : {};
  if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return true;
  // `hidden` is the browser's own `display: none`, which an inline `display` overrides; `hidden="until-found"` is
  // content a reader finds by searching or following a link to it: shown.
  return attribs['hidden'] !== undefined && attribs['hidden'].toLowerCase() !== 'until-found' && style.display === undefined;
}

/** `display` as CSS Display 3 parses it: a keyword, or an outer and an inner one (with `list-item`, a flow inner), each once. */
const DISPLAY_ALONE = /^(?:none|contents|inline-(?:block|flex|grid|table)|table-(?:row-group|header-group|footer-group|row|cell|column-group|column|caption)|ruby-(?:base|text)(?:-container)?|-(?:webkit|moz)-(?:inline-)?box|inherit|initial|unset|revert|revert-layer)$/;
const OUTER = new Set(['block', 'inline', 'run-in']);
const INNER = new Set(['flow', 'flow-root', 'table', 'flex', 'grid', 'ruby', 'math']);
function isDisplayValue(value: string): boolean {
  if (DISPLAY_ALONE.test(value)) return true;
  const words = value.split(' ');
  const outer = words.filter((w) => OUTER.has(w)).length;
  const inner = words.filter((w) => INNER.has(w));
  const listItem = words.filter((w) => w === 'list-item').length;
  return words.length <= 3 && outer + inner.length + listItem === words.length && outer <= 1 && inner.length <= 1 && listItem <= 1
    && (listItem === 0 || inner.every((w) => w === 'flow' || w === 'flow-root'));
}
const isVisibilityValue = (value: string): boolean => /^(?:visible|hidden|collapse|inherit|initial|unset|revert|revert-layer)$/.test(value);

/**
 * A value with its `var()` resolved as the feed's reader would: no stylesheet defines the custom property, so its
 * fallback stands, and without one the declaration falls back to the property's inherited or initial value (shown).
 */
function withoutVar(value: string): string | undefined {
  const m = /^var\(\s*--[\w-]+\s*(?:,\s*(.*))?\)$/.exec(value);
  if (!m) return value;
  return m[1] === undefined ? undefined : withoutVar(m[1].trim());
}

/**
 * An inline style's `display` and `visibility` read as the browser does (CSS Cascade 4 §6.4): comments out, an
 * `!important` declaration over any normal one, else the last declaration of the property.
 */
function readStyle(style: string): { display?: string; visibility?: string } {
  const found: { display?: string; visibility?: string } = {};
  const important = new Set<string>();
  for (const declaration of style.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ').split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    if (property !== 'display' && property !== 'visibility') continue;
    const raw = declaration.slice(colon + 1);
    const isImportant = /!\s*important\s*$/i.test(raw);
    const written = raw.replace(/!\s*important\s*$/i, '').trim().toLowerCase().replace(/\s+/g, ' ');
    if (important.has(property) && !isImportant) continue;
    // `var(--x)` parses whatever it holds, and with no fallback leaves the element shown (the inherited or initial value).
    const isVar = written.startsWith('var(');
    const value = isVar ? withoutVar(written) ?? 'unset' : written;
    // A declaration the browser cannot parse (`display: blok`) is dropped, and the one before it stands.
    if (!isVar && !(property === 'display' ? isDisplayValue(value) : isVisibilityValue(value))) continue;
    if (isImportant) important.add(property);
    // `revert` gives the property back to the browser's own style sheet: as if the page had not set it.
    if (value === 'revert' || value === 'revert-layer') delete found[property];
    else found[property] = value;
  }
  return found;
}

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'nav'),
  'img', 'picture', 'source', 'video', 'audio', 'track', 'del', 'ins', 's', 'details', 'summary', ...MATHML_TAGS,
  HIDDEN, SVG, SVG_LABEL,
];

/**
 * An embedded player or document (`iframe`, `object`, `embed`) becomes a link to what it embeds,
 * named by its `title`: readers run no embeds, and "watch the video:" followed by nothing loses
 * what the editor meant to show. One whose address is not http(s) is removed with its content.
 */
const embedAsLink = (attribute: string, base: string): sanitizeHtml.Transformer => (tagName, attribs) => {
  const value = attribs[attribute];
  const href = value === undefined ? undefined : absoluteUrl(value, base);
  if (href === undefined || !/^https?:/.test(href)) return { tagName, attribs };
  return { tagName: 'a', attribs: { href }, text: attribs['title']?.trim() || href };
};

/**
 * A GFM task-list checkbox becomes ☑ or ☐: inputs are form controls no reader shows, and
 * dropping it made done and open items look alike. Any other input is dropped as before.
 */
const checkboxAsText: sanitizeHtml.Transformer = (tagName, attribs) => {
  if (attribs['type']?.toLowerCase() !== 'checkbox') return { tagName, attribs };
  return { tagName: 'span', attribs: {}, text: attribs['checked'] !== undefined ? '\u2611' : '\u2610' };
};

function sanitizeOptions(base: string): sanitizeHtml.IOptions {
  // An inline SVG, which readers drop, leaves its accessible name (`aria-label`, else its own `title`) as text, and nothing else.
  // Open elements since the outermost <svg> opened (0: outside any), and whether its name was given yet.
  let svgDepth = 0;
  let svgNamed = false;
  const everyTag = absoluteAttributes(base);
  // Marked as kiosque's own, for the '*' transformer that runs next to keep (and the sanitizer to drop the mark).
  const shown = (transform: sanitizeHtml.Transformer): sanitizeHtml.Transformer => (tagName, attribs) =>
    isHidden(attribs) ? { tagName: HIDDEN, attribs: { [OWN]: '' } } : transform(tagName, attribs);
  const mathAttributes = Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES]));
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      '*': ['id', 'lang', 'dir', 'title'],
      a: ['href', 'hreflang'],
      img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading'],
      source: ['src', 'srcset', 'sizes', 'type', 'media'],
      video: ['src', 'poster', 'controls', 'width', 'height', 'loop', 'muted', 'playsinline', 'preload'],
      audio: ['src', 'controls', 'loop', 'muted', 'preload'],
      track: ['src', 'kind', 'srclang', 'label', 'default'],
      blockquote: ['cite'], q: ['cite'], del: ['cite', 'datetime'], ins: ['cite', 'datetime'],
      td: ['colspan', 'rowspan', 'align'], th: ['colspan', 'rowspan', 'align', 'scope'],
      ol: ['start', 'reversed', 'type'], li: ['value'], time: ['datetime'], data: ['value'],
      ...mathAttributes,
      [SVG]: ['aria-label'],
    },
    allowedSchemes: LINK_SCHEMES,
    allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'], video: ['http', 'https'], audio: ['http', 'https'], track: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    // Entities are decoded and only & < > " re-escaped, so « ’ and U+00A0 stay characters.
    parser: { decodeEntities: true },
    onOpenTag: (name) => {
      if (svgDepth > 0) svgDepth++;
      else if (name === 'svg') svgDepth = 1;
    },
    onCloseTag: () => {
      if (svgDepth > 0) svgDepth--;
    },
    transformTags: {
      iframe: shown(embedAsLink('src', base)),
      object: shown(embedAsLink('data', base)),
      embed: shown(embedAsLink('src', base)),
      input: shown(checkboxAsText),
      img: shown(imageOrItsText(base)),
      // Runs after the transformer of the tag, if any.
      '*': (tagName, attribs) => {
        if (svgDepth === 1 && tagName === 'svg') {
          // Hidden, or hidden from assistive technology (a decorative icon): no name to show.
          if (isHidden(attribs) || attribs['aria-hidden']?.trim().toLowerCase() === 'true') {
            svgNamed = true;
            return { tagName: HIDDEN, attribs: {} };
          }
          const label = attribs['aria-label']?.trim();
          svgNamed = Boolean(label);
          return { tagName: SVG, attribs: label ? { 'aria-label': label } : {} };
        }
        if (svgDepth > 1) {
          // The SVG's own title, a direct child: one deeper is a part's tooltip (a bar of a chart).
          if (tagName !== 'title' || svgDepth !== 2 || svgNamed) return { tagName: HIDDEN, attribs: {} };
          svgNamed = true;
          return { tagName: SVG_LABEL, attribs: {} };
        }
        // kiosque's own names, written in an article, are nothing of kiosque's: an unknown element (a span), its content kept.
        if (tagName.startsWith(RESERVED) && attribs[OWN] === undefined) return everyTag('span', {});
        return isHidden(attribs) ? { tagName: HIDDEN, attribs: {} } : everyTag(tagName, attribs);
      },
    },
    // The <img> imageOrItsText left without src or text: a broken icon in readers. (`tag` is the name as written.)
    exclusiveFilter: (frame) => (frame as { name?: string }).name === HIDDEN
      || (frame.tag === 'img' && frame.attribs['src'] === undefined && (frame as { innerText?: string }).innerText === undefined),
  };
}

/** Every URL attribute made absolute against `base`; one that is unusable or unsafe is dropped. */
const absoluteAttributes = (base: string): sanitizeHtml.Transformer => (tagName, attribs) => {
  const out: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    if ((URL_ATTRIBUTES as readonly string[]).includes(name)) {
      const absolute = absoluteUrl(value, base);
      if (absolute !== undefined) out[name] = absolute;
    } else if (name === 'srcset') {
      const absolute = absoluteSrcset(value, base);
      if (absolute !== undefined) out[name] = absolute;
    } else {
      out[name] = value;
    }
  }
  return { tagName, attribs: out };
};

/**
 * An image whose address readers cannot load (data:, javascript:) gives way to its alt text,
 * which says what it showed, or goes: an <img> without src shows readers a broken icon.
 */
const imageOrItsText = (base: string): sanitizeHtml.Transformer => (tagName, attribs) => {
  const src = attribs['src'] === undefined ? undefined : absoluteUrl(attribs['src'], base);
  if (src !== undefined && /^https?:/.test(src)) return { tagName, attribs };
  const alt = attribs['alt']?.trim();
  return alt ? { tagName: 'span', attribs: {}, text: alt } : { tagName, attribs: {} };
};

/** The sanitized SVG (whose children are gone but its title) as its name: the label, or the title's text. */
const SVG_ELEMENT = new RegExp(`<${SVG}(?: aria-label="([^"]*)")?>([\\s\\S]*?)</${SVG}>`, 'g');
const SVG_TITLE = new RegExp(`<${SVG_LABEL}>([\\s\\S]*?)</${SVG_LABEL}>`);
const svgAsText = (html: string): string =>
  html.includes(SVG) ? html.replace(SVG_ELEMENT, (_, label: string | undefined, inside: string) => label ?? SVG_TITLE.exec(inside)?.[1]?.trim() ?? '') : html;

/**
 * A `<title>` left open in an SVG is closed by `</svg>` in browsers (in SVG it is an ordinary
 * element); the sanitizer's parser reads it as HTML's, raw text to a `</title>`, and would turn
 * the rest of the article into visible markup. Each SVG's open titles are closed before its end.
 */
function closeSvgTitles(html: string): string {
  if (!/<svg/i.test(html) || !/<title\b/i.test(html)) return html;
  // Each title's text ends at the next tag, in SVG as in browsers (`</p>` ends an SVG left open): one not closed there is
  // closed there. A body's HTML `<title>` outside any SVG is dropped with its content all the same.
  return html.replace(/<title\b[^>]*>[^<]*/gi, (title: string, at: number) => (/^<\/title\s*>/i.test(html.slice(at + title.length, at + title.length + 10)) ? title : `${title}</title>`));
}

/** Any HTML to the reader-safe subset, every URL absolute against `base` (the article's URL). */
export function sanitizeContent(html: string, base: string): string {
  return stripXmlIllegal(svgAsText(sanitizeHtml(closeSvgTitles(stripXmlIllegal(html)), sanitizeOptions(base))));
}

export type BodyKind = 'markdown' | 'html';

/** The one path from a stored body to `Entry.contentHtml`. */
export function renderBody(body: string, kind: BodyKind, base: string): string {
  // CR LF and a lone CR end a line as LF does (CommonMark §2.1, HTML's input stream): a file saved on Windows gives the same bytes.
  const clean = stripXmlIllegal(body).replace(/\r\n?/g, '\n');
  return sanitizeContent(kind === 'markdown' ? markdownToHtml(clean) : clean, base);
}

const SUMMARY_MAX = 300;

function decodeBasicEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Cuts `text` to at most `max` characters (grapheme clusters) on a word boundary, adding `…` when it cut. */
export function truncateWords(text: string, max = SUMMARY_MAX): string {
  if (text.length <= max || Array.from(text).length <= max) return text;
  // Characters as readers see them: a cut inside a cluster leaves a family emoji with a dangling joiner, or an é without its accent.
  // Only as many as the cut needs: V8's segmenter takes quadratic time over a whole text (a 32,000-word paragraph, minutes).
  const chars: string[] = [];
  for (const g of GRAPHEMES.segment(text)) {
    chars.push(g.segment);
    if (chars.length > max) break;
  }
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  const space = head.search(/\s\S*$/);
  const cut = space > max / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** A footnote call as the GFM footnotes render it: in plain text its number would join the word before (`2026[^a]` read "20261"). */
const FOOTNOTE_CALL = /<sup><a href="[^"]*#user-content-fn-[^"]*"[^>]*>[^<]*<\/a><\/sup>/g;

/** An inline image in a summary: its alt text, which the sentence reads on with ("… and a chart."), kept apart from the words beside it. */
const imageAsText = (tag: string, at: number, html: string): string => {
  const alt = /\salt="([^"]*)"/.exec(tag)?.[1]?.trim();
  if (!alt) return ' ';
  const after = html[at + tag.length];
  return ` ${alt}${after === undefined || /[\s.,;:!?…)\]»"'’]/.test(after) ? '' : ' '}`;
};

/** The first non-blank paragraph of sanitised HTML as plain text, truncated on a word boundary, footnote calls left out. */
export function summaryFromHtml(html: string, max = SUMMARY_MAX): string {
  const paragraph = /<p\b[^>]*>([\s\S]*?)<\/p>/g;
  for (let m = paragraph.exec(html); m; m = paragraph.exec(html)) {
    // A line break or an inline image separates the words on either side: "Marseille<br>Lyon" reads "Marseille Lyon".
    const inside = m[1]!.replace(FOOTNOTE_CALL, '').replace(/<br\b[^>]*>/gi, ' ');
    // A paragraph of images alone (a lead photo) is no text to summarise by: the first paragraph of words is.
    if (plainText(decodeBasicEntities(inside.replace(/<[^>]*>/g, ' '))).trim() === '') continue;
    const text = plainText(decodeBasicEntities(inside.replace(/<img\b[^>]*>/gi, imageAsText).replace(/<[^>]*>/g, '')));
    return truncateWords(text, max);
  }
  return '';
}
