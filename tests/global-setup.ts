import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * CLI tests spawn the compiled CLI, so compile once before any test runs. Type errors do not
 * stop the emit (CI runs `npm run typecheck` on its own and fails there), so one broken file
 * elsewhere cannot hide every other test result.
 */
export default function setup(): void {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (tsc.status !== 0) process.stderr.write(`tsc reported problems (run npm run typecheck):\n${tsc.stdout}${tsc.stderr}`);
}
