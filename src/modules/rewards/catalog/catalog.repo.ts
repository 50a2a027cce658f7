import { and, asc, eq, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../../db/database.js';
import { rewardError } from '../rewards.errors.js';
import { rewards } from '../rewards.tables.js';

export type RewardRow = typeof rewards.$inferSelect;
type RewardInsert = typeof rewards.$inferInsert;
export type RewardChanges = Partial<Omit<RewardInsert, 'id' | 'programId' | 'kind' | 'createdAt' | 'updatedAt'>>;
export type RewardFilter = { kind?: RewardRow['kind']; category?: string; activeAt?: Date; inactiveAt?: Date; partnerId?: string };

function translate(err: unknown): never {
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'rewards_program_ext_uq') {
    throw rewardError('REWARD_EXTERNAL_ID_TAKEN', 'Another reward of this program has this external id.', [{ path: 'externalId', message: 'already taken' }]);
  }
  throw err;
}

export async function insertReward(tx: Tx, row: RewardInsert): Promise<RewardRow> {
  try {
    const [r] = await tx.insert(rewards).values(row).returning();
    return r;
  } catch (err) {
    return translate(err);
  }
}

export async function updateReward(tx: Tx, programId: string, id: string, changes: RewardChanges): Promise<RewardRow> {
  try {
    const [r] = await tx
      .update(rewards)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(rewards.programId, programId), eq(rewards.id, id)))
      .returning();
    return r;
  } catch (err) {
    return translate(err);
  }
}

/** A reward by server id or `ext:<externalId>`; `forUpdate` locks the row (a PATCH reads, merges and writes it). */
export async function findReward(tx: Tx, programId: string, ref: string, opts: { forUpdate?: boolean } = {}): Promise<RewardRow | undefined> {
  const byRef = ref.startsWith('ext:') ? eq(rewards.externalId, ref.slice(4)) : eq(rewards.id, ref);
  const q = tx.select().from(rewards).where(and(eq(rewards.programId, programId), byRef));
  const [r] = opts.forUpdate ? await q.for('update') : await q;
  return r;
}

/** Is the reward redeemable at `at`: the active flag and the window. */
const activeAt = (at: Date): SQL =>
  and(eq(rewards.active, true), or(isNull(rewards.activeFrom), lte(rewards.activeFrom, at)), or(isNull(rewards.activeTo), gt(rewards.activeTo, at)))!;

export async function listRewards(tx: Tx, programId: string, f: RewardFilter, page: { limit: number; afterId?: string }): Promise<RewardRow[]> {
  const where: SQL[] = [eq(rewards.programId, programId)];
  if (f.kind) where.push(eq(rewards.kind, f.kind));
  if (f.category) where.push(eq(rewards.category, f.category));
  if (f.partnerId) where.push(eq(rewards.partnerId, f.partnerId));
  if (f.activeAt) where.push(activeAt(f.activeAt));
  if (f.inactiveAt) where.push(sql`not (${activeAt(f.inactiveAt)})`);
  if (page.afterId) where.push(gt(rewards.id, page.afterId));
  return tx.select().from(rewards).where(and(...where)).orderBy(asc(rewards.id)).limit(page.limit);
}

/** Rewards of every program whose window opened in `(since, at]` and that are available at `at` (active, in stock): announced by the daily job. */
export async function openedBetween(tx: Tx, since: Date, at: Date): Promise<RewardRow[]> {
  return tx
    .select()
    .from(rewards)
    .where(and(activeAt(at), gt(rewards.activeFrom, since), or(isNull(rewards.stock), gt(rewards.stock, 0))))
    .orderBy(asc(rewards.programId), asc(rewards.id));
}

/** Categories with how many rewards each has: the shelves of a hobby shop. */
export async function categories(tx: Tx, programId: string, at: Date): Promise<{ category: string; rewards: number }[]> {
  const rows = await tx
    .select({ category: rewards.category, n: sql<number>`count(*)::int` })
    .from(rewards)
    .where(and(eq(rewards.programId, programId), activeAt(at), sql`${rewards.category} is not null`))
    .groupBy(rewards.category)
    .orderBy(asc(rewards.category));
  return rows.map((r) => ({ category: r.category!, rewards: Number(r.n) }));
}

/**
 * Takes `qty` units of stock in one guarded statement: the row lock taken by the UPDATE and the
 * `stock >= qty` re-check after any wait mean concurrent takers can never drive it below zero.
 * Returns what is left (null for unlimited stock), or false when there is not enough.
 */
export async function takeStock(tx: Tx, programId: string, rewardId: string, qty: number): Promise<number | null | false> {
  const r = await tx.execute<{ stock: number | null }>(sql`
    update rewards set stock = stock - ${qty}, updated_at = now()
    where program_id = ${programId} and id = ${rewardId} and (stock is null or stock >= ${qty})
    returning stock`);
  return r.rows.length ? (r.rows[0].stock === null ? null : Number(r.rows[0].stock)) : false;
}

/** Gives units back (a cancelled or rejected redemption). Unlimited stock stays unlimited. */
export async function returnStock(tx: Tx, programId: string, rewardId: string, qty: number): Promise<void> {
  await tx.execute(sql`update rewards set stock = stock + ${qty}, updated_at = now() where program_id = ${programId} and id = ${rewardId} and stock is not null`);
}
