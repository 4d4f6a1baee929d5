import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from '../../src/config.js';
import { planFeedSet } from '../../src/model/feed-set.js';
import { collectFeed, openStore } from '../../src/store/collect.js';
import { repoRoot, tempDir } from '../helpers.js';

describe('the sample store through collectFeed', async () => {
  const config = (await loadConfig(undefined, repoRoot)).value!;
  const now = new Date('2026-01-01T00:00:00Z');
  const result = await collectFeed(config, now);
  const seed = result.feed.entries.find((e) => e.source.file === '2020/02/poutine-erdogan-idlib.md')!;

  it('keeps every line of the seed dispatch byte for byte in its content', async () => {
    const lines = (await readFile(join(repoRoot, 'tests/store/fixtures/seed-dispatch-lines.txt'), 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(seed.contentHtml).toContain(line);
    expect(seed.contentHtml).toContain('<p>\u00a0</p>');
    expect(seed.contentHtml).toContain('«Un espace de dialogue');
    expect(seed.contentHtml).not.toContain('&nbsp;');
    expect(seed.title).toBe('Poutine et Erdogan se sont entretenus par téléphone après les bombardements à Idlib');
    expect(seed.id).toBe('tag:kiosque.example,2020:2020/02/poutine-erdogan-idlib');
    expect(seed.url).toBe('https://kiosque.example/2020/02/poutine-erdogan-idlib/');
    expect(seed.published.toISOString()).toBe('2020-02-28T16:30:00.000Z');
    expect(seed.authors).toEqual([{ name: 'Sputnik' }]);
    expect(seed.tags).toEqual(['Russie', 'Turquie', 'Syrie', 'Idlib']);
  });

  it('publishes the valid articles newest first, without the draft or the embargoed ones', () => {
    expect(result.issues).toEqual([]);
    // 14 hand-written articles and 100 older dispatches (2018-2019) that give the main feed two archive pages.
    expect(result.accepted).toBe(114);
    expect(result.feed.entries.length).toBe(50);
    expect(result.drafts).toBe(1);
    // The 2030 article, and one of November 2026 (retracted two days after it appears).
    expect(result.scheduled).toBe(2);
    expect(result.nextEmbargo?.toISOString()).toBe('2026-11-18T07:00:00.000Z');
    const times = result.feed.entries.map((e) => e.published.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(result.feed.updated.toISOString()).toBe('2025-11-28T21:05:00.000Z');
  });

  it('publishes a file whose name has a space and accents under a percent-encoded id and URL', () => {
    const entry = result.feed.entries.find((e) => e.source.file === '2025/07/îlots de fraîcheur.md')!;
    expect(entry.id).toBe('tag:kiosque.example,2020:2025/07/%C3%AElots%20de%20fra%C3%AEcheur');
    expect(entry.url).toBe('https://kiosque.example/2025/07/%C3%AElots%20de%20fra%C3%AEcheur/');
  });

  it('reads a date-only value as midnight in the configured zone and keeps multiple authors', () => {
    const dst = result.feed.entries.find((e) => e.source.file === '2020/03/changement-heure.md')!;
    expect(dst.published.toISOString()).toBe('2020-03-28T23:00:00.000Z');
    expect(dst.contentHtml).toContain('href="https://kiosque.example/2020/02/poutine-erdogan-idlib/"');
    const energy = result.feed.entries.find((e) => e.source.file === '2021/11/energy-prices-europe.md')!;
    expect(energy.authors.map((a) => a.email)).toEqual(['claire.dubois@kiosque.example', 'tomasz.nowak@kiosque.example']);
    expect(energy.image).toBe('https://kiosque.example/2021/11/energy-prices-europe/images/gas-prices.png');
    expect(energy.updated.toISOString()).toBe('2021-11-05T17:40:00.000Z');
  });
});

describe('bodies for a feed set', () => {
  it('reads and renders each body once, however many feeds of the set carry it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const tags = ['Économie', 'Politique', 'Europe', 'Énergie', 'Climat'];
      for (let i = 0; i < 3; i++) {
        await writeFile(join(dir, `a${i}.md`), `---\ntitle: Article ${i}\ndate: 2021-05-0${i + 1}T10:00:00Z\nlang: ${i % 2 ? 'en' : 'fr'}\ntags: [${tags.join(', ')}]\n---\n\nCorps ${i}.\n`);
      }
      const config = resolveConfig({ title: 'T', url: 'https://news.example/', idPrefix: 'tag:news.example,2020:', articles: dir }, '/', 'test.json').value!;
      const store = await openStore(config, new Date('2026-01-01T00:00:00Z'));
      try {
        const site = { title: 'T', description: '', url: config.url, feedBaseUrl: config.feedBaseUrl, language: 'en', limit: 50 };
        const { feeds } = planFeedSet(undefined, store.index, site);
        // The main feed, five tag feeds and two language feeds: 8 feeds, 3 + 15 + 3 entries, 3 articles.
        expect(feeds).toHaveLength(8);
        const entries = await store.fill(feeds);
        expect(entries.flat()).toHaveLength(21);
        expect(store.stats.rendered).toBe(3);
        // The same Entry object in every feed: one id, one rendered body.
        const first = entries[0]![0]!;
        for (const list of entries.slice(1, 6)) expect(list).toContain(first);
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });
});
