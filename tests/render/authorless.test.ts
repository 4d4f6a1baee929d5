import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
import { renderJson } from '../../src/render/json.js';
import { renderRss } from '../../src/render/rss.js';
import { validateDocument } from '../../src/validate/validate.js';
import { authorlessFeed } from './fixtures/feed.js';

describe('a feed where nobody is credited', () => {
  it.each([
    ['rss.xml', renderRss],
    ['atom.xml', renderAtom],
    ['feed.json', renderJson],
  ] as const)('%s renders and passes validation without errors', (file, render) => {
    const text = render(authorlessFeed);
    const { issues } = validateDocument(Buffer.from(text), file);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
  });
});
