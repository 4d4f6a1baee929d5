import { describe, expect, it } from 'vitest';
import { parseRfc3339, parseRfc822, parseW3cDtf } from '../../src/values/dates.js';

describe('parseRfc822', () => {
  it.each([
    ['Wed, 02 Oct 2002 13:00:00 GMT', '2002-10-02T13:00:00.000Z'],
    ['Wed, 02 Oct 2002 15:00:00 +0200', '2002-10-02T13:00:00.000Z'],
    ['02 Oct 2002 08:00 EST', '2002-10-02T13:00:00.000Z'],
    ['Wed,02 Oct 2002 13:00:00 UT', '2002-10-02T13:00:00.000Z'],
    ['2 Oct 2002 13:00:00 Z', '2002-10-02T13:00:00.000Z'],
    ['Tue, 29 Feb 2000 12:00:00 PDT', '2000-02-29T19:00:00.000Z'],
    ['Sat, 31 Dec 2016 23:59:60 GMT', '2017-01-01T00:00:00.000Z'],
    ['wed, 02 oct 2002 13:00:00 gmt', '2002-10-02T13:00:00.000Z'],
    ['Wed, 02 Oct 2002 13:00:00 (Central Europe) +0000', '2002-10-02T13:00:00.000Z'],
  ])('accepts %j as %s', (value, iso) => {
    const r = parseRfc822(value);
    expect(r.ok && r.date.toISOString()).toBe(iso);
  });

  it.each([
    ['Wed, 02 Oct 2002 13:00:00 UTC', 'syntax'],
    ['Wed, 02 Oct 2002 13:00:00 CET', 'syntax'],
    ['Wed, 02 Oct 2002 13:00:00 +01:00', 'syntax'],
    ['Wed, 02 Oct 2002 13:00:00', 'syntax'],
    ['2002-10-02T13:00:00Z', 'syntax'],
    ['Sat, 07 Sep 2002 0:00:01 GMT', 'syntax'],
    ['Wed, 02 Okt 2002 13:00:00 GMT', 'syntax'],
    ['Mo, 02 Oct 2002 13:00:00 GMT', 'syntax'],
    ['Thu, 02 Oct 2002 13:00:00 GMT', 'weekday'],
    ['Thu, 29 Feb 2001 12:00:00 GMT', 'range'],
    ['Wed, 02 Oct 2002 24:00:00 GMT', 'range'],
    ['Wed, 02 Oct 2002 13:60:00 GMT', 'range'],
    ['Wed, 02 Oct 2002 13:00:00 +0160', 'range'],
    ['Wed, 02 Oct 2002 13:00:00 +2400', 'range'],
  ])('rejects %j (%s)', (value, problem) => {
    expect(parseRfc822(value)).toMatchObject({ ok: false, problem });
  });

  it('notes two-digit years, military zones and non-canonical forms', () => {
    expect(parseRfc822('Wed, 02 Oct 02 13:00:00 GMT')).toMatchObject({ ok: true, notes: ['two-digit-year', 'non-canonical'] });
    expect(parseRfc822('Wed, 02 Oct 2002 13:00:00 A')).toMatchObject({ ok: true, notes: ['military-zone', 'non-canonical'] });
    expect(parseRfc822('Wed, 02 Oct 2002 13:00:00 +0000')).toMatchObject({ ok: true, notes: [] });
    // A numeric zone other than +0000 is as canonical: every publisher outside UTC writes one.
    expect(parseRfc822('Fri, 27 Jun 2025 20:32:11 -0500')).toMatchObject({ ok: true, notes: [] });
    expect(parseRfc822('Fri, 27 Jun 2025 20:32:11 +0530')).toMatchObject({ ok: true, notes: [] });
    expect(parseRfc822('Fri, 27 Jun 2025 20:32:11 EST')).toMatchObject({ ok: true, notes: ['non-canonical'] });
    expect(parseRfc822(' Wed, 02 Oct 2002 13:00:00 GMT\n')).toMatchObject({ ok: true, notes: ['whitespace'] });
  });

  it('reads two-digit years in the RFC 2822 window', () => {
    const y = (v: string): number | undefined => {
      const r = parseRfc822(v);
      return r.ok ? r.date.getUTCFullYear() : undefined;
    };
    expect([y('01 Jan 49 00:00 GMT'), y('01 Jan 50 00:00 GMT')]).toEqual([2049, 1950]);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2003-12-13T18:30:02Z', '2003-12-13T18:30:02.000Z', []],
    ['2003-12-13T18:30:02.25+01:00', '2003-12-13T17:30:02.250Z', []],
    ['2003-12-13t18:30:02z', '2003-12-13T18:30:02.000Z', ['lowercase']],
    ['2003-12-13 18:30:02-05:00', '2003-12-13T23:30:02.000Z', ['space-separator']],
  ])('accepts %j', (value, iso, notes) => {
    const r = parseRfc3339(value);
    expect(r.ok && r.date.toISOString()).toBe(iso);
    expect(r.ok && r.notes).toEqual(notes);
  });

  it.each(['2003-12-13T18:30Z', '2003-12-13', '2003-12-13T18:30:02', '2003-12-13T18:30:02+0100', '2003-02-29T00:00:00Z', '2003-12-13T18:30:02+24:00', 'Sat, 13 Dec 2003 18:30:02 GMT'])(
    'rejects %j',
    (value) => {
      expect(parseRfc3339(value).ok).toBe(false);
    },
  );
});

describe('parseW3cDtf', () => {
  it('accepts every W3C-DTF granularity and rejects a time without a zone', () => {
    for (const v of ['2002', '2002-10', '2002-10-02', '2002-10-02T10:00-05:00', '2002-10-02T10:00:00Z', '2002-10-02T10:00:00.5+01:00']) expect(parseW3cDtf(v).ok).toBe(true);
    for (const v of ['2002-10-02T10:00', '02-10-02', '2002-13', '2002-10-02 10:00Z']) expect(parseW3cDtf(v).ok).toBe(false);
  });
});

describe('why an RFC 3339 date-time fails', () => {
  it.each([
    ['2024-01-02', /a date without a time/],
    ['2024-01-02T10:00:00', /no time zone offset/],
    ['2024-01-02T10:00Z', /no seconds/],
    ['2024-01-02T10:00:00+0100', /offset has no colon/],
    ['20240102T100000Z', /basic ISO 8601 form/],
    ['2024-01', /a year or a month/],
    ['Tue, 02 Jan 2024 10:00:00 GMT', /an RFC 822 date/],
    ['2024-02-30T10:00:00Z', /day 30 does not exist in 2024-02/],
    ['2024-01-02T24:00:00Z', /hour 24 is out of range/],
    ['2024-01-02T10:30:60Z', /leap second\) can only follow minute 59/],
    ['2024-01-02T10:00:00+24:00', /offset \+24:00 is out of range/],
  ])('%s: %s', (value, reason) => {
    const r = parseRfc3339(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(reason);
  });

  it('accepts a leap second in the last minute, fractions and lowercase with a note', () => {
    expect(parseRfc3339('2016-12-31T23:59:60Z').ok).toBe(true);
    const r = parseRfc3339('2024-01-02t10:00:00.5z');
    expect(r.ok && r.notes).toEqual(['lowercase']);
    expect(r.ok && r.date.toISOString()).toBe('2024-01-02T10:00:00.500Z');
  });
});
