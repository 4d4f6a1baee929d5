/**
 * HTTP decisions a feed origin makes before sending bytes: conditional GET (RFC 9110 §13),
 * content-coding negotiation (§12.5.3) and HTTP-dates (§5.6.7). Pure: values in, values out;
 * the clock arrives as an argument. Rule ids refer to the polling digest (POLL-*).
 */

export type Coding = 'br' | 'gzip' | 'identity';

/** Preference on a q-value tie: the smallest body first (POLL-ENC-001). */
export const CODING_PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

export type ConditionalRequest = {
  method: string;
  /** Raw `If-None-Match` value (Node joins repeated lines with ", "). */
  ifNoneMatch?: string | undefined;
  /** Every `If-Modified-Since` line received; more than one means the header is ignored (POLL-COND-004). */
  ifModifiedSince?: readonly string[] | undefined;
  /** Server clock in ms; a date after it is not a valid validator (RFC 7232 §3.3). */
  now: number;
};

export type EntityMeta = {
  /** Strong or weak entity tag, quoted: `"abc"` or `W/"abc"`. */
  etag: string;
  /** Last-Modified in ms since the epoch, if the resource has one. */
  lastModified?: number | undefined;
};

export type ConditionalDecision = 'full' | 'not-modified';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mon = MONTHS.indexOf(month);
  if (mon < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, mon, day, h, m, Math.min(s, 59));
  // Reject dates that roll over (31 Feb) instead of silently moving them.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

/**
 * Parses an HTTP-date in the three forms recipients must accept (RFC 9110 §5.6.7).
 * Returns ms since the epoch, or undefined for anything else.
 */
export function parseHttpDate(value: string): number | undefined {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(v);
  if (m) {
    // Two-digit years: RFC 9110 says more than 50 years in the future means the previous century.
    const yy = Number(m[3]);
    return utc(yy < 70 ? 2000 + yy : 1900 + yy, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(v);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form we send (POLL-CT-006). */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * The opaque parts of an `If-None-Match` list, weak prefixes dropped (weak comparison,
 * POLL-COND-001), or `'*'`. Malformed members are skipped: they can never match.
 */
export function parseEntityTagList(value: string): '*' | string[] {
  if (value.trim() === '*') return '*';
  const tags: string[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === ' ' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    if (value.startsWith('W/"', i)) i += 2;
    if (value[i] === '"') {
      const end = value.indexOf('"', i + 1);
      if (end < 0) break;
      tags.push(value.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    // Not an entity-tag: skip to the next member.
    const next = value.indexOf(',', i);
    if (next < 0) break;
    i = next + 1;
  }
  return tags;
}

function opaque(etag: string): string {
  const start = etag.startsWith('W/') ? 3 : 1;
  return etag.slice(start, -1);
}

/**
 * RFC 9110 §13.2.2 for a GET/HEAD that would otherwise be 200: If-None-Match decides alone
 * when present (POLL-COND-003); else a valid, single If-Modified-Since not before
 * Last-Modified (one-second resolution, POLL-COND-005) means 304.
 */
export function decideConditional(req: ConditionalRequest, entity: EntityMeta): ConditionalDecision {
  if (req.method !== 'GET' && req.method !== 'HEAD') return 'full';
  if (req.ifNoneMatch !== undefined) {
    const tags = parseEntityTagList(req.ifNoneMatch);
    if (tags === '*') return 'not-modified';
    const current = opaque(entity.etag);
    return tags.includes(current) ? 'not-modified' : 'full';
  }
  const ims = req.ifModifiedSince;
  if (ims === undefined || ims.length !== 1 || entity.lastModified === undefined) return 'full';
  const since = parseHttpDate(ims[0]!);
  if (since === undefined || since > req.now) return 'full';
  return Math.floor(entity.lastModified / 1000) <= Math.floor(since / 1000) ? 'not-modified' : 'full';
}

/**
 * Picks the coding to send from what is available, by `Accept-Encoding` q-values
 * (RFC 9110 §12.5.3). No header: identity (safest for old readers, POLL-ENC-001). Identity
 * stays acceptable unless excluded by `identity;q=0` or `*;q=0`; then, with nothing else
 * acceptable, the answer is undefined and the caller sends 406 (POLL-ENC-002).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | undefined {
  if (acceptEncoding === undefined) return 'identity';
  const q = new Map<string, number>();
  for (const member of acceptEncoding.split(',')) {
    const [rawName, ...params] = member.split(';');
    const name = rawName!.trim().toLowerCase();
    if (name === '') continue;
    let weight = 1;
    let valid = true;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() !== 'q') continue;
      const text = v?.trim() ?? '';
      if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) valid = false;
      else weight = Number(text);
    }
    if (!valid) continue;
    const key = name === 'x-gzip' ? 'gzip' : name;
    q.set(key, Math.max(q.get(key) ?? 0, weight));
  }
  const star = q.get('*');
  const weightOf = (coding: Coding): number => {
    const explicit = q.get(coding);
    if (explicit !== undefined) return explicit;
    if (star !== undefined) return star;
    // Unlisted identity is acceptable, but any listed coding beats it.
    return coding === 'identity' ? 0.0001 : 0;
  };
  let best: Coding | undefined;
  let bestWeight = 0;
  for (const coding of CODING_PREFERENCE) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    const w = weightOf(coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}
