import { describe, expect, it } from 'vitest';
import { feedGoneIssues, goneFeeds, unannouncedDepartures } from '../../src/validate/departures.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** An Atom feed of entries `[id, published day of May 2021]`, newest first as kiosque writes them. */
const atom = (...items: [string, number][]): Uint8Array => enc(`<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>t</title><updated>2021-05-31T00:00:00Z</updated>${items
  .map(([id, day]) => `<entry><id>urn:${id}</id><title>${id}</title><link href="https://e.org/${id}"/><published>2021-05-${String(day).padStart(2, '0')}T00:00:00Z</published><updated>2021-05-${String(day).padStart(2, '0')}T00:00:00Z</updated></entry>`)
  .join('')}</feed>`);
const gone = (previous: Uint8Array, next: Uint8Array, announced: string[] = [], limit?: number) =>
  unannouncedDepartures('atom', previous, next, 'atom.xml', new Set(announced), limit).map((i) => /\((urn:\w+)\)/.exec(i.message)![1]);

describe('items that left a feed since its last publication', () => {
  it('flags an item gone from the middle of the feed', () => {
    const issues = unannouncedDepartures('atom', atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3], ['a', 1]), 'atom.xml', new Set());
    expect(issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-GONE-001', level: 'warning', file: 'atom.xml' })]);
    expect(issues[0]!.message).toContain('"b" (urn:b)');
  });

  it('lets the oldest items go when newer ones push them out of the newest limit', () => {
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['e', 5], ['d', 4], ['c', 3]))).toEqual([]);
  });

  it('flags the oldest item when the feed shrank: nothing pushed it out', () => {
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3], ['b', 2]))).toEqual(['urn:a']);
  });

  it('lets the oldest items go when a lower limit leaves the feed full, and still flags one gone from among those kept', () => {
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3], ['b', 2]), [], 2)).toEqual([]);
    expect(gone(atom(['d', 4], ['c', 3], ['b', 2], ['a', 1]), atom(['d', 4], ['b', 2]), [], 2)).toEqual(['urn:c']);
    // Below its limit, a shorter feed lost an item nothing pushed out.
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3], ['b', 2]), [], 50)).toEqual(['urn:a']);
  });

  it('takes an announced departure as intended: retracted, or dropped for the budget', () => {
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3], ['a', 1]), ['urn:b'])).toEqual([]);
    // Two oldest dropped for the byte budget: the feed is shorter, and that is announced too.
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['c', 3]), ['urn:b', 'urn:a'])).toEqual([]);
    // An announced drop does not excuse a silent one beside it.
    expect(gone(atom(['d', 4], ['c', 3], ['b', 2], ['a', 1]), atom(['d', 4], ['b', 2]), ['urn:a'])).toEqual(['urn:c']);
  });

  it('leaves an item back under a new id and link, with its title and date, to the id rules', () => {
    const before = atom(['c', 3], ['b', 2], ['a', 1]);
    const after = enc(new TextDecoder().decode(before).replace('<id>urn:b</id>', '<id>urn:b2</id>').replace('https://e.org/b', 'https://e.org/b2'));
    expect(gone(before, after)).toEqual([]);
  });

  it('names an item redated past the newest limit, still published, as redated rather than gone', () => {
    const issues = unannouncedDepartures('atom', atom(['c', 3], ['b', 2], ['a', 1]), atom(['d', 4], ['c', 3], ['a', 1]), 'atom.xml', new Set(), 3, new Set(['urn:b']));
    expect(issues).toEqual([expect.objectContaining({ rule: 'KIOSQUE-REDATED-001', level: 'warning', file: 'atom.xml', message: expect.stringContaining('"b" (urn:b) has a new publication date, earlier than 2021-05-02T00:00:00.000Z') })]);
    // Not published any more: gone, whatever else the feed selects.
    expect(gone(atom(['c', 3], ['b', 2], ['a', 1]), atom(['d', 4], ['c', 3], ['a', 1]), [], 3)).toEqual(['urn:b']);
  });

  it('leaves an item that only changed its id to the id rules', () => {
    const before = atom(['c', 3], ['b', 2], ['a', 1]);
    const after = enc(new TextDecoder().decode(atom(['c', 3], ['b', 2], ['a', 1])).replace('<id>urn:b</id>', '<id>urn:b2</id>'));
    expect(gone(before, after)).toEqual([]);
  });
});

describe('goneFeeds', () => {
  it('names each feed folder whose subscription documents left, once, and not archive pages or companion files', () => {
    const paths = ['tags/transport/rss.xml', 'tags/transport/atom.xml', 'tags/transport/feed.json', 'tags/transport/index.html', 'archive/3.xml', 'archive/3.atom', 'rss.xml', 'authors/x/feed.json'];
    expect(goneFeeds(paths)).toEqual(['', 'authors/x/', 'tags/transport/']);
    expect(goneFeeds(['archive/1.json', 'index.html', 'feeds.opml'])).toEqual([]);
  });

  it('reports each as a KIOSQUE-GONE-002 warning naming the folder and the 410 its readers get', () => {
    const [issue] = feedGoneIssues(['tags/transport/']);
    expect(issue).toMatchObject({ rule: 'KIOSQUE-GONE-002', level: 'warning', file: 'tags/transport/rss.xml' });
    expect(issue!.message).toContain('tags/transport/ is no longer published');
    expect(issue!.message).toContain('410 Gone');
  });
});

