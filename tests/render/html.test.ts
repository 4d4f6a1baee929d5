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
    expect(html).toContain('<p>Less &lt; more &amp; &quot;quoted&quot;</p>');
    expect(html).toContain('href="https://kiosque.example/2020/02/escapes?a=1&amp;b=2"');
    expect(html).not.toContain('<script');
  });

  it('never turns a javascript: URL into a link', () => {
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('par A &amp; B, Zoé');
  });

  it('marks an article in another language with its own lang', () => {
    expect(html).toContain('<article lang="en">');
    expect(html).toContain(`<li><article>\n<h3><a href="https://kiosque.example/2020/02/poutine-erdogan-idlib">`);
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

  it('has no scripts and is byte-identical across renders', () => {
    expect(html).not.toMatch(/<script|onload=|onclick=/i);
    expect(renderIndexHtml(sampleFeed())).toBe(html);
  });
});
