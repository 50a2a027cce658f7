import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { adjustmentRequests, adjustmentThresholds } from './approvals.tables.js';

export type AdjustmentRequestRow = typeof adjustmentRequests.$inferSelect;

/** The program's approval threshold of a currency, or null when adjustments of it never need a second person. */
export async function thresholdIn(tx: Tx, programId: string, currency: string): Promise<bigint | null> {
  const [r] = await tx
    .select({ amount: adjustmentThresholds.amount })
    .from(adjustmentThresholds)
    .where(and(eq(adjustmentThresholds.programId, programId), eq(adjustmentThresholds.currency, currency)));
  return r?.amount ?? null;
}

export async function listThresholds(tx: Tx, programId: string) {
  return tx.select().from(adjustmentThresholds).where(eq(adjustmentThresholds.programId, programId)).orderBy(adjustmentThresholds.currency);
}

export async function setThreshold(tx: Tx, programId: string, currency: string, amount: bigint | null) {
  const [old] = await tx.delete(adjustmentThresholds).where(and(eq(adjustmentThresholds.programId, programId), eq(adjustmentThresholds.currency, currency))).returning();
  if (amount === null) return { old: old ?? null, row: null };
  const [row] = await tx.insert(adjustmentThresholds).values({ programId, currency, amount }).returning();
  return { old: old ?? null, row };
}

export async function insertRequest(tx: Tx, row: typeof adjustmentRequests.$inferInsert): Promise<AdjustmentRequestRow> {
  const [r] = await tx.insert(adjustmentRequests).values(row).returning();
  return r;
}

/** One request; locked `FOR UPDATE` when deciding, so two approvals of it run one after the other. */
export async function findRequest(tx: Tx, programId: string, id: string, forUpdate = false): Promise<AdjustmentRequestRow | undefined> {
  const q = tx
    .select()
    .from(adjustmentRequests)
    .where(and(eq(adjustmentRequests.programId, programId), eq(adjustmentRequests.id, id)));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

export async function decide(tx: Tx, programId: string, id: string, d: { status: 'approved' | 'rejected'; decidedByType: string; decidedById: string; decisionNote: string | null; transactionId: string | null; decidedAt: Date }) {
  const [r] = await tx
    .update(adjustmentRequests)
    .set(d)
    .where(and(eq(adjustmentRequests.programId, programId), eq(adjustmentRequests.id, id), eq(adjustmentRequests.status, 'pending')))
    .returning();
  return r;
}

/** Newest first; the cursor is the last row's (createdAt, id). */
export async function listRequests(tx: Tx, programId: string, q: { status?: 'pending' | 'approved' | 'rejected'; limit: number; after?: { createdAt: Date; id: string } }) {
  const conds = [eq(adjustmentRequests.programId, programId)];
  if (q.status) conds.push(eq(adjustmentRequests.status, q.status));
  if (q.after) {
    const before = or(lt(adjustmentRequests.createdAt, q.after.createdAt), and(eq(adjustmentRequests.createdAt, q.after.createdAt), lt(adjustmentRequests.id, q.after.id)));
    if (before) conds.push(before);
  }
  return tx
    .select()
    .from(adjustmentRequests)
    .where(and(...conds))
    .orderBy(desc(adjustmentRequests.createdAt), desc(adjustmentRequests.id))
    .limit(q.limit);
}
