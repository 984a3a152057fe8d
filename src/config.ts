import { z } from 'zod';

/** Reads "true"/"false"/"1"/"0" from the environment. */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting Trellis reads from the environment. Parsed once at start-up; the rest of the code
 * receives the parsed object and never reads `process.env` itself.
 */
export const ConfigSchema = z.object({
  /** `development`, `test` or `production`. Production refuses unsafe defaults. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** TCP port the web server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the web server binds to. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** `postgres://…` to use a PostgreSQL server; unset to use the embedded database (PGlite). */
  DATABASE_URL: z.string().url().optional(),
  /** Folder of the embedded database (ignored when DATABASE_URL is set). */
  TRELLIS_DATA_DIR: z.string().min(1).default('./data/db'),
  /** Load the committed sample data (data/sample) into an empty database at start-up. */
  TRELLIS_LOAD_SAMPLE: booleanFromEnv.default(true),
  /** Folder of the committed sample data. */
  TRELLIS_SAMPLE_DIR: z.string().min(1).default('./data/sample'),
  /** Map tile URL template for Leaflet; pages still work when tiles cannot load. */
  TRELLIS_TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** Attribution shown on maps for the tile source. */
  TRELLIS_TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
  /** Memory for the page cache of public pages served to readers without a session (MB); 0 turns it off. */
  TRELLIS_PAGE_CACHE_MB: z.coerce.number().min(0).max(16384).default(256),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; throws a readable ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** A configuration for tests: embedded database in memory unless a folder is given. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...ConfigSchema.parse({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TRELLIS_LOAD_SAMPLE: 'false' }), ...overrides };
}
