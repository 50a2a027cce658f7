import type { RequestContext } from '../lib/context.js';
import { rewardInput, type RewardKind } from '../contracts/rewards.js';
import type { Services } from '../services.js';
import { COMPANY_REWARDS, MEMBER_REWARDS, STAMP_REWARD, type Reward } from './demo-catalog.js';

/** What kind of reward a demo catalog entry is, read from its name (the catalog lists names only). */
function kindOf(r: Reward): { kind: RewardKind; charity?: string } {
  if (/^Donation/.test(r.name)) return { kind: 'donation', charity: 'Clean water for schools' };
  if (/^Online course/.test(r.name)) return { kind: 'content' };
  if (/^Voucher/.test(r.name)) return { kind: 'voucher' };
  if (/Weekend|convention/.test(r.name)) return { kind: 'experience' };
  if (/delivery|warranty|training|service kit/i.test(r.name)) return { kind: 'service' };
  return { kind: 'gift' };
}

/**
 * The catalog the demo's people redeem from: the rewards its history names (members' gifts, the
 * companies' rewards, the stamp card's service kit), created through the catalog service so the
 * console's Rewards screen and the portal's catalog show them. Gifts for people keep a stock.
 */
export async function loadDemoRewards(services: Services, ctx: RequestContext): Promise<void> {
  const entries: { reward: Reward; currency: string; category: string; stock?: number }[] = [
    ...MEMBER_REWARDS.map((reward) => ({ reward, currency: 'points', category: 'people', stock: 40 })),
    ...COMPANY_REWARDS.map((reward) => ({ reward, currency: 'points', category: 'company' })),
    { reward: STAMP_REWARD, currency: 'stamps', category: 'stamps' },
  ];
  for (const [i, e] of entries.entries()) {
    const input = rewardInput.parse({
      externalId: `R-${String(i + 1).padStart(3, '0')}`,
      name: e.reward.name,
      ...kindOf(e.reward),
      category: e.category,
      cost: { currency: e.currency, amount: e.reward.cost },
      ...(e.stock === undefined ? {} : { stock: e.stock }),
    });
    await services.rewards.catalog.createReward(ctx, input);
  }
}
