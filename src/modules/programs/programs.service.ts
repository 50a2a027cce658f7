import { randomBytes } from 'node:crypto';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { newId } from '../../lib/ids.js';
import { sha256 } from '../../lib/hash.js';
import type { AuditService } from '../audit/index.js';
import { RESERVED_PROGRAM_CODES } from '../../contracts/portal.js';
import type { OffboardingPolicy } from '../../contracts/accounts.js';
import { PERMISSIONS, ROLE_PERMISSIONS, type Permission } from '../../contracts/permissions.js';
import { programError } from './programs.errors.js';
import * as repo from './programs.repo.js';

export type Program = {
  id: string;
  name: string;
  /** Short public code: the portal's sign-in address is `/portal/<code>/`. */
  code: string;
  /** ISO 3166-1 alpha-2 country of phone numbers written without `+` or `00`; null refuses them. */
  phoneCountry: string | null;
  defaultLocale: string;
  timeZone: string;
  accountShare: number;
  allowNegative: boolean;
  autoCreateAccounts: boolean;
  /** What a leaving member's balance becomes (docs/channel-programs.md "Offboarding"). */
  offboardingPolicy: OffboardingPolicy;
  /** ISO 4217 code of the money purchase amounts (`amount`, spend, tier thresholds) are in, in its minor units. */
  spendCurrency: string;
  createdAt: string;
};
export type Currency = { code: string; name: string; kind: 'points' | 'money' | 'stamps'; moneyCurrency: string | null; expiry: { months: number } | null };
export type Role = { code: string; name: string };

/** Event types every program has; programs may declare more. */
export const BUILT_IN_EVENT_TYPES = ['purchase', 'return', 'contract_signed', 'training_completed', 'event_attended', 'survey_completed', 'referral', 'sale_claimed', 'story_published'] as const;
/**
 * `scopes`: what the key may do; `unrestricted`: the key is the program itself (every permission,
 * owners included), as every key made before keys had scopes.
 */
export type ApiKeyInfo = {
  id: string;
  name: string;
  prefix: string;
  scopes: Permission[];
  unrestricted: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
/** An authenticated key: its program, and its scopes (null: unrestricted). */
export type KeyPrincipal = { programId: string; keyId: string; scopes: readonly Permission[] | null };

const toProgram = (p: repo.ProgramRow): Program => ({
  id: p.id,
  name: p.name,
  code: p.code,
  phoneCountry: p.phoneCountry,
  defaultLocale: p.defaultLocale,
  timeZone: p.timeZone,
  accountShare: p.accountShare,
  allowNegative: p.allowNegative,
  autoCreateAccounts: p.autoCreateAccounts,
  offboardingPolicy: p.offboardingPolicy,
  spendCurrency: p.spendCurrency,
  createdAt: p.createdAt.toISOString(),
});
const toCurrency = (c: repo.CurrencyRow): Currency => ({
  code: c.code,
  name: c.name,
  kind: c.kind,
  moneyCurrency: c.moneyCurrency,
  expiry: c.expiryMonths ? { months: c.expiryMonths } : null,
});
const toKey = (k: repo.ApiKeyRow): ApiKeyInfo => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes ? PERMISSIONS.filter((p) => k.scopes!.includes(p)) : [...PERMISSIONS],
  unrestricted: !k.scopes,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** Keys look like `fly_<12 chars>_<43 chars>`: 256 random bits after a recognisable prefix. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `fly_${randomBytes(9).toString('base64url')}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** `Aqua Pure Équipements` → `aqua-pure-equipements`: a first code for a program from its name. */
export function codeFromName(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 32)
    .replace(/^-+|-+$/g, '');
  if (!slug) return 'program';
  return (RESERVED_PROGRAM_CODES as readonly string[]).includes(slug) ? `${slug}-program` : slug;
}

/** ISO 3166-1 alpha-2 from a locale's region (`fr-FR` → `FR`), the default phone country of a new program. */
function countryOfLocale(locale: string | undefined): string | null {
  const region = locale?.split('-').find((part, i) => i > 0 && /^[A-Za-z]{2}$/.test(part));
  return region ? region.toUpperCase() : null;
}

/**
 * The scopes to store for a key `ctx` creates (null: unrestricted). A key never holds more than its
 * creator: the system (first start, CLI), an unrestricted key and an owner may make an
 * unrestricted key; anyone else's key is limited to what they hold themselves, and is written
 * down as a list, so that it acts as no more than a program manager (it can never manage owners).
 */
function scopesFor(ctx: RequestContext, requested: readonly Permission[] | undefined): Permission[] | null {
  // The system has no permissions to check; an unrestricted key carries every permission and no role.
  const creatorIsProgram = (!ctx.permissions && !ctx.role) || ctx.role === 'owner' || (ctx.actor.type === 'key' && !ctx.role);
  if (creatorIsProgram) return requested ? PERMISSIONS.filter((p) => requested.includes(p)) : null;
  const held: ReadonlySet<Permission> = ctx.permissions ?? new Set(ctx.role ? ROLE_PERMISSIONS[ctx.role] : []);
  if (!requested) return PERMISSIONS.filter((p) => held.has(p));
  const missing = requested.filter((p) => !held.has(p));
  if (missing.length) {
    throw programError(
      'API_KEY_SCOPE_EXCEEDS_CREATOR',
      `A key cannot hold more than its creator: you do not hold ${missing.join(', ')}.`,
      missing.map((p) => ({ path: `scopes.${requested.indexOf(p)}`, message: `not held by the creator` })),
    );
  }
  return PERMISSIONS.filter((p) => requested.includes(p));
}

const systemCtx = (programId: string): RequestContext => ({ programId, actor: { type: 'system', id: 'fealty' } });

export function createProgramsService(database: Database, deps: { audit: AuditService }) {
  const { audit } = deps;
  // Authenticating every request with a DB lookup is a hot path; a short cache keeps it cheap.
  // Revocation in this process clears the cache at once; other nodes see it within the TTL, which
  // is why the TTL is one second: a revoked key must stop working everywhere within a second.
  const keyCache = new Map<string, KeyPrincipal & { until: number }>();
  const KEY_TTL_MS = 1_000;

  async function createApiKeyIn(tx: Tx, ctx: RequestContext, name: string, fixedKey?: string, requested?: readonly Permission[]) {
    const generated = generateApiKey();
    const key = fixedKey ?? generated.key;
    const prefix = fixedKey ? fixedKey.slice(0, 12) : generated.prefix;
    const scopes = scopesFor(ctx, requested);
    const row = await repo.insertApiKey(tx, { id: newId('key'), programId: ctx.programId, name, prefix, hash: sha256(key), scopes });
    await audit.record(tx, ctx, { action: 'api_key.created', objectType: 'api_key', objectId: row.id, after: toKey(row) });
    return { apiKey: key, key: toKey(row) };
  }

  /** Creates a currency in a caller's transaction (a fund creates its wallet currency with the fund). */
  async function createCurrencyIn(tx: Tx, ctx: RequestContext, input: { code: string; name: string; kind: Currency['kind']; moneyCurrency?: string; expiry?: { months: number } }): Promise<Currency> {
    const row = await repo.insertCurrency(tx, {
      programId: ctx.programId,
      code: input.code,
      name: input.name,
      kind: input.kind,
      moneyCurrency: input.moneyCurrency ?? null,
      expiryMonths: input.expiry?.months ?? null,
    });
    if (!row) throw programError('CURRENCY_EXISTS', `The currency "${input.code}" already exists.`, [{ path: 'code', message: 'already exists' }]);
    await audit.record(tx, ctx, { action: 'currency.created', objectType: 'currency', objectId: row.code, after: toCurrency(row) });
    return toCurrency(row);
  }

  return {
    /** Creates a program (tenant) with its first API key; the key is returned once and stored only as a hash. */
    /**
     * `code`: the program's public code (default: from its name, with a random ending when taken);
     * `phoneCountry`: default from the region of `defaultLocale` (`fr-FR` → `FR`), else none.
     */
    async createProgram(input: { name: string; code?: string; phoneCountry?: string | null; timeZone?: string; defaultLocale?: string; apiKey?: string; actor?: RequestContext['actor'] }) {
      return inTransaction(database, async (tx) => {
        let code = input.code ?? codeFromName(input.name);
        if (await repo.findProgramByCode(tx, code)) {
          if (input.code) throw programError('PROGRAM_CODE_TAKEN', `Another program has the code "${code}".`, [{ path: 'code', message: 'already taken' }]);
          do code = `${codeFromName(input.name).slice(0, 32)}-${randomBytes(3).toString('hex')}`;
          while (await repo.findProgramByCode(tx, code));
        }
        const program = await repo.insertProgram(tx, {
          id: newId('prg'),
          name: input.name,
          code,
          phoneCountry: input.phoneCountry !== undefined ? input.phoneCountry : countryOfLocale(input.defaultLocale),
          timeZone: input.timeZone ?? 'UTC',
          defaultLocale: input.defaultLocale ?? 'en',
        });
        const ctx: RequestContext = { programId: program.id, actor: input.actor ?? systemCtx(program.id).actor };
        await audit.record(tx, ctx, { action: 'program.created', objectType: 'program', objectId: program.id, after: toProgram(program) });
        const { apiKey, key } = await createApiKeyIn(tx, ctx, 'first key', input.apiKey);
        return { program: toProgram(program), apiKey, key };
      });
    },

    async hasAnyProgram(): Promise<boolean> {
      return inTransaction(database, async (tx) => (await repo.countPrograms(tx)) > 0);
    },

    async listAllPrograms(): Promise<Program[]> {
      return inTransaction(database, async (tx) => (await repo.listAllPrograms(tx)).map(toProgram));
    },

    /**
     * The program and scopes of an API key, or null for an unknown or revoked key. Also records
     * `lastUsedAt`, at most once a minute per key: a write per request would double the cost of
     * every read.
     */
    async authenticate(key: string): Promise<KeyPrincipal | null> {
      const hash = sha256(key);
      const cached = keyCache.get(hash);
      if (cached && cached.until > Date.now()) return cached;
      keyCache.delete(hash);
      const row = await inTransaction(database, (tx) => repo.findActiveKeyByHash(tx, hash));
      if (!row) return null;
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= 60_000) {
        await inTransaction(database, (tx) => repo.touchApiKey(tx, row.programId, row.id));
      }
      const hit = { programId: row.programId, keyId: row.id, scopes: row.scopes ? (row.scopes as Permission[]) : null, until: Date.now() + KEY_TTL_MS };
      keyCache.set(hash, hit);
      return hit;
    },

    async getProgram(programId: string): Promise<Program> {
      const p = await inTransaction(database, (tx) => repo.findProgram(tx, programId));
      if (!p) throw programError('PROGRAM_NOT_FOUND', 'The program does not exist.');
      return toProgram(p);
    },

    /** The program with this public code (the portal's sign-in address), or null. */
    async findProgramByCode(code: string): Promise<Program | null> {
      const p = await inTransaction(database, (tx) => repo.findProgramByCode(tx, code));
      return p ? toProgram(p) : null;
    },

    /** Program settings inside a caller's transaction (used by the ledger and rules). */
    async getProgramIn(tx: Tx, programId: string): Promise<Program> {
      const p = await repo.findProgram(tx, programId);
      if (!p) throw programError('PROGRAM_NOT_FOUND', 'The program does not exist.');
      return toProgram(p);
    },

    async updateProgram(ctx: RequestContext, patch: Partial<Pick<Program, 'name' | 'code' | 'phoneCountry' | 'timeZone' | 'defaultLocale' | 'accountShare' | 'allowNegative' | 'autoCreateAccounts' | 'offboardingPolicy' | 'spendCurrency'>>) {
      return inTransaction(database, async (tx) => {
        const before = await repo.findProgram(tx, ctx.programId);
        if (!before) throw programError('PROGRAM_NOT_FOUND', 'The program does not exist.');
        if (patch.code !== undefined && patch.code !== before.code) {
          const holder = await repo.findProgramByCode(tx, patch.code);
          if (holder) throw programError('PROGRAM_CODE_TAKEN', `Another program has the code "${patch.code}".`, [{ path: 'code', message: 'already taken' }]);
        }
        // A patch that changes nothing (`{}`, or the current values) writes nothing and leaves no audit entry.
        const changes = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && (before as Record<string, unknown>)[k] !== v));
        if (!Object.keys(changes).length) return toProgram(before);
        const after = await repo.updateProgram(tx, ctx.programId, changes);
        await audit.record(tx, ctx, { action: 'program.updated', objectType: 'program', objectId: ctx.programId, before: toProgram(before), after: toProgram(after) });
        return toProgram(after);
      });
    },

    async createCurrency(ctx: RequestContext, input: { code: string; name: string; kind: Currency['kind']; moneyCurrency?: string; expiry?: { months: number } }) {
      if (input.kind === 'money' && !input.moneyCurrency) {
        throw programError('CURRENCY_INVALID', 'A money currency needs its ISO code.', [{ path: 'moneyCurrency', message: 'required when kind is "money"' }]);
      }
      if (input.kind !== 'money' && input.moneyCurrency) {
        throw programError('CURRENCY_INVALID', 'Only a money currency has an ISO code.', [{ path: 'moneyCurrency', message: 'allowed only when kind is "money"' }]);
      }
      return inTransaction(database, (tx) => createCurrencyIn(tx, ctx, input));
    },

    createCurrencyIn,

    async listCurrencies(programId: string): Promise<Currency[]> {
      return inTransaction(database, async (tx) => (await repo.listCurrencies(tx, programId)).map(toCurrency));
    },

    async listCurrenciesIn(tx: Tx, programId: string): Promise<Currency[]> {
      return (await repo.listCurrencies(tx, programId)).map(toCurrency);
    },

    /** A currency in a caller's transaction, or undefined when the program has no such currency. */
    async findCurrencyIn(tx: Tx, programId: string, code: string): Promise<Currency | undefined> {
      const c = await repo.findCurrency(tx, programId, code);
      return c ? toCurrency(c) : undefined;
    },

    async createRole(ctx: RequestContext, input: { code: string; name: string }) {
      return inTransaction(database, async (tx) => {
        const row = await repo.insertRole(tx, { programId: ctx.programId, code: input.code, name: input.name });
        if (!row) throw programError('ROLE_EXISTS', `The role "${input.code}" already exists.`, [{ path: 'code', message: 'already exists' }]);
        await audit.record(tx, ctx, { action: 'role.created', objectType: 'role', objectId: row.code, after: { code: row.code, name: row.name } });
        return { code: row.code, name: row.name };
      });
    },

    async listRoles(programId: string): Promise<Role[]> {
      return inTransaction(database, async (tx) => (await repo.listRoles(tx, programId)).map((r) => ({ code: r.code, name: r.name })));
    },

    async roleExistsIn(tx: Tx, programId: string, code: string): Promise<boolean> {
      return !!(await repo.findRole(tx, programId, code));
    },

    async createEventType(ctx: RequestContext, input: { code: string; name: string }) {
      if ((BUILT_IN_EVENT_TYPES as readonly string[]).includes(input.code)) {
        throw programError('EVENT_TYPE_EXISTS', `"${input.code}" is a built-in event type.`, [{ path: 'code', message: 'built-in type' }]);
      }
      return inTransaction(database, async (tx) => {
        const row = await repo.insertEventType(tx, { programId: ctx.programId, code: input.code, name: input.name });
        if (!row) throw programError('EVENT_TYPE_EXISTS', `The event type "${input.code}" already exists.`, [{ path: 'code', message: 'already exists' }]);
        await audit.record(tx, ctx, { action: 'event_type.created', objectType: 'event_type', objectId: row.code, after: { code: row.code, name: row.name } });
        return { code: row.code, name: row.name, builtIn: false };
      });
    },

    async listEventTypes(programId: string) {
      const custom = await inTransaction(database, (tx) => repo.listEventTypes(tx, programId));
      return [...BUILT_IN_EVENT_TYPES.map((code) => ({ code, name: code.replace(/_/g, ' '), builtIn: true })), ...custom.map((c) => ({ code: c.code, name: c.name, builtIn: false }))];
    },

    /** Whether the program knows this event type (built-in or declared). */
    async eventTypeExistsIn(tx: Tx, programId: string, code: string): Promise<boolean> {
      return (BUILT_IN_EVENT_TYPES as readonly string[]).includes(code) || !!(await repo.findEventType(tx, programId, code));
    },

    /** `scopes`: what the key may do, within what the creator holds; absent: all the creator holds. */
    async createApiKey(ctx: RequestContext, name: string, fixedKey?: string, scopes?: readonly Permission[]) {
      return inTransaction(database, (tx) => createApiKeyIn(tx, ctx, name, fixedKey, scopes));
    },

    async listApiKeys(programId: string): Promise<ApiKeyInfo[]> {
      return inTransaction(database, async (tx) => (await repo.listApiKeys(tx, programId)).map(toKey));
    },

    async revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKeyInfo> {
      const info = await inTransaction(database, async (tx) => {
        const before = await repo.findApiKey(tx, ctx.programId, id);
        if (!before) throw programError('API_KEY_NOT_FOUND', 'No such API key in this program.');
        if (before.revokedAt) return toKey(before);
        const after = await repo.revokeApiKey(tx, ctx.programId, id);
        await audit.record(tx, ctx, { action: 'api_key.revoked', objectType: 'api_key', objectId: id, before: toKey(before), after: after && toKey(after) });
        return toKey(after!);
      });
      keyCache.clear();
      return info;
    },
  };
}

export type ProgramsService = ReturnType<typeof createProgramsService>;
