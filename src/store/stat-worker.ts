/** Worker side of store/read.ts: stats one share of the store's files while the main thread stats the rest. */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export type StatJob = { prefix: string; files: string[] };
/** size, mtimeMs, ctimeMs, ino per file (size NaN when the stat failed, with its code in `errors`). */
export type StatReply = { stats: Float64Array; errors: [index: number, code: string][] };

const { prefix, files } = workerData as StatJob;
const stats = new Float64Array(files.length * 4);
const errors: StatReply['errors'] = [];
for (let i = 0; i < files.length; i++) {
  try {
    const st = statSync(prefix + files[i]!);
    stats[i * 4] = st.size;
    stats[i * 4 + 1] = st.mtimeMs;
    stats[i * 4 + 2] = st.ctimeMs;
    stats[i * 4 + 3] = st.ino;
  } catch (err) {
    stats[i * 4] = NaN;
    errors.push([i, (err as NodeJS.ErrnoException).code ?? 'error']);
  }
}
const reply: StatReply = { stats, errors };
parentPort?.postMessage(reply, [stats.buffer]);
