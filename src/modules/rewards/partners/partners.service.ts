import type { z } from 'zod';
import type { partnerInput, partnerListQuery, partnerView, settlementView } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { toCsv } from '../../../lib/csv.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { newId } from '../../../lib/ids.js';
import type { AuditService } from '../../audit/index.js';
import { rewardError } from '../rewards.errors.js';
import * as repo from './partners.repo.js';

type PartnerInput = z.infer<typeof partnerInput>;
type PartnerView = z.infer<typeof partnerView>;
type Settlement = z.infer<typeof settlementView>;

const toPartner = (p: repo.PartnerRow): PartnerView => ({
  id: p.id,
  externalId: p.externalId,
  name: p.name,
  type: p.type,
  currency: p.currency,
  contact: p.contact,
  active: p.active,
  attributes: p.attributes,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export function createPartnersService(database: Database, deps: { audit: AuditService }) {
  const { audit } = deps;

  async function rowOr404(tx: Tx, programId: string, ref: string) {
    const p = await repo.findPartner(tx, programId, ref);
    if (!p) throw rewardError('PARTNER_NOT_FOUND', `No partner "${ref}" in this program.`);
    return p;
  }

  return {
    async createPartner(ctx: RequestContext, input: PartnerInput): Promise<PartnerView> {
      return inTransaction(database, async (tx) => {
        const row = await repo.insertPartner(tx, {
          id: newId('prt'),
          programId: ctx.programId,
          externalId: input.externalId ?? null,
          name: input.name,
          type: input.type ?? null,
          currency: input.currency ?? null,
          contact: input.contact ?? {},
          active: input.active ?? true,
          attributes: input.attributes ?? {},
        });
        const view = toPartner(row);
        await audit.record(tx, ctx, { action: 'partner.created', objectType: 'partner', objectId: row.id, after: view });
        return view;
      });
    },

    async updatePartner(ctx: RequestContext, ref: string, patch: Partial<PartnerInput>): Promise<PartnerView> {
      return inTransaction(database, async (tx) => {
        const before = await rowOr404(tx, ctx.programId, ref);
        const after = await repo.updatePartner(tx, ctx.programId, before.id, patch);
        const view = toPartner(after);
        await audit.record(tx, ctx, { action: 'partner.updated', objectType: 'partner', objectId: before.id, before: toPartner(before), after: view });
        return view;
      });
    },

    async getPartner(programId: string, ref: string): Promise<PartnerView> {
      return inTransaction(database, async (tx) => toPartner(await rowOr404(tx, programId, ref)));
    },

    async listPartners(programId: string, q: z.infer<typeof partnerListQuery>) {
      return inTransaction(database, async (tx) => {
        const rows = await repo.listPartners(tx, programId, { type: q.type, active: q.active }, { limit: q.limit + 1, afterId: decodeCursor(q.cursor) });
        const items = rows.slice(0, q.limit).map(toPartner);
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /**
     * What the program owes the partner for the period: the partner price (copied onto each
     * redemption when it was made) times the quantity, of every redemption fulfilled in
     * `[from, to)`, summed per currency in integers.
     */
    async settlement(programId: string, ref: string, from: Date, to: Date): Promise<Settlement> {
      return inTransaction(database, async (tx) => {
        const p = await rowOr404(tx, programId, ref);
        const rows = await repo.settlementRows(tx, programId, p.id, from, to);
        const totals = new Map<string, { amount: bigint; redemptions: number; units: number }>();
        for (const r of rows) {
          const t = totals.get(r.currency) ?? { amount: 0n, redemptions: 0, units: 0 };
          t.amount += r.amount;
          t.redemptions += 1;
          t.units += r.qty;
          totals.set(r.currency, t);
        }
        return {
          partnerId: p.id,
          partnerName: p.name,
          from: from.toISOString(),
          to: to.toISOString(),
          totals: [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({ currency, amount: Number(t.amount), redemptions: t.redemptions, units: t.units })),
          items: rows.map((r) => ({
            redemptionId: r.redemptionId,
            fulfilledAt: r.fulfilledAt.toISOString(),
            rewardId: r.rewardId,
            rewardName: r.rewardName,
            accountId: r.accountId,
            memberId: r.memberId,
            qty: r.qty,
            unitPrice: Number(r.unitPrice),
            amount: Number(r.amount),
            currency: r.currency,
          })),
        };
      });
    },
  };
}

/** A settlement as CSV: one `redemption` line each, then one `total` line per currency. Amounts in minor units. */
export function settlementCsv(s: Settlement): string {
  return toCsv([
    ['line', 'redemption_id', 'fulfilled_at', 'reward_id', 'reward_name', 'account_id', 'member_id', 'qty', 'unit_price_minor', 'amount_minor', 'currency'],
    ...s.items.map((i) => ['redemption', i.redemptionId, i.fulfilledAt, i.rewardId, i.rewardName, i.accountId, i.memberId, i.qty, i.unitPrice, i.amount, i.currency]),
    ...s.totals.map((t) => ['total', null, null, null, `${t.redemptions} redemptions`, null, null, t.units, null, t.amount, t.currency]),
  ]);
}

export type PartnersService = ReturnType<typeof createPartnersService>;
