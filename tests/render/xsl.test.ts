import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderFeedXsl } from '../../src/render/xsl.js';
import { sampleFeed } from '../serve/publication.js';

describe('renderFeedXsl', () => {
  const feed = sampleFeed();
  const xsl = renderFeedXsl(feed);

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xsl)).toBe(true);
  });

  it('is an XSLT 1.0 stylesheet with html output', () => {
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xsl) as Record<string, Record<string, unknown>>;
    const sheet = doc['xsl:stylesheet']!;
    expect(sheet['@_version']).toBe('1.0');
    expect(sheet['@_xmlns:xsl']).toBe('http://www.w3.org/1999/XSL/Transform');
    expect(sheet['xsl:output']).toMatchObject({ '@_method': 'html' });
  });

  it('handles RSS 2.0 channels and Atom feeds by namespace', () => {
    expect(xsl).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
    expect(xsl).toContain('<xsl:template match="channel">');
    expect(xsl).toContain('<xsl:template match="atom:feed">');
    expect(xsl).toContain('<xsl:for-each select="atom:entry">');
  });

  it('tells people how to subscribe, falling back to the configured self URLs', () => {
    expect(xsl).toContain('Comment s’abonner');
    expect(xsl).toContain('<xsl:otherwise>https://kiosque.example/feeds/rss.xml</xsl:otherwise>');
    expect(xsl).toContain('<xsl:otherwise>https://kiosque.example/feeds/atom.xml</xsl:otherwise>');
  });

  it('escapes site values it embeds', () => {
    const tricky = renderFeedXsl(sampleFeed({ links: { ...feed.site.links, rss: 'https://x.example/rss.xml?a=1&b=<2>' } }));
    expect(XMLValidator.validate(tricky)).toBe(true);
    expect(tricky).toContain('https://x.example/rss.xml?a=1&amp;b=&lt;2&gt;');
  });

  it('accepts the site alone and gives the same bytes', () => {
    expect(renderFeedXsl(feed.site)).toBe(xsl);
    expect(renderFeedXsl(sampleFeed({ language: 'en' }))).toContain('How to subscribe');
  });

  it('speaks the interface language in its lang, marks the site\'s own words in the site\'s language when it has no words for it, and each item in its feed\'s or entry\'s language', () => {
    const ar = renderFeedXsl(sampleFeed({ language: 'ar' }));
    expect(ar).toContain('<html lang="en">');
    expect(ar).toContain('How to subscribe');
    expect(renderFeedXsl(sampleFeed({ language: 'fr-CA' }))).toContain('<html lang="fr-CA">');
    // The site wrote the feeds' titles: in Arabic, marked so on an English page.
    expect(ar).toContain('<h1 dir="auto" lang="ar"><xsl:value-of select="title"/></h1>');
    expect(xsl).toContain('<h1 dir="auto"><xsl:value-of select="title"/></h1>');
    // An item's title in its feed's language, an Atom entry's in its own when it has one.
    expect(xsl).toContain('<h3><xsl:call-template name="lang"><xsl:with-param name="tag" select="../language"/></xsl:call-template>');
    expect(xsl).toContain('<h3><xsl:call-template name="lang"><xsl:with-param name="tag" select="(../@xml:lang | @xml:lang)[last()]"/></xsl:call-template>');
  });
});
