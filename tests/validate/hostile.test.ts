import { describe, expect, it } from 'vitest';
import { MAX_ATTRIBUTES, MAX_BYTES, MAX_DEPTH, MAX_NODES, parseXml } from '../../src/validate/parse.js';
import { validateDocument } from '../../src/validate/validate.js';

/** validateDocument, asserting what every hostile input must give: findings, never a crashed rule. */
function validated(bytes: Uint8Array, file: string): ReturnType<typeof validateDocument> {
  const result = validateDocument(bytes, file);
  expect(result.issues.filter((i) => i.rule === 'KIOSQUE-INTERNAL').map((i) => i.message)).toEqual([]);
  return result;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const rules = (bytes: Uint8Array): string[] => validated(bytes, 'f').issues.map((i) => i.rule);

/** Deterministic pseudo-random bytes (xorshift), so a failure can be replayed. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('hostile input never crashes, hangs or explodes', () => {
  it('reports random bytes as unreadable instead of throwing', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = validated(noise(4096, seed), 'noise.bin');
      expect(['unreadable', 'unsupported']).toContain(r.format);
      expect(r.issues.some((i) => i.level === 'error')).toBe(true);
      expect(r.issues.length).toBeLessThanOrEqual(200);
    }
  });

  it('reports random bytes behind an RSS prologue as RSS with errors', () => {
    const head = enc('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>');
    const bytes = new Uint8Array([...head, ...noise(8192, 7)]);
    const r = validated(bytes, 'f');
    expect(r.issues.some((i) => i.level === 'error')).toBe(true);
  });

  it('refuses 100,000-deep nesting with a limit error instead of overflowing the stack', () => {
    const n = 100_000;
    const r = validated(enc('<rss version="2.0">' + '<a>'.repeat(n) + '</a>'.repeat(n) + '</rss>'), 'deep.xml');
    expect(r.format).toBe('unreadable');
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-LIMIT', level: 'error', line: 1 })]);
    expect(r.issues[0]?.message).toContain(String(MAX_DEPTH));
  });

  it('accepts nesting up to the limit', () => {
    const depth = 200;
    const { doc } = parseXml(enc('<rss version="2.0">' + '<a>'.repeat(depth) + '</a>'.repeat(depth) + '</rss>'), 'f');
    expect(doc?.root.local).toBe('rss');
  });

  it('does not expand entity bombs and reports the entity declarations', () => {
    const bomb = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE rss [',
      '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`),
      ']>',
      '<rss version="2.0"><channel><title>&j;</title><link>https://example.org/</link><description>d</description></channel></rss>',
    ].join('\n');
    const { doc } = parseXml(enc(bomb), 'bomb.xml');
    // &j; would be 40 * 10^9 characters if expanded.
    expect(doc?.text.length).toBeLessThan(2000);
    expect(doc?.root.children[0]?.children[0]?.text).toBe('&j;');
    expect(rules(enc(bomb))).toContain('RSS-DOC-018');
    expect(rules(enc(bomb))).not.toContain('RSS-DOC-007');
  });

  it('refuses files over the size cap without parsing them', () => {
    const big = new Uint8Array(MAX_BYTES + 1).fill(0x20);
    const r = validated(big, 'huge.xml');
    expect(r.format).toBe('unreadable');
    expect(r.issues.map((i) => i.rule)).toEqual(['KIOSQUE-LIMIT']);
  });

  it('validates a 50 MB feed', { timeout: 120_000 }, () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description><item><title>Big</title><description>';
    const tail = '</description><guid isPermaLink="false">tag:example.org,2024:big</guid></item></channel></rss>\n';
    const filler = '&lt;p&gt;Lorem ipsum dolor sit amet, consectetur adipiscing elit.&lt;/p&gt;\n';
    const body = filler.repeat(Math.floor((50_000_000 - head.length - tail.length) / filler.length));
    const bytes = enc(head + body + tail);
    expect(bytes.byteLength).toBeGreaterThan(49_000_000);
    expect(bytes.byteLength).toBeLessThanOrEqual(MAX_BYTES);
    const r = validated(bytes, 'big.xml');
    expect(r.format).toBe('rss');
    expect(r.issues.filter((i) => i.level === 'error')).toEqual([]);
  });

  it('caps the findings of one rule on a feed with 5,000 broken items', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `<item><title>${i}</title><pubDate>not a date</pubDate></item>`).join('');
    const r = validated(enc(`<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>${items}</channel></rss>`), 'f');
    const dt = r.issues.filter((i) => i.rule === 'RSS-DT-001');
    expect(dt.length).toBe(101);
    expect(dt[100]?.message).toContain('not shown');
  });

  it('handles JSON of the wrong shape everywhere', () => {
    const wrong = {
      version: 'https://jsonfeed.org/version/1.1',
      title: 42,
      home_page_url: ['x'],
      items: [null, 1, 'two', { id: { nested: true }, content_html: 7, date_published: false, authors: 'me', attachments: [{ url: null }] }],
      authors: { name: [] },
    };
    const r = validated(enc(JSON.stringify(wrong)), 'feed.json');
    expect(r.format).toBe('json');
    expect(r.issues.some((i) => i.level === 'error')).toBe(true);
    for (const i of r.issues) expect(i.pointer ?? i.line).toBeDefined();
  });

  it('reports JSON that is not a feed as unsupported, and broken JSON as unreadable', () => {
    expect(validated(enc('[1, 2, 3]'), 'a.json').format).toBe('unsupported');
    expect(validated(enc('{"title": "no version"}'), 'b.json').format).toBe('unsupported');
    expect(validated(enc('{"title": '), 'c.json').format).toBe('unreadable');
    expect(validated(enc('['.repeat(100_000)), 'd.json').format).toBe('unreadable');
  });

  it('accepts a DOCTYPE internal subset whose comment and PI hold a quote and ]', () => {
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!-- it's a ] test -->\n<?pi "]" ?>\n]>\n<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description></channel></rss>`;
    const r = validated(enc(doc), 'doctype.xml');
    expect(r.format).toBe('rss');
    expect(r.issues.map((i) => i.rule)).not.toContain('RSS-DOC-001');
    expect(r.issues.map((i) => i.rule)).not.toContain('KIOSQUE-INTERNAL');
  });

  it('refuses 200,000 attributes on one element with a limit finding, not a stack overflow', () => {
    const attrs = Array.from({ length: 200_000 }, (_, i) => `a${i}="v"`).join(' ');
    const r = validated(enc(`<rss version="2.0"><channel ${attrs}><title>t</title></channel></rss>`), 'attrs.xml');
    expect(r.format).toBe('unreadable');
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-LIMIT', level: 'error' })]);
    expect(r.issues[0]?.message).toContain(String(MAX_ATTRIBUTES));
  });

  it('refuses more than the node cap in elements and attributes', () => {
    const r = validated(enc(`<rss version="2.0"><channel>${'<x/>'.repeat(MAX_NODES)}</channel></rss>`), 'nodes.xml');
    expect(r.issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-LIMIT', level: 'error' })]);
    expect(r.issues[0]?.message).toContain(String(MAX_NODES));
  });

  it('reports 200,000 undefined attributes spread over items without a KIOSQUE-INTERNAL finding', { timeout: 120_000 }, () => {
    const items = '<item bad="1"><title>i</title></item>'.repeat(200_000);
    const issues = validated(enc(`<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>${items}</channel></rss>`), 'f').issues;
    expect(issues.map((i) => i.rule)).toContain('RSS-DOC-011');
    expect(issues.map((i) => i.rule)).not.toContain('KIOSQUE-INTERNAL');
  });

  it('survives truncation at every position of a small feed', () => {
    const feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>A &amp; B</title><link>https://e.org/</link><description><![CDATA[<p>x</p>]]></description><!-- c --><item><title>i</title></item></channel></rss>';
    for (let i = 0; i < feed.length; i++) {
      const r = validated(enc(feed.slice(0, i)), 'cut.xml');
      expect(r.issues.some((x) => x.level === 'error')).toBe(true);
    }
  });
});
