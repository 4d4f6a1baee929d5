/**
 * WebSub pings a publication owes its hubs (W3C WebSub §6), kept by the target until every hub
 * has taken them. A publisher killed between its switch and its pings, or a hub that was down,
 * would otherwise leave subscribers of a hub waiting for a change that is already live: the
 * topics are recorded before the switch, and the next run that publishes pings them again.
 */
import type { PingResult } from './websub.js';

export type OwedPings = {
  /** Absolute topic URLs (feed documents' rel=self), sorted. */
  topics: string[];
  /** When the oldest of them was first owed. */
  since: string;
};

/** Owed pings older than this are dropped: a hub down for a day has subscribers who poll anyway, and a ping is only a hint to fetch. */
export const OWED_PINGS_MAX_AGE_MS = 24 * 3600 * 1000;

/** The target's record, or undefined when it is absent or not ours. */
export function parseOwedPings(text: string): OwedPings | undefined {
  try {
    const value = JSON.parse(text) as Partial<OwedPings>;
    if (!Array.isArray(value.topics) || !value.topics.every((t) => typeof t === 'string') || typeof value.since !== 'string') return undefined;
    if (Number.isNaN(Date.parse(value.since))) return undefined;
    return { topics: value.topics, since: value.since };
  } catch {
    return undefined;
  }
}

export const owedPingsText = (owed: OwedPings): string => `${JSON.stringify(owed, null, 2)}\n`;

/** What is owed once `topics` are added at `now`; stale records are dropped first. Undefined when nothing is owed. */
export function addOwed(previous: OwedPings | undefined, topics: readonly string[], now: Date): OwedPings | undefined {
  const live = previous && now.getTime() - Date.parse(previous.since) <= OWED_PINGS_MAX_AGE_MS ? previous : undefined;
  const all = [...new Set([...(live?.topics ?? []), ...topics])].sort();
  if (all.length === 0) return undefined;
  return { topics: all, since: live?.since ?? now.toISOString() };
}

/** A hub that refused a topic for good (4xx other than 408 and 429, as websub.ts gives up on them) is not asked again. */
const settled = (r: PingResult): boolean => r.ok || (r.status !== undefined && r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429);

/**
 * What is still owed after a round of pings: every topic that some hub has neither accepted nor
 * refused for good (it failed, or a stopped run never reached it), since when it was first owed.
 */
export function stillOwed(owed: OwedPings | undefined, hubs: readonly string[], results: readonly PingResult[]): OwedPings | undefined {
  if (!owed) return undefined;
  const done = new Set(results.filter(settled).map((r) => `${r.hub} ${r.topic}`));
  const topics = owed.topics.filter((t) => hubs.some((h) => !done.has(`${h} ${t}`)));
  return topics.length > 0 ? { topics, since: owed.since } : undefined;
}
