/**
 * Ids whose retraction a publication from this out dir announced with a tombstone. A retraction
 * without a date of its own counts its period from the article's `updated`; once that period is
 * over, "no tombstone tells Atom readers" (model/retraction.ts) is untrue of these, and the
 * warning would repeat in every build for a retraction done right. Written after a publication only.
 */
import { readState, writeState } from './state.js';
import { VERSION } from '../version.js';

const FORMAT = 'kiosque-tombstoned/1';

type Tombstoned = { format: string; version: string; ids: string[] };

export function readTombstoned(file: string): Set<string> {
  return new Set(readState<Tombstoned>(file, FORMAT)?.ids ?? []);
}

/** The ids announced before that are still retracted, and those this publication announces. */
export function saveTombstoned(file: string, before: ReadonlySet<string>, retracted: readonly string[], announced: Iterable<string>): void {
  const still = new Set(retracted);
  const ids = new Set([...before].filter((id) => still.has(id)));
  for (const id of announced) ids.add(id);
  if (ids.size === 0 && before.size === 0) return;
  try {
    const data: Tombstoned = { format: FORMAT, version: VERSION, ids: [...ids].sort() };
    writeState(file, data);
  } catch {
    // Only the warning comes back: the next build tells of a retraction it cannot know was announced.
  }
}
