import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, boolean, primaryKey, index, uniqueIndex } from 'drizzle-orm/pg-core';

export const programs = pgTable(
  'programs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Short public code of the program (`aquapure`): the portal's sign-in address is `/portal/<code>/`. */
    code: text('code').notNull(),
    /**
     * ISO 3166-1 alpha-2 country of phone numbers written without a country code (`06 39 98 12 34`
     * with `FR`); null: such numbers are refused, only `+…` or `00…` numbers are taken.
     */
    phoneCountry: text('phone_country'),
    defaultLocale: text('default_locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Percent of a `split` award that goes to the company wallet. */
    accountShare: integer('account_share').notNull().default(80),
    allowNegative: boolean('allow_negative').notNull().default(false),
    autoCreateAccounts: boolean('auto_create_accounts').notNull().default(false),
    /** Offboarding (#14): what a leaving member's balance becomes (src/contracts/accounts.ts `offboardingPolicy`). */
    offboardingPolicy: text('offboarding_policy', { enum: ['moveToCompany', 'keepUntilExpiry', 'forfeit'] }).notNull().default('moveToCompany'),
    // Spend currency (#21): the money (ISO 4217) the program's purchase amounts are in, so spend is shown and entered as money.
    spendCurrency: text('spend_currency').notNull().default('EUR'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('programs_code_uq').on(t.code)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').notNull(),
    programId: text('program_id').notNull().references(() => programs.id),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so a key can be recognised. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key: keys are 32 random bytes, so a fast hash is enough. */
    hash: text('hash').notNull(),
    /**
     * The permissions the key holds (names from src/contracts/permissions.ts); null: unrestricted,
     * the program itself (every permission, owners included): the first key, keys made by owners
     * without scopes, and every key made before keys had scopes.
     */
    scopes: text('scopes').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.programId, t.id] }),
    uniqueIndex('api_keys_hash_uq').on(t.programId, t.hash),
    // A key names no program: the sign-in finds it by its hash alone (the only lookup across programs).
    index('api_keys_hash_idx').on(t.hash),
  ],
);

export const currencies = pgTable(
  'currencies',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['points', 'money', 'stamps'] }).notNull(),
    moneyCurrency: text('money_currency'),
    expiryMonths: integer('expiry_months'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] })],
);

export const roles = pgTable(
  'roles',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] })],
);

/** Event types a program declares beyond the built-in ones (e.g. `cartridge_recycled`). */
export const eventTypes = pgTable(
  'event_types',
  {
    programId: text('program_id').notNull().references(() => programs.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] })],
);
