// XML 1.0 (Fifth Edition) and Namespaces in XML 1.0: document-level checks shared by the RSS and Atom rules.
/**
 * Each check is a plain generator over an `XmlDoc`; `rss.ts` and `atom.ts` wrap them in rules
 * with their own digest ids (RSS-DOC-001 / ATOM-DOC-001, …), so the logic lives once.
 */
import type { Finding } from '../rule.js';
import type { XmlDoc, XmlProblem, XmlProblemKind } from '../xml.js';

/** Findings for the parse problems of one kind; `params.detail` carries the parser's message. */
export function* problemsOfKind(doc: XmlDoc, ...kinds: XmlProblemKind[]): Generator<Finding> {
  for (const p of doc.problems ?? []) {
    if (kinds.includes(p.kind)) yield { line: p.line, column: p.column, params: { detail: p.message } };
  }
}

/** Well-formedness (RSS-DOC-001, ATOM-DOC-001): nesting, quoting, bare `&`/`<`, one root, … */
export const checkWellFormed = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'well-formed');

/** XML declaration not first (RSS-DOC-002, ATOM-DOC-002). */
export const checkDeclarationFirst = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'declaration-position');

/** Bytes vs declared encoding and BOM (RSS-DOC-005, ATOM-DOC-002). */
export const checkEncoding = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'encoding');

/** Characters outside XML's Char production, literal or referenced (RSS-DOC-006, ATOM-DOC-004). */
export const checkLegalChars = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'illegal-char');

/** Named entities other than the five XML ones that the DOCTYPE does not declare (RSS-DOC-007, ATOM-DOC-001). */
export const checkEntities = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'undefined-entity');

/** Entities declared in the DOCTYPE (RSS-DOC-018, ATOM-DOC-013). */
export const checkEntityDeclarations = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'entity-declaration');

/** `]]>` in character data (RSS-DOC-008, ATOM-DOC-001). */
export const checkCdataEnd = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'cdata-end');

/** Size and depth limits (kiosque's own, not a spec row). */
export const checkLimits = (doc: XmlDoc): Generator<Finding> => problemsOfKind(doc, 'limit');

/** Prefixes used without an `xmlns:prefix` in scope (RSS-DOC-009, ATOM-DOC-007). */
export function* checkPrefixesDeclared(doc: XmlDoc): Generator<Finding> {
  for (const u of doc.undeclaredPrefixes) yield { line: u.line, column: u.column, params: { prefix: u.prefix } };
}

/** No XML declaration at all (RSS-DOC-003; Atom's is BEST, ATOM-DOC-003). */
export function* checkHasDeclaration(doc: XmlDoc): Generator<Finding> {
  if (!doc.declaration && !(doc.problems ?? []).some((p) => p.kind === 'declaration-position')) yield { line: 1, column: 1 };
}

/** Not declared as UTF-8 (RSS-DOC-004, ATOM-DOC-003): params.encoding is what was declared, or "none". */
export function* checkUtf8Declared(doc: XmlDoc): Generator<Finding> {
  const enc = doc.declaration?.encoding;
  if (enc === undefined || !/^utf-?8$/i.test(enc)) {
    yield { line: doc.declaration?.line ?? 1, column: doc.declaration?.column ?? 1, params: { encoding: enc ?? 'none' } };
  }
}

/** A DOCTYPE is present (RSS-DOC-014). */
export function* checkNoDoctype(doc: XmlDoc): Generator<Finding> {
  if (doc.doctype === undefined) return;
  yield { ...doc.lines.at(Math.max(0, doc.text.indexOf('<!DOCTYPE'))), params: { doctype: doc.doctype.slice(0, 80) } };
}

/** Convenience for callers with a problem list but no document (unreadable XML). */
export function problemLabel(p: XmlProblem): string {
  return `${p.kind}: ${p.message}`;
}
