import { defineConfig } from 'vitest/config';

// Browser journeys: a real server process and Debian's chromium through playwright-core, with axe-core.
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.browser.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
