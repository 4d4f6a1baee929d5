/** Worker side of store/stat-parallel.ts: stats chunks of the store's files taken from a shared counter. */
import { workerData } from 'node:worker_threads';
import { statChunk, type StatJob } from './stat-parallel.js';

const job = workerData as StatJob;
const counter = new Int32Array(job.counter);
const stats = new Float64Array(job.stats);
const done = new Uint8Array(job.done);
const chunks = Math.ceil(job.files.length / job.chunk);
for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
  statChunk(job, c, stats);
  Atomics.store(done, c, 1);
}
