import { defineConfig } from 'drizzle-kit';

// Used only at development time to generate SQL migrations from src/db/schema (`npx drizzle-kit generate`).
// The app applies the generated migrations itself at start-up, on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
});
