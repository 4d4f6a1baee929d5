/**
 * Of each id several files claim, the file that kept it in the last publication: the next build
 * keeps it there without reading published documents again (model/select.ts `keepersOf` decides
 * it once, from what that publication carried). Written after a publication only.
 */
import { readState, writeState } from './state.js';
import { VERSION } from '../version.js';

const FORMAT = 'kiosque-kept-ids/1';

type KeptIds = { format: string; version: string; kept: Record<string, string> };

export function readKeptIds(file: string): Map<string, string> {
  return new Map(Object.entries(readState<KeptIds>(file, FORMAT)?.kept ?? {}));
}

export function saveKeptIds(file: string, kept: ReadonlyMap<string, string>): void {
  try {
    const data: KeptIds = { format: FORMAT, version: VERSION, kept: Object.fromEntries(kept) };
    writeState(file, data);
  } catch {
    // Only a missed shortcut: the next build reads the published documents again to decide.
  }
}
