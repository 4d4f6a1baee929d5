// XSLT 1.0 (W3C Recommendation 1999-11-16) stylesheet for RSS 2.0 and Atom 1.0 (RFC 4287) documents.
/**
 * `feed.xsl`: the page a person sees when they open rss.xml or atom.xml in a browser
 * (both reference it with `<?xml-stylesheet type="text/xsl" href="feed.xsl"?>`): the feed
 * title, the entries with dates and links, and how to subscribe. XSLT 1.0 only, no
 * extension functions, no scripts; Atom is matched by namespace. The user-interface words
 * and fallback self URLs come from the site; everything else is read from the feed itself.
 * Browsers must get the feed with an XML media type for this to apply (see serve/snapshot.ts).
 */
import type { Feed, Site } from '../model/types.js';
import { uiLanguage } from './html.js';
import { FH_NS } from './paging.js';

const WORDS = {
  en: {
    badge: 'Web feed', about: 'This is a web feed: subscribe to get new articles in your feed reader.',
    how: 'How to subscribe', copy: 'Copy this address into your feed reader (NetNewsWire, Feedly, Miniflux, Thunderbird…):',
    visit: 'Visit the website', latest: 'Latest articles', by: 'by',
    archive: 'Archive', archived: 'An archive page of this feed',
    archiveAbout: 'It keeps older articles: readers subscribed to it would not get the new ones. To subscribe, copy the address of the feed itself:',
    onPage: 'Articles on this page', older: 'Older articles', newer: 'Newer articles',
  },
  fr: {
    badge: 'Flux web', about: 'Ceci est un flux web : abonnez-vous pour recevoir les nouveaux articles dans votre lecteur de flux.',
    how: 'Comment s’abonner', copy: 'Copiez cette adresse dans votre lecteur de flux (NetNewsWire, Feedly, Miniflux, Thunderbird…) :',
    visit: 'Voir le site', latest: 'Derniers articles', by: 'par',
    archive: 'Archives', archived: 'Une page d’archives de ce flux',
    archiveAbout: 'Elle garde des articles plus anciens : un lecteur abonné à cette page ne recevrait pas les nouveaux. Pour vous abonner, copiez l’adresse du flux lui-même :',
    onPage: 'Articles de cette page', older: 'Articles plus anciens', newer: 'Articles plus récents',
  },
} as const;

/** Escapes text for XML content and double-quoted attributes. */
function x(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fdfdfc; --accent: #b3261e; --rule: #e2e2e0; --note: #f3f1ea; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececec; --muted: #a8a8a8; --bg: #161616; --accent: #ff8a80; --rule: #333; --note: #232220; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.6 Georgia, "Times New Roman", serif; overflow-wrap: break-word; }
header, main { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
.badge { display: inline-block; font: 600 .75rem/1 system-ui, sans-serif; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); margin: 0; }
h1 { font-size: 2rem; line-height: 1.2; margin: .5rem 0; }
h2 { font: 600 .8rem/1.4 system-ui, sans-serif; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); margin: 2rem 0 .5rem; }
h3 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 .25rem; }
a { color: var(--accent); }
h3 a { color: inherit; text-decoration: none; }
.note { background: var(--note); border-radius: .5rem; padding: .75rem 1rem; font: .95rem/1.5 system-ui, sans-serif; }
.note code { display: block; margin-top: .5rem; font-size: .9rem; word-break: break-all; user-select: all; }
.meta { font: .875rem/1.5 system-ui, sans-serif; color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; font: .95rem/1.5 system-ui, sans-serif; }
ol { list-style: none; padding: 0; margin: 0; }
ol > li { padding: 1rem 0; border-bottom: 1px solid var(--rule); }
article p { margin: .25rem 0 0; }
`.trim();

export function renderFeedXsl(input: Feed | Site): string {
  const site: Site = 'site' in input ? input.site : input;
  // The page's words are the site's (English for a language we have no words for), and so is its lang; the feed's
  // own language goes on what the feed wrote (its title, description and items).
  const ui = uiLanguage(site.language);
  const w = WORDS[ui];
  const pageLang = site.language.toLowerCase().split('-')[0] === ui ? site.language : ui;
  // A subscription document says how to subscribe to it; an RFC 5005 archive page (fh:archive) points to the feed
  // itself (its rel="current" link) and to its neighbours: subscribing to a page that never changes gets nothing new.
  const subscribe = (selfSelect: string, fallback: string): string => `<xsl:choose>
<xsl:when test="fh:archive">
<section class="note">
<strong>${x(w.archived)}</strong>
<p>${x(w.archiveAbout)}</p>
<code><xsl:choose><xsl:when test="atom:link[@rel='current']"><xsl:value-of select="atom:link[@rel='current']/@href"/></xsl:when><xsl:otherwise>${x(fallback)}</xsl:otherwise></xsl:choose></code>
</section>
<xsl:if test="atom:link[@rel='prev-archive' or @rel='next-archive']"><nav><ul>
<xsl:for-each select="atom:link[@rel='prev-archive'][1]"><li><a href="{@href}" rel="prev">${x(w.older)}</a></li></xsl:for-each>
<xsl:for-each select="atom:link[@rel='next-archive'][1]"><li><a href="{@href}" rel="next">${x(w.newer)}</a></li></xsl:for-each>
</ul></nav></xsl:if>
</xsl:when>
<xsl:otherwise>
<p>${x(w.about)}</p>
<section class="note">
<strong>${x(w.how)}</strong>
<p>${x(w.copy)}</p>
<code><xsl:choose><xsl:when test="${selfSelect}"><xsl:value-of select="${selfSelect}"/></xsl:when><xsl:otherwise>${x(fallback)}</xsl:otherwise></xsl:choose></code>
</section>
</xsl:otherwise>
</xsl:choose>`;
  const badge = (format: string): string => `<p class="badge">${x(w.badge)} · ${format}<xsl:if test="fh:archive"> · ${x(w.archive)}</xsl:if></p>`;
  const listHeading = `<h2><xsl:choose><xsl:when test="fh:archive">${x(w.onPage)}</xsl:when><xsl:otherwise>${x(w.latest)}</xsl:otherwise></xsl:choose></h2>`;
  /** The language `select` gives, when it gives one, on the element being written. */
  const lang = (select: string): string => `<xsl:call-template name="lang"><xsl:with-param name="tag" select="${select}"/></xsl:call-template>`;
  // An Atom entry's language is its own xml:lang, else its feed's (the last of the two in document order).
  const entryLang = lang('(../@xml:lang | @xml:lang)[last()]');
  // A feed's title and description are written by the configuration, in the site's language (the feed's can be another:
  // a tag feed of English articles on a French site), marked when the page's words are in another.
  const written = site.language.toLowerCase() === pageLang.toLowerCase() ? '' : ` lang="${x(site.language)}"`;
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:fh="${FH_NS}"
  exclude-result-prefixes="atom dc content fh">
<xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

<xsl:template match="/">
<html lang="${x(pageLang)}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/><xsl:if test="rss/channel/fh:archive | atom:feed/fh:archive"> (${x(w.archive)})</xsl:if></title>
<style>
${CSS}
</style>
</head>
<body>
<xsl:apply-templates select="rss/channel | atom:feed"/>
</body>
</html>
</xsl:template>

<xsl:template name="lang">
<xsl:param name="tag"/>
<xsl:if test="string($tag)"><xsl:attribute name="lang"><xsl:value-of select="$tag"/></xsl:attribute></xsl:if>
</xsl:template>

<xsl:template match="channel">
<header>
${badge('RSS')}
<h1 dir="auto"${written}><xsl:value-of select="title"/></h1>
<xsl:if test="string(description)"><p dir="auto"${written}><xsl:value-of select="description"/></p></xsl:if>
${subscribe("atom:link[@rel='self']/@href", site.links.rss)}
<xsl:if test="string(link)"><p><a href="{link}">${x(w.visit)}</a></p></xsl:if>
</header>
<!-- The interface speaks the site's language; the feed's own language goes on each item's title and summary (not its byline, in the page's words), and each item finds its direction (Arabic, Hebrew) from its text. -->
<main>
${listHeading}
<ol>
<xsl:for-each select="item">
<li><article dir="auto">
<h3>${lang('../language')}<xsl:choose>
<xsl:when test="string(link)"><a href="{link}"><xsl:value-of select="title"/></a></xsl:when>
<xsl:otherwise><xsl:value-of select="title"/></xsl:otherwise>
</xsl:choose></h3>
<p class="meta"><xsl:value-of select="pubDate"/><xsl:if test="dc:creator"> · ${x(w.by)} <xsl:for-each select="dc:creator"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="."/></xsl:for-each></xsl:if></p>
<!-- With content:encoded beside it, description is the summary as escaped HTML; alone it is the full text, too long for a list. -->
<xsl:if test="content:encoded and string(description)"><p>${lang('../language')}<xsl:value-of select="description" disable-output-escaping="yes"/></p></xsl:if>
</article></li>
</xsl:for-each>
</ol>
</main>
</xsl:template>

<xsl:template match="atom:feed">
<header>
${badge('Atom')}
<h1 dir="auto"${written}><xsl:value-of select="atom:title"/></h1>
<xsl:if test="string(atom:subtitle)"><p dir="auto"${written}><xsl:value-of select="atom:subtitle"/></p></xsl:if>
${subscribe("atom:link[@rel='self']/@href", site.links.atom)}
<xsl:for-each select="atom:link[@rel='alternate' or not(@rel)][1]"><p><a href="{@href}">${x(w.visit)}</a></p></xsl:for-each>
</header>
<main>
${listHeading}
<ol>
<xsl:for-each select="atom:entry">
<li><article dir="auto">
<xsl:variable name="href" select="atom:link[@rel='alternate' or not(@rel)][1]/@href"/>
<h3>${entryLang}<xsl:choose>
<xsl:when test="$href"><a href="{$href}"><xsl:value-of select="atom:title"/></a></xsl:when>
<xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
</xsl:choose></h3>
<p class="meta"><xsl:choose>
<xsl:when test="atom:published"><time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time></xsl:when>
<xsl:otherwise><time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></xsl:otherwise>
</xsl:choose><xsl:if test="atom:author"> · ${x(w.by)} <xsl:for-each select="atom:author"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="atom:name"/></xsl:for-each></xsl:if></p>
<xsl:if test="string(atom:summary)"><p>${entryLang}<xsl:value-of select="atom:summary"/></p></xsl:if>
</article></li>
</xsl:for-each>
</ol>
</main>
</xsl:template>

</xsl:stylesheet>
`;
}
