/**
 * Service logs: one line per event. JSON lines when stdout is not a terminal (journald,
 * log shippers), short readable text when a person is watching. Never a stack trace for
 * an expected failure: those are already values in the report.
 */
import type { RunTrigger } from '../schedule/cron.js';
import type { BuildReport } from '../pipeline.js';

export type LogEvent = { event: string } & Record<string, unknown>;

export function createLogger(stream: NodeJS.WritableStream & { isTTY?: boolean }, clock: () => Date = () => new Date()): (event: LogEvent) => void {
  if (!stream.isTTY) {
    return (event) => stream.write(`${JSON.stringify({ time: clock().toISOString(), ...event })}\n`);
  }
  return (event) => {
    const { event: name, ...rest } = event;
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    stream.write(`${clock().toISOString().slice(11, 19)} ${name}${fields ? ` ${fields}` : ''}\n`);
  };
}

/**
 * Problems a run's line names, errors first: enough to tell an emptied store from a broken feed, few enough to
 * stay one line. Warnings too: some are said once, by the run that caused them (a feed no longer published, pages
 * rewritten), and an unattended service has no other place to say them.
 */
const PROBLEMS_LOGGED = 5;
/** New feeds named in a run's line, the rest counted: a first run of a large set adds thousands. */
const FEEDS_NAMED = 10;

/** Published with every document as it was: no feed, page or repair written. */
const nothingNew = (report: BuildReport): boolean =>
  report.published && report.feeds.every((f) => !f.changed && !f.repaired) && (report.archives ?? []).every((a) => a.written === 0);

export function runLogEvent(report: BuildReport, trigger: RunTrigger): LogEvent {
  const errors = report.issues.filter((i) => i.level === 'error');
  const warnings = report.issues.filter((i) => i.level === 'warning');
  // A run that failed with no error issue (the output unwritable, the target unreachable) counts its failure as one.
  const failed = !report.published && !report.skipped && report.failure !== undefined && errors.length === 0;
  // Feeds new in this publication, by folder: one that goes is named by its KIOSQUE-GONE-002 warning.
  const added = report.published ? [...new Set(report.feeds.filter((f) => f.added).map((f) => f.feed))] : [];
  const problems = [...(failed ? [`error ${report.failure}`] : []), ...[...errors, ...warnings].map((i) => `${i.file}${i.line ? `:${i.line}` : ''} ${i.rule} ${i.message}`)].slice(0, PROBLEMS_LOGGED);
  return {
    event: report.skipped ? 'run-skipped' : report.published ? 'published' : 'run-failed',
    trigger,
    // The main feed's formats as always; the rest of the set as a count, so a line stays a line with 2,000 tag feeds.
    changed: report.feeds.filter((f) => f.changed && f.feed === '').map((f) => f.format),
    feedsChanged: new Set(report.feeds.filter((f) => f.changed).map((f) => f.feed)).size,
    // Published with nothing new for readers: a line an operator can tell from a publication at a glance.
    ...(report.unchanged || nothingNew(report) ? { unchanged: true } : {}),
    ...(added.length > 0 ? { feedsAdded: added.length > FEEDS_NAMED ? [...added.slice(0, FEEDS_NAMED), `… and ${added.length - FEEDS_NAMED} more`] : added } : {}),
    items: report.feeds[0]?.items ?? 0,
    rejected: report.rejected.map((r) => `${r.file}${r.line ? `:${r.line}` : ''}: ${r.reason}`),
    errors: errors.length + (failed ? 1 : 0),
    warnings: warnings.length,
    ...(report.failure ? { reason: report.failure } : {}),
    ...(problems.length > 0 ? { problems } : {}),
    ...(report.nextEmbargo ? { nextEmbargo: report.nextEmbargo } : {}),
    ...(report.lease ? { token: report.lease.token, ...(report.lease.slot ? { slot: report.lease.slot } : {}) } : {}),
    hubs: report.hubs.map((h) => ({ hub: h.hub, ok: h.ok })),
    durationMs: report.durationMs,
  };
}
