import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Vitest's default is one worker fewer than the CPUs: a single one on a two-CPU machine, which
 * left the suite waiting on child processes, servers and schedule ticks one file at a time
 * (848 s of vitest in one CI run). Two files at once took 642 s on the same machine; one CPU
 * keeps one worker, since the timing-bound tests (cluster, cron) assume a core to themselves.
 */
const cpus = availableParallelism();

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI tests spawn the compiled CLI, so compile once before any test runs.
    globalSetup: ['tests/global-setup.ts'],
    maxWorkers: cpus >= 2 ? Math.max(2, cpus - 1) : 1,
    // Two files at once on two CPUs make a CLI test of several builds up to twice as slow; on a loaded machine more.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report is what CI reads to print its totals line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
