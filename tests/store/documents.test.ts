import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Entry, Feed, Format } from '../../src/model/types.js';
import { openDocuments } from '../../src/store/documents.js';
import { basicFeed as sampleFeed } from '../render/fixtures/feed.js';
import { tempDir } from '../helpers.js';

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const tagFeed = (feed: Feed): Feed => ({ ...feed, site: { ...feed.site, folder: 'tags/économie/' } });

/** Publishes `bytes` for the feed's three documents under out/, as the publisher would, and returns the manifest's hashes. */
async function publishBytes(feed: Feed, bytes: Record<Format, Buffer>): Promise<Map<string, string>> {
  const folder = feed.site.folder ?? '';
  await mkdir(join(dir, folder), { recursive: true });
  const names: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
  const hashes = new Map<string, string>();
  for (const format of ['rss', 'atom', 'json'] as const) {
    await writeFile(join(dir, folder, names[format]), bytes[format]);
    hashes.set(`${folder}${names[format]}`, sha(bytes[format]));
  }
  return hashes;
}

describe('the documents of the last publication', () => {
  const cache = () => join(dir, '.kiosque/documents.json');
  const bytes = { rss: Buffer.from('<rss/>'), atom: Buffer.from('<feed/>'), json: Buffer.from('{}') };

  it('gives back a feed\'s published bytes when nothing that made them changed, and nothing otherwise', async () => {
    const feed = tagFeed(sampleFeed);
    const stamps = new Map<Entry, string>(feed.entries.map((e, i) => [e, `100:${i}:1:7`]));
    const first = openDocuments(dir, cache(), (e) => stamps.get(e));
    expect(first.reuse(feed, new Map())).toBeUndefined();
    first.remember(feed, bytes, sha);
    first.save();
    const published = await publishBytes(feed, bytes);

    const second = openDocuments(dir, cache(), (e) => stamps.get(e));
    const reused = second.reuse(feed, published);
    expect(reused && Object.fromEntries(Object.entries(reused).map(([k, v]) => [k, v.toString()]))).toEqual({ rss: '<rss/>', atom: '<feed/>', json: '{}' });

    // A body whose file changed, a title, the site, or bytes that are no longer the published ones: render again.
    const edited = new Map(stamps);
    edited.set(feed.entries[0]!, '101:0:2:7');
    expect(openDocuments(dir, cache(), (e) => edited.get(e)).reuse(feed, published)).toBeUndefined();
    const retitled = { ...feed, entries: [{ ...feed.entries[0]!, title: 'Autre titre' }, ...feed.entries.slice(1)] };
    stamps.set(retitled.entries[0]!, '100:0:1:7');
    expect(openDocuments(dir, cache(), (e) => stamps.get(e)).reuse(retitled, published)).toBeUndefined();
    expect(openDocuments(dir, cache(), (e) => stamps.get(e)).reuse({ ...feed, site: { ...feed.site, title: 'Autre' } }, published)).toBeUndefined();
    await writeFile(join(dir, 'tags/économie/atom.xml'), '<feed>changed on disk</feed>');
    expect(openDocuments(dir, cache(), (e) => stamps.get(e)).reuse(feed, published)).toBeUndefined();
  });

  it('never reuses a feed with an entry too fresh to be known by its file identity', async () => {
    const feed = tagFeed(sampleFeed);
    const fresh = feed.entries[0]!;
    const stampOf = (e: Entry): string | undefined => (e === fresh ? undefined : '100:0:1:7');
    const docs = openDocuments(dir, cache(), stampOf);
    docs.remember(feed, bytes, sha);
    docs.save();
    const published = await publishBytes(feed, bytes);
    expect(openDocuments(dir, cache(), stampOf).reuse(feed, published)).toBeUndefined();
    const settled = openDocuments(dir, cache(), () => '100:0:1:7');
    settled.remember(feed, bytes, sha);
    settled.save();
    expect(openDocuments(dir, cache(), () => '100:0:1:7').reuse(feed, published)).toBeDefined();
  });
});
