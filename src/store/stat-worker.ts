/** Worker side of store/stat-parallel.ts: stats one job's chunks, or the batches of a walk as they come, claiming each from the main thread. */
import { parentPort } from 'node:worker_threads';
import { absolute, DONE, FREE, statChunk, statInto, TAKEN, type StatJob, type StatMessage } from './stat-parallel.js';

function runJob(job: StatJob): void {
  const files = job.count === 0 ? [] : job.paths.split('\0');
  const counter = new Int32Array(job.counter);
  const stats = new Float64Array(job.stats);
  const done = new Uint8Array(job.done);
  const chunks = Math.ceil(job.count / job.chunk);
  const mine = { prefix: job.prefix, files, chunk: job.chunk };
  for (let c = Atomics.add(counter, 0, 1); c < chunks; c = Atomics.add(counter, 0, 1)) {
    statChunk(mine, c, stats);
    Atomics.store(done, c, 1);
  }
}

let stream: { stats: Float64Array; claims: Int32Array } | undefined;
const port = parentPort!;
// Listening keeps the thread alive until its work is over; closing the port ends it.
port.on('message', (message: StatMessage) => {
  if (message.kind === 'job') {
    runJob(message);
    port.close();
  } else if (message.kind === 'stream') {
    stream = { stats: new Float64Array(message.stats), claims: new Int32Array(message.claims) };
  } else if (message.kind === 'batch') {
    const { stats, claims } = stream!;
    if (Atomics.compareExchange(claims, message.batch, FREE, TAKEN) !== FREE) return;
    const paths = message.paths.split('\0');
    for (let i = 0; i < message.count; i++) statInto(absolute(message.prefix, paths[i]!), stats, message.from + i);
    Atomics.store(claims, message.batch, DONE);
  } else {
    port.postMessage('done');
    port.close();
  }
});
