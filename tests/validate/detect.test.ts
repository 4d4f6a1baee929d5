import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectJson, detectJsonDoc } from '../../src/validate/detect.js';
import { readJsonDoc } from '../../src/validate/json/validate.js';
import { validateDocument } from '../../src/validate/validate.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const format = (s: string) => validateDocument(enc(s), 'f');

describe('format detection', () => {
  it('detects RSS 2.0, Atom 1.0 and JSON Feed from the content', () => {
    expect(format('<rss version="2.0"><channel/></rss>').format).toBe('rss');
    expect(format('<feed xmlns="http://www.w3.org/2005/Atom"/>').format).toBe('atom');
    expect(format('<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>').format).toBe('atom');
    expect(format('<entry xmlns="http://www.w3.org/2005/Atom"/>').format).toBe('atom');
    expect(format('\ufeff  {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}').format).toBe('json');
  });

  it('recognises a JSON Feed whose version URL has a slip (www, http, a trailing slash), so JF-TOP-001 can name it', () => {
    for (const v of ['https://www.jsonfeed.org/version/1.1', 'http://jsonfeed.org/version/1.1/', 'HTTPS://JSONFEED.ORG/version/1']) {
      expect(format(`{"version": "${v}", "title": "t", "items": []}`).format, v).toBe('json');
    }
    expect(format('{"version": "https://example.org/version/1.1", "items": []}').format).toBe('unsupported');
  });

  it('keeps a broken RSS 2.0 document as RSS, with errors', () => {
    const r = format('<rss version="2.0"><channel><title>x</channel></rss>');
    expect(r.format).toBe('rss');
    expect(r.issues.map((i) => i.rule)).toContain('RSS-DOC-001');
    expect(format('<rss><channel/></rss>').issues.map((i) => i.rule)).toContain('RSS-DOC-012');
    expect(format('<rss version="2.0.1"><channel/></rss>').format).toBe('rss');
  });

  it.each([
    ['<rss version="0.92"><channel/></rss>', 'RSS 0.92'],
    ['<rss version="0.91"><channel/></rss>', 'RSS 0.91'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"/>', 'RSS 1.0'],
    ['<feed version="0.3" xmlns="http://purl.org/atom/ns#"/>', 'Atom 0.3'],
    ['<html><body/></html>', 'an HTML page, not a feed'],
    ['<entry/>', '<entry>'],
  ])('reports %s as unsupported, not mis-validated', (xml, reason) => {
    const r = format(xml);
    expect(r.format).toBe('unsupported');
    expect(r.reason).toContain(reason);
    expect(r.issues.map((i) => i.rule)).toEqual(['KIOSQUE-FORMAT']);
  });

  it('names the feeds a web page announces (autodiscovery), in order, against the address it came from', () => {
    const page = enc(`<!DOCTYPE html>\n<html lang="fr"><head><title>Kiosque</title>
<link rel="alternate" hreflang="en" href="/en/" type="text/html">
<link rel="Alternate" type=" application/RSS+xml " href="rss.xml?x=1&amp;y=2">
<link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom.xml">
<link rel="stylesheet" type="application/rss+xml" href="not-a-feed.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
</head><body></body></html>`);
    const r = validateDocument(page, 'page', { base: 'https://kiosque.example/feeds/' });
    expect(r.format).toBe('unsupported');
    expect(r.reason).toBe('an HTML page, not a feed; it announces 3 feeds: https://kiosque.example/feeds/rss.xml?x=1&y=2 (RSS), https://cdn.example/atom.xml (Atom), https://kiosque.example/feeds/feed.json (JSON Feed): validate one of those instead');
    // A file has no address: its links are named as written.
    expect(validateDocument(page, 'page.html').reason).toContain('rss.xml?x=1&y=2 (RSS), https://cdn.example/atom.xml (Atom), feed.json (JSON Feed)');
  });

  it('resolves the feeds a page announces against its <base href>, wherever it stands, and names no alternate stylesheet', () => {
    const page = enc(`<!doctype html><html><head>
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<base href="https://cdn.example.com/base/"><base href="https://ignored.example/">
<link rel="alternate" type="application/atom+xml" href="../atom.xml">
<link rel="stylesheet alternate" type="application/rss+xml" href="look.xml">
<link rel="alternate" type="application/json" href="feed.json">
</head><body></body></html>`);
    expect(validateDocument(page, 'page', { base: 'http://127.0.0.1:19302/site/sub/' }).reason).toBe(
      'an HTML page, not a feed; it announces 3 feeds: https://cdn.example.com/base/feed.xml (RSS), https://cdn.example.com/atom.xml (Atom), https://cdn.example.com/base/feed.json (JSON Feed): validate one of those instead',
    );
    // A relative base is resolved against the page's address.
    expect(validateDocument(enc('<!doctype html><base href="/feeds/"><link rel="alternate" type="application/rss+xml" href="rss.xml">'), 'page', { base: 'https://e.org/a/b/' }).reason).toContain('https://e.org/feeds/rss.xml (RSS)');
  });

  it('says what a JSON scalar or a gzip-compressed file is, rather than how either fails to parse as XML', () => {
    for (const text of ['null', ' 42\n', '"x"', 'true', '\ufeff-1.5e3']) {
      expect(validateDocument(enc(text), 'scalar.json'), text).toMatchObject({ format: 'unsupported', reason: 'JSON, but not an object: not a JSON Feed' });
    }
    const gz = validateDocument(gzipSync(enc('<rss version="2.0"><channel/></rss>')), 'wordpress.xml.gz');
    expect(gz).toMatchObject({ format: 'unreadable', reason: expect.stringMatching(/^gzip-compressed data, not a feed: decompress it first/) });
    expect(gz.issues).toHaveLength(1);
  });

  it('tells an XHTML page, an HTML page after comments, and one announcing nothing from a feed', () => {
    expect(format('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"/>').reason).toMatch(/^an HTML page, not a feed/);
    expect(format('\ufeff<!-- generated -->\n<html><head><link rel="alternate" type="application/atom+xml" href="a.xml"></head></html>').reason).toBe('an HTML page, not a feed; it announces one feed: a.xml (Atom): validate that instead');
    expect(format('<!doctype html><title>t</title>').reason).toBe('an HTML page, not a feed, and it announces none (no <link rel="alternate"> with a feed type)');
    // A feed whose text mentions <html> is still the feed.
    expect(format('<rss version="2.0"><channel><description>&lt;html&gt;</description></channel></rss>').format).toBe('rss');
  });

  it.each([
    ['UTF-16LE', [0xff, 0xfe], 'utf-16le'],
    ['UTF-16BE', [0xfe, 0xff], 'utf-16be'],
    ['UTF-32LE', [0xff, 0xfe, 0, 0], 'utf-32le'],
    ['UTF-32BE', [0, 0, 0xfe, 0xff], 'utf-32be'],
  ] as const)('routes a JSON Feed encoded as %s with a BOM to the JSON Feed rules', (name, bom, encoding) => {
    const json = '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}';
    const units = [...json].map((c) => c.charCodeAt(0));
    const width = encoding.startsWith('utf-16') ? 2 : 4;
    const body = units.flatMap((u) => {
      const cell = Array<number>(width).fill(0);
      cell[encoding.endsWith('le') ? 0 : width - 1] = u;
      return cell;
    });
    const r = validateDocument(Uint8Array.from([...bom, ...body]), 'f');
    expect(r.format).toBe('json');
    const rules = r.issues.map((i) => i.rule);
    expect(rules).toContain('JF-DOC-003');
    expect(rules).toContain('JF-DOC-004');
    expect(r.issues.find((i) => i.rule === 'JF-DOC-003')?.message).toContain(name);
  });

  it('reports files that are neither XML nor JSON as unreadable', () => {
    expect(format('hello').format).toBe('unreadable');
    expect(format('').format).toBe('unreadable');
  });
});

describe('JSON Feed detection from the document the validator reads', () => {
  const utf16 = (s: string): Uint8Array => new Uint8Array(Buffer.from(`\ufeff${s}`, 'utf16le'));
  it.each([
    ['a JSON Feed 1.1', enc('{"version": "https://jsonfeed.org/version/1.1", "items": []}')],
    ['a JSON Feed 1 with the old http URL', enc('{"version": "http://jsonfeed.org/version/1", "items": []}')],
    ['the last of two version members', enc('{"version": "https://jsonfeed.org/version/1.1", "version": "2"}')],
    ['the last of two version members, a feed', enc('{"version": "2", "version": "https://jsonfeed.org/version/1.1"}')],
    ['a version that is not a string', enc('{"version": 1.1}')],
    ['no version', enc('{"title": "t", "items": []}')],
    ['an array', enc('[{"version": "https://jsonfeed.org/version/1.1"}]')],
    ['a lone surrogate', enc('{"version": "https://jsonfeed.org/version/1.1", "title": "\\ud800"}')],
    ['__proto__ as a member', enc('{"__proto__": {"version": "https://jsonfeed.org/version/1.1"}}')],
    ['broken JSON with a version', enc('{"version": "https://jsonfeed.org/version/1.1", "items": [}')],
    ['broken JSON without one', enc('{"title": }')],
    ['UTF-16 with a BOM', utf16('{"version": "https://jsonfeed.org/version/1.1"}')],
  ])('decides %s exactly as from its bytes', (_, bytes) => {
    expect(detectJsonDoc(readJsonDoc(bytes), bytes)).toEqual(detectJson(bytes));
  });
});
