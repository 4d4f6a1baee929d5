import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/model/dates.js';

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

  it('honours explicit offsets and Z whatever the zone', () => {
    expect(iso('2020-02-28T17:30:00+01:00')).toBe('2020-02-28T16:30:00.000Z');
    expect(iso('2020-02-28T17:30:00-0530')).toBe('2020-02-28T23:00:00.000Z');
    expect(iso('2020-02-28T17:30:00.250Z')).toBe('2020-02-28T17:30:00.250Z');
    expect(iso('2024-02-29T00:00:00+00')).toBe('2024-02-29T00:00:00.000Z');
  });

  it.each([
    '2020-02-30', '2021-02-29', '2020-13-01', '2020-00-10', '2020-04-31', '2020-01-01T25:00:00Z', '2020-01-01T23:60:00Z',
    '2020-01-01T12:00:61Z', '2020-01-01T12:00:00+25:00', '28/02/2020', '2020-2-28', 'yesterday', '', '2020-01-01T12',
  ])('rejects %j', (text) => {
    expect(parseIsoDate(text, 'Europe/Paris').ok).toBe(false);
  });
});
