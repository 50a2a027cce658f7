import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../../db/database.js';
import { rewardError } from '../rewards.errors.js';
import { partners } from '../rewards.tables.js';

export type PartnerRow = typeof partners.$inferSelect;
type PartnerInsert = typeof partners.$inferInsert;
export type PartnerChanges = Partial<Omit<PartnerInsert, 'id' | 'programId' | 'createdAt' | 'updatedAt'>>;

function translate(err: unknown): never {
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'partners_program_ext_uq') {
    throw rewardError('PARTNER_EXTERNAL_ID_TAKEN', 'Another partner of this program has this external id.', [{ path: 'externalId', message: 'already taken' }]);
  }
  throw err;
}

export async function insertPartner(tx: Tx, row: PartnerInsert): Promise<PartnerRow> {
  try {
    const [p] = await tx.insert(partners).values(row).returning();
    return p;
  } catch (err) {
    return translate(err);
  }
}

export async function updatePartner(tx: Tx, programId: string, id: string, changes: PartnerChanges): Promise<PartnerRow> {
  try {
    const [p] = await tx
      .update(partners)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(partners.programId, programId), eq(partners.id, id)))
      .returning();
    return p;
  } catch (err) {
    return translate(err);
  }
}

/** A partner by server id or `ext:<externalId>`. */
export async function findPartner(tx: Tx, programId: string, ref: string): Promise<PartnerRow | undefined> {
  const byRef = ref.startsWith('ext:') ? eq(partners.externalId, ref.slice(4)) : eq(partners.id, ref);
  const [p] = await tx.select().from(partners).where(and(eq(partners.programId, programId), byRef));
  return p;
}

export async function listPartners(tx: Tx, programId: string, f: { type?: string; active?: boolean }, page: { limit: number; afterId?: string }): Promise<PartnerRow[]> {
  const where: SQL[] = [eq(partners.programId, programId)];
  if (f.type) where.push(eq(partners.type, f.type));
  if (f.active !== undefined) where.push(eq(partners.active, f.active));
  if (page.afterId) where.push(gt(partners.id, page.afterId));
  return tx.select().from(partners).where(and(...where)).orderBy(asc(partners.id)).limit(page.limit);
}

export type SettlementRow = {
  redemptionId: string;
  fulfilledAt: Date;
  rewardId: string;
  rewardName: string;
  accountId: string;
  memberId: string | null;
  qty: number;
  unitPrice: bigint;
  amount: bigint;
  currency: string;
};

/** The partner's fulfilled redemptions with `from <= fulfilled_at < to`, in the order they were fulfilled. */
export async function settlementRows(tx: Tx, programId: string, partnerId: string, from: Date, to: Date): Promise<SettlementRow[]> {
  const r = await tx.execute(sql`
    select d.id, d.fulfilled_at, d.reward_id, w.name as reward_name, d.account_id, d.member_id, d.qty,
           d.partner_unit_price, d.partner_amount, d.partner_currency
    from redemptions d join rewards w on w.program_id = d.program_id and w.id = d.reward_id
    where d.program_id = ${programId} and d.partner_id = ${partnerId} and d.status = 'fulfilled'
      and d.fulfilled_at >= ${from.toISOString()}::timestamptz and d.fulfilled_at < ${to.toISOString()}::timestamptz
    order by d.fulfilled_at, d.id`);
  return r.rows.map((x) => ({
    redemptionId: String(x.id),
    fulfilledAt: x.fulfilled_at instanceof Date ? x.fulfilled_at : new Date(String(x.fulfilled_at)),
    rewardId: String(x.reward_id),
    rewardName: String(x.reward_name),
    accountId: String(x.account_id),
    memberId: x.member_id === null ? null : String(x.member_id),
    qty: Number(x.qty),
    unitPrice: BigInt(String(x.partner_unit_price)),
    amount: BigInt(String(x.partner_amount)),
    currency: String(x.partner_currency),
  }));
}
