import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { portalCodes } from './portal.tables.js';

export type CodeRow = typeof portalCodes.$inferSelect;

export async function insertCode(tx: Tx, row: typeof portalCodes.$inferInsert): Promise<void> {
  await tx.insert(portalCodes).values(row);
}

/** The newest code sent to an address that may still be used, locked so two guesses are counted one after the other. */
export async function latestLiveCode(tx: Tx, addressHash: string, now: Date, maxAttempts: number): Promise<CodeRow | undefined> {
  const [c] = await tx
    .select()
    .from(portalCodes)
    .where(and(eq(portalCodes.addressHash, addressHash), isNull(portalCodes.usedAt), gt(portalCodes.expiresAt, now), lt(portalCodes.attempts, maxAttempts)))
    .orderBy(desc(portalCodes.createdAt))
    .limit(1)
    .for('update');
  return c;
}

export async function countFailedAttempt(tx: Tx, id: string): Promise<void> {
  await tx.update(portalCodes).set({ attempts: sql`${portalCodes.attempts} + 1` }).where(eq(portalCodes.id, id));
}

export async function markUsed(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(portalCodes).set({ usedAt: at }).where(eq(portalCodes.id, id));
}

/** A new code makes the older ones of the same address useless: only the last message counts. */
export async function retireCodes(tx: Tx, addressHash: string, at: Date): Promise<void> {
  await tx.update(portalCodes).set({ usedAt: at }).where(and(eq(portalCodes.addressHash, addressHash), isNull(portalCodes.usedAt)));
}

/** Deletes up to `limit` codes that expired, or were used, before `before`: one chunk of the daily purge. */
export async function deleteCodesExpiredBefore(tx: Tx, before: Date, limit: number): Promise<number> {
  const done = or(lt(portalCodes.expiresAt, before), lt(portalCodes.usedAt, before));
  const gone = await tx
    .delete(portalCodes)
    .where(inArray(portalCodes.id, tx.select({ id: portalCodes.id }).from(portalCodes).where(done).limit(limit)))
    .returning({ id: portalCodes.id });
  return gone.length;
}
