import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
import { renderIndexHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { renderFeedXsl } from '../../src/render/xsl.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { repoRoot, tempDir } from '../helpers.js';
import { ARTICLE_TITLE, SITE_TITLE, sampleFeed, writePublication } from '../serve/publication.js';

// Debian's chromium package; CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);

const HEBREW_TITLE = 'כותרת בעברית עם English ו-123';
const LONG_WORD_TITLE = `Un titre avec ${'anticonstitutionnellement'.repeat(4)} dedans`;
const pageLinks = (n: number): Record<'rss' | 'atom' | 'json', string> => ({
  rss: `https://kiosque.example/feeds/archive/${n}.xml`, atom: `https://kiosque.example/feeds/archive/${n}.atom`, json: `https://kiosque.example/feeds/archive/${n}.json`,
});
// Of an article's title: the XSL view sets the direction on the article, the index page on the title and summary.
const directionOf = (page: Page, text: string): Promise<string> => page.locator('article h3', { hasText: text })
  .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(el).direction);

describe.skipIf(!available && !inCi)(`feeds in a real browser (skipped: no Chromium at ${CHROMIUM}; install Debian's chromium or set CHROMIUM_PATH; never skipped in CI)`, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let shots: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const out = await tempDir('kiosque-browser-out-');
    const profile = await tempDir('kiosque-browser-profile-');
    cleanups.push(out.cleanup, profile.cleanup);
    // CI keeps screenshots as artifacts; locally they go to a temp dir that is left for a look.
    shots = inCi ? join(repoRoot, 'test-artifacts', 'browser') : (await tempDir('kiosque-browser-shots-')).dir;
    await mkdir(shots, { recursive: true });

    // With an article in Hebrew beside the French ones: it must read right to left in every view.
    const sample = sampleFeed();
    // And one whose title has a word longer than a phone's screen is wide.
    const feed = { ...sample, entries: [...sample.entries, { ...sample.entries[0]!, id: 'tag:kiosque.example,2020:he', lang: 'he', title: HEBREW_TITLE }, { ...sample.entries[0]!, id: 'tag:kiosque.example,2020:long', title: LONG_WORD_TITLE }] };
    // An RFC 5005 archive page, between two others.
    const page = {
      ...sample,
      site: { ...sample.site, folder: 'archive/', links: { ...sample.site.links, ...pageLinks(2) } },
      entries: feed.entries,
      paging: { archive: true as const, current: sample.site.links, prevArchive: pageLinks(1), nextArchive: pageLinks(3) },
    };
    await writePublication(out.dir, [
      { path: 'archive/2.xml', body: renderRss(page), mediaType: 'application/rss+xml; charset=utf-8' },
      { path: 'archive/2.atom', body: renderAtom(page), mediaType: 'application/atom+xml; charset=utf-8' },
      { path: 'rss.xml', body: renderRss(feed), mediaType: 'application/rss+xml; charset=utf-8' },
      { path: 'atom.xml', body: renderAtom(feed), mediaType: 'application/atom+xml; charset=utf-8' },
      { path: 'feed.json', body: renderJson(feed), mediaType: 'application/feed+json; charset=utf-8' },
      { path: 'index.html', body: renderIndexHtml(feed), mediaType: 'text/html; charset=utf-8' },
      { path: 'feed.xsl', body: renderFeedXsl(feed), mediaType: 'text/xsl; charset=utf-8' },
    ]);
    server = await startServer({ outDir: out.dir, host: '127.0.0.1', port: 0 });
    context = await chromium.launchPersistentContext(profile.dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    for (const c of cleanups) await c();
  });

  async function screenshot(name: string): Promise<void> {
    const page = context.pages().at(-1)!;
    const file = join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    // A blank or error page compresses to a few hundred bytes; a rendered article list does not.
    expect((await stat(file)).size).toBeGreaterThan(10_000);
  }

  it.each([
    ['rss.xml', 'RSS'],
    ['atom.xml', 'Atom'],
  ])('renders %s through feed.xsl as a readable page with the feed title, articles and how to subscribe', async (path, kind) => {
    const page = await context.newPage();
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status()).toBe(200);
    // The XSLT ran: the document is the generated HTML, not the raw XML text or tree.
    expect(await page.locator('h1').textContent()).toBe(SITE_TITLE);
    expect(await page.locator('.badge').textContent()).toContain(kind);
    const titles = await page.locator('article h3 a').allTextContents();
    expect(titles).toContain(ARTICLE_TITLE);
    expect(await page.locator('article h3 a').first().getAttribute('href')).toBe('https://kiosque.example/2020/02/poutine-erdogan-idlib');
    expect(await page.locator('.note code').textContent()).toBe(`https://kiosque.example/feeds/${path}`);
    expect(await page.locator('pre').count()).toBe(0);
    // The page in the site's words and language; the feed's language on what the feed wrote, and each item in its own direction.
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    // The feed's title was written by the site in its language, the page's: nothing to mark. An item's title is the feed's.
    expect(await page.locator('h1').getAttribute('lang')).toBeNull();
    expect(await page.locator('article h3', { hasText: ARTICLE_TITLE }).getAttribute('lang')).toBe('fr');
    // Its byline is in the page's words: not marked with the feed's language.
    expect(await page.locator('main ol').getAttribute('lang')).toBeNull();
    expect(await page.locator('article .meta').first().getAttribute('lang')).toBeNull();
    expect(await page.locator('nav').count()).toBe(0);
    expect(await directionOf(page, HEBREW_TITLE)).toBe('rtl');
    expect(await directionOf(page, ARTICLE_TITLE)).toBe('ltr');
    await screenshot(path.replace('.', '-'));
  });

  it.each([
    ['archive/2.xml', 'RSS', 'rss.xml'],
    ['archive/2.atom', 'Atom', 'atom.xml'],
  ])('shows %s as an archive page: no subscribing to it, the address of the feed itself, and links to the older and newer pages', async (path, kind, current) => {
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    expect(await page.locator('.badge').textContent()).toBe(`Flux web · ${kind} · Archives`);
    expect(await page.title()).toBe(`${SITE_TITLE} (Archives)`);
    expect(await page.locator('header').textContent()).not.toContain('abonnez-vous pour recevoir');
    expect(await page.locator('.note strong').textContent()).toBe('Une page d’archives de ce flux');
    expect(await page.locator('.note code').textContent()).toBe(`https://kiosque.example/feeds/${current}`);
    const extension = path.slice(path.lastIndexOf('.'));
    const nav = await page.locator('nav a').evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(nav).toEqual([
      ['Articles plus anciens', `https://kiosque.example/feeds/archive/1${extension}`],
      ['Articles plus récents', `https://kiosque.example/feeds/archive/3${extension}`],
    ]);
    expect(await page.locator('main h2').textContent()).toBe('Articles de cette page');
    await screenshot(path.replace(/[/.]/g, '-'));
  });

  it.each(['rss.xml', 'archive/2.atom', ''])('wraps a word longer than a phone screen is wide instead of scrolling the page sideways (%s)', async (path) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${server.url}${path}`);
    expect(await page.locator('article h3', { hasText: 'anticonstitutionnellement' }).count()).toBe(1);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBe(0);
  });

  it('shows the index page with its articles and autodiscovery links for the three feeds', async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.title()).toBe(SITE_TITLE);
    expect(await page.locator('main article h3').allTextContents()).toContain(ARTICLE_TITLE);
    expect(await directionOf(page, HEBREW_TITLE)).toBe('rtl');
    expect(await directionOf(page, ARTICLE_TITLE)).toBe('ltr');
    const raw = await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((l) => [l.getAttribute('type'), l.getAttribute('href')]));
    const alternates = raw.map(([t, href]) => [t, new URL(href ?? '', page.url()).href]);
    expect(alternates).toEqual([
      ['application/rss+xml', `${server.url}rss.xml`],
      ['application/atom+xml', `${server.url}atom.xml`],
      ['application/feed+json', `${server.url}feed.json`],
    ]);
    await screenshot('index');
  });
});
