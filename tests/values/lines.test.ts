import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/values/lines.js';

describe('LineIndex', () => {
  it.each([
    ['LF', 'a\nbc\nd'],
    ['CRLF', 'a\r\nbc\r\nd'],
    ['CR only (old Mac files)', 'a\rbc\rd'],
    ['mixed', 'a\r\nbc\rd'],
  ])('counts %s line ends as one line each', (_name, text) => {
    const index = new LineIndex(text);
    expect(index.at(text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(index.at(text.indexOf('c'))).toEqual({ line: 2, column: 2 });
    expect(index.at(text.indexOf('d'))).toEqual({ line: 3, column: 1 });
    expect(index.offset(3, 1)).toBe(text.indexOf('d'));
  });

  it('places offset 0 and the end of the text', () => {
    const index = new LineIndex('x\n');
    expect(index.at(0)).toEqual({ line: 1, column: 1 });
    expect(index.at(2)).toEqual({ line: 2, column: 1 });
  });

  it('places every offset of a text with or without carriage returns where counting line ends one by one does', () => {
    const texts = ['« é »\n\nab\nc\n', '\nx\r\ny\rz\n\r\n', 'no line end at all', '\n'];
    for (const text of texts) {
      const index = new LineIndex(text);
      let line = 1;
      let column = 1;
      for (let offset = 0; offset <= text.length; offset++) {
        expect(index.at(offset), `${JSON.stringify(text)} at ${offset}`).toEqual({ line, column });
        const c = text[offset];
        if (c === '\n' || (c === '\r' && text[offset + 1] !== '\n')) [line, column] = [line + 1, 1];
        else column++;
      }
    }
  });
});
