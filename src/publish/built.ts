/**
 * When an out dir was last brought up to date with its store: every build that leaves its
 * publication current (published, or found nothing to change) records the time it finished.
 * `kiosque publish` pushes an out dir built earlier, maybe on another machine, and the bucket's
 * manifest keeps the time of the build it holds: an out dir built before that would roll every
 * feed back. The time is the builder's clock, not the publication's Last-Modified stamps: those
 * stay as they were when a build gives back bytes an earlier build of that builder made.
 */
import { join } from 'node:path';
import { readState, writeState } from '../store/state.js';
import { VERSION } from '../version.js';
import { STATE_DIR } from './manifest.js';

export const BUILT_FILE = `${STATE_DIR}/built.json`;
const FORMAT = 'kiosque-built/1';

type Built = { format: string; version: string; at: string };

/** The ISO instant the out dir's last build finished, when it was recorded by this release. */
export const readBuilt = (outDir: string): string | undefined => readState<Built>(join(outDir, BUILT_FILE), FORMAT)?.at;

/** Records a build that left the publication current. A record that cannot be written only makes `kiosque publish` ask for a build. */
export function recordBuilt(outDir: string, at: Date): void {
  try {
    const record: Built = { format: FORMAT, version: VERSION, at: at.toISOString() };
    writeState(join(outDir, BUILT_FILE), record);
  } catch {
    // See above.
  }
}
