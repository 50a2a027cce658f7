import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  accounts: { externalId: string; members: { externalId: string; role: string; leftAt: Date | null; partnerAdmin?: boolean }[] }[];
};

/**
 * Rights inside a company (#14): sales representatives (or the role of C-1001's first colleague
 * who is not its partner admin) may redeem from their company's wallet up to a limit per
 * redemption and per month; one of C-1001's people asked for more than that, so the demo's
 * partner admin finds one redemption under Approvals. Deterministic: the plan's order, the
 * catalog's cheapest reward over the limit.
 */
export async function loadDemoCompanyRights(services: Services, ctx: RequestContext, plan: PlanView, memberIds: Map<string, string>): Promise<void> {
  const account = plan.accounts.find((a) => a.externalId === 'C-1001');
  const asker = account?.members.find((m) => !m.partnerAdmin && !m.leftAt);
  const { items } = await services.rewards.catalog.listRewards(ctx.programId, { limit: 500, active: true });
  const wallets = account ? await services.wallets.walletsOf(ctx.programId, { accountId: 'ext:C-1001' }) : [];
  const points = wallets.find((w) => w.currency === 'points')?.available ?? 0;
  // The cheapest reward the company can pay for, with a limit just under its cost.
  const reward = items
    .filter((r) => r.cost.currency === 'points' && r.cost.amount > 1 && r.cost.amount <= points && r.availableNow && !r.questions.length)
    .sort((a, b) => a.cost.amount - b.cost.amount || a.id.localeCompare(b.id))[0];
  const roles = new Set(['sales', ...(asker ? [asker.role] : [])]);
  for (const role of roles) {
    await services.rewards.companyRights.put(ctx, role, { redeem: true, limits: [{ currency: 'points', perRedemption: reward ? Math.min(2000, reward.cost.amount - 1) : 2000, perMonth: 5000 }], rewards: 'all' });
  }
  if (!asker || !reward) return;
  const me = { ...ctx, actor: { type: 'member' as const, id: memberIds.get(asker.externalId)! } };
  await services.rewards.redemptions.redeem(me, { accountId: 'ext:C-1001', rewardId: reward.id, qty: 1, note: 'For the new showroom' }, 'demo:company-rights');
}
