/**
 * Runs the build on the configured cron schedule (node-cron, in the configured timezone),
 * plus once at the next embargo time when that comes before the next tick, so an embargoed
 * article goes out when its time has come. One run at a time: node-cron's noOverlap for its
 * own ticks, an in-process guard across ticks and embargo timers, and the lock file across
 * processes (a by-hand build), or the PostgreSQL lease across instances (coordinate/). The ticks
 * node-cron loses when the clocks change are made by a timer of their own (clock-change.ts).
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Config } from '../config.js';
import { build, type BuildReport } from '../pipeline.js';
import { missedRun } from './clock-change.js';

export type RunTrigger = 'startup' | 'schedule' | 'embargo';

export type SchedulerOptions = {
  version: string;
  /** Passed to each build: runs between publishing and pinging hubs. */
  onPublished?: () => Promise<void>;
  onReport: (report: BuildReport, trigger: RunTrigger) => void | Promise<void>;
  /** A tick that came while a run was still going; it is skipped, not queued. */
  onOverlap?: (trigger: RunTrigger) => void;
  /** A run that threw instead of returning a report (a bug, or an error nothing foresaw): the schedule goes on. */
  onCrash?: (err: unknown, trigger: RunTrigger) => void;
  /** What node-cron itself has to say (a tick it missed), instead of its own coloured lines on stderr. */
  onSchedulerMessage?: (level: 'warn' | 'error', message: string) => void;
  clock?: () => Date;
};

export type Scheduler = {
  /** Runs a build now unless one is running; resolves with its report (undefined when skipped). `slot`: the tick it is for. */
  runNow: (trigger?: RunTrigger, slot?: Date) => Promise<BuildReport | undefined>;
  nextRun: () => Date | null;
  /** Stops ticking, aborts a run at its next safe point (never mid-rename), and waits for it. */
  stop: () => Promise<void>;
};

/** setTimeout cannot wait longer than 2^31-1 ms; a later embargo is picked up by a regular tick. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How soon an embargo run that found a by-hand build holding the lock tries again. */
const EMBARGO_RETRY_MS = 5_000;

export function startScheduler(config: Config, options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? (() => new Date());
  const controller = new AbortController();
  let running: Promise<BuildReport | undefined> | undefined;
  let embargoTimer: NodeJS.Timeout | undefined;
  // The last embargo a run reported, for a run that read nothing (skipped) to keep.
  let knownEmbargo: string | undefined;
  let stopped = false;
  let clockChangeTimer: NodeJS.Timeout | undefined;

  const runNow = (trigger: RunTrigger = 'schedule', slot?: Date): Promise<BuildReport | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    if (running) {
      options.onOverlap?.(trigger);
      return Promise.resolve(undefined);
    }
    running = (async () => {
      try {
        const report = await build(config, {
          now: clock(),
          lockWaitMs: slot ? tickWaitMs() : 0,
          ...(slot ? { slot } : {}),
          signal: controller.signal,
          version: options.version,
          ...(options.onPublished ? { onPublished: options.onPublished } : {}),
        });
        await options.onReport(report, trigger);
        armEmbargoTimer(report);
        armClockChangeTimer();
        return report;
      } catch (err) {
        // Thrown out of node-cron's callback, it would end up as node-cron's own text on stderr and no run-failed line.
        if (!options.onCrash) throw err;
        options.onCrash(err, trigger);
        return undefined;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  /**
   * Lease mode: an instance that finds the tick's lease taken waits, until just before the
   * next tick, for the holder to finish (then skips the tick) or to die (then runs it).
   * With the lock file, a busy run is skipped at once, as before.
   */
  const tickWaitMs = (): number => {
    if (!config.coordination) return 0;
    const next = nextTick()?.getTime();
    return next === undefined ? 0 : Math.max(0, next - clock().getTime() - 250);
  };

  const say = (level: 'warn' | 'error') => (message: string | Error, err?: Error): void => {
    const text = [message instanceof Error ? message.message : message, err?.message].filter(Boolean).join(': ');
    // An overlap is reported once, by onOverlap below.
    if (!/overlap/i.test(text)) options.onSchedulerMessage?.(level, text);
  };
  const task: ScheduledTask = createTask(config.schedule, (context) => {
    armedAt = task.getNextRun();
    return runNow('schedule', context.date);
  }, {
    timezone: config.timezone,
    name: 'kiosque-build',
    noOverlap: true,
    logger: { info: () => undefined, debug: () => undefined, warn: say('warn'), error: say('error') },
  });
  task.on('execution:overlap', () => {
    armedAt = task.getNextRun();
    options.onOverlap?.('schedule');
  });
  /**
   * When node-cron's timer will fire. Its getNextRun() looks from now, but its timer was set at its last tick (or at
   * start): armed inside the first pass of a repeated hour, it sleeps until that wall time's second pass, and a
   * getNextRun() after the change no longer says so. Taken at start and at each of its ticks.
   */
  let armedAt: Date | null = null;
  const cronNext = (): Date | null => (armedAt && armedAt.getTime() > Date.now() ? armedAt : (armedAt = task.getNextRun()));
  // The same schedule on UTC's clock, never started: it tells whether a wall time the zone skipped was a tick.
  const onUtc = createTask(config.schedule, () => undefined, { timezone: 'UTC' });
  const resolutionMs = config.schedule.trim().split(/\s+/).length === 6 ? 1_000 : 60_000;

  /** The next tick, node-cron's or one it loses to a change of the clocks. Real time, as node-cron's. */
  const nextTick = (): Date | null => {
    const next = cronNext();
    if (!next) return null;
    return missedRun(config.timezone, new Date(), next, (d) => task.match(d), (d) => onUtc.match(d), resolutionMs) ?? next;
  };

  function armClockChangeTimer(): void {
    if (clockChangeTimer) clearTimeout(clockChangeTimer);
    clockChangeTimer = undefined;
    const next = cronNext();
    const tick = nextTick();
    if (stopped || !tick || !next || tick.getTime() === next.getTime()) return;
    const delay = Math.max(0, tick.getTime() - Date.now());
    // Too far for one timer (a monthly job's spring tick): looked at again later.
    if (delay > MAX_TIMER_MS) {
      clockChangeTimer = setTimeout(armClockChangeTimer, MAX_TIMER_MS);
      return;
    }
    // A run going on at that time skips the tick, as node-cron's own do; the timer is armed again for the next.
    clockChangeTimer = setTimeout(() => {
      clockChangeTimer = undefined;
      void runNow('schedule', tick).then(() => armClockChangeTimer());
    }, delay);
  }

  function armEmbargoTimer(report: BuildReport): void {
    if (embargoTimer) clearTimeout(embargoTimer);
    embargoTimer = undefined;
    // A run skipped for a by-hand build holding the lock read nothing: the embargo it knew of is still due, and is tried
    // again shortly rather than at the next tick. (With a lease, the instance that holds it publishes the embargo.)
    const retry = report.skipped !== undefined && !config.coordination;
    const due = report.nextEmbargo ?? (retry ? knownEmbargo : undefined);
    knownEmbargo = due;
    if (stopped || !due) return;
    const at = new Date(due).getTime();
    const next = task.getNextRun()?.getTime() ?? Infinity;
    const delay = Math.max(at - clock().getTime(), retry ? EMBARGO_RETRY_MS : 0);
    if (clock().getTime() + delay >= next || delay > MAX_TIMER_MS) return;
    embargoTimer = setTimeout(() => void runNow('embargo'), delay + 1_000);
  }

  void task.start();
  armedAt = task.getNextRun();
  armClockChangeTimer();

  return {
    runNow,
    nextRun: nextTick,
    stop: async () => {
      stopped = true;
      if (embargoTimer) clearTimeout(embargoTimer);
      if (clockChangeTimer) clearTimeout(clockChangeTimer);
      await task.stop();
      await task.destroy();
      await onUtc.destroy();
      controller.abort();
      await running;
    },
  };
}
