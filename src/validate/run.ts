/** Runs any rule list over a parsed document and turns findings into located Issues. */
import type { Issue } from '../issue.js';
import type { Rule } from './rule.js';
import { kiosqueRules } from './rules/kiosque.js';

export function runRules<Doc>(rules: readonly Rule<Doc>[], doc: Doc, file: string): Issue[] {
  const issues: Issue[] = [];
  for (const rule of rules) {
    try {
      for (const finding of rule.check(doc)) {
        const issue: Issue = { rule: rule.id, level: rule.level, message: rule.message(finding.params ?? {}), file, spec: rule.spec };
        if (finding.line !== undefined) issue.line = finding.line;
        if (finding.column !== undefined) issue.column = finding.column;
        if (finding.pointer !== undefined) issue.pointer = finding.pointer;
        issues.push(issue);
      }
    } catch (err) {
      // A rule that throws is a bug in kiosque, not in the feed: say so instead of hiding the feed's other problems.
      const internal = kiosqueRules.internal;
      issues.push({ rule: internal.id, level: internal.level, file, message: internal.message({ rule: rule.id, detail: (err as Error).message }) });
    }
  }
  return issues;
}
