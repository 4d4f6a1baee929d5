/** Worker side of store/render.ts: renders bodies off the main thread, one message at a time. */
import { parentPort } from 'node:worker_threads';
import { renderBody, type BodyKind } from '../model/content.js';

type Job = { seq: number; text: string; kind: BodyKind; base: string };

// The time limit starts once the modules are loaded, so a slow start is not blamed on an article.
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ seq: job.seq, html: renderBody(job.text, job.kind, job.base) });
  } catch (err) {
    parentPort!.postMessage({ seq: job.seq, error: err instanceof Error ? err.message : String(err) });
  }
});
