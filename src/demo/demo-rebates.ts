import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  now: Date;
  accounts: { externalId: string; parentId?: string | null; spec: { type: string } }[];
  events: ({ at: Date; account: string; n: number } & ({ kind: 'purchase'; net: number; lines: string[] } | { kind: Exclude<string, 'purchase'> }))[];
};

/**
 * The demo's volume rebate: one quarterly retroactive rebate for distributors, their branches
 * rolled up, paid in store credit. The replayed history lives on the ledger only, so this quarter's
 * purchases of the distributors and their branches are also posted as stored purchase events —
 * what the ERP would have sent — for the rebate to measure (the demo has no earning rules, so they
 * earn nothing twice). Deterministic: the plan's events, ids and dates.
 */
export async function loadDemoRebates(services: Services, ctx: RequestContext, plan: PlanView, accountIds: Map<string, string>): Promise<void> {
  const rebate = await services.rebates.create(ctx, {
    name: 'Distributor quarterly volume rebate',
    period: { calendar: 'quarter' },
    basis: { metric: 'spend', rollUp: true },
    scheme: 'retroactive',
    thresholds: [
      { min: 1_000_000, rateBp: 100 },
      { min: 2_500_000, rateBp: 200 },
      { min: 5_000_000, rateBp: 300 },
    ],
    payout: { currency: 'eur-credit' },
    graceDays: 15,
    target: { types: ['distributor'] },
  });
  const program = await services.programs.getProgram(ctx.programId);
  const quarterOf = (at: Date) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: program.timeZone, year: 'numeric', month: 'numeric' }).formatToParts(at);
    const y = parts.find((p) => p.type === 'year')!.value;
    const m = Number(parts.find((p) => p.type === 'month')!.value);
    return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  };
  const current = quarterOf(plan.now);
  const byExt = new Map(plan.accounts.map((a) => [a.externalId, a]));
  const inTree = (ext: string) => {
    const a = byExt.get(ext);
    const parent = a?.parentId ? byExt.get(a.parentId.replace(/^ext:/, '')) : undefined;
    return a?.spec.type === 'distributor' || parent?.spec.type === 'distributor';
  };
  for (const e of plan.events) {
    if (!('net' in e) || e.at >= plan.now || !inTree(e.account) || quarterOf(e.at) !== current) continue;
    await services.events.process(ctx, {
      id: `DEMO-INV-${e.n}`,
      type: 'purchase',
      occurredAt: e.at.toISOString(),
      accountId: accountIds.get(e.account)!,
      amount: e.net,
      currency: 'EUR',
      lines: e.lines.map((category) => ({ category, qty: 1, amount: Math.floor(e.net / e.lines.length) })),
      attributes: { demo: true, rebate: rebate.id },
    });
  }
}
