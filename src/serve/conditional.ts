/**
 * HTTP decisions a feed origin makes before sending bytes: conditional GET (RFC 9110 §13),
 * content-coding negotiation (§12.5.3) and HTTP-dates (§5.6.7). Pure: values in, values out;
 * the clock arrives as an argument. Rule ids refer to the polling digest (POLL-*).
 */

import { parseHttpDate } from '../values/http-date.js';

export { formatHttpDate, parseHttpDate } from '../values/http-date.js';

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
