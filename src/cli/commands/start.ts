/**
 * `kiosque start` (npm start): the service. Builds at once, then on the schedule, and serves
 * the published feeds from the same process; each publication is swapped into the server
 * right away. One log line per run: JSON lines when stdout is not a terminal.
 */
import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { cronProblem, loadConfig } from '../../config.js';
import { redactUrl } from '../../scaling-config.js';
import type { BuildReport } from '../../pipeline.js';
import { startScheduler, type RunTrigger } from '../../schedule/cron.js';
import { describeListenError, startServer } from '../../serve/server.js';
import { VERSION } from '../../version.js';
import { formatConfigIssues } from '../build-report.js';
import { parseCommandArgs, parsePort, usageError } from '../args.js';
import { EXIT, type Command } from '../io.js';
import { createLogger, runLogEvent } from '../log.js';
import { formatLocation } from '../report.js';

export const HELP = `Usage: kiosque start [options]

Builds the feeds now, then on the configured cron schedule, and serves them over HTTP.
Stops cleanly on SIGINT or SIGTERM: a run in progress never leaves half-written output.

Options:
  --config FILE     configuration file (default: ./kiosque.config.json)
  --articles DIR    article store (overrides the config)
  --out DIR         output directory (overrides the config)
  --host HOST       address to serve on (default: the config's "host", 127.0.0.1)
  --port N          port to serve on (default: the config's "port", 8080; 0 = any free port)
  --schedule CRON   cron expression overriding the config's "schedule"
  --no-serve        build and schedule only; serve the out dir some other way
  -h, --help        show this help

Exit codes:
  0   stopped cleanly (SIGINT or SIGTERM)
  1   could not start (invalid configuration, the address cannot be listened on)
  64  usage error (unknown option, bad --port or --schedule)
`;

/** How often the configuration file is looked at for a change to tell of. */
const CONFIG_POLL_MS = 2000;

export const run: Command = async (argv, io) => {
  const parsed = parseCommandArgs('start', argv, {
    config: { type: 'string' },
    articles: { type: 'string' },
    out: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    schedule: { type: 'string' },
    'no-serve': { type: 'boolean', default: false },
  }, HELP, io);
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.values;
  const port = parsePort(args.port);
  if (typeof port === 'object') return usageError(io, 'start', port.error);
  // A bad --schedule is a usage error before anything else is read: the command line is at fault, whatever the file says.
  const cron = args.schedule === undefined ? undefined : cronProblem(args.schedule);
  if (cron !== undefined) return usageError(io, 'start', `--schedule: "${args.schedule}" is not a valid cron expression${cron ? `: ${cron}` : ''}`);
  const overrides = { ...(args.articles ? { articles: args.articles } : {}), ...(args.out ? { out: args.out } : {}) };
  const loaded = await loadConfig(args.config, io.cwd, overrides, args.schedule ? { schedule: args.schedule } : {});
  if (!loaded.value) {
    io.stderr.write(formatConfigIssues(loaded.issues));
    return EXIT.failed;
  }
  const config = loaded.value;
  // Warnings (an unknown key: a typo leaves its default in force) go to the log an unattended service keeps.
  if (loaded.issues.length > 0) io.stderr.write(formatConfigIssues(loaded.issues));
  if (args.host) config.host = args.host;
  if (port !== undefined) config.port = port;
  const log = createLogger(io.stdout);

  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  if (!args['no-serve']) {
    try {
      server = await startServer({ outDir: config.out, host: config.host, port: config.port });
    } catch (err) {
      io.stderr.write(`kiosque start: cannot serve: ${describeListenError(err, config.host, config.port)}\n`);
      return EXIT.failed;
    }
  }

  // The configuration is read once, here: a change on disk is said as it happens (the file is polled, and looked at on
  // SIGHUP and after each run), once per change, with whether it is valid: a restart on a broken file would not start, and
  // a by-hand build meanwhile reads the new one, so the two would publish in turn (a feed's `moved` redirect, then a 410 again).
  const contentOf = (): string | undefined => {
    try {
      return config.file ? createHash('sha256').update(readFileSync(config.file)).digest('hex') : undefined;
    } catch {
      return undefined;
    }
  };
  const startedWith = contentOf();
  let lastSeen = startedWith;
  let looking = Promise.resolve();
  const lookAtConfig = async (): Promise<void> => {
    const now = contentOf();
    if (now === lastSeen) return;
    lastSeen = now;
    const file = config.file;
    if (now === startedWith) return log({ event: 'config-changed', file, valid: true, message: 'the configuration on disk is again the one kiosque start runs with: nothing to restart' });
    if (now === undefined) return log({ event: 'config-changed', file, valid: false, message: 'the configuration file is gone or unreadable: kiosque start goes on with the one it started with, and a restart now would fail' });
    const next = await loadConfig(args.config, io.cwd, overrides, args.schedule ? { schedule: args.schedule } : {});
    if (!next.value) {
      const problems = next.issues.filter((i) => i.level === 'error').map((i) => `${formatLocation(i)} ${i.rule} ${i.message}`);
      return log({ event: 'config-changed', file, valid: false, message: 'the configuration changed on disk and is not valid: kiosque start goes on with the one it started with; fix it before restarting, or the restart fails', problems });
    }
    log({ event: 'config-changed', file, valid: true, message: 'the configuration changed on disk, and kiosque start reads it only when it starts: restart it to apply the change (a by-hand build uses the new one meanwhile, and the two publish in turn)' });
  };
  const configChanged = (): void => {
    // One look at a time, in order; a look that fails (it should not: loadConfig returns its problems) stops nothing.
    looking = looking.then(lookAtConfig).catch(() => undefined);
  };
  if (config.file) watchFile(config.file, { persistent: false, interval: CONFIG_POLL_MS }, configChanged);
  // Every run's line says when the next one is, not only the startup's `waiting` line.
  const onReport = (report: BuildReport, trigger: RunTrigger): void => {
    // A run cut short by a stop announces no next one: this process will not make it.
    const next = trigger === 'startup' || io.signal.aborted ? undefined : scheduler.nextRun();
    log({ ...runLogEvent(report, trigger), ...(next ? { next: next.toISOString() } : {}) });
    configChanged();
  };
  const scheduler = startScheduler(config, {
    version: VERSION,
    onReport,
    // The new bytes must be served before hubs are told to fetch them.
    ...(server ? { onPublished: server.reload } : {}),
    onOverlap: (trigger) => {
      const next = scheduler.nextRun();
      log({ event: 'run-skipped', trigger, reason: 'a run is still going', errors: 0, warnings: 0, ...(next ? { next: next.toISOString() } : {}) });
    },
    onCrash: (err, trigger) => {
      const next = trigger === 'startup' || io.signal.aborted ? undefined : scheduler.nextRun();
      const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
      log({ event: 'run-failed', trigger, errors: 1, warnings: 0, reason, problems: [`error ${reason}`], ...(next ? { next: next.toISOString() } : {}) });
    },
    onSchedulerMessage: (level, message) => log({ event: 'scheduler', level, message }),
  });
  log({
    event: 'started',
    schedule: config.schedule,
    timezone: config.timezone,
    ...(server ? { url: server.url } : {}),
    out: config.out,
    ...(config.publish ? { target: `s3://${config.publish.bucket}/${config.publish.prefix}` } : {}),
    ...(config.coordination ? { lease: redactUrl(config.coordination.postgres) } : {}),
    ...(loaded.issues.length > 0 ? { problems: loaded.issues.map((i) => `${formatLocation(i)} ${i.rule} ${i.message}`) } : {}),
    pid: process.pid,
  });

  // The signal that asks daemons to reload: said, and survived, rather than ending the service without a line.
  const onHangup = (): void => {
    log({ event: 'sighup', message: 'SIGHUP is not a reload: kiosque start reads its configuration when it starts; restart it to apply a change' });
    configChanged();
  };
  process.on('SIGHUP', onHangup);
  const stopRequested = new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // A stop during the startup run stops it as one during a scheduled run does (scheduler.stop, below), rather than
  // waiting for it to publish: a large store's first run would hold `systemctl stop` for as long.
  await Promise.race([scheduler.runNow('startup'), stopRequested]);
  const next = io.signal.aborted ? undefined : scheduler.nextRun();
  if (next) log({ event: 'waiting', next: next.toISOString() });

  await stopRequested;
  process.off('SIGHUP', onHangup);
  if (config.file) unwatchFile(config.file, configChanged);
  log({ event: 'stopping' });
  await scheduler.stop();
  await server?.close();
  log({ event: 'stopped' });
  return 0;
};
