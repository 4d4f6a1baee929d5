import { describe, expect, it } from 'vitest';
import { ILLEGAL_XML_CHARS, isXmlChar, mayHoldIllegalXmlChars, stripIllegalXmlChars } from '../../src/values/xml-chars.js';

describe('XML 1.0 characters', () => {
  it.each([0x9, 0xa, 0xd, 0x20, 0xe9, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x1f600, 0x10ffff])('allows U+%s', (cp) => expect(isXmlChar(cp)).toBe(true));
  it.each([0x0, 0x8, 0xb, 0xc, 0x1f, 0xd800, 0xdfff, 0xfffe, 0xffff, 0x110000])('forbids U+%s', (cp) => expect(isXmlChar(cp)).toBe(false));

  it('strips controls and lone surrogates but keeps paired ones', () => {
    expect(stripIllegalXmlChars('a\u0000b\u000Bc\uD800d\uDC00e😀\tf')).toBe('abcde😀\tf');
    expect(stripIllegalXmlChars('plain')).toBe('plain');
  });

  it('says a text may hold a forbidden character whenever one is there, for every UTF-16 code unit alone and in text', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const text = `« a${String.fromCharCode(unit)}é »`;
      ILLEGAL_XML_CHARS.lastIndex = 0;
      if (ILLEGAL_XML_CHARS.test(text)) expect(mayHoldIllegalXmlChars(text), `U+${unit.toString(16)}`).toBe(true);
      else if (unit < 0xd800 || unit > 0xdfff) expect(mayHoldIllegalXmlChars(text), `U+${unit.toString(16)}`).toBe(false);
    }
    expect(mayHoldIllegalXmlChars('« dépêche » 😀')).toBe(true);
    expect(stripIllegalXmlChars('« dépêche » 😀\uD83D')).toBe('« dépêche » 😀');
  });
});
