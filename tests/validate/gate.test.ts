import { describe, expect, it } from 'vitest';
import { collectNow } from '../../src/heap.js';
import { comparePrevious, crossCheck, rememberSummary, summarise } from '../../src/validate/gate.js';
import { validateDocument } from '../../src/validate/validate.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

type It = { id: string; link: string; title: string; date: Date; text?: string; body?: string; audio?: string };
const A: It = { id: 'tag:example.org,2024:a', link: 'https://example.org/a', title: 'Café & co', date: new Date('2024-01-02T10:00:00Z') };
const B: It = { id: 'tag:example.org,2024:b', link: 'https://example.org/b', title: 'Second', date: new Date('2024-01-01T09:30:00Z') };

const rss = (items: It[], lastBuildDate = 'Tue, 02 Jan 2024 10:00:00 GMT'): Uint8Array =>
  enc(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><link>https://example.org/</link><description>d</description><lastBuildDate>${lastBuildDate}</lastBuildDate>${items
    .map((i) => `<item><title>${i.title.replace(/&/g, '&amp;')}</title><link>${i.link}</link><guid isPermaLink="false">${i.id}</guid><pubDate>${i.date.toUTCString()}</pubDate>${i.text ? `<description>${i.text}</description>` : ''}${i.body ? `<content:encoded><![CDATA[${i.body}]]></content:encoded>` : ''}${i.audio ? `<enclosure url="${i.audio}" length="40000" type="audio/mpeg"/>` : ''}</item>`)
    .join('')}</channel></rss>`);
const atom = (items: It[], feedId = 'tag:example.org,2024:feed', updated = '2024-01-02T10:00:00Z'): Uint8Array =>
  enc(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>${feedId}</id><title>t</title><updated>${updated}</updated>${items
    .map((i) => `<entry><id>${i.id}</id><title type="text">${i.title.replace(/&/g, '&amp;')}</title><link rel="alternate" href="${i.link}"/><published>${i.date.toISOString()}</published><updated>${i.date.toISOString()}</updated>${i.text ? `<summary>${i.text}</summary>` : ''}${i.body ? `<content type="html"><![CDATA[${i.body}]]></content>` : ''}${i.audio ? `<link rel="enclosure" type="audio/mpeg" length="40000" href="${i.audio}"/>` : ''}</entry>`)
    .join('')}</feed>`);
const json = (items: It[]): Uint8Array =>
  enc(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: items.map((i) => ({ id: i.id, url: i.link, title: i.title, date_published: i.date.toISOString().replace('.000Z', '+00:00'), ...(i.body ? { content_html: i.body } : {}), ...(i.audio ? { attachments: [{ url: i.audio, mime_type: 'audio/mpeg', size_in_bytes: 40000 }] } : {}) })) }));

const outputs = (r: Uint8Array, a: Uint8Array, j: Uint8Array) => [
  { format: 'rss' as const, file: 'rss.xml', bytes: r },
  { format: 'atom' as const, file: 'atom.xml', bytes: a },
  { format: 'json' as const, file: 'feed.json', bytes: j },
];

describe('crossCheck', () => {
  it('keeps what it read of each document, not the document: the build holds its bytes until it publishes', () => {
    // Full-content feeds, as a feed set's are: 40 x 3 documents of ~250 KB, each item with its own id, link and title.
    const items = (n: number): It[] => Array.from({ length: 5 }, (_, k) => ({ id: `tag:example.org,2024:${n}-${k}`, link: `https://example.org/${n}/${k}`, title: `Dépêche n°${n}-${k}`, date: A.date }));
    const filler = 'é'.repeat(250_000);
    const padded = (bytes: Uint8Array): Uint8Array => enc(new TextDecoder().decode(bytes).replace('<title>t</title>', `<title>t${filler}</title>`).replace('"title":"t"', `"title":"t${filler}"`));
    collectNow();
    const before = process.memoryUsage().heapUsed;
    const held: Uint8Array[] = [];
    for (let n = 0; n < 40; n++) {
      const docs = outputs(padded(rss(items(n))), padded(atom(items(n))), padded(json(items(n))));
      held.push(...docs.map((d) => d.bytes));
      expect(crossCheck(docs)).toEqual([]);
    }
    collectNow();
    // Their decoded texts are 30 MB: ids, links and titles cut from them kept them all.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect(held.every((b) => b.byteLength > 500_000)).toBe(true);
  });

  it('reads what the validator parsed as it reads the bytes, JSON Feed included, and keeps no document text', () => {
    // A byte order mark, a duplicate member (the last wins, as JSON.parse has it), a numeric id, a title to trim.
    const odd = enc('\uFEFF{"version":"https://jsonfeed.org/version/1.1","title":"t","feed_url":"https://example.org/feed.json","items":[{"id":7,"url":"https://example.org/a","title":"First","title":" Café & co ","date_published":"2024-01-02T10:00:00+00:00"},{"id":"b","__proto__":"x"}]}');
    const fromTree = (format: 'rss' | 'atom' | 'json', bytes: Uint8Array): void => {
      validateDocument(bytes, `feed.${format}`, { parsed: (tree) => rememberSummary(format, bytes, tree) });
    };
    for (const [format, bytes] of [['rss', rss([A, B])], ['atom', atom([A, B])], ['json', json([A, B])], ['json', odd]] as const) {
      fromTree(format, bytes);
      // A copy is not in the cache: it is read from its bytes.
      expect(summarise(format, bytes)).toEqual(summarise(format, Uint8Array.from(bytes)));
    }
    expect(summarise('json', odd)).toMatchObject({ id: 'https://example.org/feed.json', items: [{ id: '7', title: 'Café & co', link: 'https://example.org/a' }, { id: 'b' }] });
    // Items cut from a 500 KB text: what is kept of them must not keep the text.
    const filler = 'é'.repeat(250_000);
    collectNow();
    const before = process.memoryUsage().heapUsed;
    const held: Uint8Array[] = [];
    for (let n = 0; n < 40; n++) {
      const items = Array.from({ length: 5 }, (_, k) => ({ id: `tag:example.org,2024:${n}-${k}`, link: `https://example.org/${n}/${k}`, title: `Dépêche n°${n}-${k}`, date: A.date }));
      const bytes = enc(new TextDecoder().decode(json(items)).replace('"title":"t"', `"title":"t${filler}"`));
      fromTree('json', bytes);
      held.push(bytes);
      expect(summarise('json', bytes)?.items).toHaveLength(5);
    }
    collectNow();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect(held.every((b) => b.byteLength > 500_000)).toBe(true);
  });

  it('accepts three outputs carrying the same items (dates compared as instants)', () => {
    expect(crossCheck(outputs(rss([A, B]), atom([A, B]), json([A, B])))).toEqual([]);
  });

  it('reports a different item count', () => {
    const issues = crossCheck(outputs(rss([A, B]), atom([A]), json([A, B])));
    expect(issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-CROSS-001', level: 'error', file: 'atom.xml' })]);
  });

  it('reports a different order with the position of the item', () => {
    const issues = crossCheck(outputs(rss([A, B]), atom([A, B]), json([B, A])));
    expect(issues.map((i) => [i.file, i.pointer])).toEqual([
      ['feed.json', '/items/0'],
      ['feed.json', '/items/1'],
    ]);
  });

  it('reports a different link, title or date', () => {
    const moved = { ...B, link: 'https://example.org/b2' };
    const renamed = { ...B, title: 'Other' };
    const later = { ...B, date: new Date('2024-01-01T09:31:00Z') };
    expect(crossCheck(outputs(rss([A, B]), atom([A, moved]), json([A, B])))[0]?.message).toContain('links to');
    expect(crossCheck(outputs(rss([A, B]), atom([A, renamed]), json([A, B])))[0]?.message).toContain('titled');
    expect(crossCheck(outputs(rss([A, B]), atom([A, B]), json([A, later])))[0]?.message).toContain('dated');
  });
});

describe('comparePrevious', () => {
  it('is silent for an unchanged rebuild and for a new item', () => {
    expect(comparePrevious('rss', rss([A]), rss([A]), 'rss.xml')).toEqual([]);
    expect(comparePrevious('atom', atom([A]), atom([B, A], undefined, '2024-01-03T00:00:00Z'), 'atom.xml')).toEqual([]);
  });

  it('reports an id that changed for the same link (RSS-IT-022, ATOM-E-010, JF-ITEM-004)', () => {
    const changed = { ...A, id: 'https://example.org/a' };
    expect(comparePrevious('rss', rss([A]), rss([changed]), 'rss.xml')).toEqual([expect.objectContaining({ rule: 'RSS-IT-022', level: 'warning' })]);
    expect(comparePrevious('atom', atom([A]), atom([changed]), 'atom.xml')).toEqual([expect.objectContaining({ rule: 'ATOM-E-010', level: 'error' })]);
    expect(comparePrevious('json', json([A]), json([changed]), 'feed.json')).toEqual([expect.objectContaining({ rule: 'JF-ITEM-004', pointer: '/items/0' })]);
  });

  it('reports an item back under a new id and a new link with the same title and date: a renamed file (RSS-IT-022, ATOM-E-010, JF-ITEM-004)', () => {
    const renamed = { ...A, id: 'tag:example.org,2024:a-renamed', link: 'https://example.org/a-renamed' };
    const issues = comparePrevious('atom', atom([A, B]), atom([renamed, B]), 'atom.xml');
    expect(issues.map((i) => [i.rule, i.level])).toEqual([['ATOM-E-010', 'error']]);
    expect(issues[0]!.message).toContain(`"Café & co" had id "${A.id}" in the last publication and now has "${renamed.id}" (same title and date, new link)`);
    expect(issues[0]!.message).toContain(`give it its id back in its front matter: id: "${A.id}"`);
    expect(comparePrevious('rss', rss([A, B]), rss([renamed, B]), 'rss.xml').map((i) => i.rule)).toEqual(['RSS-IT-022']);
    expect(comparePrevious('json', json([A, B]), json([renamed, B]), 'feed.json').map((i) => [i.rule, i.pointer])).toEqual([['JF-ITEM-004', '/items/0']]);
  });

  it('reports an article renamed with its folder of images and a new headline: the same date, and its content but for its own address', () => {
    const body = (link: string) => `<p>${'La grève perturbe fortement le trafic sur les lignes Transilien jeudi. '.repeat(3)}</p><p><img src="${link}images/quai.png" alt="Quai"></p>`;
    const was = { ...A, link: 'https://example.org/greve/', body: body('https://example.org/greve/') };
    const renamed = { ...was, id: 'tag:example.org,2024:greve-jeudi', link: 'https://example.org/greve-jeudi/', title: 'Grève : un train sur trois', body: body('https://example.org/greve-jeudi/') };
    for (const [format, doc, rule] of [['rss', rss, 'RSS-IT-022'], ['atom', atom, 'ATOM-E-010'], ['json', json, 'JF-ITEM-004']] as const) {
      const issues = comparePrevious(format, doc([was, B]), doc([renamed, B]), 'f');
      expect(issues.map((i) => i.rule), format).toEqual([rule]);
      expect(issues[0]!.message, format).toContain('(same date and content, new link)');
    }
  });

  it('reports an episode renamed with a new title and notes: the same date and audio file', () => {
    const was = { ...A, audio: 'https://example.org/media/ep1.mp3' };
    const renamed = { ...was, id: 'tag:example.org,2024:ep1-pilot', link: 'https://example.org/ep1-pilot', title: 'Episode 1: the pilot' };
    for (const [format, doc, rule] of [['rss', rss, 'RSS-IT-022'], ['atom', atom, 'ATOM-E-010'], ['json', json, 'JF-ITEM-004']] as const) {
      const issues = comparePrevious(format, doc([was, B]), doc([renamed, B]), 'f');
      expect(issues.map((i) => i.rule), format).toEqual([rule]);
      expect(issues[0]!.message, format).toContain('(same date and audio or video file, new link)');
      // Its audio moved with it to the new folder: another URL, the same file name, size to the byte (the fixture's 40000) and date.
      const moved = comparePrevious(format, doc([{ ...was, audio: 'https://example.org/ep1/episode.mp3' }, B]), doc([{ ...renamed, audio: 'https://example.org/ep1-pilot/episode.mp3' }, B]), 'f');
      expect(moved.map((i) => i.rule), format).toEqual([rule]);
      expect(moved[0]!.message, format).toContain('(same date and audio or video file name and size, new link)');
      // Two shows' episodes of one morning, declaring one length: other files, no rename.
      expect(comparePrevious(format, doc([was, B]), doc([{ ...renamed, audio: 'https://example.org/media/show-d.mp3' }, B]), 'f'), format).toEqual([]);
      // Another episode of another day with a file of the same size is no rename.
      expect(comparePrevious(format, doc([was, B]), doc([{ ...renamed, date: new Date('2024-01-03T10:00:00Z'), audio: 'https://example.org/media/ep2.mp3' }, B]), 'f'), format).toEqual([]);
    }
  });

  it('reports an item renamed with its headline, or with its date corrected: the same content and one of title or date', () => {
    const body = `<p>${'Le vote du budget est repoussé à jeudi, faute d’accord entre les groupes. '.repeat(4)}</p>`;
    const was = { ...A, body };
    const retitled = { ...was, id: 'tag:example.org,2024:a-reporte', link: 'https://example.org/a-reporte', title: 'Café & cie' };
    const redated = { ...was, id: 'tag:example.org,2024:a-reporte', link: 'https://example.org/a-reporte', date: new Date('2024-01-02T11:00:00Z') };
    for (const [format, doc, rule] of [['rss', rss, 'RSS-IT-022'], ['atom', atom, 'ATOM-E-010'], ['json', json, 'JF-ITEM-004']] as const) {
      const headline = comparePrevious(format, doc([was, B]), doc([retitled, B]), 'f');
      expect(headline.map((i) => i.rule), format).toEqual([rule]);
      expect(headline[0]!.message).toContain('(same date and content, new link)');
      expect(comparePrevious(format, doc([was, B]), doc([redated, B]), 'f')[0]?.message, format).toContain('(same title and content, new link)');
      // Title and date both new: another article with the same text (a wire story run twice), not the same one renamed.
      expect(comparePrevious(format, doc([was, B]), doc([{ ...retitled, date: redated.date }, B]), 'f'), format).toEqual([]);
      // A daily show: its oldest episode leaves the window as a new one with the same title and notes comes in.
      const episode = (n: number): It => ({ id: `tag:example.org,2024:ep${n}`, link: `https://example.org/ep${n}`, title: 'Le point du jour', date: new Date(Date.UTC(2024, 0, n, 7)), body });
      expect(comparePrevious(format, doc([episode(3), episode(2), episode(1)]), doc([episode(4), episode(3), episode(2)]), 'f', { limit: 3 }), format).toEqual([]);
      // A feed below its limit pushed nothing out: its oldest article renamed with its date moved later is still caught.
      const alone = { ...was, date: new Date(Date.UTC(2024, 0, 1)) };
      expect(comparePrevious(format, doc([alone]), doc([{ ...alone, id: 'tag:example.org,2024:a-reporte', link: 'https://example.org/a-reporte', date: new Date(Date.UTC(2024, 0, 1, 9)) }]), 'f', { limit: 3 }).map((i) => i.rule), format).toEqual([rule]);
      // Retracted, then published again under a new file: announced, not renamed.
      expect(comparePrevious(format, doc([was, B]), doc([retitled, B]), 'f', { retracted: new Set([was.id]) }), format).toEqual([]);
      // A short body ("Texte.") says nothing of which article it is.
      expect(comparePrevious(format, doc([{ ...A, body: '<p>Texte.</p>' }, B]), doc([{ ...retitled, body: '<p>Texte.</p>' }, B]), 'f'), format).toEqual([]);
    }
  });

  it('refuses a podcast whose podcast:guid changed (its feed moved without its guid kept), naming the guid to keep', () => {
    const show = (guid: string, items: It[] = [A]) => enc(new TextDecoder().decode(rss(items)).replace('<channel>', `<channel><podcast:guid>${guid}</podcast:guid>`).replace('<rss version="2.0"', '<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"'));
    const was = '5b241572-0d5c-5b1b-9a5e-2f2e3a7c4f10';
    const issues = comparePrevious('rss', show(was), show('d9c16db0-8f4e-5a36-b7c1-0c4f1f1a2b3c'), 'podcast/rss.xml');
    expect(issues.map((i) => [i.rule, i.level])).toEqual([['KIOSQUE-PODCAST-GUID', 'error']]);
    expect(issues[0]!.message).toContain(`Set "guid": "${was}"`);
    expect(comparePrevious('rss', show(was), show(was, [A, B]), 'podcast/rss.xml')).toEqual([]);
  });

  it('warns once per feed, on its Atom document, when entries already published get a new date (a changed timezone)', () => {
    const later = (i: It): It => ({ ...i, date: new Date(i.date.getTime() + 6 * 3600_000) });
    const issues = comparePrevious('atom', atom([A, B]), atom([later(A), later(B)]), 'atom.xml');
    expect(issues.map((i) => [i.rule, i.level])).toEqual([['KIOSQUE-REDATED-001', 'warning']]);
    expect(issues[0]!.message).toContain('2 entries of this document already published have a new publication date, the first "Café & co" from 2024-01-02T10:00:00.000Z to 2024-01-02T16:00:00.000Z');
    expect(comparePrevious('rss', rss([A, B]), rss([later(A), later(B)]), 'rss.xml')).toEqual([]);
    expect(comparePrevious('atom', atom([A, B]), atom([A, B]), 'atom.xml')).toEqual([]);
    // An archive page's entries: the chain rules speak of those.
    expect(comparePrevious('atom', atom([A, B]), atom([later(A), later(B)]), 'archive/1.atom', { page: true })).toEqual([]);
  });

  it('says the id prefix changed, not the file, when an item is back under the same id path with another prefix (a site moved without idPrefix set)', () => {
    const moved = { ...A, id: 'tag:www.example.org,2000:a', link: 'https://www.example.org/a' };
    const [issue] = comparePrevious('atom', atom([A, B]), atom([moved, B]), 'atom.xml');
    expect(issue?.rule).toBe('ATOM-E-010');
    expect(issue?.message).toContain('Only its prefix changed: set "idPrefix" back to "tag:example.org,2024:" in the configuration');
    expect(issue?.message).not.toContain('front matter');
  });

  it('says once per document that the ids changed only in their prefix when idPrefix itself was edited (same links)', () => {
    const C: It = { id: 'tag:example.org,2024:c', link: 'https://example.org/c', title: 'Third', date: new Date('2023-12-31T09:30:00Z') };
    const edited = (it: It): It => ({ ...it, id: it.id.replace(',2024:', ',2026:') });
    // One item: its own finding, with the fix.
    const [one] = comparePrevious('atom', atom([A, B]), atom([edited(A), B]), 'atom.xml');
    expect(one?.message).toBe(`the item at ${A.link} had id "${A.id}" in the last publication and now has "tag:example.org,2026:a": readers will show it again as new. Only its prefix changed: set "idPrefix" back to "tag:example.org,2024:" in the configuration`);
    // Every item: one finding for the document, not one per item.
    const all = comparePrevious('rss', rss([A, B, C]), rss([A, B, C].map(edited)), 'rss.xml');
    expect(all).toHaveLength(1);
    expect(comparePrevious('atom', atom([A]), atom([A], 'tag:example.org,2026:feed'), 'atom.xml').map((i) => i.message)).toEqual([
      'feed id changed from "tag:example.org,2024:feed" to "tag:example.org,2026:feed"; readers will treat it as a different feed. Only its prefix changed: set "idPrefix" back to "tag:example.org,2024:" in the configuration',
    ]);
    expect(all[0]!.message).toBe(`3 items had ids starting "tag:example.org,2024:" in the last publication and now "tag:example.org,2026:" (the first "${A.id}", now "tag:example.org,2026:a"): readers will show them all again as new. Only the prefix changed: set "idPrefix" back to "tag:example.org,2024:" in the configuration`);
  });

  it('tells an idPrefix edit of any scheme by the configured prefix, and a folder moved under the same prefix as renames', () => {
    const http = (it: It, prefix: string): It => ({ ...it, id: `${prefix}${it.id.slice('tag:example.org,2024:'.length)}` });
    const C: It = { id: 'tag:example.org,2024:c', link: 'https://example.org/c', title: 'Third', date: new Date('2023-12-31T09:30:00Z') };
    const before = [A, B, C].map((it) => http(it, 'https://example.org/ids/'));
    const after = [A, B, C].map((it) => http(it, 'https://example.org/id/'));
    const told = comparePrevious('rss', rss(before), rss(after), 'rss.xml', { idPrefix: 'https://example.org/id/' });
    expect(told.map((i) => i.message)).toEqual([expect.stringMatching(/^3 items had ids starting "https:\/\/example\.org\/ids\/" in the last publication and now "https:\/\/example\.org\/id\/" .* set "idPrefix" back to "https:\/\/example\.org\/ids\/"/)]);
    // The same ids moved under a prefix that is still the configured one: files renamed, each told with its id to keep.
    const moved = [A, B, C].map((it) => ({ ...it, id: it.id.replace(',2024:', ',2024:archive/') }));
    const renamed = comparePrevious('rss', rss([A, B, C]), rss(moved), 'rss.xml', { idPrefix: 'tag:example.org,2024:' });
    expect(renamed).toHaveLength(3);
    expect(renamed.every((i) => i.message.includes('give it its id back in its front matter'))).toBe(true);
    // A file renamed to a name its old id ends with is no prefix change either.
    const shortened = comparePrevious('rss', rss([{ ...A, id: 'tag:example.org,2024:2024/01/cafe-a' }]), rss([A]), 'rss.xml', { idPrefix: 'tag:example.org,2024:' });
    expect(shortened.map((i) => i.message)).toEqual([expect.stringContaining('give it its id back in its front matter: id: "tag:example.org,2024:2024/01/cafe-a"')]);
  });

  it('takes a new item with another title or date, beside one that left, as another article', () => {
    const retitled = { ...A, id: 'tag:example.org,2024:c', link: 'https://example.org/c', title: 'Café & cie' };
    const redated = { ...A, id: 'tag:example.org,2024:c', link: 'https://example.org/c', date: new Date('2024-01-02T10:00:01Z') };
    expect(comparePrevious('atom', atom([A, B]), atom([retitled, B]), 'atom.xml')).toEqual([]);
    expect(comparePrevious('atom', atom([A, B]), atom([redated, B]), 'atom.xml')).toEqual([]);
  });

  it('reports an id reused for a different item', () => {
    const reused = { ...B, id: A.id };
    const issues = comparePrevious('atom', atom([A]), atom([reused]), 'atom.xml');
    expect(issues.map((i) => i.rule)).toEqual(['ATOM-E-010']);
    expect(issues[0]?.message).toContain('reused');
  });

  it('accepts an item whose link moved under the same id: a site reorganised, or a file renamed with its id kept', () => {
    const moved = { ...A, link: 'https://example.org/2024/a' };
    expect(comparePrevious('atom', atom([A, B]), atom([moved, B]), 'atom.xml')).toEqual([]);
    expect(comparePrevious('rss', rss([A, B]), rss([moved, B]), 'rss.xml')).toEqual([]);
    expect(comparePrevious('json', json([A, B]), json([moved, B]), 'feed.json')).toEqual([]);
  });

  it('accepts an article whose headline and link were rewritten together under its id and publication date: the same article, edited', () => {
    const edited = { ...A, link: 'https://example.org/cafe-et-cie', title: 'Café & cie, la suite' };
    expect(comparePrevious('atom', atom([A, B]), atom([edited, B]), 'atom.xml')).toEqual([]);
    expect(comparePrevious('rss', rss([A, B]), rss([edited, B]), 'rss.xml')).toEqual([]);
    expect(comparePrevious('json', json([A, B]), json([edited, B]), 'feed.json')).toEqual([]);
    // Another date as well: another article under a reused id.
    const other = { ...edited, date: new Date('2024-01-03T08:00:00Z') };
    expect(comparePrevious('atom', atom([A, B]), atom([other, B]), 'atom.xml').map((i) => i.rule)).toEqual(['ATOM-E-010']);
  });

  it('reports a changed Atom feed id (ATOM-F-010)', () => {
    expect(comparePrevious('atom', atom([A]), atom([A], 'https://new.example.org/'), 'atom.xml').map((i) => i.rule)).toEqual(['ATOM-F-010']);
  });

  it('reports a feed date that moved while the items stayed the same (RSS-CH-009, ATOM-E-013)', () => {
    expect(comparePrevious('rss', rss([A]), rss([A], 'Wed, 03 Jan 2024 00:00:00 GMT'), 'rss.xml').map((i) => i.rule)).toEqual(['RSS-CH-009']);
    expect(comparePrevious('atom', atom([A]), atom([A], undefined, '2024-01-05T00:00:00Z'), 'atom.xml').map((i) => [i.rule, i.level])).toEqual([['ATOM-E-013', 'info']]);
  });

  it('accepts a feed date that moved with an item\'s text: an article corrected and marked updated', () => {
    const corrected = { ...A, text: 'Corrigé.' };
    expect(comparePrevious('rss', rss([{ ...A, text: 'Texte.' }]), rss([corrected], 'Wed, 03 Jan 2024 00:00:00 GMT'), 'rss.xml')).toEqual([]);
    expect(comparePrevious('atom', atom([{ ...A, text: 'Texte.' }]), atom([corrected], undefined, '2024-01-05T00:00:00Z'), 'atom.xml')).toEqual([]);
  });

  it('ignores previous files it cannot read', () => {
    expect(comparePrevious('rss', enc('garbage'), rss([A]), 'rss.xml')).toEqual([]);
  });
});
