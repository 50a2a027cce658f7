import { accountListQuery, memberListQuery } from '../contracts/accounts.js';
import { redemptionInput, rewardListQuery } from '../contracts/rewards.js';
import { inTransaction } from '../db/database.js';
import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

const DAY = 86_400_000;

/**
 * Offboarding (#14): one salesperson who left under the demo program's policy (the default,
 * moveToCompany): points with two expiry dates and a pending award, and an open redemption, so
 * the member page shows the cancelled redemption and the balance moved to the company wallet.
 */
export async function loadDemoOffboarding(services: Services, ctx: RequestContext, now: Date): Promise<void> {
  // A dealer with room for one more person (a company has at most six in the demo).
  let account: { id: string } | undefined;
  for (const a of (await services.accounts.listAccounts(ctx.programId, accountListQuery.parse({ limit: 50, type: 'dealer' }))).items) {
    if ((await services.accounts.listAccountMembers(ctx.programId, a.id, memberListQuery.omit({ accountId: true }).parse({ limit: 10 }))).items.length < 6) {
      account = a;
      break;
    }
  }
  if (!account) return;
  const role = (await services.programs.listRoles(ctx.programId))[0]?.code;
  const currency = (await services.programs.listCurrencies(ctx.programId)).find((c) => c.kind === 'points');
  if (!role || !currency) return;
  const member = await services.accounts.createMember(ctx, account.id, { externalId: 'E-2999', name: 'Noor Haddad', role, email: 'noor.haddad@demo.example' });
  const mine = { type: 'member' as const, memberId: member.id, accountId: account.id };
  const lots = [
    { amount: 1200n, expiresAt: new Date(now.getTime() + 90 * DAY) },
    { amount: 800n, expiresAt: new Date(now.getTime() + 300 * DAY) },
    { amount: 350n, expiresAt: new Date(now.getTime() + 400 * DAY), availableAt: new Date(now.getTime() + 20 * DAY) },
  ];
  await inTransaction(services.database, async (tx) => {
    for (const [i, l] of lots.entries()) {
      await services.ledger.credit(tx, ctx, { kind: 'adjust', source: 'adjustment', idempotencyKey: `demo-offboarding:${i}`, memo: 'Sales contest', at: now, legs: [{ to: mine, currency: currency.code, amount: l.amount, expiresAt: l.expiresAt, availableAt: l.availableAt ?? null }] });
    }
  });
  const reward = (await services.rewards.catalog.listRewards(ctx.programId, rewardListQuery.parse({ limit: 50 }))).items.find((r) => r.cost.currency === currency.code && r.cost.amount <= 2000 && r.active);
  if (reward) await services.rewards.redemptions.redeem(ctx, redemptionInput.parse({ memberId: member.id, rewardId: reward.id, qty: 1 }), 'demo-offboarding:redeem');
  await services.accounts.updateMember(ctx, member.id, { status: 'left' });
}
