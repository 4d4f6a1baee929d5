import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderAtomBytes } from '../../src/render/atom.js';
import { renderJson, renderJsonBytes } from '../../src/render/json.js';
import { renderRss, renderRssBytes } from '../../src/render/rss.js';
import { utf8Of } from '../../src/render/utf8.js';
import type { Entry, Feed, Paging } from '../../src/model/types.js';
import { anonymousFeed, basicFeed, emptyFeed, entityTextFeed, hubsFeed, iconFeed, seedEntry, site } from './fixtures/feed.js';

describe('a document encoded from its pieces', () => {
  it('is the bytes of the pieces joined, whatever their sizes and scripts', () => {
    const pieces = ['<?xml?>', '', 'Déjà « vu » — l’été', '東京'.repeat(20_000), 'Ελλάδα 😀', 'x'.repeat(40_000), ...Array.from({ length: 3_000 }, (_, i) => `مصر ${i} ’`)];
    for (const after of ['', '\n']) expect(utf8Of(pieces, after).equals(Buffer.from(pieces.join(after) + after, 'utf8'))).toBe(true);
    expect(utf8Of([]).byteLength).toBe(0);
  });

  it('is in shared memory, so a compression or checking thread gets the document without a copy', async () => {
    const bytes = utf8Of(['<feed>', 'l’été'.repeat(50_000), '</feed>']);
    // The thread writes into what it received: the main thread sees it only if no copy was made.
    const worker = new Worker('require("node:worker_threads").parentPort.once("message", (b) => { b[0] = 0x21; process.exit(0); })', { eval: true });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage(bytes);
    await exited;
    expect(bytes[0]).toBe(0x21);
  });
});

/** An archive page's worth of entries in every script, with everything an item can carry. */
function bigFeed(headline: boolean): Feed {
  const entries: Entry[] = Array.from({ length: 150 }, (_, i) => ({
    ...seedEntry,
    id: `${seedEntry.id}/${i}/été/東京`,
    url: `${seedEntry.url}/${i}`,
    title: `${i} — « l’été » à Αθήνα, 東京, القاهرة 😀`,
    contentHtml: `<p>${'Le ministre a déclaré « rien » aujourd’hui. '.repeat(i % 7 === 0 ? 200 : 5)}</p>`,
    enclosures: i % 10 === 0 ? [{ url: `https://kiosque.example/${i}.mp3`, type: 'audio/mpeg', length: 1000 + i, title: 'Épisode', duration: 60 }] : [],
    ...(headline && i % 2 ? { headline: true } : {}),
  }));
  const paging: Paging = { archive: true, current: site.links, prevArchive: { rss: 'https://kiosque.example/feeds/archive/1.xml', atom: 'https://kiosque.example/feeds/archive/1.atom', json: 'https://kiosque.example/feeds/archive/1.json' } };
  return { site: { ...site, hubs: ['https://hub.example/', 'https://b.example/'] }, entries, updated: entries[0]!.updated, ...(headline ? { paging } : {}) };
}

describe('the renderers\' bytes', () => {
  const feeds: [string, Feed][] = [['basic', basicFeed], ['hubs', hubsFeed], ['icon', iconFeed], ['anonymous', anonymousFeed], ['entities', entityTextFeed], ['empty', emptyFeed], ['150 full entries', bigFeed(false)], ['150 entries, half headlines, paged', bigFeed(true)], ['marker-titled', { ...basicFeed, site: { ...site, title: '\u0000kiosque items\u0000' } }]];

  it.each(feeds)('are those of their text for the %s feed, in the three formats', (_, feed) => {
    expect(renderRssBytes(feed).equals(Buffer.from(renderRss(feed), 'utf8'))).toBe(true);
    expect(renderAtomBytes(feed).equals(Buffer.from(renderAtom(feed), 'utf8'))).toBe(true);
    expect(renderJsonBytes(feed).equals(Buffer.from(renderJson(feed), 'utf8'))).toBe(true);
  });

  it('give JSON Feed items in the order and with the keys JSON.stringify gives the whole document', () => {
    const feed = bigFeed(true);
    const parsed = JSON.parse(renderJsonBytes(feed).toString('utf8')) as { items: { id: string }[] };
    expect(parsed.items.map((i) => i.id)).toEqual(feed.entries.map((e) => e.id));
    expect(Object.keys(parsed)).toEqual(Object.keys(JSON.parse(renderJson(feed)) as object));
  });
});
