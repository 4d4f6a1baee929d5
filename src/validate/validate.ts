/**
 * The single entry point for checking one feed file: bytes in, detected format and located
 * Issues out. Dispatches to the RSS 2.0 rules, the Atom 1.0 rules or the JSON Feed validator.
 * Pure: the build gate and `kiosque validate` both call it.
 */
import type { Issue } from '../issue.js';
import type { Finding, Rule } from './rule.js';
import { runRules } from './run.js';
import { MAX_BYTES, parseXml } from './parse.js';
import { detectJsonDoc, detectXml, looksLikeJson, NOT_AN_OBJECT } from './detect.js';
import { htmlPageFeeds, htmlPageReason } from './html-page.js';
import { rssRules } from './rules/rss.js';
import { atomRules } from './rules/atom.js';
import { extRules } from './rules/ext.js';
import { tombstoneRules } from './rules/tombstones.js';
import { rfc5005Rules } from './rules/rfc5005.js';
import { readJsonDoc, validateJsonDoc } from './json/validate.js';
import type { XmlDoc, XmlProblem } from './xml.js';
import type { JsonDoc } from './json/doc.js';
import { kiosqueRules } from './rules/kiosque.js';
import { appleFormatRule, appleRules } from './rules/apple-podcasts.js';

export type DocumentFormat = 'rss' | 'atom' | 'json' | 'unsupported' | 'unreadable';

export type Validation = {
  format: DocumentFormat;
  issues: Issue[];
  /** Why the format is unsupported or the file unreadable. */
  reason?: string;
};

/** Findings kept per rule and file: a hostile feed with 100,000 bad items stays readable. */
export const MAX_FINDINGS_PER_RULE = 100;

/** Raised for documents kiosque will not parse (size, depth): not a spec row. */
export const LIMIT_RULE = kiosqueRules.limit.id;
/** Raised for files that are not a supported feed format. */
export const FORMAT_RULE = kiosqueRules.format.id;

/** Rules for one consumer on top of the format's (`kiosque validate --profile`). */
export const PROFILES = ['apple-podcasts'] as const;
export type Profile = (typeof PROFILES)[number];

export type ValidateOptions = {
  profile?: Profile;
  /** Given the parsed tree of the document, for a caller that reads more from it (the gate's cross-format check). */
  parsed?: (doc: XmlDoc | JsonDoc) => void;
  /** Where the bytes were fetched from, after redirects: the feeds a web page announces are named against it. */
  base?: string;
};

export function validateDocument(bytes: Uint8Array, file: string, options: ValidateOptions = {}): Validation {
  const result = validateFormat(bytes, file, options);
  // Apple reads RSS only: any other feed fails the profile once, besides its own findings.
  if (options.profile === 'apple-podcasts' && (result.format === 'atom' || result.format === 'json')) {
    const r = appleFormatRule;
    result.issues.unshift({ rule: r.id, level: r.level, file, ...(result.format === 'json' ? { pointer: '' } : { line: 1, column: 1 }), message: r.message({ format: result.format === 'json' ? 'JSON Feed' : 'Atom' }) });
  }
  return result;
}

/** A JSON text that is a string, number, true, false or null (an object or array goes to the JSON Feed validator). */
function isJsonScalar(bytes: Uint8Array): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, ''));
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}

function validateFormat(bytes: Uint8Array, file: string, options: ValidateOptions): Validation {
  if (bytes.byteLength > MAX_BYTES) {
    const reason = `file is ${bytes.byteLength} bytes; kiosque validates feeds up to ${MAX_BYTES} bytes`;
    return { format: 'unreadable', reason, issues: [{ rule: LIMIT_RULE, level: 'error', file, line: 1, column: 1, message: reason }] };
  }
  if (looksLikeJson(bytes)) {
    const doc = readJsonDoc(bytes);
    options.parsed?.(doc);
    const detected = detectJsonDoc(doc, bytes);
    if (detected.format === 'json') return { format: 'json', issues: validateJsonDoc(doc, file) };
    const reason = 'reason' in detected ? detected.reason : 'not a JSON Feed';
    return { format: detected.format, reason, issues: [formatIssue(file, reason)] };
  }

  // Said for what they are, rather than as the XML they fail to be.
  if (/^[\s\uFEFF]*$/.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('utf8')) && bytes.byteLength <= 4096) {
    const reason = bytes.byteLength === 0 ? 'the file is empty' : 'the file holds only white space';
    return { format: 'unreadable', reason, issues: [formatIssue(file, reason)] };
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const reason = 'gzip-compressed data, not a feed: decompress it first (gunzip), or validate the URL it is served from';
    return { format: 'unreadable', reason, issues: [formatIssue(file, reason)] };
  }
  if (!/^\s*</.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('latin1').replace(/^\u00EF\u00BB\u00BF/, '')) && isJsonScalar(bytes)) {
    return { format: 'unsupported', reason: NOT_AN_OBJECT, issues: [formatIssue(file, NOT_AN_OBJECT)] };
  }

  const page = htmlPageFeeds(bytes, options.base);
  if (page) {
    const reason = htmlPageReason(page);
    return { format: 'unsupported', reason, issues: [formatIssue(file, reason)] };
  }

  const { doc, problems } = parseXml(bytes, file);
  if (doc && options.base) doc.url = options.base;
  if (doc) options.parsed?.(doc);
  if (!doc) {
    const limit = problems.find((p) => p.kind === 'limit');
    const reason = limit ? limit.message : `not parseable as XML${problems[0] ? `: ${problems[0].message}` : ''}`;
    return { format: 'unreadable', reason, issues: problems.slice(0, MAX_FINDINGS_PER_RULE).map((p) => unreadableIssue(file, p)) };
  }
  const detected = detectXml(doc);
  if (detected.format === 'rss') return { format: 'rss', issues: sortIssues(runRules(options.profile === 'apple-podcasts' ? APPLE_RSS_RULES : RSS_RULES, doc, file)) };
  if (detected.format === 'atom') return { format: 'atom', issues: sortIssues(runRules(ATOM_RULES, doc, file)) };
  const reason = 'reason' in detected ? detected.reason : 'unknown format';
  return { format: detected.format, reason, issues: [formatIssue(file, reason, doc)] };
}

// Extension modules (rules/ext.ts) read the same in both formats, so both lists carry them;
// RSS gets the tombstone rules too, for an at:deleted-entry placed where no reader looks.
const RSS_RULES = capAll([...rssRules, ...extRules, ...rfc5005Rules, ...tombstoneRules]);
const ATOM_RULES = capAll([...atomRules, ...extRules, ...rfc5005Rules, ...tombstoneRules]);
const APPLE_RSS_RULES = [...RSS_RULES, ...capAll(appleRules)];

function formatIssue(file: string, reason: string, doc?: XmlDoc): Issue {
  return { rule: FORMAT_RULE, level: kiosqueRules.format.level, file, line: doc?.root.line ?? 1, column: doc?.root.column ?? 1, message: kiosqueRules.format.message({ detail: reason }) };
}

function unreadableIssue(file: string, p: XmlProblem): Issue {
  const rule = p.kind === 'limit' ? kiosqueRules.limit : kiosqueRules.unreadable;
  return { rule: rule.id, level: rule.level, file, line: p.line, column: p.column, message: rule.message({ detail: p.kind === 'limit' ? p.message : `not readable as XML (${p.kind}): ${p.message}` }) };
}

export function sortIssues(issues: Issue[]): Issue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.index - b.index)
    .map((x) => x.issue);
}

function capAll<Doc>(rules: readonly Rule<Doc>[]): Rule<Doc>[] {
  return rules.map((rule) => ({
    ...rule,
    message: (params) => (params['__more'] !== undefined ? `further ${rule.id} findings not shown (at most ${MAX_FINDINGS_PER_RULE} per rule)` : rule.message(params)),
    check: function* (doc: Doc): Generator<Finding> {
      // Stop at the cap: the rule's remaining work is skipped too, so 100,000 bad items cost nothing more.
      let count = 0;
      for (const finding of rule.check(doc)) {
        if (++count > MAX_FINDINGS_PER_RULE) {
          yield { ...finding, params: { __more: 'more' } };
          return;
        }
        yield finding;
      }
    },
  }));
}
