import { describe, expect, it } from 'vitest';
import { inRepeatedTime, inSkippedTime, parseIsoDate, parseIsoInstant, parseWithPattern } from '../../src/model/dates.js';
import { random } from '../../bench/random.js';

const iso = (text: string, zone = 'Europe/Paris'): string => {
  const parsed = parseIsoDate(text, zone);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.date.toISOString();
};

describe('parseIsoDate', () => {
  it('reads a date-only value as midnight in the configured zone, on the day clocks change', () => {
    expect(iso('2020-03-29')).toBe('2020-03-28T23:00:00.000Z');
    expect(iso('2020-10-25')).toBe('2020-10-24T22:00:00.000Z');
    expect(iso('2020-03-29', 'UTC')).toBe('2020-03-29T00:00:00.000Z');
    expect(iso('2020-03-29', 'America/New_York')).toBe('2020-03-29T04:00:00.000Z');
  });

  it('reads offset-less times with the offset in force at that wall-clock time, across DST', () => {
    expect(iso('2020-03-29T01:30:00')).toBe('2020-03-29T00:30:00.000Z');
    expect(iso('2020-03-29T03:30:00')).toBe('2020-03-29T01:30:00.000Z');
    expect(iso('2020-07-14T12:00')).toBe('2020-07-14T10:00:00.000Z');
    expect(iso('2020-12-25 12:00:00')).toBe('2020-12-25T11:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap forward and takes the first of a repeated hour', () => {
    expect(iso('2020-03-29T02:30:00')).toBe('2020-03-29T01:30:00.000Z');
    expect(iso('2020-10-25T02:30:00')).toBe('2020-10-25T00:30:00.000Z');
  });

  it('tells a time the zone skipped (spring forward) from one it repeated or one with an offset', () => {
    const skipped = (text: string, zone = 'Europe/Paris'): boolean => inSkippedTime(text, zone, parseIsoInstant(text, zone) as number);
    expect(skipped('2020-03-29T02:30:00')).toBe(true);
    expect(skipped('2020-03-29 02:00')).toBe(true);
    // The repeated autumn hour happened (twice), the hours around the jump too, and an offset names its instant.
    for (const text of ['2020-10-25T02:30:00', '2020-03-29T01:59:59', '2020-03-29T03:00', '2020-03-29T02:30:00+01:00', '2020-03-29T02:30:00Z', '2020-03-29']) expect(skipped(text), text).toBe(false);
    expect(skipped('2020-03-29T02:30:00', 'UTC')).toBe(false);
    expect(skipped('2020-03-08T02:30:00', 'America/New_York')).toBe(true);
    // A day whose midnight the zone skipped: its date alone is read later on the clock too; its "-06" is no offset.
    expect(skipped('2026-09-06', 'America/Santiago')).toBe(true);
    expect(skipped('2026-03-29', 'Asia/Beirut')).toBe(true);
    expect(skipped('2026-09-06T00:00-04:00', 'America/Santiago')).toBe(false);
  });

  it('tells a time the zone went through twice (fall back), and its second instant, from any other', () => {
    const repeated = (text: string, zone = 'Europe/Paris'): string | undefined => {
      const second = inRepeatedTime(text, zone, parseIsoInstant(text, zone) as number);
      return second === undefined ? undefined : new Date(second).toISOString();
    };
    expect(repeated('2027-10-31T02:30:00')).toBe('2027-10-31T01:30:00.000Z');
    expect(repeated('2027-10-31 02:00')).toBe('2027-10-31T01:00:00.000Z');
    expect(repeated('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
    // The hours around it, the spring hour, an offset, a date alone, a zone without summer time: once.
    for (const text of ['2027-10-31T01:59:59', '2027-10-31T03:00', '2027-03-28T02:30', '2027-10-31T02:30:00+01:00', '2027-10-31T02:30Z', '2027-10-31']) expect(repeated(text), text).toBeUndefined();
    expect(repeated('2027-10-31T02:30:00', 'UTC')).toBeUndefined();
  });

  it('honours explicit offsets and Z whatever the zone', () => {
    expect(iso('2020-02-28T17:30:00+01:00')).toBe('2020-02-28T16:30:00.000Z');
    expect(iso('2020-02-28T17:30:00-0530')).toBe('2020-02-28T23:00:00.000Z');
    expect(iso('2020-02-28T17:30:00.250Z')).toBe('2020-02-28T17:30:00.250Z');
    expect(iso('2024-02-29T00:00:00+00')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('places a year below 100 in that year, in the zone\'s offset of the time (Paris mean time, +0:09:21)', () => {
    expect(iso('0026-12-01T10:00:00')).toBe('0026-12-01T09:50:39.000Z');
    expect(iso('0026-12-01')).toBe('0026-11-30T23:50:39.000Z');
    expect(iso('0099-01-01T00:00:00Z')).toBe('0099-01-01T00:00:00.000Z');
    // Year 0 of the proleptic Gregorian calendar is a leap year; 1900, which Date.UTC would read it as, is not.
    expect(iso('0000-02-29T12:00:00Z')).toBe('0000-02-29T12:00:00.000Z');
  });

  it.each([
    '2020-02-30', '2021-02-29', '2020-13-01', '2020-00-10', '2020-04-31', '2020-01-01T25:00:00Z', '2020-01-01T23:60:00Z',
    '2020-01-01T12:00:61Z', '2020-01-01T12:00:00+25:00', '28/02/2020', '2020-2-28', 'yesterday', '', '2020-01-01T12',
  ])('rejects %j', (text) => {
    expect(parseIsoDate(text, 'Europe/Paris').ok).toBe(false);
  });
});

describe('the fast reading of dates', () => {
  it('gives what the regular expression gives for every accepted shape, and leaves it every refusal and its reason', () => {
    const rand = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    // Mostly in range, sometimes just past it.
    const two = (max: number): string => String(Math.floor(rand() * (rand() < 0.9 ? max : 100))).padStart(2, '0');
    const seps = ['T', 't', ' ', '  ', 'x', ''];
    const offsets = ['', 'Z', 'z', ' Z', '+01:00', '-05:30', '+0100', '-0930', '+01', '-00:00', '+24:00', '+01:60', '+1:00', '+01:0', ' +02:00', '  -0300', '+01:00 ', '\u00a0+01:00', 'Zz'];
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC'];
    let fast = 0;
    for (let n = 0; n < 60_000; n++) {
      const year = pick(['2020', '2024', '1999', '0099', '0100', '9999', '20x0']);
      const date = `${year}-${pick(['01', '02', '12', '13', '00', two(12)])}-${pick(['01', '28', '29', '30', '31', '00', two(31)])}`;
      let text = date;
      const r = rand();
      if (r > 0.1) {
        text += `${pick(seps)}${two(24)}:${two(60)}`;
        if (rand() < 0.8) text += `:${two(60)}`;
        if (rand() < 0.2) text += `${pick(['.', ','])}${'123456789012'.slice(0, Math.floor(rand() * 12))}`;
        text += pick(offsets);
      } else if (r > 0.05) text += pick(['', ' ', 'T', 'Z', '+01:00']);
      const zone = pick(zones);
      const expected = parseWithPattern(text, zone);
      expect(parseIsoInstant(text, zone), text).toBe(expected);
      if (typeof expected === 'number') fast++;
    }
    // Enough accepted values that the comparison covered the fast path, not only refusals.
    expect(fast).toBeGreaterThan(5_000);
  });
});
