import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // CLI tests spawn the compiled CLI, so compile once before any test runs.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what CI reads to print its totals line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
