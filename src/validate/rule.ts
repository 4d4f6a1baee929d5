/**
 * Every finding kiosque reports is a rule defined once, in one shape: a stable id, a level
 * (MUST -> error, SHOULD -> warning, BEST -> info), the spec section or source it comes from
 * with a link, a one-line summary, a message template, why it matters and how to fix it.
 * Validator rules add a check that yields findings; rules reported by other stages (store,
 * configuration, publishing, the build gate) are the same definition without a check.
 * `registry.ts` gathers them all; docs/rules.md and `kiosque explain` are generated from it.
 */
import type { Level } from '../issue.js';

export type Params = Record<string, string | number>;

export type Finding = {
  /** Values for the message template, e.g. `{ element: 'pubDate', value: 'Mon, 30 Feb…' }`. */
  params?: Params;
  line?: number;
  column?: number;
  /** JSON pointer, for JSON Feed. */
  pointer?: string;
};

export type RuleInfo = {
  /** Stable once printed: users grep it and filter on it; tests and docs/rules.md name it. */
  id: string;
  level: Level;
  /** e.g. `RFC 4287 §4.1.2` or `RSS 2.0, Elements of <item>`. */
  spec: string;
  /** Where to read the source: a URL, or a path in this repository for kiosque's own rules. */
  link: string;
  /** One-line summary of what the rule requires. */
  title: string;
  /** The one-line message of a finding, from its params. */
  message: (params: Params) => string;
  /** Why it matters to readers, one line. */
  why: string;
  /** How to fix it, one line. */
  fix: string;
};

export type Rule<Doc> = RuleInfo & { check: (doc: Doc) => Iterable<Finding> };

/** The message of a rule whose reporter composes the whole sentence and passes it as `detail`. */
export const detailMessage = (p: Params): string => String(p['detail'] ?? '');

type Definition<T extends RuleInfo> = Omit<T, 'link'> & { link?: string };

/** A validator rule; the link defaults to the one its spec names (`specLink`). */
export function defineRule<Doc>(def: Definition<Rule<Doc>>): Rule<Doc> {
  return { ...def, link: def.link ?? specLink(def.spec, def.id) };
}

/** A rule reported outside the document validators (store, config, publish, gate, kiosque's own). */
export function defineInfo(def: Definition<RuleInfo>): RuleInfo {
  return { ...def, link: def.link ?? specLink(def.spec, def.id) };
}

const rfc = (n: string, section?: string): string => `https://www.rfc-editor.org/rfc/rfc${n}${section ? `#section-${section}` : ''}`;
const XML_SECTIONS: Record<string, string> = {
  '2.1': 'sec-well-formed', '2.2': 'charsets', '2.4': 'syntax', '2.7': 'sec-cdata-sect', '2.8': 'sec-prolog-dtd',
  '4.1': 'sec-references', '4.3.3': 'charencoding', '4.6': 'sec-predefined-ent',
};

/** Sources named in `spec` strings, first match wins: the link of the first source a rule cites. */
const SOURCES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^RFC (\d+)(?: §([\d.]+))?/, (m) => rfc(m[1] as string, m[2])],
  [/^XML 1\.0(?: §([\d.]+))?/, (m) => `https://www.w3.org/TR/xml/${m[1] && XML_SECTIONS[m[1]] ? `#${XML_SECTIONS[m[1]]}` : ''}`],
  [/^Namespaces in XML/, () => 'https://www.w3.org/TR/xml-names/#ns-using'],
  [/^RSS 2\.0/, () => 'https://www.rssboard.org/rss-specification'],
  [/^RSS Profile/, () => 'https://www.rssboard.org/rss-profile'],
  [/^RSS 1\.0 Syndication/, () => 'https://web.resource.org/rss/1.0/modules/syndication/'],
  [/^RSS 1\.0 Slash/, () => 'https://web.resource.org/rss/1.0/modules/slash/'],
  [/^RSS 1\.0 Admin/, () => 'https://web.resource.org/rss/1.0/modules/admin/'],
  [/^JSON Feed/, () => 'https://www.jsonfeed.org/version/1.1/'],
  [/^(?:W3C Feed Validator|FV) \(?(\w+)/, (m) => `https://validator.w3.org/feed/docs/error/${m[1] as string}.html`],
  [/^Creative Commons RSS/, () => 'https://cyber.harvard.edu/rss/creativeCommonsRssModule.html'],
  [/^Creative Commons RDF/, () => 'https://wiki.creativecommons.org/wiki/RDF'],
  [/^Trackback/, () => 'http://madskills.com/public/xml/rss/module/trackback/'],
  [/^Dublin Core/, () => 'https://www.dublincore.org/specifications/dublin-core/dces/'],
  [/^DCMI Metadata Terms/, () => 'https://www.dublincore.org/specifications/dublin-core/dcmi-terms/'],
  [/^W3C Basic Geo/, () => 'https://www.w3.org/2003/01/geo/'],
  [/^GeoRSS/, () => 'https://docs.ogc.org/cs/17-002r1/17-002r1.html'],
  [/^Well-Formed Web/, () => 'http://wellformedweb.org/news/wfw_namespace_elements/'],
  [/^OpenSearch/, () => 'https://github.com/dewitt/opensearch/blob/master/opensearch-1-1-draft-6.md'],
  [/^FeedBurner/, () => 'http://rssnamespace.org/feedburner/ext/1.0'],
  [/^Apple Podcasts/, () => 'https://help.apple.com/itc/podcasts_connect/#/itcb54353390'],
  [/^HTTP Semantics/, () => rfc('9110')],
  [/^HTTP Caching/, () => rfc('9111')],
  [/^kiosque: (.+)$/, (m) => m[1] as string],
];

/** Where a rule's own spec has nothing more precise ("reader expectation"): its format's spec. */
const BY_PREFIX: [string, string][] = [
  ['RSS-', 'https://www.rssboard.org/rss-profile'],
  ['ATOM-', rfc('4287')],
  ['JF-', 'https://www.jsonfeed.org/version/1.1/'],
  ['HTTP-', rfc('9110')],
];

/** The link for a spec string: the first source it cites that has one, else its format's spec. */
export function specLink(spec: string, id: string): string {
  for (const part of spec.split(/;\s*|,\s+(?=RFC|XML|W3C)/)) {
    const text = part.trim();
    for (const [re, url] of SOURCES) {
      const m = re.exec(text);
      if (m) return url(m);
    }
  }
  for (const [prefix, url] of BY_PREFIX) if (id.startsWith(prefix)) return url;
  return 'docs/rules.md';
}
