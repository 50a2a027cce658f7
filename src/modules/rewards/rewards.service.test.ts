import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { createRewardsService, type RewardsService } from './index.js';

/**
 * The rewards service with its two optional dependencies wired: a tier lookup (the tiers module's
 * job) and a webhook publisher (the webhooks module's job). Both are stand-ins here.
 */
let database: Database;
let s: Services;
let rewards: RewardsService;
let ctx: RequestContext;
const tiers = new Map<string, string>();
const published: { type: string; data: Record<string, unknown>; inTx: boolean }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
  rewards = createRewardsService(database, {
    audit: s.audit,
    programs: s.programs,
    ledger: s.ledger,
    idempotency: s.idempotency,
    tierOf: async (_tx: Tx, _programId: string, accountId: string) => tiers.get(accountId) ?? null,
    emit: async (tx: Tx, _programId: string, type: string, data: Record<string, unknown>) => {
      // Published inside the redemption's transaction, so a rolled-back change publishes nothing.
      const r = await tx.execute('select 1 as one');
      published.push({ type, data, inTx: r.rows.length === 1 });
    },
  });
  const { program } = await s.programs.createProgram({ name: 'deps' });
  ctx = { programId: program.id, actor: { type: 'key', id: 'key_test' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'staff', name: 'Staff' });
  const gold = await s.accounts.createAccount(ctx, { externalId: 'GOLD', name: 'Gold Ltd', type: 'dealer' });
  await s.accounts.createAccount(ctx, { externalId: 'PLAIN', name: 'Plain Ltd', type: 'dealer' });
  tiers.set(gold.id, 'gold');
  for (const ext of ['GOLD', 'PLAIN']) await s.wallets.adjust(ctx, { accountId: `ext:${ext}`, currency: 'points', amount: 1000, reason: 'seed' }, `seed-${ext}`);
});
afterAll(() => database.close());

describe('tier eligibility', () => {
  it("lets an account in a listed tier redeem, and refuses one in no tier with the account's tier in the reason", async () => {
    const r = await rewards.catalog.createReward(ctx, { name: 'Gold lounge', kind: 'experience', cost: { currency: 'points', amount: 100 }, eligibility: { tiers: ['gold', 'platinum'] } });
    const ok = await rewards.redemptions.redeem(ctx, { accountId: 'ext:GOLD', rewardId: r.id, qty: 1 }, 'gold-1');
    expect(ok.body.status).toBe('requested');
    const refused = await rewards.redemptions.redeem(ctx, { accountId: 'ext:PLAIN', rewardId: r.id, qty: 1 }, 'plain-1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'NOT_ELIGIBLE', status: 409, errors: [{ path: 'rewardId', message: expect.stringContaining('in no tier') }] });
  });

  it('treats every account as in no tier without a tier lookup', async () => {
    const r = await s.rewards.catalog.createReward(ctx, { name: 'Gold gift', kind: 'gift', cost: { currency: 'points', amount: 100 }, eligibility: { tiers: ['gold'] } });
    await expect(s.rewards.redemptions.redeem(ctx, { accountId: 'ext:GOLD', rewardId: r.id, qty: 1 }, 'gold-2')).rejects.toMatchObject({ code: 'NOT_ELIGIBLE' });
  });
});

describe('redemption.status_changed', () => {
  it('is published for every step, in the transaction of the change, with from and to', async () => {
    published.length = 0;
    const r = await rewards.catalog.createReward(ctx, { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: 10 } });
    const d = (await rewards.redemptions.redeem(ctx, { accountId: 'ext:PLAIN', rewardId: r.id, qty: 2 }, 'mug-1')).body;
    await rewards.redemptions.transition(ctx, d.id, 'approve', {});
    await rewards.redemptions.transition(ctx, d.id, 'fulfil', {});
    await expect(rewards.redemptions.transition(ctx, d.id, 'cancel', {})).rejects.toMatchObject({ code: 'WRONG_STATE' });
    expect(published.map((m) => [m.type, m.data.from, m.data.to, m.inTx])).toEqual([
      ['redemption.status_changed', null, 'requested', true],
      ['redemption.status_changed', 'requested', 'approved', true],
      ['redemption.status_changed', 'approved', 'fulfilled', true],
    ]);
    expect(published[0].data).toMatchObject({ redemptionId: d.id, rewardId: r.id, qty: 2, cost: { currency: 'points', amount: 20 }, wallet: { accountId: d.accountId } });
  });
});
