import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/database.js';
import { companyWalletLimits, companyWalletRights, redemptions } from '../rewards.tables.js';

export type RightsRow = typeof companyWalletRights.$inferSelect;
export type LimitRow = typeof companyWalletLimits.$inferSelect;
export type Rights = RightsRow & { limits: LimitRow[] };

export async function findRights(tx: Tx, programId: string, role: string): Promise<Rights | undefined> {
  const [r] = await tx.select().from(companyWalletRights).where(and(eq(companyWalletRights.programId, programId), eq(companyWalletRights.role, role)));
  if (!r) return undefined;
  const limits = await tx
    .select()
    .from(companyWalletLimits)
    .where(and(eq(companyWalletLimits.programId, programId), eq(companyWalletLimits.role, role)))
    .orderBy(companyWalletLimits.currency);
  return { ...r, limits };
}

export async function listRights(tx: Tx, programId: string): Promise<Rights[]> {
  const rows = await tx.select().from(companyWalletRights).where(eq(companyWalletRights.programId, programId)).orderBy(companyWalletRights.role);
  if (!rows.length) return [];
  const limits = await tx
    .select()
    .from(companyWalletLimits)
    .where(and(eq(companyWalletLimits.programId, programId), inArray(companyWalletLimits.role, rows.map((r) => r.role))))
    .orderBy(companyWalletLimits.currency);
  return rows.map((r) => ({ ...r, limits: limits.filter((l) => l.role === r.role) }));
}

/** Replaces the rights of a role and its limits, in the caller's transaction. */
export async function putRights(tx: Tx, row: typeof companyWalletRights.$inferInsert, limits: (typeof companyWalletLimits.$inferInsert)[]): Promise<void> {
  await tx
    .insert(companyWalletRights)
    .values(row)
    .onConflictDoUpdate({ target: [companyWalletRights.programId, companyWalletRights.role], set: { redeem: row.redeem, rewardIds: row.rewardIds, categories: row.categories, updatedAt: row.updatedAt } });
  await tx.delete(companyWalletLimits).where(and(eq(companyWalletLimits.programId, row.programId), eq(companyWalletLimits.role, row.role)));
  if (limits.length) await tx.insert(companyWalletLimits).values(limits);
}

/**
 * Serialises one member's company-wallet redemptions, so two at once cannot both fit under the
 * monthly limit: the second waits, then counts the first.
 */
export async function lockRequester(tx: Tx, programId: string, memberId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`company-wallet:${programId}:${memberId}`}))`);
}

/**
 * What the member took from the company wallet in `[from, to)` in one currency without approval:
 * redemptions that went through within the limits and were not cancelled or rejected.
 */
export async function usedWithoutApproval(tx: Tx, programId: string, memberId: string, currency: string, from: Date, to: Date): Promise<bigint> {
  const [r] = await tx
    .select({ total: sql<string>`coalesce(sum(${redemptions.costAmount}), 0)` })
    .from(redemptions)
    .where(
      and(
        eq(redemptions.programId, programId),
        eq(redemptions.requestedBy, memberId),
        eq(redemptions.costCurrency, currency),
        eq(redemptions.approvalRequired, false),
        sql`${redemptions.memberId} is null`,
        sql`${redemptions.status} not in ('cancelled', 'rejected')`,
        gte(redemptions.createdAt, from),
        lt(redemptions.createdAt, to),
      ),
    );
  return BigInt(r.total);
}
