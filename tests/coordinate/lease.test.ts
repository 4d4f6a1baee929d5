import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite, NOW, runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** A port nothing listens on. */
const closedPort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

describe('kiosque build in lease mode', () => {
  it('publishes nothing and says why when the coordination database is unreachable', async () => {
    const port = await closedPort();
    await makeSite(dir, { coordination: { postgres: `postgres://kiosque:hunter2@127.0.0.1:${port}/kiosque` } });
    const result = await runCli(['build', '--now', NOW, '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { published: boolean; skipped?: boolean; failure: string };
    expect(report).toMatchObject({ published: false, skipped: true });
    expect(report.failure).toMatch(/coordination database postgres:\/\/kiosque:\*\*\*@127\.0\.0\.1:\d+\/kiosque is unreachable: .*ECONNREFUSED.*nothing is published/);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
    expect(existsSync(join(dir, 'out', 'rss.xml'))).toBe(false);
  });
});
