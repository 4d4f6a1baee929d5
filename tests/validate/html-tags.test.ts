import { describe, expect, it } from 'vitest';
import { activeContent, htmlTags, linkValues, outsideCode } from '../../src/validate/html-tags.js';
import { validateDocument } from '../../src/validate/validate.js';

describe('the tags of HTML content', () => {
  it('reads attributes quoted, unquoted and bare, and takes no markup from text, comments or escaped code', () => {
    const html = '<p class=x>a <img src="i.png" alt=\'b\' hidden> <!-- <a href="c"> --> <code>{{&lt; figure src="a" &gt;}} onload=x</code> a<b alors b>a</p>';
    expect([...htmlTags(html)].map((t) => [t.name, t.attributes.map((a) => (a.value === undefined ? a.name : `${a.name}=${a.value}`))])).toEqual([
      ['p', ['class=x']], ['img', ['src=i.png', 'alt=b', 'hidden']], ['code', []], ['b', ['alors', 'b']],
    ]);
    // CDATA is a bogus comment, and what a raw text element holds is text.
    expect(activeContent('<p><![CDATA[<script>]]></p><textarea><script>x</script></TEXTAREA><title><iframe></title>')).toBeUndefined();
    expect([...htmlTags('<style>p { } <img src=x></style><b>')].map((t) => t.name)).toEqual(['style', 'b']);
    expect([...linkValues('<img src="https://a/x.png" srcset="/r.png 2x, https://a/y.png 3x"><video poster="p.jpg">')].map((l) => `${l.attr}=${l.url}`)).toEqual([
      'src=https://a/x.png', 'srcset=/r.png', 'srcset=https://a/y.png', 'poster=p.jpg',
    ]);
    // A quoted value may hold a >; a tag the string ends inside is none.
    expect([...htmlTags('<a title="x > y" href=/p>t</a><img src="z"')].map((t) => [t.name, t.attributes])).toEqual([['a', [{ name: 'title', value: 'x > y' }, { name: 'href', value: '/p' }]]]);
    expect([...linkValues(html)]).toEqual([{ attr: 'src', url: 'i.png' }]);
    expect(activeContent(html)).toBeUndefined();
    expect(activeContent('<p>x</p><IFRAME src="https://e.org/"></IFRAME>')).toBe('<iframe>');
    expect(activeContent('<img src="a" onError="x()">')).toBe('an onerror attribute');
  });

  it('scans megabytes of unclosed tags in linear time', () => {
    expect([...htmlTags('<style>'.repeat(200_000))]).toEqual([{ name: 'style', attributes: [] }]);
    const hostile = '<a'.repeat(2_000_000);
    expect([...htmlTags(hostile)]).toEqual([]);
    expect([...htmlTags(`${'<'.repeat(1_000_000)}<b>`)]).toEqual([{ name: 'b', attributes: [] }]);
  });
});

describe('relative URLs in HTML content', () => {
  const rss = (html: string) => Buffer.from(`<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description><item><title>a</title><guid>https://e.org/a</guid><description>${html.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</description></item></channel></rss>`);
  const atom = (html: string) => Buffer.from(`<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>t</title><updated>2024-01-01T00:00:00Z</updated><entry><id>urn:a</id><title>a</title><updated>2024-01-01T00:00:00Z</updated><content type="html">${html.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</content></entry></feed>`);
  const found = (bytes: Buffer, rule: string) => validateDocument(bytes, 'f').issues.filter((i) => i.rule === rule).map((i) => i.message);

  it('are found in tags, and not in a code sample that shows one as text', () => {
    const code = '<pre><code>{{&lt; figure src="a" &gt;}}</code></pre>';
    expect(found(rss(code), 'RSS-IT-006')).toEqual([]);
    expect(found(atom(code), 'ATOM-C-036')).toEqual([]);
    expect(found(rss('<p><a href="https://e.org/">x</a> <img src="i.png"></p>'), 'RSS-IT-006')).toEqual(['<item/description> has a relative src="i.png"; RSS has no base URL']);
    expect(found(atom('<img src="i.png">'), 'ATOM-C-036')).toEqual(['entry/content contains relative URLs but no xml:base to resolve them']);
  });
});

describe('text read as plain or as HTML escaped once', () => {
  const rss = (title: string, description: string) => Buffer.from(`<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description><item><title>${title}</title><guid>https://e.org/a</guid><description>${description}</description></item></channel></rss>`);
  const rules = (bytes: Buffer) => validateDocument(bytes, 'f').issues.map((i) => i.rule).filter((r) => ['RSS-DOC-016', 'RSS-DT-031'].includes(r));
  const esc = (html: string) => html.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

  it('takes a formula for text and a code sample\'s escaped markup as meant, and still finds markup leaked or escaped twice', () => {
    expect(rules(rss(esc('Maths : a<b alors b>a'), esc('<p>si x&lt;y et y&gt;z</p><pre><code>&lt;script src="/app.js"&gt;</code></pre>')))).toEqual([]);
    expect(rules(rss(esc('Le <em>vrai</em> bilan'), esc('&lt;p&gt;Bonjour&lt;/p&gt;'))).sort()).toEqual(['RSS-DOC-016', 'RSS-DT-031']);
    expect(outsideCode('a<code>&lt;b&gt;</code>c<PRE>x</PRE>d<kbd>open')).toBe('a</code>c</PRE>d');
  });
});
