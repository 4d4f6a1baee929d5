/** Worker side of compress.ts: both encodings of one file per message, with the synchronous zlib calls. */
import { parentPort } from 'node:worker_threads';
import { compressHere } from './compress.js';

parentPort?.on('message', ({ id, path, data }: { id: number; path: string; data: Uint8Array }) => {
  try {
    const { gzip, br } = compressHere(path, data);
    parentPort!.postMessage({ id, gzip, br });
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
