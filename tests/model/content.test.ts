import { describe, expect, it } from 'vitest';
import { absoluteSrcset, renderBody, summaryFromHtml, truncateWords } from '../../src/model/content.js';
import { stripIllegalXmlChars as stripXmlIllegal } from '../../src/values/xml-chars.js';

const base = 'https://kiosque.example/2020/02/article/';
const md = (text: string): string => renderBody(text, 'markdown', base);
const html = (text: string): string => renderBody(text, 'html', base);

describe('sanitising content', () => {
  it.each(['script', 'style', 'iframe', 'object', 'embed', 'form', 'meta', 'base', 'link', 'svg', 'template', 'noscript'])('removes <%s> elements', (tag) => {
    const out = html(`<p>before</p><${tag} src="x" href="y">inner</${tag}><p>after</p>`);
    expect(out).not.toMatch(new RegExp(`<${tag}\\b`, 'i'));
    expect(out).toContain('<p>before</p>');
    expect(out).toContain('<p>after</p>');
  });

  it('drops script and style contents instead of showing them as text', () => {
    const out = md('Text\n\n<script>alert(1)</script>\n\n<style>p{color:red}</style>\n');
    expect(out).not.toContain('alert');
    expect(out).not.toContain('color:red');
  });

  it('removes on* attributes and javascript:, data: and vbscript: URLs', () => {
    const out = html('<p onclick="x()" onmouseover="y()"><a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(1)">b</a><img src="data:image/png;base64,AAAA"><a href="vbscript:x">c</a><a href="java\tscript:x">d</a></p>');
    expect(out).not.toMatch(/onclick|onmouseover|javascript|data:|vbscript/i);
    expect(md('[x](javascript:alert(1))')).not.toContain('javascript');
  });

  it('makes href, src, srcset (each candidate), poster and cite absolute against the article URL', () => {
    const out = html('<a href="../other/">o</a><img src="images/chart.png" srcset="a.png 1x, /b.png 2x,c.png"><video poster="p.jpg" src="v.mp4"></video><blockquote cite="/source">q</blockquote><a href="#note">n</a>');
    expect(out).toContain('href="https://kiosque.example/2020/02/other/"');
    expect(out).toContain('src="https://kiosque.example/2020/02/article/images/chart.png"');
    expect(out).toContain('srcset="https://kiosque.example/2020/02/article/a.png 1x, https://kiosque.example/b.png 2x, https://kiosque.example/2020/02/article/c.png"');
    expect(out).toContain('poster="https://kiosque.example/2020/02/article/p.jpg"');
    expect(out).toContain('cite="https://kiosque.example/source"');
    expect(out).toContain('href="https://kiosque.example/2020/02/article/#note"');
    expect(md('![chart](images/chart.png)')).toContain('src="https://kiosque.example/2020/02/article/images/chart.png"');
    expect(absoluteSrcset('javascript:x 1x, ok.png 2x', base)).toBe('https://kiosque.example/2020/02/article/ok.png 2x');
  });

  it('removes XML-illegal characters, including ones written as character references', () => {
    const out = md('a\u0001b\u000Bc\uFFFEd\uD800e &#1; <b title="x\u0002y">t</b>');
    expect(out).toBe('<p>abcde \uFFFD <b title="xy">t</b></p>');
    expect(stripXmlIllegal('ok\uD83D\uDE00\uDC00')).toBe('ok\uD83D\uDE00');
  });

  it('keeps characters as characters: guillemets, apostrophes and a paragraph of one no-break space', () => {
    expect(md('«Un», l’entretien, aujourd\'hui\n\n\u00a0\n\nfin')).toBe('<p>«Un», l’entretien, aujourd\'hui</p>\n<p>\u00a0</p>\n<p>fin</p>');
    expect(html('<p>caf&eacute;&nbsp;&amp; &lt;b&gt;</p>')).toBe('<p>café\u00a0&amp; &lt;b&gt;</p>');
  });

  it('renders GFM tables, strikethrough and footnotes', () => {
    const out = md('| a |\n|---|\n| b |\n\n~~gone~~ note[^1]\n\n[^1]: the note\n');
    expect(out).toContain('<table>');
    expect(out).toContain('<del>gone</del>');
    expect(out).toContain('href="https://kiosque.example/2020/02/article/#user-content-fn-1"');
  });
});

describe('summaries', () => {
  it('takes the first non-blank paragraph as plain text', () => {
    expect(summaryFromHtml('<p>\u00a0</p><h2>T</h2><p>First <b>bold</b> &amp; <a href="x">link</a>.</p><p>Second</p>')).toBe('First bold & link.');
  });

  it('truncates long text on a word boundary with an ellipsis and never splits a character', () => {
    const long = `${'mot '.repeat(100)}fin`;
    const cut = truncateWords(long, 50);
    expect(cut.endsWith('mot…')).toBe(true);
    expect(Array.from(cut).length).toBeLessThanOrEqual(50);
    expect(truncateWords('😀'.repeat(60), 50)).toBe(`${'😀'.repeat(49)}…`);
    expect(truncateWords('short', 50)).toBe('short');
  });
});
