import { describe, expect, it } from 'vitest';
import { budgetIssues, fitBudget, renderAll } from '../../src/render/budget.js';
import { FORMATS, type Entry, type Feed } from '../../src/model/types.js';
import { crossCheck } from '../../src/validate/gate.js';
import { validateDocument } from '../../src/validate/validate.js';
import { seedEntry, site } from './fixtures/feed.js';

/** Twelve articles, newest first, each with about 4 KB of content ("a" is the newest, day 12). */
function articles(count = 12, size = 4000): Entry[] {
  return Array.from({ length: count }, (_, i) => {
    const day = count - i;
    const slug = `article-${String(day).padStart(2, '0')}`;
    return {
      ...seedEntry,
      id: `tag:kiosque.example,2020:${slug}`,
      url: `https://kiosque.example/${slug}`,
      title: `Article ${day}`,
      published: new Date(Date.UTC(2024, 0, day)),
      updated: new Date(Date.UTC(2024, 0, day)),
      contentHtml: `<p>${'Une phrase « longue » & bien écrite. '.repeat(Math.ceil(size / 38)).slice(0, size)}</p>`,
      summary: `Le résumé de l’article ${day}.`,
      source: { file: `2024/01/${slug}.md` },
    };
  });
}
const feedOf = (entries: Entry[]): Feed => ({ site, entries, updated: entries[0]!.updated });
const sizes = (bytes: Record<string, Buffer>) => FORMATS.map((f) => bytes[f]!.byteLength);

describe('fitting a feed into its byte budget', () => {
  it('leaves a feed that fits untouched, without rendering it again', () => {
    const feed = feedOf(articles());
    const first = renderAll(feed);
    const result = fitBudget(feed, 1024 * 1024, first);
    expect(result.trimmed).toBe(false);
    expect(result.bytes).toBe(first);
    expect(result.feed).toBe(feed);
  });

  it('gives the oldest entries their summary, oldest first and as few as needed, each format on its own bytes', () => {
    const feed = feedOf(articles());
    const full = Math.max(...sizes(renderAll(feed)));
    const budget = full - 10_000;
    const result = fitBudget(feed, budget);
    expect(result.trimmed).toBe(true);
    expect(result.dropped).toEqual([]);
    expect(Math.max(...sizes(result.bytes))).toBeLessThanOrEqual(budget);
    for (const f of FORMATS) {
      const summarised = result.summarised[f];
      expect(summarised.length, f).toBeGreaterThan(0);
      // The oldest ones, in order; and one fewer would not have fitted.
      expect(summarised, f).toEqual(feed.entries.slice(feed.entries.length - summarised.length));
      const oneFewer = fitBudget(feed, result.bytes[f].byteLength - 1);
      expect(oneFewer.summarised[f].length + oneFewer.dropped.length, f).toBeGreaterThan(summarised.length);
    }
    const atom = result.bytes.atom.toString();
    expect(atom).toContain('<content type="html"><![CDATA[<p>Le résumé de l’article 1.</p>]]></content>');
    expect(atom).not.toContain('<content type="html"><![CDATA[<p>Le résumé de l’article 12.</p>]]></content>');
    expect(atom).toContain('<content type="html"><![CDATA[<p>Une phrase');
  });

  it('then leaves the oldest entries out of all three documents alike, which stay valid and carry the same items', () => {
    const feed = feedOf(articles());
    const result = fitBudget(feed, 10_000);
    expect(result.dropped.length).toBeGreaterThan(0);
    expect(result.dropped).toEqual(feed.entries.slice(feed.entries.length - result.dropped.length));
    expect(result.feed.entries).toEqual(feed.entries.slice(0, feed.entries.length - result.dropped.length));
    for (const f of FORMATS) {
      expect(result.bytes[f].byteLength, f).toBeLessThanOrEqual(10_000);
      expect(validateDocument(result.bytes[f], f).issues.filter((i) => i.level === 'error'), f).toEqual([]);
    }
    expect(crossCheck(FORMATS.map((f) => ({ format: f, file: f, bytes: result.bytes[f] })))).toEqual([]);
    // As few as needed: with one more of the oldest kept, that one would have to go again.
    const fewer = feedOf(feed.entries.slice(0, feed.entries.length - result.dropped.length + 1));
    expect(fitBudget(fewer, 10_000).dropped).toHaveLength(1);
  });

  it('gives an entry without a summary its small body (a photo) or a link to the article, never empty content', () => {
    const entries = articles();
    // The two oldest have no summary: one is a photo, the other a long table without a paragraph.
    entries[11] = { ...entries[11]!, summary: '', contentHtml: '<figure><img src="https://kiosque.example/photo.jpg" alt="La place"></figure>' };
    entries[10] = { ...entries[10]!, summary: '', contentHtml: `<table>${'<tr><td>x</td></tr>'.repeat(400)}</table>` };
    const feed = feedOf(entries);
    const result = fitBudget(feed, Math.max(...sizes(renderAll(feed))) - 12_000);
    expect(result.summarised.atom.map((e) => e.title)).toEqual(expect.arrayContaining(['Article 1', 'Article 2']));
    const atom = result.bytes.atom.toString();
    expect(atom).toContain('<content type="html"><![CDATA[<figure><img src="https://kiosque.example/photo.jpg" alt="La place"></figure>]]></content>');
    expect(atom).toContain('<content type="html"><![CDATA[<p><a href="https://kiosque.example/article-02">Article 2</a></p>]]></content>');
    expect(atom).not.toContain('<![CDATA[]]>');
  });

  it('gives the same bytes every time', () => {
    const feed = feedOf(articles());
    const [a, b] = [fitBudget(feed, 10_000), fitBudget(feedOf(articles()), 10_000)];
    for (const f of FORMATS) expect(a.bytes[f].equals(b.bytes[f]), f).toBe(true);
  });

  it('gives an article too large on its own its summary, however new, and reports it with its file', () => {
    const entries = articles(4);
    entries[1] = { ...entries[1]!, contentHtml: `<p>${'x'.repeat(60_000)}</p>`, source: { file: '2024/01/huge.md' } };
    const result = fitBudget(feedOf(entries), 40_000);
    expect(result.oversize).toEqual([]);
    expect(result.shortened).toEqual([entries[1]]);
    expect(result.feed.entries.map((e) => e.title)).toEqual(['Article 4', 'Article 3', 'Article 2', 'Article 1']);
    for (const f of FORMATS) {
      const text = result.bytes[f].toString();
      expect(text, f).toContain('Le résumé de l’article 3.');
      expect(text, f).not.toContain('xxxxxxxxxx');
      // The newer and older articles keep their full content: only the one too large is summarised.
      expect(text, f).toContain('Une phrase');
      expect(result.bytes[f].byteLength, f).toBeLessThanOrEqual(40_000);
    }
    const issues = budgetIssues(result, 'tags/x/', 40_000);
    expect(issues).toEqual([expect.objectContaining({ rule: 'feed-article-summarised', level: 'warning', file: '2024/01/huge.md' })]);
    expect(issues[0]!.message).toContain('the feed tags/x/');
  });

  it('leaves out an article too large even with its summary, reports it with its file, and keeps the rest', () => {
    const entries = articles(4);
    entries[1] = { ...entries[1]!, summary: 'y'.repeat(60_000), source: { file: '2024/01/huge.md' } };
    const result = fitBudget(feedOf(entries), 40_000);
    expect(result.oversize).toEqual([entries[1]]);
    expect(result.feed.entries.map((e) => e.title)).toEqual(['Article 4', 'Article 2', 'Article 1']);
    expect(result.dropped).toEqual([]);
    const issues = budgetIssues(result, 'tags/x/', 40_000);
    expect(issues).toEqual([expect.objectContaining({ rule: 'feed-article-over-budget', level: 'error', file: '2024/01/huge.md' })]);
    expect(issues[0]!.message).toContain('the feed tags/x/');
  });

  it('names the articles summarised and left out, per document trimmed', () => {
    const result = fitBudget(feedOf(articles()), 10_000);
    const issues = budgetIssues(result, '', 10_000);
    expect(issues.map((i) => [i.rule, i.level, i.file])).toEqual(FORMATS.map((f) => ['feed-budget-trimmed', 'warning', { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[f]]));
    expect(issues[1]!.message).toContain(`left out (${result.dropped.map((e) => e.source.file).join(', ')})`);
    expect(issues[1]!.message).toMatch(/^the main feed would exceed its budget of 10000 bytes in atom\.xml/);
  });
});
