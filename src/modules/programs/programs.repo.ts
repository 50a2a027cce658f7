import { and, eq, isNull, asc, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { apiKeys, currencies, eventTypes, programs, roles } from './programs.tables.js';

export type ProgramRow = typeof programs.$inferSelect;
export type CurrencyRow = typeof currencies.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertProgram(tx: Tx, row: typeof programs.$inferInsert): Promise<ProgramRow> {
  const [p] = await tx.insert(programs).values(row).returning();
  return p;
}

export async function findProgram(tx: Tx, id: string): Promise<ProgramRow | undefined> {
  const [p] = await tx.select().from(programs).where(eq(programs.id, id));
  return p;
}

export async function findProgramByCode(tx: Tx, code: string): Promise<ProgramRow | undefined> {
  const [p] = await tx.select().from(programs).where(eq(programs.code, code));
  return p;
}

export async function countPrograms(tx: Tx): Promise<number> {
  const rows = await tx.select({ id: programs.id }).from(programs).limit(1);
  return rows.length;
}

export async function listAllPrograms(tx: Tx): Promise<ProgramRow[]> {
  return tx.select().from(programs).orderBy(asc(programs.createdAt));
}

export async function updateProgram(tx: Tx, id: string, patch: Partial<typeof programs.$inferInsert>): Promise<ProgramRow> {
  const [p] = await tx.update(programs).set({ ...patch, updatedAt: new Date() }).where(eq(programs.id, id)).returning();
  return p;
}

export async function insertApiKey(tx: Tx, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [k] = await tx.insert(apiKeys).values(row).returning();
  return k;
}

export async function findActiveKeyByHash(tx: Tx, hash: string): Promise<ApiKeyRow | undefined> {
  const [k] = await tx.select().from(apiKeys).where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
  return k;
}

/**
 * Records that a key was used, at most once a minute: the condition makes a second node (or a
 * second request) that saw an older value write nothing.
 */
export async function touchApiKey(tx: Tx, programId: string, id: string): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.programId, programId), eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
}

export async function listApiKeys(tx: Tx, programId: string): Promise<ApiKeyRow[]> {
  return tx.select().from(apiKeys).where(eq(apiKeys.programId, programId)).orderBy(asc(apiKeys.createdAt));
}

export async function revokeApiKey(tx: Tx, programId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [k] = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.programId, programId), eq(apiKeys.id, id)))
    .returning();
  return k;
}

export async function findApiKey(tx: Tx, programId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [k] = await tx.select().from(apiKeys).where(and(eq(apiKeys.programId, programId), eq(apiKeys.id, id)));
  return k;
}

/** Inserts a currency; false when the code is already taken in the program. */
export async function insertCurrency(tx: Tx, row: typeof currencies.$inferInsert): Promise<CurrencyRow | undefined> {
  const [c] = await tx.insert(currencies).values(row).onConflictDoNothing().returning();
  return c;
}

export async function findCurrency(tx: Tx, programId: string, code: string): Promise<CurrencyRow | undefined> {
  const [c] = await tx.select().from(currencies).where(and(eq(currencies.programId, programId), eq(currencies.code, code)));
  return c;
}

export async function listCurrencies(tx: Tx, programId: string): Promise<CurrencyRow[]> {
  return tx.select().from(currencies).where(eq(currencies.programId, programId)).orderBy(asc(currencies.createdAt));
}

export async function insertRole(tx: Tx, row: typeof roles.$inferInsert): Promise<RoleRow | undefined> {
  const [r] = await tx.insert(roles).values(row).onConflictDoNothing().returning();
  return r;
}

export async function findRole(tx: Tx, programId: string, code: string): Promise<RoleRow | undefined> {
  const [r] = await tx.select().from(roles).where(and(eq(roles.programId, programId), eq(roles.code, code)));
  return r;
}

export async function listRoles(tx: Tx, programId: string): Promise<RoleRow[]> {
  return tx.select().from(roles).where(eq(roles.programId, programId)).orderBy(asc(roles.createdAt));
}

export async function insertEventType(tx: Tx, row: typeof eventTypes.$inferInsert) {
  const [r] = await tx.insert(eventTypes).values(row).onConflictDoNothing().returning();
  return r;
}

export async function findEventType(tx: Tx, programId: string, code: string) {
  const [r] = await tx.select().from(eventTypes).where(and(eq(eventTypes.programId, programId), eq(eventTypes.code, code)));
  return r;
}

export async function listEventTypes(tx: Tx, programId: string) {
  return tx.select().from(eventTypes).where(eq(eventTypes.programId, programId)).orderBy(asc(eventTypes.createdAt));
}
