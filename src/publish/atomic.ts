/**
 * Atomic file replacement: write a temp file in the destination's own directory (same
 * filesystem, so rename(2) is atomic), fsync it, then rename over the target. A reader sees
 * the old bytes or the new bytes, never a prefix. Temp names start with a dot and carry a
 * marker so a later run can sweep what a killed run left behind.
 */
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_MARKER = '.tmp-';
let counter = 0;

export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.${basename(target)}${TEMP_MARKER}${process.pid}-${counter}`);
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARKER);
}

/** Writes `data` to a new temp file beside `target` and fsyncs it. Returns the temp path. */
export async function stageFile(target: string, data: Uint8Array): Promise<string> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return temp;
}

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const temp = await stageFile(target, data);
  try {
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Makes the renames in `dir` durable across a power cut. Some filesystems refuse; that is not fatal. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EINVAL on platforms without directory fsync.
  }
}

/** Removes temp files left by a killed run. Call only while holding the publish lock. */
export async function sweepTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempName(name)) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch {
      // Already gone, or a directory someone else made: leave it.
    }
  }
  return removed;
}
