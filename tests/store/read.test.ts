import { mkdir, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../src/config.js';
import type { Issue } from '../../src/issue.js';
import { collectFeed } from '../../src/store/collect.js';
import { readBody } from '../../src/store/body.js';
import { probeStore } from '../../src/store/probe.js';
import { readStore } from '../../src/store/read.js';
import { repoRoot, tempDir } from '../helpers.js';

const fixtures = join(repoRoot, 'tests/store/fixtures');

function config(articles: string, extra: Record<string, unknown> = {}): Config {
  const result = resolveConfig({ title: 'T', url: 'https://news.example/', idPrefix: 'tag:news.example,2020:', timezone: 'Europe/Paris', articles, ...extra }, '/', 'test.json');
  if (!result.value) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const NOW = new Date('2026-01-01T00:00:00Z');
const GOOD = '---\ntitle: Bon\ndate: 2021-05-01T10:00:00Z\n---\n\nCorps.\n';

function find(issues: Issue[], rule: string): Issue {
  const issue = issues.find((i) => i.rule === rule);
  if (!issue) throw new Error(`no ${rule} in ${JSON.stringify(issues)}`);
  return issue;
}

describe('broken articles in the fixture store', () => {
  it('rejects each broken file with its rule, file and line, and still publishes the good one', async () => {
    const result = await collectFeed(config(fixtures), NOW);
    const { issues } = result;
    // The unclosed list opens on line 4; YAML notices it where the next key starts.
    expect(find(issues, 'store-bad-yaml')).toMatchObject({ level: 'error', file: 'broken/bad-yaml.md', line: 5 });
    expect(find(issues, 'store-missing-title')).toMatchObject({ file: 'broken/missing-title.md', line: 2 });
    expect(find(issues, 'store-missing-date')).toMatchObject({ file: 'broken/missing-date.md', line: 2 });
    expect(find(issues, 'store-invalid-date')).toMatchObject({ file: 'broken/invalid-date.md', line: 4 });
    expect(find(issues, 'store-invalid-date').message).toContain('2020-02-30');
    expect(find(issues, 'store-bad-field-type')).toMatchObject({ file: 'broken/bad-type.md', line: 4 });
    expect(find(issues, 'store-empty')).toMatchObject({ file: 'broken/empty.md' });
    expect(find(issues, 'store-bad-json')).toMatchObject({ file: 'broken/bad.json' });
    const dup = find(issues, 'store-duplicate-id');
    expect(dup).toMatchObject({ file: 'good/zz-duplicate.md', line: 4 });
    expect(dup.message).toContain('good/ok.md');
    expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good/ok.md']);
    expect(result.accepted).toBe(1);
    for (const issue of issues) expect(issue.message).not.toContain('\n');
  });
});

describe('odd files generated on the fly', () => {
  it('rejects binary, invalid UTF-8, oversized and unreadable-as-article files, keeping the rest', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'good.md'), GOOD);
      await writeFile(join(dir, 'binary.md'), Buffer.from('---\ntitle: x\0y\ndate: 2021-01-01\n---\n'));
      await writeFile(join(dir, 'latin1.md'), Buffer.concat([Buffer.from('---\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\ndate: 2021-01-01\n---\nx\n')]));
      await writeFile(join(dir, 'huge.md'), `---\ntitle: big\ndate: 2021-01-01\n---\n${'x'.repeat(2000)}`);
      await writeFile(join(dir, 'no-front-matter.md'), '# Just Markdown\n');
      const result = await collectFeed(config(dir), NOW, { maxBytes: 1000 });
      expect(find(result.issues, 'store-binary')).toMatchObject({ file: 'binary.md', line: 2 });
      expect(find(result.issues, 'store-not-utf8')).toMatchObject({ file: 'latin1.md', line: 2 });
      expect(find(result.issues, 'store-too-large')).toMatchObject({ file: 'huge.md' });
      expect(find(result.issues, 'store-missing-front-matter')).toMatchObject({ file: 'no-front-matter.md', line: 1 });
      expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good.md']);
    } finally {
      await cleanup();
    }
  });

  it('names the enclosure item and the key it cannot read: a typo such as "lenght" is the usual slip', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const ep = (name: string, media: string) => writeFile(join(dir, `${name}.md`), `---\ntitle: T\ndate: 2021-01-01\nenclosures:\n${media}\n---\n\nx\n`);
      await ep('typo', '  - url: /a.mp3\n  - url: https://cdn.example/b.mp3\n    lenght: 5');
      await ep('no-url', '  - { type: audio/mpeg, length: 5 }');
      await ep('list', '  - [https://cdn.example/c.mp3]');
      const result = await collectFeed(config(dir), NOW);
      const reasons = result.issues.filter((i) => i.rule === 'store-bad-field-type').map((i) => [i.file, i.line, i.message.replace(/^.*: (enclosures\[)/, '$1')]);
      expect(reasons).toEqual([
        ['list.md', 4, 'enclosures[1] is neither a URL nor an object'],
        ['no-url.md', 4, 'enclosures[1] has no "url"'],
        ['typo.md', 4, 'enclosures[2] has the unknown key "lenght" (it takes url, type, length, title, duration)'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('tells a site migrated from Jekyll, Hugo or a CMS what its old tool would have done: keeps a hidden post out, and names what readers would see as typed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const md = (head: string, body = 'Corps.\n'): string => `---\ntitle: T\ndate: 2021-05-01T10:00:00Z\n${head}---\n\n${body}`;
      await writeFile(join(dir, 'good.md'), GOOD);
      await writeFile(join(dir, 'hidden.md'), md('published: false\n'));
      await writeFile(join(dir, 'shown.md'), md('published: true\n'));
      await writeFile(join(dir, 'draft.md'), md('published: false\ndraft: true\n'));
      await writeFile(join(dir, 'prose.md'), md('summary: "Si a<b alors b>a, et <3 pour la fin"\n', '[caption] est le mot anglais pour légende.\n'));
      await writeFile(join(dir, 'tagged.md'), md('summary: \'Le <a href="https://e.org/">vrai</a> bilan\'\n').replace('title: T', 'title: "Le <em>vrai</em> bilan"'));
      await writeFile(join(dir, 'hidden.json'), JSON.stringify({ title: 'T', date: '2021-05-01T10:00:00Z', content: 'x', published: false }));
      await writeFile(join(dir, 'later.md'), md('publishDate: 2021-06-01\nexpiryDate: 2021-07-01\n'));
      await writeFile(join(dir, 'toml.md'), '+++\ntitle = "T"\ndate = 2021-05-01\n+++\n\nCorps.\n');
      await writeFile(join(dir, 'shortcode.md'), md('', '{{< figure src="hero.jpg" caption="Hero" >}}\n\nTexte.\n'));
      await writeFile(join(dir, 'liquid.md'), md('', 'Voir [la suite]({% post_url 2021-01-15-x %}).\n'));
      await writeFile(join(dir, 'wordpress.md'), md('', '[caption id="a_9"]<img src="/x.jpg" alt="X"> Légende[/caption]\n'));
      // Template syntax shown as code, on purpose: not counted.
      await writeFile(join(dir, 'tutorial.md'), md('', 'Écrivez `{{< figure >}}` ou :\n\n```\n{% include toc.html %}\n```\n'));
      await writeFile(join(dir, 'entities.md'), md('summary: "<p>Résumé &amp; suite</p>"\n').replace('title: T', 'title: "Le maire &#8220;démissionne&#8221;"'));
      await mkdir(join(dir, '_posts'));
      await writeFile(join(dir, '_posts', '2021-05-01-post.md'), md(''));
      const result = await collectFeed(config(dir), NOW);
      const found = (rule: string): string[] => result.issues.filter((i) => i.rule === rule).map((i) => `${i.file}: ${i.message}`);
      expect(found('store-visibility-key').sort()).toEqual([
        'hidden.json: "published: false" (Jekyll\'s) is not read: write "draft: true" to keep the article out of the feeds',
        'hidden.md: "published: false" (Jekyll\'s) is not read: write "draft: true" to keep the article out of the feeds',
      ]);
      expect(found('store-foreign-date')).toEqual([
        'later.md: "publishDate" (Hugo\'s) is not read: the article is published as of its "date"; to embargo it until 2021-06-01, write that as its "date"',
        'later.md: "expiryDate" is not read: kiosque never takes an article down by date; retract it ("retracted: true") once it must go',
      ]);
      expect(found('store-missing-front-matter')).toEqual(['toml.md: its front matter is TOML, between "+++" lines (Hugo\'s), and kiosque reads YAML: write it between "---" lines (title: "…", date: …)']);
      expect(found('store-template-code')).toEqual([
        'liquid.md: the body holds template code that another tool would have rendered ({% post_url): readers show it as typed; write it as Markdown or HTML',
        'shortcode.md: the body holds template code that another tool would have rendered ({{< figure): readers show it as typed; write it as Markdown or HTML',
        'wordpress.md: the body holds template code that another tool would have rendered ([caption id="a_9"]): readers show it as typed; write it as Markdown or HTML',
      ]);
      expect(found('store-markup-in-text')).toEqual([
        'entities.md: "title" is plain text, and holds the HTML character reference &#8220;: readers show it as typed; write the characters themselves',
        'entities.md: "summary" is plain text, and holds the HTML character reference &amp;: readers show it as typed; write the characters themselves',
        'tagged.md: "title" is plain text, and holds the HTML tag <em>: readers show it as typed; write the characters themselves',
        'tagged.md: "summary" is plain text, and holds the HTML tag <a href="https://e.org/">: readers show it as typed; write the characters themselves',
      ]);
      // An inequality is no tag: prose.md's summary draws nothing.
      expect(found('store-folder-skipped')).toEqual(['_posts: this folder is skipped, as is every name that starts with _ (Jekyll keeps its posts here): rename it (posts/) for its articles to be published']);
      // The draft is kept back, not rejected: it says what the message would have asked.
      expect(result.feed.entries.map((e) => e.source.file).sort()).toEqual(['entities.md', 'good.md', 'later.md', 'liquid.md', 'prose.md', 'shortcode.md', 'shown.md', 'tagged.md', 'tutorial.md', 'wordpress.md']);
      expect(result.issues.filter((i) => i.file === 'draft.md' && i.level === 'error')).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('says a title that YAML read as a comment (`title: #1 …`) is empty and how to quote it, rather than missing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'good.md'), GOOD);
      await writeFile(join(dir, 'hash.md'), '---\ndate: 2021-01-01\ntitle: #1 du classement\n---\n\nBody.\n');
      const result = await collectFeed(config(dir), NOW);
      expect(find(result.issues, 'store-missing-title')).toMatchObject({ file: 'hash.md', line: 3, message: '"title" is empty: every published article needs one (if it starts with #, YAML read it as a comment: put it in quotes, title: "#1 …")' });
      expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good.md']);
    } finally {
      await cleanup();
    }
  });

  it('says a title that starts with [ or { was read by YAML as a list or map, and how to quote it; a title of spaces shows nothing; a !!timestamp date is read as written', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'update.md'), '---\ndate: 2021-01-01\ntitle: [Mise à jour] Le budget adopté\n---\n\nBody.\n');
      await writeFile(join(dir, 'label.md'), '---\ndate: 2021-01-01\ntitle: [Vidéo]\n---\n\nBody.\n');
      await writeFile(join(dir, 'spaces.md'), '---\ndate: 2021-01-01\ntitle: "   "\n---\n\nBody.\n');
      await writeFile(join(dir, 'ideographic.md'), '---\ndate: 2021-01-01\ntitle: "\u3000"\n---\n\nBody.\n');
      await writeFile(join(dir, 'tagged.md'), '---\ndate: !!timestamp 2021-01-01 10:00:00\ntitle: Daté\n---\n\nBody.\n');
      await writeFile(join(dir, 'tagged-retraction.md'), '---\ndate: 2021-01-01T08:00:00+01:00\ntitle: Retiré\nretracted:\n  date: !!timestamp 2021-01-02 10:00:00\n  notice: erreur\n---\n\nBody.\n');
      const result = await collectFeed(config(dir), NOW);
      const reasons = Object.fromEntries(result.issues.filter((i) => i.level === 'error').map((i) => [i.file, i.message]));
      expect(reasons['update.md']).toMatch(/^front matter is not valid YAML: .* \(a value that starts with \[ is a YAML list: put the whole title in quotes, title: "\[…\] …"\)$/);
      expect(reasons['label.md']).toBe('"title" must be a string (YAML reads a value that starts with [ as a list: put it in quotes, title: "[…] …")');
      expect(reasons['spaces.md']).toBe('"title" shows nothing (only spaces or invisible characters): every published article needs one');
      expect(reasons['ideographic.md']).toBe(reasons['spaces.md']);
      // A YAML tag makes a date object of it, not a map: the text as written is read as any date is, in Paris time.
      expect(reasons['tagged.md']).toBeUndefined();
      expect(reasons['tagged-retraction.md']).toBeUndefined();
      expect(result.feed.entries.find((e) => e.source.file === 'tagged.md')?.published.toISOString()).toBe('2021-01-01T09:00:00.000Z');
    } finally {
      await cleanup();
    }
  });

  it('warns of a title or summary that a " #" cut short, YAML reading the rest as a comment, and says what is published', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'cut.md'), '---\ndate: 2021-01-01\ntitle: Top #1 du classement\nsummary: "Entier #1" # une note\n---\n\nBody.\n');
      await writeFile(join(dir, 'quoted.md'), '---\ndate: 2021-01-01\ntitle: "Top #1 du classement" # une note\n---\n\nBody.\n');
      // Wrapped by hand onto indented lines: cut where the " #" is, or by a line that starts with one.
      await writeFile(join(dir, 'wrapped.md'), '---\ntitle: Titre\n  sur deux lignes #2 fin\ndate: 2021-01-02\nsummary: Le conseil a voté le budget, avec le\n  #1 des projets : le tram.\n---\n\nBody.\n');
      await writeFile(join(dir, 'long.md'), '---\ntitle: Un titre\n  sur deux lignes sans dièse\ndate: 2021-01-03\n---\n\nBody.\n');
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues.filter((i) => i.rule === 'store-yaml-comment').map((i) => [i.file, i.line, i.message])).toEqual([
        ['cut.md', 3, '"title" is published as "Top": YAML reads " #1 du classement" as a comment; to keep it, put the whole value in quotes'],
        ['wrapped.md', 3, '"title" is published as "Titre sur deux lignes": YAML reads " #2 fin" as a comment; to keep it, put the whole value in quotes'],
        ['wrapped.md', 6, '"summary" is published as "Le conseil a voté le budget, avec le": YAML reads " #1 des projets : le tram." as a comment; to keep it, put the whole value in quotes'],
      ]);
      expect(result.feed.entries.map((e) => e.title).sort()).toEqual(['Titre sur deux lignes', 'Top', 'Top #1 du classement', 'Un titre sur deux lignes sans dièse']);
    } finally {
      await cleanup();
    }
  });

  it('rejects a title that shows nothing, zero-width characters and direction marks alone, as missing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'good.md'), GOOD);
      await writeFile(join(dir, 'invisible.md'), '---\ndate: 2021-01-01\ntitle: "\\u200b\\u200d\\u200f\\ufeff"\n---\n\nBody.\n');
      await writeFile(join(dir, 'spaces.json'), JSON.stringify({ title: '\u00a0\u202f', date: '2021-01-01', content: 'x' }));
      // Variation selector, combining grapheme joiner, Hangul fillers: shown as nothing too.
      await writeFile(join(dir, 'ignorable.json'), JSON.stringify({ title: '\ufe0f\u034f\u3164\u115f\u1160', date: '2021-01-01', content: 'x' }));
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues.filter((i) => i.rule === 'store-missing-title').map((i) => [i.file, i.line])).toEqual([['ignorable.json', 1], ['invisible.md', 3], ['spaces.json', 1]]);
      expect(find(result.issues, 'store-missing-title').message).toBe('"title" shows nothing (only spaces or invisible characters): every published article needs one');
      expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good.md']);
    } finally {
      await cleanup();
    }
  });

  it('reports a front matter that closes after 256 KB as too large, and one that never closes as not closed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const long = `summary: "${'x'.repeat(300 * 1024)}"\n`;
      await writeFile(join(dir, 'long-head.md'), `---\ntitle: Long\ndate: 2021-01-01\n${long}---\n\nBody.\n`);
      await writeFile(join(dir, 'open-head.md'), `---\ntitle: Open\ndate: 2021-01-01\n${long}\nBody without a closing fence.\n`);
      await writeFile(join(dir, 'good.md'), GOOD);
      const result = await collectFeed(config(dir), NOW);
      expect(find(result.issues, 'store-head-too-large')).toMatchObject({ level: 'error', file: 'long-head.md', line: 1 });
      expect(find(result.issues, 'store-bad-yaml')).toMatchObject({ file: 'open-head.md', message: 'the front matter is never closed by a "---" line' });
      expect(result.issues.filter((i) => i.file === 'long-head.md').map((i) => i.rule)).toEqual(['store-head-too-large']);
      expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good.md']);
    } finally {
      await cleanup();
    }
  });

  it('finds invalid UTF-8 in the body of a chosen article and publishes the next candidate instead', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'newest.md'), Buffer.concat([Buffer.from('---\ntitle: N\ndate: 2021-03-01T00:00:00Z\n---\n\nok\n\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
      await writeFile(join(dir, 'middle.md'), '---\ntitle: M\ndate: 2021-02-01T00:00:00Z\n---\n\nok\n');
      await writeFile(join(dir, 'oldest.md'), '---\ntitle: O\ndate: 2021-01-01T00:00:00Z\n---\n\nok\n');
      const result = await collectFeed(config(dir, { limit: 2 }), NOW);
      expect(find(result.issues, 'store-not-utf8')).toMatchObject({ file: 'newest.md', line: 8 });
      expect(result.feed.entries.map((e) => e.title)).toEqual(['M', 'O']);
      expect(result.accepted).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it('refuses YAML alias bombs and never lets __proto__ or constructor keys pollute objects', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      let bomb = '---\ntitle: bomb\ndate: 2021-01-01\na: &a [x, x, x, x, x, x, x, x, x]\n';
      let prev = 'a';
      for (let i = 0; i < 8; i++) {
        bomb += `b${i}: &b${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]\n`;
        prev = `b${i}`;
      }
      await writeFile(join(dir, 'bomb.md'), `${bomb}---\n`);
      await writeFile(join(dir, 'proto.md'), '---\ntitle: Proto\ndate: 2021-01-01T00:00:00Z\n__proto__: {polluted: yes}\nconstructor: x\nauthor: {name: A, __proto__: {polluted: yes}}\n---\n\nbody\n');
      const result = await collectFeed(config(dir), NOW);
      expect(find(result.issues, 'store-bad-yaml')).toMatchObject({ file: 'bomb.md' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(result.feed.entries.map((e) => e.title)).toEqual(['Proto']);
      expect(result.issues.filter((i) => i.rule === 'store-unknown-key').map((i) => i.line)).toEqual([4, 5]);
    } finally {
      await cleanup();
    }
  });

  it('warns of a date alone on a day whose midnight the zone skipped, saying it is the midnight that never happened', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'chile.md'), '---\ntitle: A\ndate: 2026-09-06\n---\n\nbody\n');
      const result = await collectFeed(config(dir, { timezone: 'America/Santiago' }), NOW);
      expect(result.issues.map((i) => [i.rule, i.message])).toEqual([
        ['store-date-skipped', '"date": the midnight that starts 2026-09-06 never happened in America/Santiago, whose clocks skipped it; it is read as 2026-09-06T04:00:00.000Z, later on the clock'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('warns of a retraction dated in the hour the clocks go back over, as of an article\'s date', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'gone.md'), '---\ntitle: A\ndate: 2026-10-01T10:00:00+02:00\nretracted:\n  date: 2026-10-25T02:30\n---\n\nbody\n');
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues.map((i) => [i.rule, i.line, i.message])).toEqual([
        ['store-date-repeated', 4, '"retracted.date": 2026-10-25T02:30 happened twice in Europe/Paris, whose clocks went back over it; it is read as 2026-10-25T00:30:00.000Z, the first time, not 2026-10-25T01:30:00.000Z: give its offset to say which'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('warns of an article with more than 50 tags, a keyword list that would make a feed of each, and publishes it with them all', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const tags = (n: number): string => Array.from({ length: n }, (_, i) => `mot${i}`).join(', ');
      await writeFile(join(dir, 'keywords.md'), `---\ntitle: A\ndate: 2021-01-01T00:00:00Z\ntags: [${tags(51)}]\n---\n\nbody\n`);
      await writeFile(join(dir, 'fifty.md'), `---\ntitle: B\ndate: 2021-01-02T00:00:00Z\ntags: [${tags(50)}]\n---\n\nbody\n`);
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-many-tags', level: 'warning', file: 'keywords.md', line: 4, message: expect.stringMatching(/^51 tags on one article: .* keyword list/) })]);
      expect(result.feed.entries.map((e) => e.tags.length)).toEqual([50, 51]);
    } finally {
      await cleanup();
    }
  });

  it('warns of tags written as one string with commas, which is one tag, and keeps a list or a single tag quiet', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'comma.md'), '---\ntitle: A\ndate: 2021-01-01T00:00:00Z\ntags: Économie, Politique\n---\n\nbody\n');
      await writeFile(join(dir, 'list.md'), '---\ntitle: B\ndate: 2021-01-02T00:00:00Z\ntags: [Économie, Politique]\n---\n\nbody\n');
      await writeFile(join(dir, 'one.md'), '---\ntitle: C\ndate: 2021-01-03T00:00:00Z\ntags: Économie\n---\n\nbody\n');
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues).toEqual([expect.objectContaining({ rule: 'store-tags-one-string', level: 'warning', file: 'comma.md', line: 4 })]);
      expect(result.issues[0]!.message).toContain('write a list: tags: [Économie, Politique]');
      expect(result.feed.entries.map((e) => e.tags)).toEqual([['Économie'], ['Économie', 'Politique'], ['Économie, Politique']]);
    } finally {
      await cleanup();
    }
  });

  it('warns of a JSON key written twice, with both lines, and publishes the last value as JSON does; a key only repeated in the body or deeper is quiet', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'twice.json'), '{\n"title": "Ancien titre",\n"date": "2021-01-01T00:00:00Z",\n"content": "x",\n"title": "Nouveau titre"\n}\n');
      await writeFile(join(dir, 'quiet.json'), '{"title": "B", "date": "2021-01-02T00:00:00Z", "authors": [{"name": "A"}], "author": {"name": "A"}, "content": "The word \\"title\\" and {\\"title\\": 1}"}');
      const result = await collectFeed(config(dir), NOW);
      expect(result.issues.filter((i) => i.rule === 'store-duplicate-key')).toEqual([
        expect.objectContaining({ level: 'warning', file: 'twice.json', line: 5, message: '"title" is also set on line 2: the last value is used' }),
      ]);
      expect(result.feed.entries.map((e) => e.title).sort()).toEqual(['B', 'Nouveau titre']);
    } finally {
      await cleanup();
    }
  });

  it('survives 100k nested elements of raw HTML in a body', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const deep = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
      await writeFile(join(dir, 'deep.md'), `---\ntitle: Deep\ndate: 2021-01-01T00:00:00Z\n---\n\n${deep}\n`);
      // A generous limit: this proves the parsers cope with the depth, not how fast they are.
      const result = await collectFeed(config(dir), NOW, { renderTimeoutMs: 100_000 });
      expect(result.issues).toEqual([]);
      expect(result.feed.entries[0]?.contentHtml).toContain('deep');
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('rejects a body that takes too long to render, and the job goes on', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      let nested = '';
      for (let i = 0; i < 400; i++) nested += `${'  '.repeat(i)}- a\n`;
      await writeFile(join(dir, 'slow.md'), `---\ntitle: Slow\ndate: 2021-02-01T00:00:00Z\n---\n\n${nested}`);
      await writeFile(join(dir, 'fine.md'), GOOD);
      const result = await collectFeed(config(dir), NOW, { renderTimeoutMs: 50 });
      expect(find(result.issues, 'store-too-complex')).toMatchObject({ file: 'slow.md', level: 'error' });
      expect(result.feed.entries.map((e) => e.title)).toEqual(['Bon']);
    } finally {
      await cleanup();
    }
  });
});

describe('walking the store', () => {
  it('names the article store by its path when the store itself cannot be read, not "."', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'a-file'), 'not a folder');
      const read = await readStore(join(dir, 'a-file'));
      expect(read.issues).toEqual([expect.objectContaining({ rule: 'store-folder-unreadable', file: '.', message: `cannot read the article store ${join(dir, 'a-file')} (ENOTDIR)` })]);
    } finally {
      await cleanup();
    }
  });

  it('ignores dot and underscore names and other file types, and percent-encodes odd names in URLs', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await mkdir(join(dir, '_drafts'));
      await mkdir(join(dir, '.git'));
      await writeFile(join(dir, '_drafts/a.md'), GOOD);
      await writeFile(join(dir, '.git/b.md'), GOOD);
      await writeFile(join(dir, '.hidden.md'), GOOD);
      await writeFile(join(dir, '_partial.md'), GOOD);
      await writeFile(join(dir, 'notes.txt'), 'not an article');
      await writeFile(join(dir, 'été #1 ?.md'), GOOD);
      const result = await collectFeed(config(dir), NOW);
      expect(result.feed.entries.map((e) => e.url)).toEqual(['https://news.example/%C3%A9t%C3%A9%20%231%20%3F/']);
      expect(result.feed.entries[0]!.id).toBe('tag:news.example,2020:%C3%A9t%C3%A9%20%231%20%3F');
      expect(result.issues).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('places a JSON article\'s syntax error at its line and column, whatever V8 says, and keeps line ends out of the message', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'k1.json'), '{\r\n  "title": "Deux",\r\n  "date": "2026-10-02T10:00:00Z",\r\n  "content": "texte", "x"\r\n}\r\n');
      await writeFile(join(dir, 'k2.json'), '{\n  "title": "Deux",\n  "content": texte\n}\n');
      const { issues } = await collectFeed(config(dir), NOW);
      expect(issues.filter((i) => i.rule === 'store-bad-json').map(({ file, line, column, message }) => ({ file, line, column, message }))).toEqual([
        { file: 'k1.json', line: 5, column: 1, message: 'not valid JSON: expected : after the member name "x", found \'}\'' },
        { file: 'k2.json', line: 3, column: 14, message: 'not valid JSON: expected a value, found \'t\'' },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('reads .markdown files as Markdown articles, their ids and links without the extension as for .md', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'jekyll-post.markdown'), GOOD);
      await writeFile(join(dir, 'upper.MARKDOWN'), GOOD.replace('2021', '2020'));
      const result = await collectFeed(config(dir), NOW);
      expect(result.feed.entries.map((e) => e.id).sort()).toEqual(['tag:news.example,2020:jekyll-post', 'tag:news.example,2020:upper']);
      expect(result.feed.entries.map((e) => e.url).sort()).toEqual(['https://news.example/jekyll-post/', 'https://news.example/upper/']);
      expect(result.issues).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('never follows links that lead outside the store, follows inside ones once, and ends link loops', async () => {
    const { dir, cleanup } = await tempDir();
    const outside = await tempDir();
    try {
      await writeFile(join(outside.dir, 'secret.md'), GOOD);
      await mkdir(join(dir, 'store/2021'), { recursive: true });
      await writeFile(join(dir, 'store/2021/a.md'), GOOD);
      await symlink(outside.dir, join(dir, 'store/outside-dir'));
      await symlink(join(outside.dir, 'secret.md'), join(dir, 'store/secret.md'));
      await symlink(join(dir, 'store'), join(dir, 'store/2021/loop'));
      await symlink(join(dir, 'store/2021/a.md'), join(dir, 'store/alias.md'));
      // Two links to each other, and one to nothing.
      await symlink(join(dir, 'store/y.md'), join(dir, 'store/x.md'));
      await symlink(join(dir, 'store/x.md'), join(dir, 'store/y.md'));
      await symlink(join(dir, 'store/gone.md'), join(dir, 'store/z.md'));
      const read = await readStore(join(dir, 'store'));
      expect(read.heads.map((h) => h.file)).toEqual(['2021/a.md']);
      expect(read.issues.filter((i) => i.rule === 'store-broken-link').map((i) => [i.file, i.message])).toEqual([
        ['x.md', 'symbolic link that leads back to itself (a loop) is ignored'],
        ['y.md', 'symbolic link that leads back to itself (a loop) is ignored'],
        ['z.md', 'symbolic link to nothing is ignored'],
      ]);
      expect(read.issues.filter((i) => i.rule === 'store-link-outside').map((i) => i.file).sort()).toEqual(['outside-dir', 'secret.md']);
      expect(read.issues.every((i) => i.level === 'warning')).toBe(true);
    } finally {
      await cleanup();
      await outside.cleanup();
    }
  });

  it('reports a missing store as one error instead of crashing', async () => {
    const result = await collectFeed(config('/nonexistent/kiosque-store'), NOW);
    expect(result.feed.entries).toEqual([]);
    expect(result.feed.updated.getTime()).toBe(0);
    expect(find(result.issues, 'store-folder-unreadable').level).toBe('error');
  });
});

describe('the head cache', () => {
  const old = new Date('2021-01-01T00:00:00Z');

  async function article(dir: string, name: string, id: string): Promise<void> {
    await writeFile(join(dir, name), `---\ntitle: T\nid: ${id}\ndate: 2021-05-01T10:00:00Z\n---\n\nx\n`);
    await utimes(join(dir, name), old, old);
  }

  it('skips unchanged files, re-reads a same-size edit whose mtime changed, and forgets deleted files', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      await article(store, 'a.md', 'AAAA');
      await article(store, 'b.md', 'BBBB');
      const first = await readStore(store, { cacheFile });
      expect(first.stats).toEqual({ files: 2, cached: 0, read: 2 });
      const second = await readStore(store, { cacheFile });
      expect(second.stats).toEqual({ files: 2, cached: 2, read: 0 });
      expect(second.heads).toEqual(first.heads);

      await article(store, 'a.md', 'CCCC');
      const later = new Date('2021-01-02T00:00:00Z');
      await utimes(join(store, 'a.md'), later, later);
      expect((await stat(join(store, 'a.md'))).size).toBe((await stat(join(store, 'b.md'))).size);
      const third = await readStore(store, { cacheFile });
      expect(third.stats).toEqual({ files: 2, cached: 1, read: 1 });
      expect(third.heads.find((h) => h.file === 'a.md')?.id).toBe('CCCC');

      await rm(join(store, 'b.md'));
      const fourth = await readStore(store, { cacheFile });
      expect(fourth.heads.map((h) => h.file)).toEqual(['a.md']);
      expect(JSON.parse(await readFile(cacheFile, 'utf8')).files).toEqual(['a.md']);
    } finally {
      await cleanup();
    }
  });

  it('reads a file again after a read failed (a folder gone for a moment), rather than repeating the failure while its stats stay the same', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(join(store, 'news'), { recursive: true });
      await article(join(store, 'news'), 'a.md', 'AAAA');
      await readStore(store, { cacheFile });
      // Edited long enough ago to be trusted; stat by the probe, then its folder swapped away while the heads are read.
      await article(join(store, 'news'), 'a.md', 'BBBB');
      await utimes(join(store, 'news', 'a.md'), new Date('2021-01-05T00:00:00Z'), new Date('2021-01-05T00:00:00Z'));
      const probed = await probeStore(store, undefined);
      await rename(join(store, 'news'), join(dir, 'away'));
      const blip = await readStore(store, { cacheFile, probed });
      expect(blip.issues.map((i) => [i.file, i.rule, i.message])).toContainEqual(['news/a.md', 'store-unreadable', 'cannot read (ENOENT)']);
      await rename(join(dir, 'away'), join(store, 'news'));
      for (const round of ['back', 'again']) {
        const back = await readStore(store, { cacheFile });
        expect(back.issues, round).toEqual([]);
        expect(back.heads.map((h) => h.id), round).toEqual(['BBBB']);
      }
    } finally {
      await cleanup();
    }
  });

  it('says a file whose name is not UTF-8 cannot be opened by the name it is listed with, rather than that it is missing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'good.md'), GOOD);
      await writeFile(Buffer.from(`${dir}/caf\xe9.md`, 'latin1'), GOOD);
      // A folder so named: its articles are rejected, not the whole store as unreadable.
      await mkdir(Buffer.from(`${dir}/dossi\xe9`, 'latin1'));
      await writeFile(Buffer.from(`${dir}/dossi\xe9/a.md`, 'latin1'), GOOD);
      const result = await collectFeed(config(dir), NOW);
      const message = 'cannot read: its name is not valid UTF-8 (shown with � for the bytes that are not), so it cannot be opened by that name; rename it';
      expect(result.issues.filter((i) => i.rule === 'store-unreadable').map((i) => [i.file, i.message]).sort()).toEqual([['caf\ufffd.md', message], ['dossi\ufffd', message]]);
      expect(result.issues.filter((i) => i.rule === 'store-folder-unreadable')).toEqual([]);
      expect(result.feed.entries.map((e) => e.source.file)).toEqual(['good.md']);
    } finally {
      await cleanup();
    }
  });

  it('keeps the last good head of an article an edit broke, for archive pages, until the file is fixed', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      await article(store, 'a.md', 'AAAA');
      await article(store, 'b.md', 'BBBB');
      const good = await readStore(store, { cacheFile });
      const goodRow = good.columns.rows[0];
      expect(good.kept.size).toBe(0);
      // Broken and too fresh to cache (a build right after the save), then broken and old (the next builds).
      await writeFile(join(store, 'a.md'), '---\ntitle: "T\nid: AAAA\n');
      for (const when of ['fresh', 'cached', 'hit'] as const) {
        if (when === 'cached') await utimes(join(store, 'a.md'), old, old);
        const broken = await readStore(store, { cacheFile });
        expect(broken.stats.cached, when).toBe(when === 'hit' ? 2 : 1);
        expect(broken.columns.files, when).toEqual(['a.md', 'b.md']);
        expect(broken.columns.rows[0], when).toEqual(goodRow);
        expect([...broken.kept], when).toEqual([0]);
        expect(broken.issues.map((x) => [x.file, x.rule]), when).toEqual([['a.md', 'store-bad-yaml'], ['a.md', 'store-kept-last-good']]);
        expect(find(broken.issues, 'store-kept-last-good').message).toContain('as it was last read correctly ("T", 2021-05-01T10:00:00Z)');
      }
      // Fixed: the file's own head again, nothing kept.
      await article(store, 'a.md', 'CCCC');
      await utimes(join(store, 'a.md'), new Date('2021-01-03T00:00:00Z'), new Date('2021-01-03T00:00:00Z'));
      const fixed = await readStore(store, { cacheFile });
      expect(fixed.kept.size).toBe(0);
      expect(fixed.heads[0]!.id).toBe('CCCC');
      expect(fixed.issues).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('keeps no head of a broken file when no feed has archive pages, nor of a draft or a file never read correctly', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      await article(store, 'a.md', 'AAAA');
      await writeFile(join(store, 'draft.md'), '---\ntitle: D\ndate: 2021-05-01T10:00:00Z\ndraft: true\n---\n\nx\n');
      await readStore(store, { cacheFile });
      await writeFile(join(store, 'a.md'), '---\ntitle: "T\n');
      await utimes(join(store, 'a.md'), old, old);
      await writeFile(join(store, 'new.md'), '---\ntitle: "N\n');
      // A draft was published nowhere: broken, it keeps nothing.
      await writeFile(join(store, 'draft.md'), '---\ntitle: "D\n');
      // Kept for pages, then a build without pages: the cached head is not used, the file is broken.
      const withPages = await readStore(store, { cacheFile });
      expect(withPages.columns.files).toEqual(['a.md']);
      expect(withPages.kept.size).toBe(1);
      const withoutPages = await readStore(store, { cacheFile, headlines: false });
      expect(withoutPages.columns.files).toEqual([]);
      expect(withoutPages.kept.size).toBe(0);
      expect(withoutPages.issues.map((x) => x.rule)).toEqual(['store-bad-yaml', 'store-bad-yaml', 'store-bad-yaml']);
    } finally {
      await cleanup();
    }
  });

  it('keeps the tags, language and author names of every head, read or cached, for choosing feeds', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      await writeFile(join(store, 'a.md'), '---\ntitle: A\ndate: 2021-05-01\nlang: de\ntags: [" Économie ", "Straße\u001fx"]\nauthors: [Ana, { name: Bo, email: bo@x.example }]\nauthor: Ignored\n---\nx\n');
      await writeFile(join(store, 'b.json'), JSON.stringify({ title: 'B', date: '2021-05-02', author: 'Ωμέγα', tags: 'Μία', content: 'x' }));
      await utimes(join(store, 'a.md'), old, old);
      await utimes(join(store, 'b.json'), old, old);
      const expected = [
        { file: 'a.md', lang: 'de', tags: [' Économie ', 'Straße x'], authors: ['Ana', 'Bo'] },
        { file: 'b.json', tags: ['Μία'], authors: ['Ωμέγα'] },
      ];
      const pick = (heads: { file: string; lang?: string; tags: string[]; authors: string[] }[]) => heads.map(({ file, lang, tags, authors }) => ({ file, ...(lang ? { lang } : {}), tags, authors }));
      const first = await readStore(store, { cacheFile });
      expect(pick(first.heads)).toEqual(expected);
      const second = await readStore(store, { cacheFile });
      expect(second.stats.cached).toBe(2);
      expect(pick(second.heads)).toEqual(expected);
    } finally {
      await cleanup();
    }
  });

  it('keeps no title, url or summary when no feed has archive pages, and reads every head again for a build that needs them', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      await writeFile(join(store, 'a.md'), '---\ntitle: « Une dépêche »\ndate: 2021-05-01\nsummary: Le résumé qu’une page d’archive montre.\nurl: /a-propos/\n---\nx\n');
      await utimes(join(store, 'a.md'), old, old);
      const headline = (read: Awaited<ReturnType<typeof readStore>>) => read.columns.rows[0]!.slice(12);
      const without = await readStore(store, { cacheFile, headlines: false });
      expect(headline(without)).toEqual(['', '', '']);
      expect(without.heads[0]!.file).toBe('a.md');
      expect(JSON.parse(await readFile(cacheFile, 'utf8')).headlines).toBe(false);
      // A build without archive pages takes that cache as it is.
      expect((await readStore(store, { cacheFile, headlines: false })).stats).toEqual({ files: 1, cached: 1, read: 0 });
      // One with archive pages cannot: it reads the head again, and the cache keeps the cells from then on.
      const needed = await readStore(store, { cacheFile });
      expect(needed.stats).toEqual({ files: 1, cached: 0, read: 1 });
      expect(headline(needed)).toEqual(['« Une dépêche »', '/a-propos/', 'Le résumé qu’une page d’archive montre.']);
      expect(JSON.parse(await readFile(cacheFile, 'utf8')).headlines).toBeUndefined();
      // And a build without them leaves them out of its rows, cached or not.
      const again = await readStore(store, { cacheFile, headlines: false });
      expect(again.stats.cached).toBe(1);
      expect(headline(again)).toEqual(['', '', '']);
    } finally {
      await cleanup();
    }
  });

  it('still finds every unchanged head after files are added and removed between others', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      for (const name of ['b.md', 'd.md', 'f.md']) await article(store, name, name.toUpperCase());
      await readStore(store, { cacheFile });
      await rm(join(store, 'd.md'));
      await article(store, 'a.md', 'NEW-A');
      await article(store, 'e.md', 'NEW-E');
      const read = await readStore(store, { cacheFile });
      expect(read.stats).toEqual({ files: 4, cached: 2, read: 2 });
      expect(read.heads.map((h) => [h.file, h.id])).toEqual([['a.md', 'NEW-A'], ['b.md', 'B.MD'], ['e.md', 'NEW-E'], ['f.md', 'F.MD']]);
      expect(read.columns.files).toEqual(['a.md', 'b.md', 'e.md', 'f.md']);
      expect(read.stampAt(1)).toMatch(/^\d+:[\d.]+:[\d.]+:\d+$/);
    } finally {
      await cleanup();
    }
  });

  it('notices edits and deletions the same when a second thread stats half the store', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const cacheFile = join(dir, 'cache/heads.json');
      await mkdir(store);
      const names = ['a.md', 'b.md', 'c.md', 'd.md', 'e.md', 'f.md'];
      for (const name of names) await article(store, name, `ID-${name}`);
      const opts = { cacheFile, parallelStatFiles: 2 };
      const first = await readStore(store, opts);
      expect(first.stats).toEqual({ files: 6, cached: 0, read: 6 });
      expect(first.heads.map((h) => h.file)).toEqual(names);
      // e.md sits in the worker's half: a same-size edit with a new mtime must be seen there too.
      await article(store, 'e.md', 'ID-E.md');
      const later = new Date('2021-01-02T00:00:00Z');
      await utimes(join(store, 'e.md'), later, later);
      await rm(join(store, 'f.md'));
      const second = await readStore(store, opts);
      expect(second.stats).toEqual({ files: 5, cached: 4, read: 1 });
      expect(second.heads.map((h) => [h.file, h.id])).toEqual([['a.md', 'ID-a.md'], ['b.md', 'ID-b.md'], ['c.md', 'ID-c.md'], ['d.md', 'ID-d.md'], ['e.md', 'ID-E.md']]);
      expect(second.stampAt(4)).toBeDefined();
      expect(second.stampAt(4)).not.toBe(first.stampAt(4));
      expect(JSON.parse(await readFile(cacheFile, 'utf8')).files).toEqual(names.slice(0, 5));
    } finally {
      await cleanup();
    }
  });

  it('sweeps the temp files a killed build left beside both caches, and only those', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = join(dir, 'store');
      const state = join(dir, 'out/.kiosque');
      await mkdir(store);
      await mkdir(state, { recursive: true });
      await writeFile(join(store, 'a.md'), GOOD);
      const left = ['store-cache.json.4242.tmp', 'store-cache.bodies.json.4243.tmp'];
      for (const name of [...left, 'store-cache.json.notes', 'lock']) await writeFile(join(state, name), 'x'.repeat(1000));
      await collectFeed(config(store), NOW, { cacheFile: join(state, 'store-cache.json') });
      const names = await readdir(state);
      for (const name of left) expect(names).not.toContain(name);
      expect(names).toEqual(expect.arrayContaining(['store-cache.json.notes', 'lock']));
    } finally {
      await cleanup();
    }
  });

  it('ignores a corrupt cache file and replaces it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const cacheFile = join(dir, 'heads.json');
      await mkdir(join(dir, 'store'));
      await article(join(dir, 'store'), 'a.md', 'A');
      await writeFile(cacheFile, '{"format": "kiosque-store-cache/2", "files": [[');
      const read = await readStore(join(dir, 'store'), { cacheFile });
      expect(read.stats.read).toBe(1);
      expect(read.heads.map((h) => h.id)).toEqual(['A']);
      expect(JSON.parse(await readFile(cacheFile, 'utf8')).files).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});

describe('readBody', () => {
  it('returns the Markdown body after the front matter and the JSON content fields', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'a.md'), '\uFEFF---\r\ntitle: A\r\ndate: 2021-01-01\r\n---\r\n\r\nBody\r\n');
      await writeFile(join(dir, 'b.json'), JSON.stringify({ title: 'B', date: '2021-01-01', content_html: '<p>x</p>' }));
      expect(readBody(dir, 'a.md').value).toMatchObject({ kind: 'markdown', text: '\r\nBody\r\n', fields: { title: 'A' } });
      expect(readBody(dir, 'b.json').value).toMatchObject({ kind: 'html', text: '<p>x</p>', fields: { title: 'B' } });
    } finally {
      await cleanup();
    }
  });
});
