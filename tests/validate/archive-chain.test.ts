import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { archiveOf, archivePages, pageFeed } from '../../src/model/archive.js';
import { siteFromConfig } from '../../src/model/to-feed.js';
import { FORMATS, type Entry, type Feed, type Format } from '../../src/model/types.js';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { chainDocOf, checkChain, checkPageFormats, type ChainDoc } from '../../src/validate/archive-chain.js';

const config = resolveConfig({ title: 'Kiosque', url: 'https://kiosque.example/', feedBaseUrl: 'https://kiosque.example/feeds/', idPrefix: 'tag:kiosque.example,2020:', author: { name: 'Rédaction' } }, '/', 't').value!;
const site = siteFromConfig(config, '0.0.0');
const render: Record<Format, (feed: Feed) => string> = { rss: renderRss, atom: renderAtom, json: renderJson };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const urlOf = (href: string): string | undefined => (href.startsWith(config.feedBaseUrl) ? decodeURI(href.slice(config.feedBaseUrl.length)) : undefined);

function entries(n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => {
    const k = n - 1 - i;
    const day = new Date(Date.UTC(2020, 0, 1 + k));
    return { id: `tag:kiosque.example,2020:a&${k}`, url: `https://kiosque.example/a${k}/`, title: `A ${k}`, published: day, updated: day, authors: [{ name: 'R' }], contentHtml: '', summary: k % 2 ? 'Résumé.' : '', tags: [], headline: true, source: { file: `a${k}.md` } };
  });
}

/** The subscription document (newest 5) and the pages of 23 entries, as rendered, in one format. */
function chain(format: Format): { subscription: ChainDoc; pages: ChainDoc[] } {
  const all = entries(23);
  const { paging, pages } = archiveOf(site, all.length, 10, config.feedBaseUrl);
  const slices = archivePages(all, 10);
  const subscription = chainDocOf(format, 'sub', enc(render[format]({ site, entries: all.slice(0, 5), updated: all[0]!.updated, paging })));
  return { subscription, pages: pages.map((p, k) => chainDocOf(format, p.paths[format], enc(render[format](pageFeed(p, slices[k]!))))) };
}

describe('the archive chain check', () => {
  it.each(FORMATS)('passes the chain kiosque renders in %s, walking every page once with entry ids decoded', (format) => {
    const { subscription, pages } = chain(format);
    expect(pages.map((p) => p.ids.length)).toEqual([10, 10, 3]);
    expect(pages[0]!.ids).toContain('tag:kiosque.example,2020:a&0');
    expect(checkChain(format, subscription, pages, urlOf, new Set(pages.flatMap((p) => p.ids)))).toEqual([]);
  });

  it('reports a page no prev-archive link reaches (ARCHIVE-CHAIN-001)', () => {
    const { subscription, pages } = chain('atom');
    pages[1]!.prevArchive = undefined;
    expect(checkChain('atom', subscription, pages, urlOf).map((i) => [i.rule, i.file])).toEqual([['ARCHIVE-CHAIN-001', 'archive/1.atom']]);
  });

  it('reports links that do not agree both ways, a page without fh:archive and a wrong current link (ARCHIVE-CHAIN-002)', () => {
    const { subscription, pages } = chain('rss');
    pages[0]!.nextArchive = 'https://kiosque.example/feeds/archive/3.xml';
    pages[1]!.archive = false;
    pages[2]!.current = 'https://kiosque.example/feeds/archive/3.xml';
    const found = checkChain('rss', subscription, pages, urlOf);
    expect(found.map((i) => [i.rule, i.file])).toEqual([['ARCHIVE-CHAIN-002', 'archive/3.xml'], ['ARCHIVE-CHAIN-002', 'archive/2.xml'], ['ARCHIVE-CHAIN-002', 'archive/1.xml']]);
    expect(found[2]!.message).toContain('next-archive is https://kiosque.example/feeds/archive/3.xml');
  });

  it('reports a prev-archive link to no page and a loop (ARCHIVE-CHAIN-002)', () => {
    const { subscription, pages } = chain('json');
    pages[2]!.prevArchive = 'https://elsewhere.example/2.json';
    // Pages 2 and 1 are then unreachable, with the two entries of the subscription document on page 2.
    expect(checkChain('json', subscription, pages, urlOf).map((i) => i.rule)).toEqual(['ARCHIVE-CHAIN-002', 'ARCHIVE-CHAIN-001', 'ARCHIVE-CHAIN-001', 'ARCHIVE-CHAIN-004', 'ARCHIVE-CHAIN-004']);
    const looped = chain('json');
    looped.pages[1]!.prevArchive = looped.subscription.prevArchive;
    expect(checkChain('json', looped.subscription, looped.pages, urlOf)[0]!.message).toContain('the chain loops');
  });

  it('reports an entry on two pages (ARCHIVE-CHAIN-003) and one of the subscription document on none (ARCHIVE-CHAIN-004)', () => {
    const { subscription, pages } = chain('atom');
    const moved = pages[2]!.ids.shift()!;
    pages[0]!.ids.push(pages[1]!.ids[0]!);
    const rules = checkChain('atom', subscription, pages, urlOf).map((i) => i.rule);
    expect(rules).toEqual(['ARCHIVE-CHAIN-003', 'ARCHIVE-CHAIN-004']);
    expect(subscription.ids).toContain(moved);
  });

  it('warns about an entry of the previous publication that no page holds any more (ARCHIVE-CHAIN-005)', () => {
    const { subscription, pages } = chain('rss');
    const found = checkChain('rss', subscription, pages, urlOf, new Set([...pages[0]!.ids, 'tag:kiosque.example,2020:gone']));
    expect(found.map((i) => [i.rule, i.level])).toEqual([['ARCHIVE-CHAIN-005', 'warning']]);
    expect(found[0]!.message).toContain('tag:kiosque.example,2020:gone');
    // Many at once (every id changed): one finding with the count and the first few, not one per entry.
    const gone = Array.from({ length: 40 }, (_, i) => `tag:kiosque.example,2020:gone-${i}`);
    const many = checkChain('rss', subscription, pages, urlOf, new Set([...pages[0]!.ids, ...gone]));
    expect(many.map((i) => i.rule)).toEqual(['ARCHIVE-CHAIN-005']);
    expect(many[0]!.message).toBe(`40 entries were in the archive pages and are in none now: ${gone.slice(0, 5).join(', ')} and 35 more`);
  });

  it('passes a page whose three formats carry the same entries, and reports one whose formats differ (ARCHIVE-CHAIN-006)', () => {
    const [rss, atom, json] = FORMATS.map((f) => chain(f).pages[1]!);
    expect(checkPageFormats([rss!, atom!, json!])).toEqual([]);
    json!.ids.reverse();
    expect(checkPageFormats([rss!, atom!, json!]).map((i) => [i.rule, i.file])).toEqual([['ARCHIVE-CHAIN-006', 'archive/2.json']]);
  });

  it.each(FORMATS)('reads ids and links in any script from %s bytes exactly, whatever the page text around them holds', (format) => {
    const ids = ['tag:kiosque.example,2020:économie/l’été', 'tag:kiosque.example,2020:Ελλάδα', 'tag:kiosque.example,2020:東京/ニュース', 'tag:kiosque.example,2020:مصر&1', 'tag:kiosque.example,2020:😀 <b>'];
    const all = entries(ids.length).map((e, i) => ({ ...e, id: ids[i]!, contentHtml: '<p>« Déjà » — l’“été” 東京 ' + '’'.repeat(40_000) + '</p>' }));
    const site2 = { ...site, links: { ...site.links, [format]: 'https://kiosque.example/feeds/été/日本.xml' } };
    const doc = chainDocOf(format, 'p', enc(render[format]({ site: site2, entries: all, updated: all[0]!.updated })));
    expect(doc.ids).toEqual(ids);
    expect(doc.self).toBe(format === 'json' ? 'https://kiosque.example/feeds/été/日本.xml' : encodeURI('https://kiosque.example/feeds/été/日本.xml'));
  });

  it('reads a JSON Feed whose ids were written with \\u escapes, as another writer may', () => {
    const text = '{"version":"https://jsonfeed.org/version/1.1","title":"x","feed_url":"https://kiosque.example/\\u00e9t\\u00e9.json","items":[{"id":"tag:x,2020:\\u6771\\u4eac","content_text":"\\u00e9"},{"id":"tag:x,2020:\\ud83d\\ude00"}]}';
    const doc = chainDocOf('json', 'p', enc(text));
    expect(doc.self).toBe('https://kiosque.example/été.json');
    expect(doc.ids).toEqual(['tag:x,2020:東京', 'tag:x,2020:😀']);
  });
});
