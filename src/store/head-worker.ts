/** Worker side of store/heads-parallel.ts: takes chunks of files from the shared counter and reads their heads. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkReply, HeadJob } from './heads-parallel.js';
import { readOne, toRow } from './heads-parallel.js';
import { readHead } from './head.js';

const job = workerData as HeadJob;
const counter = new Int32Array(job.counter);
const stats = new Float64Array(job.stats);
const chunks = Math.ceil(job.files.length / job.chunk);
const read = (rel: string, abs: string, size: number): ReturnType<typeof toRow> => toRow(readHead(rel, abs, size, job.maxBytes), job.headlines, false);

for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
  const reply: ChunkReply = { chunk: c, rows: [], issues: [] };
  for (let i = c * job.chunk; i < Math.min(job.files.length, (c + 1) * job.chunk); i++) {
    // A failed stat is in the shared stats already.
    const got = readOne(job, i, stats, read);
    reply.rows.push(got ? got.row : 0);
    if (got?.issues.length) reply.issues.push([i, got.issues]);
  }
  parentPort?.postMessage(reply);
}
parentPort?.postMessage({ done: true });
