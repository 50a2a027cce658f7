import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = { now: Date; accounts: { externalId: string; parentId?: string | null; spec: { type: string } }[] };

const DAY = 86_400_000;
/**
 * Account health (#16): nine installers and dealers get a year of purchase events with a known
 * cycle — 16 intervals of the cycle and 4 of ten days more, so the 80th percentile is the cycle + 2
 * days and the 90th the cycle + 10 — ending so that five are `ok`, two `at_risk` (past their 80th
 * percentile) and two `lapsed` (past their 90th, their orders shrinking too). The daily
 * recomputation then stores every account's cycle and risk for the "At risk" list. Deterministic:
 * fixed accounts (the first nine installers and dealers), cycles, amounts and dates.
 */
const PROFILES: { cycle: number; sinceLast: number; amount: number; fading?: true }[] = [
  { cycle: 7, sinceLast: 2, amount: 42_000 },
  { cycle: 14, sinceLast: 5, amount: 88_000 },
  { cycle: 21, sinceLast: 10, amount: 120_000 },
  { cycle: 30, sinceLast: 12, amount: 190_000 },
  { cycle: 10, sinceLast: 4, amount: 65_000 },
  { cycle: 14, sinceLast: 19, amount: 97_000 },
  { cycle: 21, sinceLast: 26, amount: 150_000 },
  { cycle: 10, sinceLast: 45, amount: 70_000, fading: true },
  { cycle: 7, sinceLast: 40, amount: 55_000, fading: true },
];

export async function loadDemoHealth(services: Services, ctx: RequestContext, plan: PlanView, accountIds: Map<string, string>): Promise<void> {
  const chosen = plan.accounts.filter((a) => !a.parentId && (a.spec.type === 'installer' || a.spec.type === 'dealer')).slice(0, PROFILES.length);
  let n = 0;
  const batch: Record<string, unknown>[] = [];
  for (const [i, a] of chosen.entries()) {
    const p = PROFILES[i];
    // 21 purchases, newest first back in time: the intervals (newest last) are 16 × cycle and 4 × (cycle + 10).
    const intervals = Array.from({ length: 20 }, (_, k) => (k % 5 === 4 ? p.cycle + 10 : p.cycle));
    let at = plan.now.getTime() - p.sinceLast * DAY;
    const dates: number[] = [at];
    for (const gap of intervals) dates.push((at -= gap * DAY));
    dates.reverse();
    for (const [k, t] of dates.entries()) {
      // A lapsing account's orders shrink over its last half year.
      const amount = p.fading && k >= 12 ? Math.round(p.amount / (1 + (k - 11) * 0.4)) : p.amount;
      batch.push({
        id: `DEMO-HLT-${++n}`,
        type: 'purchase',
        occurredAt: new Date(t + 10 * 3_600_000).toISOString(),
        accountId: accountIds.get(a.externalId)!,
        amount,
        currency: 'EUR',
        attributes: { demo: true, health: true },
      });
    }
  }
  // One batch (one transaction) of 189 purchases, in time order.
  batch.sort((x, y) => String(x.occurredAt).localeCompare(String(y.occurredAt)));
  const rejected = (await services.events.processBatch(ctx, batch)).items.filter((i) => i.status === 'rejected');
  if (rejected.length) throw new Error(`demo health: ${rejected.length} purchases rejected (${JSON.stringify(rejected[0])})`);
  await services.health.recompute(plan.now);
}
