import { z } from 'zod';

/** Reads "true"/"false"/"1"/"0" from the environment. */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting Trellis reads from the environment. Parsed once at start-up; the rest of the code
 * receives the parsed object and never reads `process.env` itself. Each description is the operator's reference:
 * docs/operations.md includes the table `npm run docs:config` prints from this schema (a test keeps them equal).
 */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('development, test or production. Production refuses unsafe defaults.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port the web server listens on.'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the web server binds to.'),
  DATABASE_URL: z.string().url().optional().describe('postgres://… to use a PostgreSQL server; unset to use the embedded database (PGlite).'),
  TRELLIS_DATA_DIR: z.string().min(1).default('./data/db').describe('Folder of the embedded database (ignored when DATABASE_URL is set).'),
  TRELLIS_LOAD_SAMPLE: booleanFromEnv.default(true).describe('Load the committed sample data (data/sample) into an empty database at start-up.'),
  TRELLIS_SAMPLE_DIR: z.string().min(1).default('./data/sample').describe('Folder of the committed sample data.'),
  TRELLIS_TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png').describe('Map tile URL template for Leaflet; pages still work when tiles cannot load.'),
  TRELLIS_TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors').describe('Attribution shown on maps for the tile source.'),
  TRELLIS_PAGE_CACHE_MB: z.coerce.number().min(0).max(16384).default(64).describe('Memory for the page cache of public pages served to readers without a session (MB of UTF-8 bodies, held outside the JavaScript heap); 0 turns it off. A reverse proxy cache suits larger deployments better.'),
  TRELLIS_JOBS: z.enum(['on', 'off']).default('on').describe('Background jobs (the pg-boss queue in the database): on, or off for a server that should run none.'),
  TRELLIS_PUBLIC_URL: z.string().url().optional().describe('Address of this site as readers reach it, for links in emails and the OpenID Connect redirect.'),
  TRELLIS_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional().describe('Secret for signing cookies (CSRF). At least 32 characters; required in production.'),
  TRELLIS_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120).describe('A session ends after this many minutes without a request.'),
  TRELLIS_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12).describe('A session ends this many hours after sign-in, however active.'),
  TRELLIS_SMTP_URL: z.string().url().optional().describe('smtp://user:pass@host:587 or smtps://…; unset to keep emails in the outbox table only.'),
  TRELLIS_MAIL_FROM: z.string().min(3).default('Trellis <no-reply@trellis.localhost>').describe('Sender of Trellis emails.'),
  TRELLIS_DEV_OUTBOX: booleanFromEnv.optional().describe('Show the email outbox at /dev/outbox (development only; refused in production).'),
  TRELLIS_OIDC_ISSUER: z.string().url().optional().describe('OpenID Connect issuer URL (e.g. Microsoft Entra or Google Workspace); unset to hide single sign-on.'),
  TRELLIS_OIDC_CLIENT_ID: z.string().min(1).optional().describe('Client ID registered with the OpenID Connect provider.'),
  TRELLIS_OIDC_CLIENT_SECRET: z.string().min(1).optional().describe('Client secret registered with the OpenID Connect provider (required when TRELLIS_OIDC_ISSUER is set in production).'),
  TRELLIS_OIDC_LABEL: z.string().min(1).default('Sign in with your organisation account').describe('The button text for single sign-on, e.g. "Sign in with Microsoft".'),
  TRELLIS_FACILITATOR_EMAILS: z.string().optional().describe('Emails given the facilitator role when they sign in (comma-separated): how a new instance gets its first facilitators.'),
  TRELLIS_ADMIN_EMAILS: z.string().optional().describe('Emails given the platform-admin role when they sign in (comma-separated).'),
  TRELLIS_ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).default(19456).describe('argon2id memory cost in KiB (production default 19456, OWASP\'s minimum); tests use less.'),
  TRELLIS_ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2).describe('argon2id time cost (iterations) for password hashing.'),
  TRELLIS_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().describe('Turns /metrics (Prometheus format) on for requests carrying Authorization: Bearer <this token>; unset, /metrics is not found. At least 16 characters.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
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
  const problems = productionProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(`Refusing to start in production:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return parsed.data;
}

/** Known development placeholders that must never run in production. */
const DEFAULT_SECRETS = ['development-only-secret-do-not-use-in-production', 'changeme', 'secret'];

/** In production the app refuses unsafe defaults (STYLE.md §11). */
export function productionProblems(config: Config): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!config.TRELLIS_SESSION_SECRET) problems.push('TRELLIS_SESSION_SECRET must be set (32 or more random characters).');
  else if (DEFAULT_SECRETS.some((d) => config.TRELLIS_SESSION_SECRET!.includes(d))) problems.push('TRELLIS_SESSION_SECRET is a default value.');
  if (config.TRELLIS_DEV_OUTBOX) problems.push('TRELLIS_DEV_OUTBOX must not be on in production: it shows every email sent.');
  if (config.DATABASE_URL && /:\/\/postgres(:postgres)?@/.test(config.DATABASE_URL) && !/localhost|127\.0\.0\.1/.test(config.DATABASE_URL)) {
    problems.push('DATABASE_URL uses the default postgres superuser: use an account of its own.');
  }
  if (config.TRELLIS_OIDC_ISSUER && !config.TRELLIS_OIDC_CLIENT_SECRET) problems.push('TRELLIS_OIDC_CLIENT_SECRET must be set when TRELLIS_OIDC_ISSUER is.');
  if (!config.TRELLIS_PUBLIC_URL) problems.push('TRELLIS_PUBLIC_URL must be set: links in emails need it.');
  return problems;
}

/** The secret to sign cookies with: configured, or (outside production) a fixed development value. */
export function sessionSecret(config: Config): string {
  return config.TRELLIS_SESSION_SECRET ?? 'development-only-secret-do-not-use-in-production';
}

/** Where readers reach this site. */
export function publicUrl(config: Config): string {
  return (config.TRELLIS_PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}

/** The dev outbox is on by default in development and test, off in production. */
export function devOutboxEnabled(config: Config): boolean {
  return config.TRELLIS_DEV_OUTBOX ?? config.NODE_ENV !== 'production';
}

/** A configuration for tests: embedded database in memory unless a folder is given. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...ConfigSchema.parse({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TRELLIS_LOAD_SAMPLE: 'false', TRELLIS_ARGON2_MEMORY_KIB: '64', TRELLIS_ARGON2_TIME_COST: '1' }),
    ...overrides,
  };
}
