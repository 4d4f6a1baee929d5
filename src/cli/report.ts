/**
 * Issue formatting shared by `kiosque validate` and `kiosque build`:
 * `FILE:LINE:COL LEVEL RULE-ID message`, with the JSON pointer in place of LINE:COL for JSON
 * documents, and a JSON form for machines. Formatting only: no decisions, no IO.
 */
import type { Issue, Level } from '../issue.js';

/** Where an issue is: `file:line:col`, `file:line`, `file:/json/pointer`, or just `file`. */
export function formatLocation(issue: Issue): string {
  if (issue.pointer !== undefined) return `${issue.file}:${issue.pointer === '' ? '/' : issue.pointer}`;
  if (issue.line !== undefined) return `${issue.file}:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}`;
  return issue.file;
}

/** One line, e.g. `out/rss.xml:12:5 error RSS-DT-001 <item/pubDate> "…" is not an RFC 822 date-time`. */
export function formatIssue(issue: Issue): string {
  // Messages may quote feed content; keep the report one line per issue whatever the content.
  const message = issue.message.replace(/[\r\n]+/g, ' ');
  return `${formatLocation(issue)} ${issue.level} ${issue.rule} ${message}`;
}

export type FormatOptions = {
  /** Levels to print; default all three. */
  levels?: readonly Level[];
};

/** Lines for a list of issues (each ending in a newline), filtered by level. */
export function formatIssues(issues: readonly Issue[], options: FormatOptions = {}): string {
  const levels = options.levels ?? ['error', 'warning', 'info'];
  return issues
    .filter((i) => levels.includes(i.level))
    .map((i) => `${formatIssue(i)}\n`)
    .join('');
}

export type LevelCounts = { errors: number; warnings: number; info: number };

export function countLevels(issues: readonly Issue[]): LevelCounts {
  const counts: LevelCounts = { errors: 0, warnings: 0, info: 0 };
  for (const i of issues) {
    if (i.level === 'error') counts.errors++;
    else if (i.level === 'warning') counts.warnings++;
    else counts.info++;
  }
  return counts;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 errors, 1 warning, 0 info`. */
export function formatCounts(counts: LevelCounts): string {
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${counts.info} info`;
}

/** The JSON form of one issue: stable key order, absent fields left out. */
export function issueToJson(issue: Issue): Record<string, unknown> {
  const out: Record<string, unknown> = { file: issue.file };
  if (issue.line !== undefined) out['line'] = issue.line;
  if (issue.column !== undefined) out['column'] = issue.column;
  if (issue.pointer !== undefined) out['pointer'] = issue.pointer;
  out['level'] = issue.level;
  out['rule'] = issue.rule;
  out['message'] = issue.message;
  if (issue.spec !== undefined) out['spec'] = issue.spec;
  return out;
}
