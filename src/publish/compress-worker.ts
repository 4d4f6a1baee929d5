/** Worker side of compress.ts: both encodings of one file per message, with the synchronous zlib calls. */
import { parentPort } from 'node:worker_threads';
import { compressHere } from './compress.js';

parentPort?.on('message', ({ id, path, data }: { id: number; path: string; data: Uint8Array }) => {
  try {
    const { gzip, br } = compressHere(path, data);
    // Handed over rather than copied when each buffer is its own memory (not a slice of a larger one).
    const own = [gzip, br].filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
    parentPort!.postMessage({ id, gzip, br }, own);
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
