/**
 * JSON Feed validation entry point: bytes in, located Issues out. Decoding, parsing and every
 * check are rules in `rules/json.ts`, so the rule list is the complete catalogue of what is reported.
 */
import type { Issue } from '../../issue.js';
import type { Finding, Rule } from '../rule.js';
import { runRules } from '../run.js';
import { jsonRules } from '../rules/json.js';
import { kiosqueRules } from '../rules/kiosque.js';
import type { JsonDoc } from './doc.js';
import { detectEncoding, readJsonDoc } from './parse.js';

/** Same id as `validate/validate.ts` uses for size and depth limits of XML documents. */
export const LIMIT_RULE = kiosqueRules.limit.id;

/** Findings kept per rule; a hostile file can otherwise produce millions of identical issues. */
export const MAX_FINDINGS_PER_RULE = 100;

export function validateJsonFeed(bytes: Uint8Array, file: string): Issue[] {
  return validateJsonDoc(readJsonDoc(bytes), file);
}

/** The same, for a document already read (format detection reads it first). */
export function validateJsonDoc(doc: JsonDoc, file: string): Issue[] {
  const issues = runRules(jsonRules.map((r) => capped(r, MAX_FINDINGS_PER_RULE)), doc, file);
  if (doc.tooLarge) {
    // An implementation limit (RFC 8259 §9), not a spec row: the core's KIOSQUE-LIMIT id.
    const { line, column } = doc.position(doc.tooLarge.offset);
    issues.push({ rule: LIMIT_RULE, level: 'error', file, line, column, pointer: doc.tooLarge.pointer, message: doc.tooLarge.message });
  }
  // Document order, like the XML validators' reports; ties keep rule order.
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.index - b.index)
    .map((x) => x.issue);
}

/** The rule unchanged, except that past `max` findings one last finding says how many more there were. */
function capped(rule: Rule<JsonDoc>, max: number): Rule<JsonDoc> {
  return {
    ...rule,
    message: (params) => (params.__more !== undefined ? `…and ${params.__more} more ${rule.id} findings like the ones above` : rule.message(params)),
    check: function* (doc) {
      let count = 0;
      let firstOmitted: Finding | undefined;
      for (const finding of rule.check(doc)) {
        count++;
        if (count <= max) yield finding;
        else firstOmitted ??= finding;
      }
      if (firstOmitted) yield { ...firstOmitted, params: { __more: count - max } };
    },
  };
}

/**
 * Whether bytes look like JSON rather than XML: the first significant character (after any
 * BOM and whitespace, in any of the JSON encodings) is `{` or `[`. For format detection.
 */
export function isJsonFeedCandidate(bytes: Uint8Array): boolean {
  const { encoding, bomLength } = detectEncoding(bytes);
  const width = encoding === 'utf-8' ? 1 : encoding.startsWith('utf-16') ? 2 : 4;
  const little = encoding.endsWith('le');
  for (let i = bomLength; i + width <= bytes.length && i < bomLength + 4096 * width; i += width) {
    let c = little ? bytes[i]! : bytes[i + width - 1]!;
    // The other bytes of a UTF-16/32 code unit must be zero for an ASCII character.
    for (let k = 0; k < width; k++) if (k !== (little ? 0 : width - 1) && bytes[i + k] !== 0) c = -1;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

export { readJsonDoc } from './parse.js';
export type { JsonDoc } from './doc.js';
