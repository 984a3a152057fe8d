import { defineConfig } from 'vitest/config';

// Three tiers (STYLE.md §9): unit (pure, fast), db (real database: PGlite, or PostgreSQL with
// TRELLIS_TEST_DB=postgres) and page (app.inject with parsed HTML). Browser journeys have their own config.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.db.test.ts', '**/*.page.test.ts', 'test/browser/**'] } },
      { extends: true, test: { name: 'db', include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'] } },
      { extends: true, test: { name: 'page', include: ['src/**/*.page.test.ts', 'test/**/*.page.test.ts'] } },
    ],
  },
});
