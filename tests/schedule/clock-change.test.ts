import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { missedRun } from '../../src/schedule/clock-change.js';

/** The runs `missedRun` adds before node-cron's `next`, one after the other, from `from`: what a scheduler makes of it. */
function added(schedule: string, zone: string, from: string, next: string): string[] {
  const inZone = createTask(schedule, () => undefined, { timezone: zone });
  const onUtc = createTask(schedule, () => undefined, { timezone: 'UTC' });
  const step = schedule.trim().split(/\s+/).length === 6 ? 1_000 : 60_000;
  const runs: string[] = [];
  let at = new Date(from);
  for (let run = missedRun(zone, at, new Date(next), (d) => inZone.match(d), (d) => onUtc.match(d), step); run; run = missedRun(zone, at, new Date(next), (d) => inZone.match(d), (d) => onUtc.match(d), step)) {
    runs.push(run.toISOString());
    at = new Date(run.getTime() + 5_000);
  }
  return runs;
}

describe('the runs node-cron loses when the clocks change', () => {
  it('are none on a day the clocks keep', () => {
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-06-01T10:05:00Z', '2027-06-01T10:15:00Z')).toEqual([]);
    expect(added('30 2 * * *', 'Europe/Paris', '2027-06-01T00:30:05Z', '2027-06-02T00:30:00Z')).toEqual([]);
  });

  it('are the first pass of the hour the clocks go back over, which node-cron jumps from 01:45 CEST to 02:00 CET', () => {
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-10-30T23:45:05Z', '2027-10-31T01:00:00Z'))
      .toEqual(['2027-10-31T00:00:00.000Z', '2027-10-31T00:15:00.000Z', '2027-10-31T00:30:00.000Z', '2027-10-31T00:45:00.000Z']);
    // New York, where node-cron skipped the second pass instead (01:45 EDT, then 02:00 EST).
    expect(added('*/15 * * * *', 'America/New_York', '2026-11-01T05:45:05Z', '2026-11-01T07:00:00Z'))
      .toEqual(['2026-11-01T06:00:00.000Z', '2026-11-01T06:15:00.000Z', '2026-11-01T06:30:00.000Z', '2026-11-01T06:45:00.000Z']);
  });

  it('are both passes\' remaining runs for a process started within the repeated hour', () => {
    // Started at 02:20 CEST, node-cron's next is 02:30 CET: 02:30 and 02:45 CEST, 02:00 and 02:15 CET are lost.
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-10-31T00:20:00Z', '2027-10-31T01:30:00Z'))
      .toEqual(['2027-10-31T00:30:00.000Z', '2027-10-31T00:45:00.000Z', '2027-10-31T01:00:00.000Z', '2027-10-31T01:15:00.000Z']);
  });

  it('are a run due in the hour the clocks skip, made as they jump, as cron does', () => {
    // 02:30 never happens in Paris on 28 March 2027: node-cron's next run is the day after.
    expect(added('30 2 * * *', 'Europe/Paris', '2027-03-27T01:30:05Z', '2027-03-29T00:30:00Z')).toEqual(['2027-03-28T01:00:00.000Z']);
    // Lord Howe moves its clocks by half an hour.
    expect(added('15 2 * * *', 'Australia/Lord_Howe', '2026-10-02T15:45:05Z', '2026-10-04T15:15:00Z')).toEqual(['2026-10-03T15:30:00.000Z']);
    // A job every quarter of an hour runs at the jump anyway (03:00 CEST): nothing to add.
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-03-28T00:45:05Z', '2027-03-28T01:00:00Z')).toEqual([]);
  });

  it('are found from a clock with milliseconds, node-cron\'s next run on the change itself, at whole seconds', () => {
    // 00:45:01.123Z, the spring jump at 01:00Z node-cron's next run: the search for the change once never ended.
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-03-28T00:45:01.123Z', '2027-03-28T01:00:00Z')).toEqual([]);
    expect(added('30 2 * * *', 'Europe/Paris', '2027-03-27T01:30:00.623Z', '2027-03-29T00:30:00Z')).toEqual(['2027-03-28T01:00:00.000Z']);
    expect(added('*/15 * * * *', 'Europe/Paris', '2027-10-30T23:45:00.987Z', '2027-10-31T01:00:00Z'))
      .toEqual(['2027-10-31T00:00:00.000Z', '2027-10-31T00:15:00.000Z', '2027-10-31T00:30:00.000Z', '2027-10-31T00:45:00.000Z']);
  });

  it('are counted in seconds for a schedule with seconds', () => {
    const runs = added('*/20 * * * * *', 'Europe/Paris', '2027-10-31T00:59:30Z', '2027-10-31T01:00:00Z');
    expect(runs).toEqual(['2027-10-31T00:59:40.000Z']);
  });
});
