import type { RequestContext } from '../lib/context.js';
import { seededRandom, stratifiedRandomise } from '../modules/reports/index.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  now: Date;
  accounts: { externalId: string; parentId?: string | null; spec: { type: string }; attributes?: Record<string, unknown> }[];
};

/** The demo's pilot: its group names and periods, for docs/demo.md and the console's defaults. */
export function demoPilotPeriods(now: Date) {
  const month = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  return { group: 'pilot', control: 'control', preFrom: month(-6), preTo: month(-3), from: month(-3), to: month(0) };
}

/**
 * Program analytics (#18): a pilot and a control group with a visible uplift. The dealers,
 * installers and resellers outside the distributors' trees are randomised (seed 18, stratified by
 * type) into `pilotGroup: "pilot"` and `"control"`; each has a monthly purchase for the six full
 * months before this one. Everyone's spend follows the same season; from three months ago (the
 * pilot's launch) the pilot's spend is 12 % higher. `GET /reports/pilot?group=pilot&control=control`
 * with the periods of `demoPilotPeriods` shows the uplift and its interval. The demo has no
 * earning rules, so these purchases earn nothing. Deterministic: the seed, the plan's dates.
 */
export async function loadDemoAnalytics(services: Services, ctx: RequestContext, plan: PlanView, accountIds: Map<string, string>): Promise<void> {
  // The concept's KPI targets, and the rollout done up to the pilot: the launch waits for its result.
  await services.reports.putPlan(ctx, { targets: { participationBp: 6000, reachBp: 8000, redemptionRateBp: 3000, upliftBp: 500 }, done: ['research', 'concept', 'platform', 'pilot'] });
  const byExt = new Map(plan.accounts.map((a) => [a.externalId, a]));
  const eligible = plan.accounts.filter((a) => {
    if (!['dealer', 'installer', 'reseller'].includes(a.spec.type)) return false;
    const parent = a.parentId ? byExt.get(a.parentId.replace(/^ext:/, '')) : undefined;
    return parent?.spec.type !== 'distributor';
  });
  const groups = stratifiedRandomise(eligible.map((a) => ({ accountId: a.externalId, stratum: a.spec.type })), 18);
  const periods = demoPilotPeriods(plan.now);
  const random = seededRandom(1800);
  for (const g of groups) {
    const account = byExt.get(g.accountId)!;
    const id = accountIds.get(g.accountId)!;
    await services.accounts.updateAccount(ctx, id, { attributes: { ...(account.attributes ?? {}), pilotGroup: g.group } });
    // €3,000–6,000 a month, a season of ±6 %, ±4 % noise; the pilot +12 % after the launch.
    const level = 300_000 + Math.floor(random() * 300_000);
    for (let k = -6; k < 0; k++) {
      const at = new Date(Date.UTC(plan.now.getUTCFullYear(), plan.now.getUTCMonth() + k, 12, 10));
      const season = 1 + 0.06 * Math.sin((at.getUTCMonth() / 12) * 2 * Math.PI);
      const uplift = g.group === 'pilot' && at >= periods.from ? 1.12 : 1;
      const amount = Math.round(level * season * uplift * (1 + 0.08 * (random() - 0.5)));
      await services.events.process(ctx, {
        id: `DEMO-PILOT-${g.accountId}-${at.toISOString().slice(0, 7)}`,
        type: 'purchase',
        occurredAt: at.toISOString(),
        accountId: id,
        amount,
        currency: 'EUR',
        attributes: { demo: true, pilot: true },
      });
    }
  }
}
