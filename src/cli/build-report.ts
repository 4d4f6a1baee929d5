/** Turns a BuildReport into what operators read (text) or script against (JSON). */
import { join, relative } from 'node:path';
import type { Config } from '../config.js';
import type { Issue } from '../issue.js';
import { LOCK_FILE, type BuildReport } from '../pipeline.js';
import { formatIssue } from './report.js';

const kB = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** `  1 item `, ` 50 items`: the numbers of a column line up, whatever the plural. */
const itemCount = (n: number): string => `${String(n).padStart(3)} ${n === 1 ? 'item ' : 'items'}`;

export function formatConfigIssues(issues: Issue[]): string {
  return issues.map((i) => `${formatIssue(i)}\n`).join('');
}

/** Why a run did not happen, naming the lock's holder: a skipped run read and published nothing. */
function lockedMessage(skipped: NonNullable<BuildReport['skipped']>): string {
  if (skipped.reason) return skipped.reason;
  const o = skipped.owner;
  return `another build holds the lock${o ? ` (pid ${o.pid} on ${o.host}, since ${o.since})` : ''}`;
}

/** The `--json` shape documented in the README; keys are stable. */
/** `configIssues`: the configuration's warnings (unknown keys), first among the issues as the text report prints them first. */
export function toJsonReport(report: BuildReport, configIssues: readonly Issue[] = []): Record<string, unknown> {
  const failure = report.skipped ? lockedMessage(report.skipped) : report.failure;
  return {
    published: report.published,
    ...(failure ? { failure } : {}),
    ...(report.skipped ? { skipped: true, ...(report.skipped.owner ? { lockedBy: { ...report.skipped.owner } } : {}) } : {}),
    feeds: report.feeds.map(({ feed, group, format, path, items, bytes, sha256, changed, repaired, added, errors, warnings }) => ({ format, path, items, bytes, sha256, changed, ...(repaired ? { repaired } : {}), ...(added && report.published ? { added } : {}), errors, warnings, feed, group })),
    ...(report.archives?.length ? { archives: report.archives.map((a) => ({ ...a })) } : {}),
    accepted: report.accepted,
    drafts: report.drafts,
    scheduled: report.scheduled,
    ...(report.nextEmbargo ? { nextEmbargo: report.nextEmbargo } : {}),
    rejected: report.rejected.map((r) => ({ file: r.file, line: r.line ?? null, ...(r.column !== undefined ? { column: r.column } : {}), reason: r.reason, rule: r.rule })),
    issues: [...configIssues, ...report.issues].map((i) => ({ ...i })),
    hubs: report.hubs,
    ...(report.unchanged ? { unchanged: true } : {}),
    durationMs: report.durationMs,
  };
}

export function formatBuildReport(report: BuildReport, config: Config, opts: { color: boolean }): string {
  const paint = (code: string, text: string): string => (opts.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const out = relative(process.cwd(), config.out) || '.';
  const articles = relative(process.cwd(), config.articles) || '.';
  if (report.skipped) {
    // Nothing was read: article counts would read as "the store is empty".
    const lock = report.skipped.reason ? '' : `, ${relative(process.cwd(), join(config.out, LOCK_FILE))}`;
    const text = `Not built: ${lockedMessage(report.skipped)}${lock}. Nothing was read or published; the previous publication stays.`;
    return `${paint('33', text)}\n`;
  }

  if (report.feeds.length > 0) {
    lines.push(report.published ? `Feeds in ${out}/:` : 'Feeds (not published):');
    const state = (f: BuildReport['feeds'][number]): string => (!report.published ? paint('31', 'not published') : f.changed ? paint('32', f.added ? 'new' : 'updated') : f.repaired ? 'repaired (damaged on disk, written again as published)' : 'unchanged');
    const problems = (errors: number, warnings: number): string => (errors + warnings > 0 ? `, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : '');
    // The main feed file by file, as always; the rest of the set one line per feed that changed or has problems.
    for (const f of report.feeds.filter((x) => x.feed === '')) {
      lines.push(`  ${relative(config.out, f.path).padEnd(10)} ${itemCount(f.items)}  ${kB(f.bytes).padStart(9)}  ${state(f)}${problems(f.errors, f.warnings)}  sha256 ${f.sha256.slice(0, 12)}`);
    }
    const others = new Map<string, BuildReport['feeds']>();
    for (const f of report.feeds) if (f.feed !== '') others.set(f.feed, [...(others.get(f.feed) ?? []), f]);
    if (others.size > 0) {
      const notable = [...others].filter(([, files]) => !report.published || files.some((f) => f.changed || f.repaired || f.errors + f.warnings > 0));
      lines.push(`  and ${plural(others.size, 'other feed')}${report.published ? `, ${notable.length} updated, repaired or with problems` : ''}:`);
      const shown = 20;
      for (const [folder, files] of notable.slice(0, shown)) {
        const errors = files.reduce((n, f) => n + f.errors, 0);
        const warnings = files.reduce((n, f) => n + f.warnings, 0);
        const bytes = files.reduce((n, f) => n + f.bytes, 0);
        const repaired = files.filter((f) => f.repaired).map((f) => relative(config.out, f.path));
        const summary = { ...files[0]!, changed: files.some((f) => f.changed) };
        const said = !summary.changed && repaired.length > 0 && report.published ? `repaired (${repaired.join(', ')} damaged on disk, written again as published)` : state(summary);
        lines.push(`  ${folder.padEnd(24)} ${itemCount(files[0]!.items)}  ${kB(bytes).padStart(9)}  ${said}${problems(errors, warnings)}`);
      }
      if (notable.length > shown) lines.push(`  … and ${notable.length - shown} more (see --json)`);
    }
  }
  const extra = [
    report.drafts ? plural(report.drafts, 'draft') : '',
    report.scheduled ? `${report.scheduled} scheduled${report.nextEmbargo ? ` (next at ${report.nextEmbargo})` : ''}` : '',
  ].filter(Boolean).join(', ');
  for (const a of report.archives ?? []) {
    if (report.published) lines.push(`  ${(a.feed || 'main feed').padEnd(24)} archive: ${plural(a.pages, 'page')}, ${plural(a.written, 'page document')} written`);
  }
  // Files, not reasons: an article too large for two feeds' budgets, or broken twice over, is one article.
  const rejectedFiles = new Set(report.rejected.map((r) => r.file)).size;
  // Before the store is read (the output dir could not be locked, say), "0 accepted" would read as an emptied store.
  if (report.storeRead || report.unchanged) lines.push(`Articles in ${articles}/: ${report.accepted} accepted${extra ? `, ${extra}` : ''}, ${rejectedFiles} rejected`);

  if (report.rejected.length > 0) {
    lines.push(paint('33', `Rejected articles (${rejectedFiles}), everything else was kept:`));
    for (const r of report.rejected) lines.push(`  ${r.file}${r.line ? `:${r.line}${r.column ? `:${r.column}` : ''}` : ''}  ${r.reason}  [${r.rule}]`);
  }
  const shown = report.issues.filter((i) => i.level !== 'info');
  if (shown.length > 0) {
    lines.push(`Problems (${shown.length}):`);
    for (const { issue, elsewhere } of grouped(shown)) {
      lines.push(`  ${formatIssue(issue)}`);
      if (elsewhere.length > 0) lines.push(`    and the same in ${plural(elsewhere.length, 'other file')}: ${elsewhere.slice(0, 3).join(', ')}${elsewhere.length > 3 ? ', …' : ''} (see --json)`);
    }
  }
  const advisories = report.issues.length - shown.length;
  if (advisories > 0) lines.push(`(${plural(advisories, 'advisory note')} not shown; see --json)`);
  // One line per hub, however many feeds of the set changed; the topics are in --json.
  for (const hub of new Set(report.hubs.map((p) => p.hub))) {
    const pings = report.hubs.filter((p) => p.hub === hub);
    const failed = pings.filter((p) => !p.ok);
    const told = pings.length - failed.length;
    const parts = told > 0 ? [`notified of ${plural(told, 'feed')}`] : [];
    if (failed.length > 0) parts.push(paint('33', `${failed.length === pings.length ? 'failed' : `${failed.length} failed`} (${failed[0]!.error ?? 'no answer'})`));
    lines.push(`  hub ${hub}: ${parts.join(', ')}`);
  }
  const seconds = `${report.durationMs} ms`;
  if (report.unchanged) lines.push(paint('32', `Nothing changed since the last build (store, media, configuration, publication): its publication stands, checked in ${seconds}.`));
  else if (report.published) lines.push(paint('32', `Published in ${seconds}.`));
  else lines.push(paint('31', `Nothing published: ${report.failure ?? 'unknown failure'}. (${seconds})`));
  return `${lines.join('\n')}\n`;
}

/** Files past which the same finding is told once, the other files counted: a store's 3,000 tag feeds each missing an icon. */
const GROUP_FROM = 3;

/**
 * The findings in their order, each with the files where the very same one (rule, level, message,
 * place in the file) was also found, when there are at least GROUP_FROM of them.
 */
function grouped(issues: readonly Issue[]): { issue: Issue; elsewhere: string[] }[] {
  const key = (i: Issue): string => [i.rule, i.level, i.message, i.line ?? '', i.column ?? '', i.pointer ?? ''].join('\0');
  const byKey = new Map<string, Issue[]>();
  for (const issue of issues) {
    const k = key(issue);
    const same = byKey.get(k);
    if (same) same.push(issue);
    else byKey.set(k, [issue]);
  }
  const out: { issue: Issue; elsewhere: string[] }[] = [];
  for (const issue of issues) {
    const same = byKey.get(key(issue))!;
    if (same.length < GROUP_FROM) out.push({ issue, elsewhere: [] });
    else if (same[0] === issue) out.push({ issue, elsewhere: same.slice(1).map((i) => i.file) });
  }
  return out;
}
