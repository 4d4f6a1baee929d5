/** Worker side of check-feeds.ts: checks one feed per message, off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { collectWhenGrown } from '../heap.js';
import { checkFeed, type FeedCheck } from './check-feeds.js';

const collects = (workerData as { collects?: boolean } | undefined)?.collects === true;

parentPort?.on('message', (check: FeedCheck) => {
  parentPort!.postMessage(checkFeed(check));
  if (collects) collectWhenGrown();
});
