/** `kiosque build`: one run by hand. Prints a human report, or one JSON object with --json. */
import { loadConfig } from '../../config.js';
import { parseIsoInstant } from '../../model/dates.js';
import { build, exitCodeFor } from '../../pipeline.js';
import { VERSION } from '../../version.js';
import { parseCommandArgs, parseSeconds, usageError } from '../args.js';
import { EXIT, type Command } from '../io.js';
import { formatBuildReport, formatConfigIssues, toJsonReport } from '../build-report.js';

export const HELP = `Usage: kiosque build [options]

Reads the article store, renders RSS 2.0, Atom 1.0 and JSON Feed 1.1, validates all three
and publishes them atomically. Nothing is published if any feed fails validation.

Options:
  --config FILE     configuration file (default: ./kiosque.config.json)
  --articles DIR    article store (overrides the config's "articles")
  --out DIR         output directory (overrides the config's "out")
  --now ISO         the time to build at, e.g. 2026-11-25T12:00:00Z (default: the clock);
                    articles dated later are embargoed
  --wait SECONDS    how long to wait for a build already running (default: 120; 0 = skip)
  --allow-empty     publish even if the store yields no article while the last
                    publication carried some (otherwise refused: store-emptied)
  --json            print one JSON object and nothing else
  -h, --help        show this help

Exit codes:
  0   published, no article rejected
  2   published, some articles rejected (listed in the report)
  1   nothing published (validation errors, bad configuration, unreadable or emptied
      store, unwritable output, busy)
  64  usage error (unknown option, bad --now or --wait)
`;

/** Strict ISO 8601 date-time with an explicit offset, so `--now` means one instant everywhere. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseNow(value: string | undefined, clock: () => Date = () => new Date()): Date | string {
  if (value === undefined) return clock();
  if (!ISO_INSTANT.test(value)) return `--now must be an ISO 8601 instant with a zone, e.g. 2026-11-25T12:00:00Z (got "${value}")`;
  // Read as the front matter is: `new Date` would take 2026-02-30 for 2 March, and publish that day's embargoed articles.
  const instant = parseIsoInstant(value, 'UTC');
  return typeof instant === 'number' ? new Date(instant) : `--now must be an instant that exists: ${instant}`;
}

export const run: Command = async (argv, io) => {
  const parsed = parseCommandArgs('build', argv, {
    config: { type: 'string' },
    articles: { type: 'string' },
    out: { type: 'string' },
    now: { type: 'string' },
    wait: { type: 'string' },
    'allow-empty': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, HELP, io);
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.values;
  const usage = (message: string): number => usageError(io, 'build', message);
  const now = parseNow(args.now);
  if (typeof now === 'string') return usage(now);
  const wait = parseSeconds(args.wait, 120);
  if (wait === undefined) return usage(`--wait must be a number of seconds (got "${args.wait}")`);

  const overrides = { ...(args.articles ? { articles: args.articles } : {}), ...(args.out ? { out: args.out } : {}) };
  const loaded = await loadConfig(args.config, io.cwd, overrides);
  if (!loaded.value) {
    if (args.json) {
      // The shape of every other failure (`failure`, empty counts), so that one script reads them all; `error` as before.
      const first = loaded.issues.find((i) => i.level === 'error');
      const failure = `invalid configuration${first ? `: ${first.pointer ? `${first.pointer}: ` : ''}${first.message}` : ''}; nothing was built`;
      const empty = { published: false, feeds: [], accepted: 0, drafts: 0, scheduled: 0, rejected: [], issues: [], hubs: [], durationMs: 0, failure };
      io.stdout.write(`${JSON.stringify({ ...toJsonReport(empty, loaded.issues), error: 'invalid configuration' })}\n`);
    }
    else io.stderr.write(formatConfigIssues(loaded.issues));
    return EXIT.failed;
  }
  if (!args.json && loaded.issues.length > 0) io.stderr.write(formatConfigIssues(loaded.issues));

  const report = await build(loaded.value, { now, lockWaitMs: wait * 1000, signal: io.signal, version: VERSION, allowEmpty: args['allow-empty'] });
  if (args.json) io.stdout.write(`${JSON.stringify(toJsonReport(report, loaded.issues))}\n`);
  else io.stdout.write(formatBuildReport(report, loaded.value, { color: Boolean(io.stdout.isTTY) }));
  return exitCodeFor(report);
};
