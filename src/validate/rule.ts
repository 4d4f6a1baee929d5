/**
 * A validation rule is a plain value: the digest id it implements (`RSS-DT-001`), a level
 * (MUST -> error, SHOULD -> warning, BEST -> info), the spec section it comes from, a
 * message template, and a check that yields findings. `run.ts` turns findings into Issues.
 */
import type { Level } from '../issue.js';

export type Finding = {
  /** Values for the message template, e.g. `{ element: 'pubDate', value: 'Mon, 30 Feb…' }`. */
  params?: Record<string, string | number>;
  line?: number;
  column?: number;
  /** JSON pointer, for JSON Feed. */
  pointer?: string;
};

export type Rule<Doc> = {
  /** Stable once printed: users grep it, tests and docs/rules.md name it. */
  id: string;
  level: Level;
  /** e.g. `RFC 4287 §4.1.2` or `RSS 2.0, Elements of <item>`. */
  spec: string;
  /** One-line summary of what the rule requires (used in docs/rules.md). */
  title: string;
  message: (params: Record<string, string | number>) => string;
  check: (doc: Doc) => Iterable<Finding>;
  /** Why it matters to readers (docs/rules.md). */
  why?: string;
  /** How to fix it (docs/rules.md). */
  fix?: string;
};
