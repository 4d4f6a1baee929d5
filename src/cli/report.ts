/**
 * Issue formatting shared by `kiosque validate` and `kiosque build`:
 * `FILE:LINE:COL LEVEL RULE-ID message`, with the JSON pointer after the message for JSON
 * documents (in place of LINE:COL when no position is known), and a JSON form for machines.
 * Formatting only: no decisions, no IO.
 */
import type { Issue, Level } from '../issue.js';

/** The pointer as shown: a thousand levels of nesting make a pointer no one reads whole (the JSON form keeps it). */
function pointerOf(issue: Issue): string | undefined {
  const pointer = issue.pointer;
  if (pointer === undefined) return undefined;
  if (pointer === '') return '/';
  return pointer.length > 120 ? `${pointer.slice(0, 60)}…${pointer.slice(-40)}` : pointer;
}

/**
 * Where an issue is: `file:line:col` (what editors and terminals jump to, JSON documents
 * included when the position is known), `file:line`, `file:/json/pointer`, or just `file`.
 */
export function formatLocation(issue: Issue): string {
  if (issue.line !== undefined) return `${issue.file}:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}`;
  if (issue.pointer !== undefined) return `${issue.file}:${pointerOf(issue)}`;
  return issue.file;
}

/** One line, e.g. `out/rss.xml:12:5 error RSS-DT-001 <item/pubDate> "…" is not an RFC 822 date-time`; a JSON pointer ends it when a line leads. */
export function formatIssue(issue: Issue): string {
  // Messages may quote feed content; keep the report one line per issue whatever the content.
  const message = issue.message.replace(/[\r\n]+/g, ' ');
  const at = issue.line !== undefined && issue.pointer !== undefined ? ` (at ${pointerOf(issue)})` : '';
  return `${formatLocation(issue)} ${issue.level} ${issue.rule} ${message}${at}`;
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

// ---------------------------------------------------------------------------------------------
// CI formats

const GITHUB_LEVEL: Record<Level, string> = { error: 'error', warning: 'warning', info: 'notice' };
/** Workflow-command escaping: data escapes %, CR, LF; property values also : and ,. */
const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One GitHub Actions workflow command per issue: `::error file=…,line=…,col=…,title=RULE::message`. */
export function formatGithub(issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      const props = [`file=${ghProp(i.file)}`];
      if (i.line !== undefined) props.push(`line=${i.line}`);
      if (i.column !== undefined) props.push(`col=${i.column}`);
      props.push(`title=${ghProp(i.rule)}`);
      const where = i.pointer !== undefined ? ` (at ${pointerOf(i)})` : '';
      return `::${GITHUB_LEVEL[i.level]} ${props.join(',')}::${ghData(`${i.rule} ${i.message}${where}`)}\n`;
    })
    .join('');
}

/** What SARIF needs to know of a rule: the registry entry's fields. */
export type SarifRule = { id: string; level: Level; title: string; why: string; fix: string; link: string };

const SARIF_LEVEL: Record<Level, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * A SARIF 2.1.0 log (OASIS), one run with the rules that fired, so code-scanning tools show the
 * findings with their explanations. Issues whose rule is unknown to `rules` still get a result.
 */
export function toSarif(issues: readonly Issue[], rules: (id: string) => SarifRule | undefined, tool: { name: string; version: string }): Record<string, unknown> {
  const used: SarifRule[] = [];
  const index = new Map<string, number>();
  for (const i of issues) {
    if (index.has(i.rule)) continue;
    const r = rules(i.rule);
    if (!r) continue;
    index.set(i.rule, used.length);
    used.push(r);
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: used.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.why },
              help: { text: r.fix },
              ...(/^https?:/.test(r.link) ? { helpUri: r.link } : {}),
              defaultConfiguration: { level: SARIF_LEVEL[r.level] },
            })),
          },
        },
        results: issues.map((i) => {
          const region: Record<string, number> = {};
          if (i.line !== undefined && i.line >= 1) region['startLine'] = i.line;
          if (i.column !== undefined && i.column >= 1 && region['startLine'] !== undefined) region['startColumn'] = i.column;
          const result: Record<string, unknown> = {
            ruleId: i.rule,
            level: SARIF_LEVEL[i.level],
            message: { text: i.message },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: sarifUri(i.file) }, ...(Object.keys(region).length > 0 ? { region } : {}) },
                ...(i.pointer !== undefined ? { logicalLocations: [{ fullyQualifiedName: pointerOf(i), kind: 'member' }] } : {}),
              },
            ],
          };
          const at = index.get(i.rule);
          if (at !== undefined) result['ruleIndex'] = at;
          return result;
        }),
      },
    ],
  };
}

/** A file path as a SARIF artifact URI (relative paths stay relative, with / separators and percent-encoding). */
function sarifUri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
