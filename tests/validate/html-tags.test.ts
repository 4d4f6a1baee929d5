import { describe, expect, it } from 'vitest';
import { activeContent, htmlTags, linkValues } from '../../src/validate/html-tags.js';
import { validateDocument } from '../../src/validate/validate.js';

describe('the tags of HTML content', () => {
  it('reads attributes quoted, unquoted and bare, and takes no markup from text, comments or escaped code', () => {
    const html = '<p class=x>a <img src="i.png" alt=\'b\' hidden> <!-- <a href="c"> --> <code>{{&lt; figure src="a" &gt;}} onload=x</code> a<b alors b>a</p>';
    expect([...htmlTags(html)].map((t) => [t.name, t.attributes.map((a) => `${a.name}=${a.value}`)])).toEqual([
      ['p', ['class=x']], ['img', ['src=i.png', 'alt=b', 'hidden=']], ['code', []], ['b', ['alors=', 'b=']],
    ]);
    expect([...linkValues(html)]).toEqual([{ attr: 'src', url: 'i.png' }]);
    expect(activeContent(html)).toBeUndefined();
    expect(activeContent('<p>x</p><IFRAME src="https://e.org/"></IFRAME>')).toBe('<iframe>');
    expect(activeContent('<img src="a" onError="x()">')).toBe('an onerror attribute');
  });

  it('scans megabytes of unclosed tags in linear time', () => {
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
