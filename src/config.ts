import { z } from 'zod';
import { resolve } from 'node:path';

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('0.0.0.0'),
  /** postgres://… of a PostgreSQL server; absent means the embedded PGlite in dataDir. */
  databaseUrl: z.string().url().optional(),
  dataDir: z.string().default('./data'),
  demo: z.enum(['on', 'off']).default('on'),
  /** Sensitive: the API key of the first program, created on a first start. */
  bootstrapKey: z.string().min(24, 'FEALTY_BOOTSTRAP_KEY must be at least 24 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimitBytes: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** `on` adds test-only endpoints (the portal's last one-time code); browser tests set it, production never should. */
  testEndpoints: z.enum(['on', 'off']).default('off'),
  /** Sensitive: the password of the demo's owner console user on a first start; random (and printed once) when absent. */
  adminPassword: z.string().min(10, 'FEALTY_ADMIN_PASSWORD must be at least 10 characters').optional(),
  /** `off`: the API only, no console or portal (`npm run dev` serves them from Vite instead). */
  web: z.enum(['on', 'off']).default('on'),
  /** `off`: no background jobs in this server (maturity, expiry, webhook delivery, daily maintenance); run `fealty jobs run-due` from cron instead, or let another server do them. */
  jobs: z.enum(['on', 'off']).default('on'),
  /** Sensitive: the 32-byte key (base64 or hex) that encrypts channel secrets at rest. Embedded: generated in DATA_DIR when absent; PostgreSQL: required to store channel secrets. */
  secretKey: z.string().min(32, 'FEALTY_SECRET_KEY must be 32 bytes in base64 (44 characters) or hex (64)').optional(),
  /** The address members reach this server at, for links in messages (unsubscribe, tracking, portal). */
  publicUrl: z.string().url().optional(),
});

export type Config = z.infer<typeof configSchema> & { dbKind: 'pglite' | 'postgres' };

/** Reads the environment once at boot; a bad value stops the boot with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse({
    port: env.PORT || undefined,
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || undefined,
    demo: env.FEALTY_DEMO || undefined,
    bootstrapKey: env.FEALTY_BOOTSTRAP_KEY || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    bodyLimitBytes: env.BODY_LIMIT_BYTES || undefined,
    testEndpoints: env.FEALTY_TEST_ENDPOINTS || undefined,
    adminPassword: env.FEALTY_ADMIN_PASSWORD || undefined,
    web: env.FEALTY_WEB || undefined,
    jobs: env.FEALTY_JOBS || undefined,
    secretKey: env.FEALTY_SECRET_KEY || undefined,
    publicUrl: env.FEALTY_PUBLIC_URL || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return { ...c, dataDir: resolve(c.dataDir), dbKind: c.databaseUrl ? 'postgres' : 'pglite' };
}
