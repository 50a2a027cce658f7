import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../../db/database.js';
import { rewardError } from '../rewards.errors.js';
import { redemptions, rewards, type StatusStep } from '../rewards.tables.js';

export type RedemptionRow = typeof redemptions.$inferSelect;
type RedemptionInsert = typeof redemptions.$inferInsert;
export type RedemptionChanges = Partial<Pick<RedemptionInsert, 'status' | 'voucherCode' | 'validUntil' | 'trackingNumber' | 'receiptNumber' | 'fulfilledAt'>>;
export type RedemptionFilter = { status?: RedemptionRow['status']; memberId?: string; accountId?: string; rewardId?: string; partnerId?: string; mine?: string };

function translate(err: unknown): never {
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'redemptions_voucher_uq') {
    throw rewardError('VOUCHER_CODE_TAKEN', 'Another redemption of this program has this voucher code.', [{ path: 'voucherCode', message: 'already used' }]);
  }
  throw err;
}

export async function insertRedemption(tx: Tx, row: RedemptionInsert): Promise<RedemptionRow> {
  const [r] = await tx.insert(redemptions).values(row).returning();
  return r;
}

/** A redemption of the program; `forUpdate` locks it so two transitions cannot both start from the same state. */
export async function findRedemption(tx: Tx, programId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<RedemptionRow | undefined> {
  const q = tx.select().from(redemptions).where(and(eq(redemptions.programId, programId), eq(redemptions.id, id)));
  const [r] = opts.forUpdate ? await q.for('update') : await q;
  return r;
}

/** Moves a redemption to a new state and appends the step to its history, in one statement. */
export async function updateRedemption(tx: Tx, programId: string, id: string, changes: RedemptionChanges, step: StatusStep | StatusStep[]): Promise<RedemptionRow> {
  const steps = Array.isArray(step) ? step : [step];
  try {
    const [r] = await tx
      .update(redemptions)
      .set({ ...changes, history: sql`${redemptions.history} || ${JSON.stringify(steps)}::jsonb`, updatedAt: new Date(steps[0].at) })
      .where(and(eq(redemptions.programId, programId), eq(redemptions.id, id)))
      .returning();
    return r;
  } catch (err) {
    return translate(err);
  }
}

/** Offboarding (#14): a member's redemptions still holding value from their own wallet, oldest first. */
export async function openIdsOfMember(tx: Tx, programId: string, memberId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: redemptions.id })
    .from(redemptions)
    .where(and(eq(redemptions.programId, programId), eq(redemptions.memberId, memberId), inArray(redemptions.status, ['requested', 'approved'])))
    .orderBy(redemptions.id);
  return rows.map((r) => r.id);
}

/** Newest first. */
export async function listRedemptions(tx: Tx, programId: string, f: RedemptionFilter, page: { limit: number; beforeId?: string }): Promise<RedemptionRow[]> {
  const where: SQL[] = [eq(redemptions.programId, programId)];
  if (f.status) where.push(eq(redemptions.status, f.status));
  if (f.memberId) where.push(eq(redemptions.memberId, f.memberId));
  if (f.accountId) where.push(eq(redemptions.accountId, f.accountId));
  if (f.rewardId) where.push(eq(redemptions.rewardId, f.rewardId));
  if (f.partnerId) where.push(eq(redemptions.partnerId, f.partnerId));
  // A portal member's own: paid from their wallet, or asked for by them from the company's (#14).
  if (f.mine) where.push(or(eq(redemptions.memberId, f.mine), eq(redemptions.requestedBy, f.mine))!);
  if (page.beforeId) where.push(lt(redemptions.id, page.beforeId));
  return tx.select().from(redemptions).where(and(...where)).orderBy(desc(redemptions.id)).limit(page.limit);
}

/** Names and kinds of the given rewards, for answers that show what was redeemed. */
export async function rewardLabels(tx: Tx, programId: string, ids: string[]): Promise<Map<string, { name: string; kind: (typeof rewards.$inferSelect)['kind']; charity: string | null }>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .select({ id: rewards.id, name: rewards.name, kind: rewards.kind, charity: rewards.charity })
    .from(rewards)
    .where(and(eq(rewards.programId, programId), inArray(rewards.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, { name: r.name, kind: r.kind, charity: r.charity }]));
}

export type FulfilmentRow = RedemptionRow & { rewardName: string; rewardKind: (typeof rewards.$inferSelect)['kind']; rewardExternalId: string | null; approvedAt: string };

/** Approved redemptions waiting for delivery, oldest approval first. */
export async function approvedForFulfilment(tx: Tx, programId: string, f: { rewardId?: string; kind?: FulfilmentRow['rewardKind']; partnerId?: string }, limit: number): Promise<FulfilmentRow[]> {
  const where: SQL[] = [eq(redemptions.programId, programId), eq(redemptions.status, 'approved')];
  if (f.rewardId) where.push(eq(redemptions.rewardId, f.rewardId));
  if (f.kind) where.push(eq(rewards.kind, f.kind));
  if (f.partnerId) where.push(eq(redemptions.partnerId, f.partnerId));
  const rows = await tx
    .select({ r: redemptions, rewardName: rewards.name, rewardKind: rewards.kind, rewardExternalId: rewards.externalId })
    .from(redemptions)
    .innerJoin(rewards, and(eq(rewards.programId, redemptions.programId), eq(rewards.id, redemptions.rewardId)))
    .where(and(...where))
    .orderBy(redemptions.updatedAt, redemptions.id)
    .limit(limit);
  return rows.map((x) => ({
    ...x.r,
    rewardName: x.rewardName,
    rewardKind: x.rewardKind,
    rewardExternalId: x.rewardExternalId,
    approvedAt: [...x.r.history].reverse().find((s) => s.status === 'approved')?.at ?? x.r.updatedAt.toISOString(),
  }));
}

/**
 * Who redeemed a reward and when, as a subquery of `(member_id, at)`: the member whose wallet paid,
 * or the member who asked for a company redemption; cancelled and rejected ones do not count.
 */
export function redeemedRewardSql(programId: string, rewardId: string): SQL {
  return sql`select coalesce(r.member_id, case when r.history->0->'by'->>'type' = 'member' then r.history->0->'by'->>'id' end) as member_id, r.created_at as at
    from redemptions r where r.program_id = ${programId} and r.reward_id = ${rewardId} and r.status not in ('cancelled', 'rejected')`;
}
