/**
 * The ticks node-cron loses when the site's clocks change. node-cron finds a schedule's next run
 * by wall time, and a wall time names one instant to it: in autumn it takes a repeated time for
 * its second pass, so from before the repeated hour it goes straight to the second pass (a
 * `*\/15` job in Paris: 01:45 CEST, then 02:00 CET, 75 minutes later); in spring it never finds a
 * time the clocks skipped, so a job at 02:30 does not run that day. cron (Vixie, cronie) runs
 * both passes of a job that runs often, and a job due in the skipped hour right after the jump;
 * so does this, with node-cron's own matcher, and only around a change of the zone's offset. Where
 * cron runs a job at a fixed time once in the repeated hour, this runs it in both passes: a daily
 * build made twice that night, the second finding nothing new, rather than logic that tells such
 * jobs apart.
 */
import { zoneOffset } from '../model/dates.js';

export type Matcher = (date: Date) => boolean;

/** The two hours around a change: no zone moves its clocks by more, nor twice within them. */
const WIDEST_CHANGE_MS = 2 * 3_600_000;

/**
 * The first run after `from` that node-cron skips before its own `next`, or undefined.
 * `inZone` matches an instant by its wall time in `zone` (the task's `match`); `onUtc` matches a
 * wall time written as a UTC instant (a task of the same schedule in UTC), for the times the zone
 * skipped, which no instant has. `stepMs`: the schedule's resolution (a minute; a second when it has seconds).
 */
export function missedRun(zone: string, from: Date, next: Date, inZone: Matcher, onUtc: Matcher, stepMs: number): Date | undefined {
  const start = from.getTime();
  const end = next.getTime();
  if (end <= start) return undefined;
  // Whole seconds, as the changes are: from a little before `from`, since a run made in the repeated hour looks from
  // after the change, to `next`.
  let lo = Math.floor((start - WIDEST_CHANGE_MS) / 1_000) * 1_000;
  let hi = Math.ceil(end / 1_000) * 1_000;
  const before = zoneOffset(zone, lo);
  const after = zoneOffset(zone, hi);
  if (before === after) return undefined;
  // The first second on the new offset. Both bounds whole seconds at least two apart, `mid` lies strictly between.
  while (hi - lo > 1_000) {
    const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
    if (zoneOffset(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  const change = hi;
  const shift = after - before;
  if (Math.abs(shift) > WIDEST_CHANGE_MS) return undefined;
  if (shift < 0) {
    // Back: the wall times of [change + shift, change) come twice, before the change and after it; node-cron runs
    // neither pass when it looks from the first, and only the second when it looks from before it.
    const last = Math.min(end, change - shift);
    for (let t = Math.max(Math.floor(start / stepMs) * stepMs + stepMs, change + shift); t < last; t += stepMs) {
      if (inZone(new Date(t))) return new Date(t);
    }
    return undefined;
  }
  // Forward: the wall times of [change + before, change + after) never happened; a run due in them is made at the change.
  for (let wall = change + before; wall < change + after; wall += stepMs) {
    if (onUtc(new Date(wall))) return change > start && change < end ? new Date(change) : undefined;
  }
  return undefined;
}
