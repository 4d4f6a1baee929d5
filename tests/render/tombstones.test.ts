import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { validateDocument } from '../../src/validate/validate.js';
import { basicFeed } from './fixtures/feed.js';

const withTombstones = {
  ...basicFeed,
  tombstones: [
    { ref: 'tag:kiosque.example,2020:2026/11/retire', when: new Date('2026-11-20T08:00:00Z'), comment: 'Retiré : chiffres faux & <non vérifiés>.' },
    { ref: 'tag:kiosque.example,2020:dépêche%2012', when: new Date('2026-11-19T08:00:00Z') },
  ],
};

describe('tombstones in Atom', () => {
  it('writes one at:deleted-entry per retraction, between the feed metadata and the entries, with the at namespace', () => {
    const atom = renderAtom(withTombstones);
    expect(atom).toMatch(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xmlns:media="[^"]+" xmlns:at="http:\/\/purl\.org\/atompub\/tombstones\/1\.0" xml:lang="fr">/);
    expect(atom).toContain('<at:deleted-entry ref="tag:kiosque.example,2020:2026/11/retire" when="2026-11-20T08:00:00.000Z">\n    <at:comment type="text">Retiré : chiffres faux &#x26; &#x3C;non vérifiés&#x3E;.</at:comment>\n  </at:deleted-entry>');
    // The ref is the entry id verbatim, like atom:id: never re-encoded.
    expect(atom).toContain('<at:deleted-entry ref="tag:kiosque.example,2020:dépêche%2012" when="2026-11-19T08:00:00.000Z"/>');
    expect(atom.indexOf('</at:deleted-entry>')).toBeLessThan(atom.indexOf('<entry'));
    expect(atom.lastIndexOf('<link rel="self"')).toBeLessThan(atom.indexOf('<at:deleted-entry'));
  });

  it('stays a valid Atom document', () => {
    const issues = validateDocument(Buffer.from(renderAtom(withTombstones)), 'atom.xml').issues.filter((i) => i.level === 'error');
    expect(issues).toEqual([]);
  });

  it('leaves Atom without tombstones, RSS and JSON Feed byte for byte as they were', () => {
    expect(renderAtom({ ...basicFeed, tombstones: [] })).toBe(renderAtom(basicFeed));
    expect(renderAtom(basicFeed)).not.toContain('tombstones');
    expect(renderRss(withTombstones)).toBe(renderRss(basicFeed));
    expect(renderJson(withTombstones)).toBe(renderJson(basicFeed));
  });
});
