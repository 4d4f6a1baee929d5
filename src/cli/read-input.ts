/**
 * Reads a file for `kiosque validate` without trusting its size: stat first (a regular file over
 * the cap is refused unread), then read at most cap + 1 bytes, so /dev/zero, a FIFO fed forever
 * or a file still growing stop at the cap. FIFOs are opened non-blocking, so a pipe with no
 * writer reads as empty instead of hanging; every read checks the abort signal.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type Input =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; kind: 'too-large'; message: string }
  | { ok: false; kind: 'unreadable'; message: string }
  | { ok: false; kind: 'aborted' };

const CHUNK = 1 << 20;

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (err as Error).message;
}

export async function readInput(path: string, cap: number, signal: AbortSignal): Promise<Input> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    return { ok: false, kind: 'unreadable', message: describe(err) };
  }
  if (info.isDirectory()) return { ok: false, kind: 'unreadable', message: 'is a directory' };
  if (info.isFile() && info.size > cap) return { ok: false, kind: 'too-large', message: `file is ${info.size} bytes; kiosque validates feeds up to ${cap} bytes` };
  let handle;
  try {
    handle = await open(path, info.isFIFO() || info.isSocket() ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY);
  } catch (err) {
    return { ok: false, kind: 'unreadable', message: describe(err) };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (signal.aborted) return { ok: false, kind: 'aborted' };
      // A regular file in one read of its size (+1 to notice growth); anything else in chunks.
      const buffer = Buffer.allocUnsafe(info.isFile() && total === 0 ? Math.min(cap + 1, info.size + 1) : Math.min(CHUNK, cap + 1 - total));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (err) {
        // A pipe whose writer has not written yet: wait a little, still listening for signals.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          await sleep(10);
          continue;
        }
        return { ok: false, kind: 'unreadable', message: describe(err) };
      }
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) return { ok: false, kind: 'too-large', message: `input is larger than ${cap} bytes (reading stopped there); kiosque validates feeds up to ${cap} bytes` };
    }
    return { ok: true, bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
