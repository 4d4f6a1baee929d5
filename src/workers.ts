/** Where a worker thread's module is: tests run the sources, whose workers only exist compiled. */
import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The compiled worker `name`, a sibling of the calling module (`import.meta.url`): beside it
 * when the caller runs built, or at the same place under dist/ when it runs from src/ (tests).
 */
export function compiledWorker(name: string, caller: string): URL | undefined {
  const here = new URL(`./${name}`, caller);
  const path = fileURLToPath(here);
  if (existsSync(path)) return here;
  const at = path.lastIndexOf(`${sep}src${sep}`);
  if (at === -1) return undefined;
  const built = `${path.slice(0, at)}${sep}dist${path.slice(at)}`;
  return existsSync(built) ? pathToFileURL(built) : undefined;
}
