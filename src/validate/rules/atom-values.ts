// Value checks only Atom 1.0 (RFC 4287) needs, on top of the shared ones in src/values/: its narrower
// RFC 3339 (uppercase T and Z, §3.3), and Base64 content (§4.1.3.3).
import { parseRfc3339 } from '../../values/dates.js';
import { boundedMemo } from '../../values/memo.js';

export type DateProblem = { rule: 'ATOM-C-020' | 'ATOM-C-021' | 'ATOM-C-022'; reason: string };

type AtomDate = { problem?: DateProblem; millis?: number };
/** Each date of a document is read by several rules (syntax, case, range, UTC, order): parsed once. */
const readAtomDate = boundedMemo((value): AtomDate => {
  const r = parseRfc3339(value);
  if (!r.ok) return { problem: r.problem === 'syntax' ? { rule: 'ATOM-C-020', reason: r.message.replace(/^not an RFC 3339 date-time: /, '') } : { rule: 'ATOM-C-022', reason: r.message } };
  // RFC 3339 tolerates `t`, `z` and a space separator; Atom does not.
  if (r.notes.includes('space-separator')) return { problem: { rule: 'ATOM-C-021', reason: 'a space separates the date and the time, where Atom requires an uppercase T' } };
  if (r.notes.includes('lowercase')) return { problem: { rule: 'ATOM-C-021', reason: 'the separator must be an uppercase T and the UTC designator an uppercase Z' } };
  if (r.notes.includes('whitespace')) return { problem: { rule: 'ATOM-C-020', reason: 'it has whitespace around it' } };
  return { millis: r.date.getTime() };
});

/** Checks an (already trimmed) RFC 3339 `date-time` as Atom §3.3 restricts it; undefined when valid. */
export const checkAtomDate = (value: string): DateProblem | undefined => readAtomDate(value).problem;

/** Milliseconds since the epoch for a valid Atom date. */
export const atomDateMillis = (value: string): number | undefined => readAtomDate(value).millis;

export const hasWhitespace = (value: string): boolean => /\s/.test(value);

/** Base64 as RFC 4287 §4.1.3.3 allows it: whitespace around and between lines, `=` padding only at the end. */
export function isBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}
