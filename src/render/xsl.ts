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

const WORDS = {
  en: {
    badge: 'Web feed', about: 'This is a web feed: subscribe to get new articles in your feed reader.',
    how: 'How to subscribe', copy: 'Copy this address into your feed reader (NetNewsWire, Feedly, Miniflux, Thunderbird…):',
    visit: 'Visit the website', latest: 'Latest articles', by: 'by',
  },
  fr: {
    badge: 'Flux web', about: 'Ceci est un flux web : abonnez-vous pour recevoir les nouveaux articles dans votre lecteur de flux.',
    how: 'Comment s’abonner', copy: 'Copiez cette adresse dans votre lecteur de flux (NetNewsWire, Feedly, Miniflux, Thunderbird…) :',
    visit: 'Voir le site', latest: 'Derniers articles', by: 'par',
  },
} as const;

/** Escapes text for XML content and double-quoted attributes. */
function x(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fdfdfc; --accent: #b3261e; --rule: #e2e2e0; --note: #f3f1ea; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececec; --muted: #a8a8a8; --bg: #161616; --accent: #ff8a80; --rule: #333; --note: #232220; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.6 Georgia, "Times New Roman", serif; }
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
ol { list-style: none; padding: 0; margin: 0; }
ol > li { padding: 1rem 0; border-bottom: 1px solid var(--rule); }
article p { margin: .25rem 0 0; }
`.trim();

export function renderFeedXsl(input: Feed | Site): string {
  const site: Site = 'site' in input ? input.site : input;
  const w = WORDS[uiLanguage(site.language)];
  const subscribe = (selfSelect: string, fallback: string): string => `<section class="note">
<strong>${x(w.how)}</strong>
<p>${x(w.copy)}</p>
<code><xsl:choose><xsl:when test="${selfSelect}"><xsl:value-of select="${selfSelect}"/></xsl:when><xsl:otherwise>${x(fallback)}</xsl:otherwise></xsl:choose></code>
</section>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  exclude-result-prefixes="atom dc content">
<xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

<xsl:template match="/">
<html lang="${x(site.language)}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></title>
<style>
${CSS}
</style>
</head>
<body>
<xsl:apply-templates select="rss/channel | atom:feed"/>
</body>
</html>
</xsl:template>

<xsl:template match="channel">
<header>
<p class="badge">${x(w.badge)} · RSS</p>
<h1><xsl:value-of select="title"/></h1>
<xsl:if test="string(description)"><p><xsl:value-of select="description"/></p></xsl:if>
<p>${x(w.about)}</p>
${subscribe("atom:link[@rel='self']/@href", site.links.rss)}
<xsl:if test="string(link)"><p><a href="{link}">${x(w.visit)}</a></p></xsl:if>
</header>
<!-- The interface speaks the site's language; the feed's own language goes on the block that holds its items, and each item finds its direction (Arabic, Hebrew) from its text. -->
<main><xsl:if test="string(language)"><xsl:attribute name="lang"><xsl:value-of select="language"/></xsl:attribute></xsl:if>
<h2>${x(w.latest)}</h2>
<ol>
<xsl:for-each select="item">
<li><article dir="auto">
<h3><xsl:choose>
<xsl:when test="string(link)"><a href="{link}"><xsl:value-of select="title"/></a></xsl:when>
<xsl:otherwise><xsl:value-of select="title"/></xsl:otherwise>
</xsl:choose></h3>
<p class="meta"><xsl:value-of select="pubDate"/><xsl:if test="dc:creator"> · ${x(w.by)} <xsl:for-each select="dc:creator"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="."/></xsl:for-each></xsl:if></p>
<!-- With content:encoded beside it, description is the summary as escaped HTML; alone it is the full text, too long for a list. -->
<xsl:if test="content:encoded and string(description)"><p><xsl:value-of select="description" disable-output-escaping="yes"/></p></xsl:if>
</article></li>
</xsl:for-each>
</ol>
</main>
</xsl:template>

<xsl:template match="atom:feed">
<header>
<p class="badge">${x(w.badge)} · Atom</p>
<h1><xsl:value-of select="atom:title"/></h1>
<xsl:if test="string(atom:subtitle)"><p><xsl:value-of select="atom:subtitle"/></p></xsl:if>
<p>${x(w.about)}</p>
${subscribe("atom:link[@rel='self']/@href", site.links.atom)}
<xsl:for-each select="atom:link[@rel='alternate' or not(@rel)][1]"><p><a href="{@href}">${x(w.visit)}</a></p></xsl:for-each>
</header>
<main><xsl:if test="string(@xml:lang)"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
<h2>${x(w.latest)}</h2>
<ol>
<xsl:for-each select="atom:entry">
<li><article dir="auto"><xsl:if test="string(@xml:lang)"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
<xsl:variable name="href" select="atom:link[@rel='alternate' or not(@rel)][1]/@href"/>
<h3><xsl:choose>
<xsl:when test="$href"><a href="{$href}"><xsl:value-of select="atom:title"/></a></xsl:when>
<xsl:otherwise><xsl:value-of select="atom:title"/></xsl:otherwise>
</xsl:choose></h3>
<p class="meta"><xsl:choose>
<xsl:when test="atom:published"><time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time></xsl:when>
<xsl:otherwise><time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></xsl:otherwise>
</xsl:choose><xsl:if test="atom:author"> · ${x(w.by)} <xsl:for-each select="atom:author"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="atom:name"/></xsl:for-each></xsl:if></p>
<xsl:if test="string(atom:summary)"><p><xsl:value-of select="atom:summary"/></p></xsl:if>
</article></li>
</xsl:for-each>
</ol>
</main>
</xsl:template>

</xsl:stylesheet>
`;
}
