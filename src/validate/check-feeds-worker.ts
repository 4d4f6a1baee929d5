/** Worker side of check-feeds.ts: checks one feed per message, off the main thread. */
import { parentPort } from 'node:worker_threads';
import { checkFeed, type FeedCheck } from './check-feeds.js';

parentPort?.on('message', (check: FeedCheck) => {
  parentPort!.postMessage(checkFeed(check));
});
