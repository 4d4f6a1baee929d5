/**
 * ISO 8601 article dates, read strictly and resolved to true instants. Date-only and
 * offset-less values are wall-clock times in the configured IANA zone; DST gaps move
 * forward (02:30 on a spring-forward night is 03:30 summer time) and repeated hours
 * take the first occurrence, like Temporal's "compatible" disambiguation.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

export type ParsedDate = { ok: true; date: Date } | { ok: false; reason: string };

const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** `Date.UTC` for every year: it reads years 0-99 as 1900-1999, so `0026-12-01` would be placed 1,900 years off. */
function utcWall(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): number {
  if (year < 0 || year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Built in 2000, a leap year, so that 29 February survives until the year is set (callers pass existing days).
  return new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms)).setUTCFullYear(year);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone, the offset of each UTC day without a transition (NaN for a day with one). */
const offsetMemo = new Map<string, Map<number, number>>();
/** Per zone, the exact offset at the start of each UTC day looked at (one day's end is the next one's start). */
const midnightMemo = new Map<string, Map<number, number>>();

function offsetAtDayStart(zone: string, day: number): number {
  let days = midnightMemo.get(zone);
  if (!days) midnightMemo.set(zone, (days = new Map()));
  let offset = days.get(day);
  if (offset === undefined) {
    offset = exactOffset(zone, day * DAY_MS);
    if (days.size > 100_000) days.clear();
    days.set(day, offset);
  }
  return offset;
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function exactOffset(zone: string, ms: number): number {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'B') year = 1 - year;
  const wall = utcWall(year, get('month'), get('day'), get('hour'), get('minute'), get('second'));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * Memoised per UTC day: when the offsets at the start of a day and of the next agree, no
 * transition falls inside it (zones change at most once a day; one exactly at midnight makes
 * them differ, and the day is then looked up exactly), so 100k article dates cost a few
 * thousand lookups.
 */
export function zoneOffset(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const day = Math.floor(ms / DAY_MS);
  let days = offsetMemo.get(zone);
  if (!days) offsetMemo.set(zone, (days = new Map()));
  let memo = days.get(day);
  if (memo === undefined) {
    const start = offsetAtDayStart(zone, day);
    const end = offsetAtDayStart(zone, day + 1);
    memo = start === end ? start : NaN;
    if (days.size > 100_000) days.clear();
    days.set(day, memo);
  }
  return Number.isNaN(memo) ? exactOffset(zone, ms) : memo;
}

/** The instant a wall-clock time in `zone` names (see the module comment for gaps and overlaps). */
export function wallTimeToInstant(wallAsUtc: number, zone: string): number {
  const before = zoneOffset(zone, wallAsUtc - DAY_MS);
  const after = zoneOffset(zone, wallAsUtc + DAY_MS);
  // One offset on both sides (nearly always): it is the answer, whether or not the time exists.
  if (before === after) return wallAsUtc - before;
  const candidates = [wallAsUtc - before, wallAsUtc - after].filter((t) => t + zoneOffset(zone, t) === wallAsUtc);
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: read the time with the offset in force before the jump, which lands after it.
  return wallAsUtc - before;
}

/** Value of `count` ASCII digits at `at`, or -1 if any is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    // Past the end, NaN: refused like any other non-digit.
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Every shape the full parser accepts, read without the regular expression or, fractions
 * aside, any substring: `YYYY-MM-DD`, then `T`, `t` or a space and `HH:MM[:SS[.fff]]`, spaces,
 * and `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`. Undefined for anything else or anything out of
 * range (other white space, years before 100, 2020-02-30, 25:00): the full parser then
 * decides, and words the reason.
 */
function commonShape(text: string, zone: string): number | undefined {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let hour = 0, minute = 0, second = 0, ms = 0;
  let at = 10;
  if (n > 10) {
    const t = text.charCodeAt(10);
    if ((t !== 84 && t !== 116 && t !== 32) || n < 16 || text.charCodeAt(13) !== 58) return undefined;
    hour = digitsAt(text, 11, 2);
    minute = digitsAt(text, 14, 2);
    at = 16;
    if (text.charCodeAt(16) === 58) {
      second = digitsAt(text, 17, 2);
      at = 19;
      const dot = text.charCodeAt(19);
      if (dot === 46 || dot === 44) {
        let end = 20;
        while (end < n && isDigit(text.charCodeAt(end))) end++;
        if (end === 20 || end > 29) return undefined;
        // As the full parser computes it, float rounding included.
        ms = Math.floor(Number(`0.${text.slice(20, end)}`) * 1000);
        at = end;
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
    while (text.charCodeAt(at) === 32) at++;
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (at === n) return wallTimeToInstant(wall, zone);
  const sign = text.charCodeAt(at);
  if (at + 1 === n && (sign === 90 || sign === 122)) return wall;
  if (sign !== 43 && sign !== 45) return undefined;
  const oh = digitsAt(text, at + 1, 2);
  let om = 0;
  const rest = n - at - 1;
  if (rest === 4) om = digitsAt(text, at + 3, 2);
  else if (rest === 5 && text.charCodeAt(at + 3) === 58) om = digitsAt(text, at + 4, 2);
  else if (rest !== 2) return undefined;
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
  return wall - (sign === 45 ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
}

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]` (a space may stand
 * for `T`). Impossible values (2020-02-30, 25:00, +25:00) are rejected, never rolled over.
 */
export function parseIsoDate(text: string, zone: string): ParsedDate {
  const parsed = parseIsoInstant(text, zone);
  return typeof parsed === 'number' ? { ok: true, date: new Date(parsed) } : { ok: false, reason: parsed };
}

/**
 * An offset after the time (`Z`, `+01:00`, `-0500`, `+01`): the text names its instant whatever the zone. After a
 * time only: the `-06` that ends the date `2026-09-06` is its day.
 */
const HAS_OFFSET = /\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)\s*$/;

/**
 * Whether `text`, read in `zone` as `instant`, names a wall-clock time the zone skipped (the hour
 * clocks jump over in spring): it was read later on the clock, which an editor should know.
 */
export function inSkippedTime(text: string, zone: string, instant: number): boolean {
  if (HAS_OFFSET.test(text)) return false;
  const wall = parseIsoInstant(text, 'UTC');
  return typeof wall === 'number' && instant + zoneOffset(zone, instant) !== wall;
}

/**
 * The second instant `text` names, read in `zone` as `instant`, when it is a wall-clock time the
 * zone went through twice (the hour clocks go back over in autumn): it was read as the first.
 */
export function inRepeatedTime(text: string, zone: string, instant: number): number | undefined {
  if (HAS_OFFSET.test(text)) return undefined;
  // How far the clocks went back within the next hours (the largest shift any zone makes is 2 h).
  const back = zoneOffset(zone, instant) - zoneOffset(zone, instant + 3 * 3_600_000);
  if (back <= 0) return undefined;
  const later = instant + back;
  return later + zoneOffset(zone, later) === instant + zoneOffset(zone, instant) ? later : undefined;
}

/** `parseIsoDate` as a number of ms since the epoch, or the reason the text is refused: no object per date. */
export function parseIsoInstant(text: string, zone: string): number | string {
  return commonShape(text, zone) ?? parseWithPattern(text, zone);
}

/** The reference reading through the regular expression; it alone words the reasons a value is refused. */
export function parseWithPattern(text: string, zone: string): number | string {
  const m = ISO.exec(text.trim());
  if (!m) return `"${text}" is not an ISO 8601 date such as 2020-02-28 or 2020-02-28T17:30:00+01:00`;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = h === undefined ? 0 : Number(h), minute = mi === undefined ? 0 : Number(mi), second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12) return `"${text}" has no month ${mo}`;
  if (day < 1 || day > daysInMonth(year, month)) return `"${text}" does not exist: ${y}-${mo} has ${daysInMonth(year, month)} days`;
  if (hour > 23 || minute > 59 || second > 59) return `"${text}" has an impossible time of day`;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const wallAsUtc = utcWall(year, month, day, hour, minute, second, ms);
  if (off === undefined) return wallTimeToInstant(wallAsUtc, zone);
  if (off === 'Z' || off === 'z') return wallAsUtc;
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2)), om = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (oh > 23 || om > 59) return `"${text}" has an impossible UTC offset ${off}`;
  return wallAsUtc - sign * (oh * 3_600_000 + om * 60_000);
}
