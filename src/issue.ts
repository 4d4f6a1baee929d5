/**
 * Problems are values: every stage returns them beside its result, with the place they
 * come from, and only the CLI decides how to print them and which exit code they mean.
 * MUST maps to error, SHOULD to warning, advisory (BEST) to info.
 */
export type Level = 'error' | 'warning' | 'info';

export type Issue = {
  /** Stable id users can grep: a spec digest id (`RSS-DT-001`) or a kebab-case store id (`store-bad-yaml`). */
  rule: string;
  level: Level;
  /** One line, no trailing period needed. */
  message: string;
  /** File the problem is in, relative to the store or as given on the command line. */
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer, for JSON documents (`/items/3/id`). */
  pointer?: string;
  /** Where the requirement comes from, e.g. `RFC 4287 §4.1.2`. */
  spec?: string;
};

/** A value together with the problems met while producing it. */
export type Result<T> = { value: T; issues: Issue[] };

export const isError = (issue: Issue): boolean => issue.level === 'error';
