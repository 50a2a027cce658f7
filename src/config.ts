import { z } from 'zod';
import { resolve } from 'node:path';

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('0.0.0.0'),
  /** postgres://… of a PostgreSQL server; absent means the embedded PGlite in dataDir. */
  databaseUrl: z.string().url().optional(),
  dataDir: z.string().default('./data'),
  /** The demo programs on a first start: on by default for the embedded database, off when DATABASE_URL names a server. */
  demo: z.enum(['on', 'off']).optional(),
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
  /** Caps on reading an import file ([docs/imports.md](../docs/imports.md#caps)): a file over one is refused with the cap named. */
  importMaxInflatedMb: z.coerce.number().int().positive().default(200),
  importMaxRatio: z.coerce.number().int().positive().default(100),
  importMaxRows: z.coerce.number().int().positive().default(1_048_576),
  importMaxColumns: z.coerce.number().int().positive().max(16_384).default(1000),
  importMaxCellChars: z.coerce.number().int().positive().default(32_768),
  importWorkerMemoryMb: z.coerce.number().int().min(64).default(512),
  importParallelReads: z.coerce.number().int().min(1).max(64).default(2),
  /** Largest file a claim takes as proof (docs/channel-programs.md#files). */
  uploadMaxMb: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Which proxies in front of the server to believe about the client (X-Forwarded-For) and the
   * scheme (X-Forwarded-Proto, which makes the session cookie Secure): `off` (none, the default),
   * `on` (any), a number of hops, or a comma list of addresses and CIDR ranges.
   */
  trustProxy: z
    .string()
    .default('off')
    .transform((v): boolean | number | string => (v === 'off' || v === 'false' ? false : v === 'on' || v === 'true' ? true : /^[0-9]{1,2}$/.test(v) ? Number(v) : v)),
  /** Sensitive: when set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: z.string().min(16, 'FEALTY_METRICS_TOKEN must be at least 16 characters').optional(),
  /** Requests per minute to /api/v1 per API key (or per client address without one); 0 turns the limit off. */
  rateLimit: z.coerce.number().int().min(0).default(1200),
  /** Sign-in attempts per minute per client address (console login, portal code request and check); 0 turns the limit off. */
  rateLimitSignIn: z.coerce.number().int().min(0).default(20),
  /** `on` lets webhooks reach private, loopback and link-local addresses (a receiver on the same network); off by default. */
  webhooksAllowPrivate: z.enum(['on', 'off']).default('off'),
  /** Sensitive: the 32-byte key (base64 or hex) that encrypts channel secrets at rest. Embedded: generated in DATA_DIR when absent; PostgreSQL: required to store channel secrets. */
  secretKey: z.string().min(32, 'FEALTY_SECRET_KEY must be 32 bytes in base64 (44 characters) or hex (64)').optional(),
  /** The address members reach this server at, for links in messages (unsubscribe, tracking, portal). */
  publicUrl: z.string().url().optional(),
});

/** `production`: NODE_ENV=production (no one-time code is ever written to the log). */
export type Config = Omit<z.infer<typeof configSchema>, 'demo'> & { demo: 'on' | 'off'; dbKind: 'pglite' | 'postgres'; production: boolean };

/** The import reading caps of a config, as the imports module takes them. */
export function importLimitsOf(c: Config) {
  return {
    maxInflatedBytes: c.importMaxInflatedMb * 1000 * 1000,
    maxCompressionRatio: c.importMaxRatio,
    maxRows: c.importMaxRows,
    maxColumns: c.importMaxColumns,
    maxCellChars: c.importMaxCellChars,
    workerMemoryMb: c.importWorkerMemoryMb,
    parallelReads: c.importParallelReads,
  };
}

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
    importMaxInflatedMb: env.FEALTY_IMPORT_MAX_INFLATED_MB || undefined,
    importMaxRatio: env.FEALTY_IMPORT_MAX_RATIO || undefined,
    importMaxRows: env.FEALTY_IMPORT_MAX_ROWS || undefined,
    importMaxColumns: env.FEALTY_IMPORT_MAX_COLUMNS || undefined,
    importMaxCellChars: env.FEALTY_IMPORT_MAX_CELL_CHARS || undefined,
    importWorkerMemoryMb: env.FEALTY_IMPORT_WORKER_MEMORY_MB || undefined,
    importParallelReads: env.FEALTY_IMPORT_PARALLEL_READS || undefined,
    uploadMaxMb: env.FEALTY_UPLOAD_MAX_MB || undefined,
    trustProxy: env.FEALTY_TRUST_PROXY || undefined,
    metricsToken: env.FEALTY_METRICS_TOKEN || undefined,
    rateLimit: env.FEALTY_RATE_LIMIT || undefined,
    rateLimitSignIn: env.FEALTY_RATE_LIMIT_SIGN_IN || undefined,
    webhooksAllowPrivate: env.FEALTY_WEBHOOKS_ALLOW_PRIVATE || undefined,
    secretKey: env.FEALTY_SECRET_KEY || undefined,
    publicUrl: env.FEALTY_PUBLIC_URL || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return { ...c, demo: c.demo ?? (c.databaseUrl ? 'off' : 'on'), dataDir: resolve(c.dataDir), dbKind: c.databaseUrl ? 'postgres' : 'pglite', production: env.NODE_ENV === 'production' };
}
