import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { stampCards } from '../rewards.tables.js';

export type StampCardRow = typeof stampCards.$inferSelect;

export async function findStampCard(tx: Tx, programId: string, currency: string): Promise<StampCardRow | undefined> {
  const [c] = await tx.select().from(stampCards).where(and(eq(stampCards.programId, programId), eq(stampCards.currency, currency)));
  return c;
}

export async function upsertStampCard(tx: Tx, row: { programId: string; currency: string; stampsPerCard: number; rewardId: string }): Promise<StampCardRow> {
  const [c] = await tx
    .insert(stampCards)
    .values(row)
    .onConflictDoUpdate({ target: [stampCards.programId, stampCards.currency], set: { stampsPerCard: row.stampsPerCard, rewardId: row.rewardId, updatedAt: sql`now()` } })
    .returning();
  return c;
}

export async function deleteStampCard(tx: Tx, programId: string, currency: string): Promise<StampCardRow | undefined> {
  const [c] = await tx.delete(stampCards).where(and(eq(stampCards.programId, programId), eq(stampCards.currency, currency))).returning();
  return c;
}
