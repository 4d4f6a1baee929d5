import { describe, expect, it } from 'vitest';
import { renderIndexHtml } from '../../src/render/html.js';
import { ARTICLE_TITLE, sampleFeed } from '../serve/publication.js';

describe('renderIndexHtml', () => {
  const html = renderIndexHtml(sampleFeed());

  it('declares utf-8 and the site language', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('offers RSS, Atom and JSON Feed autodiscovery links with their media types', () => {
    expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="Kiosque — Dépêches (RSS)" href="rss.xml">');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Kiosque — Dépêches (Atom)" href="atom.xml">');
    expect(html).toContain('<link rel="alternate" type="application/feed+json" title="Kiosque — Dépêches (JSON Feed)" href="feed.json">');
  });

  it('shows visible subscribe links with the public feed addresses', () => {
    expect(html).toContain('<a href="rss.xml" type="application/rss+xml">RSS</a> <code>https://kiosque.example/feeds/rss.xml</code>');
    expect(html).toContain('<a href="feed.json" type="application/feed+json">JSON Feed</a>');
  });

  it('lists each article with its linked title, date, authors and summary, accents intact', () => {
    expect(html).toContain(`<h3><a href="https://kiosque.example/2020/02/poutine-erdogan-idlib">${ARTICLE_TITLE}</a></h3>`);
    expect(html).toContain('<time datetime="2020-02-28T16:30:00Z">28 février 2020</time> · par Sputnik');
    expect(html).toContain('<p>Vladimir Poutine et Recep Tayyip Erdogan');
  });

  it('escapes titles, summaries, author names and URLs', () => {
    expect(html).toContain('Tom &amp; Jerry &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; “quotes”');
    expect(html).toMatch(/<p( lang="en")?>Less &lt; more &amp; &quot;quoted&quot;<\/p>/);
    expect(html).toContain('href="https://kiosque.example/2020/02/escapes?a=1&amp;b=2"');
    expect(html).not.toContain('<script');
  });

  it('never turns a javascript: URL into a link', () => {
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('par A &amp; B, Zoé');
  });

  it('marks the title and summary of an article in another language with its own lang, and its date and byline not', () => {
    expect(html).toMatch(/<li><article>\n<h3 lang="en"><a [^>]+>[^<]+<\/a><\/h3>\n<p class="meta">/);
    expect(html).toContain(`<li><article>\n<h3><a href="https://kiosque.example/2020/02/poutine-erdogan-idlib">`);
  });

  it('names kiosque as its generator without linking the site\'s own address as if it were kiosque\'s', () => {
    const html = renderIndexHtml(sampleFeed());
    expect(html).toContain('Généré par kiosque</p>');
    expect(html).not.toMatch(/<a [^>]*>kiosque<\/a>/);
  });

  it('uses English words for an English site', () => {
    const en = renderIndexHtml(sampleFeed({ language: 'en-GB' }));
    expect(en).toContain('<html lang="en-GB">');
    expect(en).toContain('Latest articles');
    expect(en).toContain('28 February 2020');
  });

  it('says so when there are no articles', () => {
    const empty = renderIndexHtml({ ...sampleFeed(), entries: [] });
    expect(empty).toContain('<p>Aucun article pour l’instant.</p>');
  });

  it('counts the articles of each feed in the directory in the site\'s grammar: "1 article", and in French "0 article"', () => {
    const feed = sampleFeed();
    const sized = (n: number, language: string) => ({ group: 'tags' as const, feed: { ...feed, site: { ...feed.site, language }, entries: Array(n).fill(feed.entries[0]!) } });
    const count = (language: string) => [0, 1, 2].map((n) => /<span class="meta">(\d+ \w+) ·/.exec(renderIndexHtml({ ...feed, site: { ...feed.site, language } }, { directory: [sized(n, language)] }))![1]);
    expect(count('fr')).toEqual(['0 article', '1 article', '2 articles']);
    expect(count('en')).toEqual(['0 articles', '1 article', '2 articles']);
  });

  it('dates each article on the day it has in the site\'s time zone, not in UTC', () => {
    const feed = sampleFeed();
    // Midnight in Paris on 15 January is 23:00 UTC on the 14th.
    const entries = [{ ...feed.entries[0]!, published: new Date('2026-01-14T23:00:00Z') }];
    const paris = renderIndexHtml({ ...feed, entries, updated: entries[0]!.published }, { timeZone: 'Europe/Paris' });
    expect(paris).toContain('<time datetime="2026-01-14T23:00:00Z">15 janvier 2026</time>');
    expect(paris).not.toContain('14 janvier');
    expect(renderIndexHtml({ ...feed, entries }, { timeZone: 'UTC' })).toContain('>14 janvier 2026</time>');
  });

  it('lays out the title and summary of an article in a right-to-left language right to left, and a right-to-left feed\'s page in the site\'s words', () => {
    const feed = sampleFeed();
    const entries = [{ ...feed.entries[0]!, lang: 'he', title: 'כותרת בעברית עם English ו-123' }, { ...feed.entries[0]!, lang: 'en' }];
    const fr = renderIndexHtml({ ...feed, entries });
    expect(fr).toContain('<li><article>\n<h3 lang="he" dir="rtl">');
    expect(fr).toContain('<li><article>\n<h3 lang="en">');
    // The script subtag says more than the language.
    const scripts = renderIndexHtml({ ...feed, entries: ['ar-Latn', 'az-Arab', 'ku-Arab'].map((lang) => ({ ...feed.entries[0]!, lang })) });
    expect(scripts).toContain('<h3 lang="ar-Latn">');
    expect(scripts).toContain('<h3 lang="az-Arab" dir="rtl">');
    expect(scripts).toContain('<h3 lang="ku-Arab" dir="rtl">');
    // An Arabic feed of a French site: French words, left to right; its title and articles Arabic, right to left.
    // Its title is made in the site's words: it takes the page's language. An article naming none is in the site's.
    const { lang: _, ...unnamed } = feed.entries[0]!;
    const arFeed = { ...feed, site: { ...feed.site, language: 'ar', articleLanguage: 'fr', title: 'Kiosque : العربية' }, entries: [{ ...feed.entries[0]!, lang: 'ar', title: 'مرحبا بالعالم' }, { ...feed.entries[0]!, lang: 'fr' }, unnamed] };
    const ar = renderIndexHtml(arFeed, { interfaceLanguage: 'fr' });
    expect(ar).toContain('<html lang="fr">');
    expect(ar).toContain('<h1><a');
    expect(ar).toContain('<h3 lang="ar" dir="rtl">');
    expect(ar.match(/<h3><a/g)).toHaveLength(2);
    expect(ar).toContain('Derniers articles');
    // With no words of its own language, the page's are English, and say so.
    const arSite = renderIndexHtml({ ...arFeed, site: { ...arFeed.site, articleLanguage: undefined } });
    expect(arSite).toContain('<html lang="en">');
    // Its title and description were written in Arabic: marked so, in the direction their letters give.
    expect(arSite).toContain('<h1 lang="ar" dir="auto"><a');
    expect(arSite).toContain('<h3 lang="ar" dir="rtl">');
    expect(arSite).toContain('Latest articles');
  });

  it('isolates each feed title in the directory, so a right-to-left one does not take the count along', () => {
    const feed = sampleFeed();
    const arabic = { group: 'languages' as const, feed: { ...feed, site: { ...feed.site, language: 'ar', title: 'Kiosque : العربية', folder: 'languages/ar/' } } };
    expect(renderIndexHtml(feed, { directory: [arabic] })).toContain('<a href="languages/ar/index.html" dir="auto" lang="ar">Kiosque : العربية</a> <span class="meta">');
  });

  it('has no scripts and is byte-identical across renders', () => {
    expect(html).not.toMatch(/<script|onload=|onclick=/i);
    expect(renderIndexHtml(sampleFeed())).toBe(html);
  });
});
