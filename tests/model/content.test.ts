import { describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { random } from '../../bench/random.js';
import { absoluteSrcset, markdownToHtml, renderBody, summaryFromHtml, truncateWords } from '../../src/model/content.js';
import { stripIllegalXmlChars as stripXmlIllegal } from '../../src/values/xml-chars.js';

const base = 'https://kiosque.example/2020/02/article/';
const md = (text: string): string => renderBody(text, 'markdown', base);
const html = (text: string): string => renderBody(text, 'html', base);

const STORE = fileURLToPath(new URL('../../articles', import.meta.url));

describe('sanitising content', () => {
  it.each(['script', 'style', 'iframe', 'object', 'embed', 'form', 'meta', 'base', 'link', 'svg', 'template', 'noscript'])('removes <%s> elements', (tag) => {
    const out = html(`<p>before</p><${tag} src="x" href="y">inner</${tag}><p>after</p>`);
    expect(out).not.toMatch(new RegExp(`<${tag}\\b`, 'i'));
    expect(out).toContain('<p>before</p>');
    expect(out).toContain('<p>after</p>');
  });

  it('replaces an image readers cannot load (a data: or javascript: address) by its alt text, or drops it, instead of leaving a broken <img>', () => {
    expect(md('![Carte des gares](data:image/png;base64,iVBORw0KGgo=)\n\nTexte ![](data:image/gif;base64,R0lG) fin.\n')).toBe('<p><span>Carte des gares</span></p>\n<p>Texte  fin.</p>\n');
    expect(html('<p><img src="javascript:alert(1)" alt=""><img src="img/x.png" alt="x"></p>')).toBe('<p><img src="https://kiosque.example/2020/02/article/img/x.png" alt="x" /></p>');
  });

  it('shows a task list\'s done and open items as ☑ and ☐ instead of dropping the checkboxes, and still drops other inputs', () => {
    expect(md('- [x] fait\n- [ ] à faire\n')).toBe('<ul>\n<li><span>☑</span> fait</li>\n<li><span>☐</span> à faire</li>\n</ul>\n');
    expect(html('<p>a<input type="text" value="x"><input name="q"></p>')).toBe('<p>a</p>');
  });

  it('turns an embedded player or document into a link to it, named by its title, so readers still find the video', () => {
    const out = md('Regardez la vidéo :\n\n<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="YouTube video player" frameborder="0" allowfullscreen></iframe>\n\nSuite.\n');
    expect(out).toContain('<a href="https://www.youtube.com/embed/dQw4w9WgXcQ">YouTube video player</a>');
    expect(out).not.toMatch(/<iframe|frameborder|allowfullscreen|width=/);
    expect(html('<object data="docs/rapport.pdf" type="application/pdf"><param name="x" value="y"></object>')).toBe('<a href="https://kiosque.example/2020/02/article/docs/rapport.pdf">https://kiosque.example/2020/02/article/docs/rapport.pdf</a>');
    expect(html('<embed src="https://e.org/chart.svg" title=" Le graphique ">')).toBe('<a href="https://e.org/chart.svg">Le graphique</a>');
    // No address a reader could open: removed, as before.
    for (const tag of ['<iframe src="javascript:alert(1)">x</iframe>', '<iframe srcdoc="<p>x</p>"></iframe>', '<embed src="mailto:a@e.org">']) expect(html(`<p>a</p>${tag}`)).toBe('<p>a</p>');
  });

  it('leaves out what the page hides (hidden, display: none, visibility: hidden) with everything inside it, and nothing else', () => {
    const out = md([
      'Texte public.',
      '<div style="display:none">NOTE INTERNE : la source est Jean Dupont.</div>',
      '<p hidden>Version B du chapô.</p>',
      'Suite <span style="color: red ; Display : None !important">brouillon</span>visible <span style="visibility:hidden">x</span><img hidden src="a.png" alt="y"><iframe hidden src="https://v.example/"></iframe>fin.',
      '<div style="display: block; color: gray">Gardé</div>',
      '<details><summary>Plus</summary>Replié, pas caché.</details>',
    ].join('\n\n'));
    expect(out).not.toMatch(/Jean Dupont|Version B|brouillon|>x<|a\.png|v\.example|hidden/);
    expect(out).toContain('<p>Suite visible fin.</p>');
    expect(out).toContain('<div>Gardé</div>');
    expect(out).toContain('<details><summary>Plus</summary>Replié, pas caché.</details>');
    // What follows a removed element closes as it opened.
    expect(html('<div><p hidden>a</p><p>b</p></div><p>c</p>')).toBe('<div><p>b</p></div><p>c</p>');
    // Content a reader finds by searching for it, or following a link to it (a collapsed section), is shown.
    expect(html('<p hidden="until-found">Trouvé</p><p hidden="until-found ">Note</p>')).toBe('<p>Trouvé</p>');
    // Read as CSS: comments anywhere, and the last declaration wins.
    expect(html('<p style="/* note */ display: none">a</p><p style="display:/**/none">b</p><p style="display:none;display:block">c</p><p style="visibility: visible; display : NONE ! important">d</p>')).toBe('<p>c</p>');
    // An !important declaration wins over any later normal one (CSS Cascade 4 §6.4).
    expect(html('<p style="display:block !important; display:none">a</p><p style="display:none !important; display:block">b</p><p style="visibility:hidden !IMPORTANT;visibility:visible">c</p><p style="display:none !important;display:flex !important">d</p>')).toBe('<p>a</p><p>d</p>');
    // `hidden` is the browser's display: none, which an inline display overrides.
    expect(html('<p hidden style="display:block">a</p><p hidden style="visibility:visible">b</p><p hidden style="display: none">c</p>')).toBe('<p>a</p>');
    // A declaration the browser cannot parse is dropped: the one before it, or hidden, stands.
    expect(html('<p hidden style="display:blok">a</p><p hidden style="display:block foo">b</p><p style="display:none; display:blok">c</p><p style="visibility:hidden; visibility:yes">d</p><p hidden style="display: inline flow-root">e</p><p style="display:none;display:var(--d)">f</p>')).toBe('<p>e</p><p>f</p>');
    // Two keywords of one kind do not parse; var() with no stylesheet behind it takes its fallback, or shows; revert is the browser's own.
    expect(html('<p hidden style="display: block block">a</p><p hidden style="display: list-item flex">b</p><p hidden style="display: list-item block flow-root">c</p>')).toBe('<p>c</p>');
    expect(html('<p hidden style="display: var(--x, none)">a</p><p style="display: var(--x, none)">b</p><p style="visibility: var(--v, hidden)">c</p><p hidden style="display: var(--x)">d</p><p hidden style="display: revert">e</p><p style="display: var(--x, var(--y, block))">f</p>')).toBe('<p>d</p><p>f</p>');
  });

  it('keeps a MathML equation, with its presentation attributes only and without the elements that lead parsers out of MathML', () => {
    expect(html('<p>Formule : <math xmlns="http://www.w3.org/1998/Math/MathML" display="block" href="javascript:x" style="color:red"><msup><mi mathvariant="bold">E</mi><mn>2</mn></msup></math> fin.</p>'))
      .toBe('<p>Formule : <math display="block"><msup><mi mathvariant="bold">E</mi><mn>2</mn></msup></math> fin.</p>');
    const out = html('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext><annotation-xml encoding="text/html"><img src=y onerror=alert(2)></annotation-xml></math>');
    expect(out).toBe('<math><mtext><table></table></mtext></math>');
  });

  it('shows an inline SVG, which readers drop, as its accessible name: its aria-label, else its title', () => {
    expect(html('<p>Logo : <svg role="img" aria-label="Kiosque &amp; Cie"><title>Logo</title><rect width="10"/><text>dessiné</text></svg> fin.</p>')).toBe('<p>Logo : Kiosque &amp; Cie fin.</p>');
    expect(html('<p>Logo : <svg viewBox="0 0 10 10"><desc>Un carré</desc><title>Logo &lt;Kiosque&gt;</title><g><title>autre</title></g><script>alert(1)</script></svg> fin.</p>')).toBe('<p>Logo : Logo &lt;Kiosque&gt; fin.</p>');
    expect(html('<p>a<svg><rect/>texte</svg>b</p><p>c</p>')).toBe('<p>ab</p><p>c</p>');
    // A title left open is closed by </svg>, as in browsers, not read on to the end of the article.
    expect(html('<p>Logo: <svg><title>Kiosque</svg> and the body <b>continues</b>.</p><p>Second.</p>')).toBe('<p>Logo: Kiosque and the body <b>continues</b>.</p><p>Second.</p>');
    expect(html('<p><svg role="img"><title>Évolution du PIB<path d="M0 0L10 10"/></svg></p><p><svg><title>Courbe<desc>Une description</desc><path d="M0 0"/></svg></p>')).toBe('<p>Évolution du PIB</p><p>Courbe</p>');
    // An SVG left open too: the paragraph's end ends it, as in browsers.
    expect(md('Le graphique <svg><title>Taux de chômage\n\nSecond paragraphe.\n')).toBe('<p>Le graphique Taux de chômage</p>\n<p>Second paragraphe.</p>\n');
    // A part's tooltip (a bar of a chart) does not name the whole: the SVG's own title does.
    expect(html('<svg role="img"><g><title>Bar: 30 %</title><rect width="3"/></g><title>Sales by quarter</title></svg>')).toBe('Sales by quarter');
    // kiosque's own names, written in an article, are nothing of kiosque's.
    expect(html('<kiosque-svg aria-label="x"><p>Real</p></kiosque-svg><kiosque-hidden>Shown</kiosque-hidden>')).toBe('<span><p>Real</p></span><span>Shown</span>');
    // Hidden, or a decorative icon hidden from assistive technology: no name at all.
    expect(html('<p>a<svg style="display: none"><title>Sprite</title></svg><svg hidden aria-label="Caché"></svg><svg aria-hidden="true"><title>Icône oiseau</title></svg> Twitter</p>')).toBe('<p>a Twitter</p>');
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
    // Images load over http(s) only, whatever the candidate.
    expect(html('<img src="a.png" srcset="tel:+33123 2x, mailto:a@b.example 3x, https://e.org/c.png 4x" alt="x"><picture><source srcset="ftp://m.example/x.jpg 1x"></picture>')).toBe('<img src="https://kiosque.example/2020/02/article/a.png" srcset="https://e.org/c.png 4x" alt="x" /><picture><source></source></picture>');
    expect(out).toContain('poster="https://kiosque.example/2020/02/article/p.jpg"');
    expect(out).toContain('cite="https://kiosque.example/source"');
    expect(out).toContain('href="https://kiosque.example/2020/02/article/#note"');
    expect(md('![chart](images/chart.png)')).toContain('src="https://kiosque.example/2020/02/article/images/chart.png"');
    expect(absoluteSrcset('javascript:x 1x, ok.png 2x', base)).toBe('https://kiosque.example/2020/02/article/ok.png 2x');
  });

  it('drops a srcset candidate whose descriptor is no width or density, and prints nothing on stdout, where build --json writes', () => {
    const log = vi.spyOn(console, 'log');
    try {
      const out = html('<img src="a.jpg" srcset="pics/a b.jpg 1x, c.jpg 2x, d.jpg 640w 480h, e.jpg .5x, f.jpg 0w, g.jpg 100w 0h">');
      expect(out).toContain('srcset="https://kiosque.example/2020/02/article/c.jpg 2x, https://kiosque.example/2020/02/article/d.jpg 640w 480h, https://kiosque.example/2020/02/article/e.jpg 0.5x"');
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
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

  it('leaves footnote calls out of the summary, whose number would join the word before, and keeps other superscripts', () => {
    const html = renderBody('Le 1<sup>er</sup> budget 2026[^a] est adopté.\n\n[^a]: Voté le 4 décembre.\n', 'markdown', 'https://e.org/x/');
    expect(summaryFromHtml(html)).toBe('Le 1er budget 2026 est adopté.');
    // A line break or an inline image between two words keeps them apart.
    expect(summaryFromHtml('<p>Marseille<br>Lyon<br />Nice et<img src="x.png" alt="">Paris</p>')).toBe('Marseille Lyon Nice et Paris');
  });

  it('reads an inline image as its alt text, so the sentence it ends still reads whole', () => {
    const html = renderBody('Le prix du gaz et ![la courbe des prix](courbe.png).\n', 'markdown', 'https://e.org/x/');
    expect(summaryFromHtml(html)).toBe('Le prix du gaz et la courbe des prix.');
    // A paragraph of an image alone (a lead photo) is not the summary: the first paragraph of words is.
    expect(summaryFromHtml(renderBody('![Le port de Marseille](port.jpg)\n\nLe trafic a doublé.\n', 'markdown', 'https://e.org/x/'))).toBe('Le trafic a doublé.');
    expect(summaryFromHtml('<p>Avant <img src="a.png" alt="un &quot;graphique&quot; &amp; sa l&eacute;gende"> après</p>')).toBe('Avant un "graphique" & sa l&eacute;gende après');
  });

  it('truncates long text on a word boundary with an ellipsis and never splits a character', () => {
    const long = `${'mot '.repeat(100)}fin`;
    const cut = truncateWords(long, 50);
    expect(cut.endsWith('mot…')).toBe(true);
    expect(Array.from(cut).length).toBeLessThanOrEqual(50);
    expect(truncateWords('😀'.repeat(60), 50)).toBe(`${'😀'.repeat(49)}…`);
    expect(truncateWords('short', 50)).toBe('short');
    // Cut between clusters, never inside one: a family emoji keeps its joiners, an e its combining accent.
    const family = '👨\u200d👩\u200d👧\u200d👦';
    expect(truncateWords(`${'x'.repeat(47)}${family}yyyy`, 50)).toBe(`${'x'.repeat(47)}${family}y…`);
    expect(truncateWords(`${'e'.repeat(48)}e\u0301zzzz`, 50)).toBe(`${'e'.repeat(48)}e\u0301…`);
  });

  it('summarises a transcript pasted as one 40,000-word paragraph from its first words, reading no further than it needs', () => {
    // Segmenting the whole paragraph took minutes and hung the build (and the server of `kiosque start`) with it.
    const summary = summaryFromHtml(`<p>${'parole '.repeat(40_000)}</p>`);
    expect(summary.endsWith('parole…')).toBe(true);
    expect(Array.from(summary).length).toBeLessThanOrEqual(300);
  });
});

describe('links and line ends', () => {
  it('keeps links to calendars, SMS, maps, chats and torrents, and still removes those that run code or carry a document', () => {
    const out = md('[Agenda](webcal://news.example/agenda.ics) · [Archives](ftp://ftp.news.example/pub/) · [Don](sms:+33612345678) · [Carte](geo:48.85,2.35) · [Torrent](magnet:?xt=urn:btih:abc) · [Salon](ircs://irc.example.org/kiosque)\n');
    for (const href of ['webcal://news.example/agenda.ics', 'ftp://ftp.news.example/pub/', 'sms:+33612345678', 'geo:48.85,2.35', 'magnet:?xt=urn:btih:abc', 'ircs://irc.example.org/kiosque']) {
      expect(out).toContain(`href="${href}"`);
    }
    const unsafe = html('<p><a href="javascript:alert(1)">a</a><a href="data:text/html,x">b</a><a href="vbscript:x">c</a><a href="file:///etc/passwd">d</a></p>');
    expect(unsafe).toBe('<p><a>a</a><a>b</a><a>c</a><a>d</a></p>');
    // Media load over the web only.
    expect(html('<p><img src="ftp://e.org/x.png" alt="x"></p>')).not.toContain('ftp:');
  });

  it('gives a body saved with CR LF or lone CR line ends the same HTML as with LF', () => {
    const text = '## Titre\n\nPremier paragraphe\nsur deux lignes.\n\n```\ncode\nsuite\n```\n\n<pre>a\nb</pre>\n';
    expect(md(text.replace(/\n/g, '\r\n'))).toBe(md(text));
    expect(md(text.replace(/\n/g, '\r'))).toBe(md(text));
    expect(md(text)).not.toContain('\r');
    expect(html('<p>a\r\nb</p>\r\n')).toBe(html('<p>a\nb</p>\n'));
  });
});

describe('Markdown without the constructs it cannot hold', () => {
  const every = (md: string): string => markdownToHtml(md, 'every');
  /** Fragments around the two constructs' first characters, near misses included. */
  const FRAGMENTS = [
    'www.example.com', 'WWW.Example.org/a?b=c', 'ww.example.com', 'www', 'http://example.com/x.', 'HTTPS://EXAMPLE.COM', 'htt://example.com',
    'https:no-slashes', 'contact@example.org', 'a@b', '@handle', 'mailto:x@example.org', 'xmpp:x@example.org/res',
    '| a | b |\n| - | - |\n| 1 | 2 |', 'a | b\n--|--\n1 | 2', 'a\n:-', 'a\n-:', 'a\n:-:', 'a\n: -', 'x|y', 'a\n---', '- - -',
    '« Économie » ’s', 'x ~~y~~ z', 'note[^1]\n\n[^1]: la note', '- [ ] à faire\n- [x] fait', '<b>gras</b> <script>x</script>',
    '**gras** _it_', '`www.code.example`', '[lien](https://example.org)', '<https://example.org>', '> cité : -', '1. un\n2. deux', '\u00a0',
  ];
  const bodies = (): string[] => {
    const rand = random(2026);
    const out: string[] = [];
    for (let n = 0; n < 600; n++) {
      const parts: string[] = [];
      for (let k = 1 + Math.floor(rand() * 5); k > 0; k--) parts.push(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!);
      out.push(parts.join(rand() < 0.5 ? '\n\n' : rand() < 0.5 ? '\n' : ' '));
    }
    return out;
  };

  it('renders every body of the sample store and 600 generated ones exactly as with every GFM construct on', () => {
    const store = readdirSync(STORE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(STORE, f), 'utf8'));
    const all = [...store, ...bodies()];
    expect(store.length).toBeGreaterThan(3);
    const differing = all.filter((md) => markdownToHtml(md) !== every(md));
    expect(differing).toEqual([]);
  });

  it('renders a body the same whatever was rendered before it (the constructs are shared between bodies)', () => {
    const a = 'Selon le rapport[^1], www.example.org | b\n--|--\n1 | 2\n\n[^1]: publié en 2026.';
    const b = 'Une autre note[^x] et ~~barré~~.\n\n[^x]: la note de B.\n\n- [x] fait';
    const first = markdownToHtml(a);
    expect(first).toContain('publié en 2026');
    markdownToHtml(b);
    markdownToHtml(b, 'every');
    expect(markdownToHtml(a)).toBe(first);
    expect(markdownToHtml(b)).not.toContain('publié en 2026');
  });

  it('still renders the constructs themselves when a body holds them', () => {
    expect(markdownToHtml('voir www.example.com')).toContain('<a href="http://www.example.com">www.example.com</a>');
    expect(markdownToHtml('écrire à contact@example.org')).toContain('<a href="mailto:contact@example.org">');
    expect(markdownToHtml('| a |\n| - |\n| 1 |')).toContain('<table>');
    expect(markdownToHtml('a\n:-')).toContain('<table>');
  });
});
