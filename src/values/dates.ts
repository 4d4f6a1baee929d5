/**
 * Date parsers/validators shared by the three formats, the model and the store: RFC 822 as amended by RFC 1123 §5.2.14
 * (RSS), RFC 3339 §5.6 (Atom, JSON Feed) and W3C-DTF (sy:updateBase, dc:date). Pure: a
 * string in, a verdict out; never the clock (plausibility checks take `now` from the caller).
 */

/** Something valid but worth a warning or a note. */
export type DateNote =
  /** RFC 822 two-digit year (RFC 1123 asks for four). */
  | 'two-digit-year'
  /** RFC 822 single-letter military zone other than Z (signs were defined backwards). */
  | 'military-zone'
  /** Valid but not `Ddd, DD Mon YYYY HH:MM:SS +0000|GMT` (case, spacing, comments, no seconds, no weekday, not UT). */
  | 'non-canonical'
  /** Whitespace around the value. */
  | 'whitespace'
  /** RFC 3339: lowercase `t`/`z` (Atom requires uppercase). */
  | 'lowercase'
  /** RFC 3339: a space instead of `T` (allowed by the RFC's note, not its grammar). */
  | 'space-separator';

export type DateCheck =
  /** `zone` is the zone as written (`Z`, `+01:00`, `GMT`, `-0500`). */
  | { ok: true; date: Date; notes: DateNote[]; zone: string }
  | { ok: false; problem: 'syntax' | 'range' | 'weekday'; message: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** RFC 822 §5.1 zone names, in minutes east of UT. */
const NAMED_ZONES: Record<string, number> = { ut: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };

const RFC822 =
  /^(?:(mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d{4}|\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(ut|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|[a-ik-z]|[+-]\d{4})$/i;
// Any numeric zone is canonical: it is the form RFC 822 §5.1 and every parser read best, whatever the offset.
const RFC822_CANONICAL = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|Z)$/;

export function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

function civil(year: number, month1: number, day: number, h: number, mi: number, s: number, offsetMinutes: number): Date {
  // Date.UTC maps years 0-99 to 1900+; setUTCFullYear does not.
  const d = new Date(Date.UTC(2000, month1 - 1, day, h, mi, Math.min(s, 59)));
  d.setUTCFullYear(year);
  return new Date(d.getTime() - offsetMinutes * 60_000 + (s === 60 ? 1000 : 0));
}

function checkRanges(year: number, month1: number, day: number, h: number, mi: number, s: number): string | undefined {
  if (month1 < 1 || month1 > 12) return `month ${month1} does not exist`;
  if (day < 1 || day > daysInMonth(year, month1)) return `day ${day} does not exist in ${year}-${String(month1).padStart(2, "0")}`;
  if (h > 23) return `hour ${h} is out of range (00-23)`;
  if (mi > 59) return `minute ${mi} is out of range (00-59)`;
  if (s > 60) return `second ${s} is out of range (00-60)`;
  // 60 is a leap second, only ever inserted in the last minute of an hour.
  if (s === 60 && mi !== 59) return `second 60 (a leap second) can only follow minute 59`;
  return undefined;
}

/** RFC 822 date-time with RFC 1123's four-digit years; comments `( … )` are allowed and ignored. */
export function parseRfc822(raw: string): DateCheck {
  const notes: DateNote[] = [];
  let value = raw.trim();
  if (value !== raw) notes.push('whitespace');
  if (value.includes('(')) {
    // RFC 822 comments may nest; strip innermost first.
    for (let prev = ''; prev !== value; ) [prev, value] = [value, value.replace(/\([^()]*\)/g, ' ')];
    value = value.trim();
    notes.push('non-canonical');
  }
  const m = RFC822.exec(value);
  if (!m) return { ok: false, problem: 'syntax', message: 'not an RFC 822 date-time (expected e.g. "Wed, 02 Oct 2002 13:00:00 GMT")' };
  const [, dow, dd, mon, yy, hh, mi, ss, zone] = m as unknown as [string, string | undefined, string, string, string, string, string, string | undefined, string];
  let year = Number(yy);
  if (yy.length === 2) {
    notes.push('two-digit-year');
    year += year < 50 ? 2000 : 1900;
  }
  const month1 = MONTHS.indexOf(mon.toLowerCase()) + 1;
  const [day, h, min, s] = [Number(dd), Number(hh), Number(mi), ss === undefined ? 0 : Number(ss)];
  const range = checkRanges(year, month1, day, h, min, s);
  if (range) return { ok: false, problem: 'range', message: range };
  let offset: number;
  const z = zone.toLowerCase();
  if (z[0] === '+' || z[0] === '-') {
    const zh = Number(z.slice(1, 3));
    const zm = Number(z.slice(3, 5));
    // As RFC 3339 (and the zones in use, -12 to +14): an hour past 23 is a typo.
    if (zh > 23 || zm > 59) return { ok: false, problem: 'range', message: `zone ${zone} is out of range` };
    offset = (z[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  } else if (z in NAMED_ZONES) {
    offset = NAMED_ZONES[z] as number;
  } else {
    // Military letters: RFC 1123 says their signs are unreliable, so treat them as UT and flag.
    offset = 0;
    notes.push('military-zone');
  }
  if (dow !== undefined) {
    const weekday = new Date(Date.UTC(2000, month1 - 1, day));
    weekday.setUTCFullYear(year);
    const actual = DAYS[weekday.getUTCDay()] as string;
    if (actual !== dow.toLowerCase()) {
      return { ok: false, problem: 'weekday', message: `${day} ${mon} ${year} is a ${actual[0]?.toUpperCase()}${actual.slice(1)}, not a ${dow}` };
    }
  }
  if (!notes.includes('non-canonical') && !RFC822_CANONICAL.test(value)) notes.push('non-canonical');
  return { ok: true, date: civil(year, month1, day, h, min, s, offset), notes, zone };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Why a string is not an RFC 3339 `date-time`, for the shapes people actually write instead. */
function rfc3339SyntaxReason(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'a date without a time (add e.g. T00:00:00Z)';
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return 'no time zone offset (add Z or ±HH:MM)';
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}([Zz]|[+-]\d{2}:\d{2})$/.test(value)) return 'no seconds (write HH:MM:SS)';
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{4}$/.test(value)) return 'the offset has no colon (write ±HH:MM)';
  if (/^\d{8}T?\d{6}/.test(value)) return 'the basic ISO 8601 form without - and : is not RFC 3339';
  if (/^\d{4}(-\d{2})?$/.test(value)) return 'a year or a month is not a date-time';
  if (/^[A-Za-z]{3},? /.test(value)) return 'an RFC 822 date, as RSS uses; RFC 3339 looks like 2003-12-13T18:30:02Z';
  return 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM) form';
}

/**
 * RFC 3339 §5.6 `date-time`, with the exact reason a value fails. Notes say whether it also meets
 * Atom's narrower form (uppercase T and Z, no space separator).
 */
export function parseRfc3339(raw: string): DateCheck {
  const notes: DateNote[] = [];
  const value = raw.trim();
  if (value !== raw) notes.push('whitespace');
  const m = RFC3339.exec(value);
  if (!m) return { ok: false, problem: 'syntax', message: `not an RFC 3339 date-time: ${rfc3339SyntaxReason(value)}` };
  const [, yy, mo, dd, sep, hh, mi, ss, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string, string | undefined, string];
  if (sep === ' ') notes.push('space-separator');
  if (sep === 't' || zone === 'z') notes.push('lowercase');
  const [year, month1, day, h, min, s] = [yy, mo, dd, hh, mi, ss].map(Number) as [number, number, number, number, number, number];
  const range = checkRanges(year, month1, day, h, min, s);
  if (range) return { ok: false, problem: 'range', message: range };
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return { ok: false, problem: 'range', message: `offset ${zone} is out of range` };
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  const date = civil(year, month1, day, h, min, s, offset);
  if (frac) date.setTime(date.getTime() + Math.floor(Number(`0${frac}`) * 1000));
  return { ok: true, date, notes, zone };
}

const W3CDTF = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** W3C Date and Time Formats (a profile of ISO 8601): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or with a time and zone. */
export function parseW3cDtf(raw: string): DateCheck {
  const notes: DateNote[] = [];
  const value = raw.trim();
  if (value !== raw) notes.push('whitespace');
  const m = W3CDTF.exec(value);
  if (!m) return { ok: false, problem: 'syntax', message: 'not a W3C-DTF date (expected e.g. "2002-10-02" or "2002-10-02T10:00:00-05:00")' };
  const [year, month1, day, h, min, s] = [m[1], m[2] ?? '1', m[3] ?? '1', m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const range = checkRanges(year, month1, day, h, min, s);
  if (range) return { ok: false, problem: 'range', message: range };
  const zone = m[8];
  const offset = zone === undefined || zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { ok: true, date: civil(year, month1, day, h, min, s, offset), notes, zone: zone ?? '' };
}

/** RSS-DT-006 / RFC 4287 plausibility: not before 1970-01-02 and not more than a day after `now`. */
export function isPlausible(date: Date, now: Date): boolean {
  return date.getTime() > 86_400_000 && date.getTime() <= now.getTime() + 86_400_000;
}
