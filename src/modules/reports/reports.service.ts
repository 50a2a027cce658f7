import { ROLLOUT_STEPS, type CohortsView, type DashboardMonth, type DashboardView, type KpisView, type PilotView, type PlanPut, type PlanView } from '../../contracts/reports.js';
import { eq } from 'drizzle-orm';
import type { RequestContext } from '../../lib/context.js';
import type { AuditService } from '../audit/index.js';
import { analyticsPlans } from './reports.tables.js';
import { inTransaction, type Database } from '../../db/database.js';
import { safeSum } from '../../lib/json.js';
import { accountDimensions, findAccountIn, managedAccountIdsIn, participantCounts } from '../accounts/index.js';
import { activeEventAccountsBetween, activeInEvents, activityByAccountMonth, purchasesByAccount, purchasesByAccountMonth } from '../events/index.js';
import { activeWalletAccountsBetween, activeWalletOwners, issueCohorts, outstandingAt, outstandingDebt, participantFlowsByDay, systemFlowsByMonth, topEarningAccounts } from '../ledger/index.js';
import type { Currency } from '../programs/index.js';
import { currentTierCodes } from '../tiers/index.js';
import { addMonths, cohortRetention, computeKpis, type CurrencyCost, type KpiDimension } from './kpis.js';
import { differenceInDifferences, type PanelRow } from '../../contracts/analytics-stats.js';

const DAY = 86_400_000;

/** `2026-11` and `n` → the first instant of the month n months earlier, UTC. */
function monthStart(now: Date, monthsBack: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
}

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export type ReportsService = ReturnType<typeof createReportsService>;

/**
 * Read-only reports for the console. Each figure is an SQL aggregate read through the owning
 * module's index (ledger for value flows, events and ledger for activity, accounts for counts).
 */
export function createReportsService(database: Database, opts: { now?: () => Date; currencies?: (programId: string) => Promise<Currency[]>; audit?: AuditService } = {}) {
  const now = opts.now ?? (() => new Date());
  const currencies = opts.currencies ?? (async () => []);
  return {
    /**
     * Analytics (#18): the KPIs over [from, to), see docs/analytics.md. Money currencies cost
     * their face value in their money; other currencies have no cost counted until one is set.
     */
    async kpis(programId: string, query: { from: string; to: string; by?: KpiDimension; windowDays: number }): Promise<KpisView> {
      const from = new Date(query.from);
      const to = new Date(query.to);
      const windowFrom = new Date(to.getTime() - query.windowDays * DAY);
      const costs = new Map<string, CurrencyCost>();
      for (const c of await currencies(programId)) if (c.kind === 'money' && c.moneyCurrency) costs.set(c.code, { moneyCurrency: c.moneyCurrency, costPer1000: 1000n });
      return inTransaction(database, async (tx) => {
        const dims = await accountDimensions(tx, programId);
        const tiers = await currentTierCodes(tx, programId);
        const active = new Set([...(await activeWalletAccountsBetween(tx, programId, windowFrom, to)), ...(await activeEventAccountsBetween(tx, programId, windowFrom, to))]);
        const flows = await participantFlowsByDay(tx, programId, from, to);
        const purchases = await purchasesByAccount(tx, programId, from, to);
        const cohorts = await issueCohorts(tx, programId);
        const outstanding = await outstandingAt(tx, programId, to);
        const result = computeKpis({
          accounts: dims.map((a) => ({ id: a.id, type: a.type, segment: a.segment, region: a.region, tier: tiers.get(a.id) ?? null })),
          activeAccountIds: active,
          flows,
          revenue: purchases.filter((p) => p.currency).map((p) => ({ accountId: p.accountId, currency: p.currency, amount: p.spend })),
          cohorts,
          outstanding,
          costs,
          by: query.by ?? null,
        });
        const byMonth = new Map<string, { month: string; currency: string; issued: bigint; redeemed: bigint; expired: bigint; reversed: bigint }>();
        for (const f of flows) {
          const key = `${f.day.slice(0, 7)}|${f.currency}`;
          let m = byMonth.get(key);
          if (!m) byMonth.set(key, (m = { month: f.day.slice(0, 7), currency: f.currency, issued: 0n, redeemed: 0n, expired: 0n, reversed: 0n }));
          m.issued += f.issued + f.adjusted;
          m.redeemed += f.redeemed;
          m.expired += f.expired;
          m.reversed += f.reversed;
        }
        const n = safeSum;
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          by: query.by ?? null,
          windowDays: query.windowDays,
          slices: result.slices.map((s) => ({
            ...s,
            value: s.value.map((v) => ({ ...v, issued: n(v.issued), adjusted: n(v.adjusted), redeemed: n(v.redeemed), expired: n(v.expired), reversed: n(v.reversed) })),
            money: s.money.map((m) => ({ ...m, revenue: n(m.revenue), cost: n(m.cost), revenuePerAccount: n(m.revenuePerAccount) })),
          })),
          liability: result.liability.map((l) => ({ ...l, outstanding: n(l.outstanding), liability: n(l.liability), liabilityAtCost: l.liabilityAtCost ? { moneyCurrency: l.liabilityAtCost.moneyCurrency, amount: n(l.liabilityAtCost.amount) } : null })),
          months: [...byMonth.values()]
            .sort((a, b) => (a.month + a.currency < b.month + b.currency ? -1 : 1))
            .map((m) => ({ month: m.month, currency: m.currency, issued: n(m.issued), redeemed: n(m.redeemed), expired: n(m.expired), reversed: n(m.reversed) })),
        };
      });
    },

    /** Analytics (#18): the program's KPI targets and rollout checklist. */
    async plan(programId: string): Promise<PlanView> {
      return inTransaction(database, async (tx) => toPlanView((await tx.select().from(analyticsPlans).where(eq(analyticsPlans.programId, programId)))[0]));
    },

    /** Analytics (#18): replaces the plan; idempotent (the same body again changes nothing but `updatedAt`), audited. */
    async putPlan(ctx: RequestContext, input: PlanPut): Promise<PlanView> {
      return inTransaction(database, async (tx) => {
        const [row] = await tx.select().from(analyticsPlans).where(eq(analyticsPlans.programId, ctx.programId)).for('update');
        const before = toPlanView(row);
        const at = now().toISOString();
        const by = ctx.actor.id;
        const checklist: Record<string, { doneAt: string; by: string } | null> = {};
        for (const step of ROLLOUT_STEPS) checklist[step] = input.done.includes(step) ? (row?.checklist[step] ?? { doneAt: at, by }) : null;
        const values = { programId: ctx.programId, targets: input.targets as Record<string, number>, checklist, updatedAt: new Date(at) };
        await tx.insert(analyticsPlans).values(values).onConflictDoUpdate({ target: analyticsPlans.programId, set: { targets: values.targets, checklist, updatedAt: values.updatedAt } });
        const after = toPlanView(values);
        await opts.audit?.record(tx, ctx, { action: 'analytics_plan.updated', objectType: 'program', objectId: ctx.programId, before, after });
        return after;
      });
    },

    /** Analytics (#18): accounts by month of joining, their retention and cumulative spend. */
    async cohorts(programId: string, query: { months: number }): Promise<CohortsView> {
      const last = monthKey(now());
      const first = addMonths(last, -(query.months - 1));
      return inTransaction(database, async (tx) => {
        const dims = await accountDimensions(tx, programId);
        const { activity, firstMonth } = await activityByAccountMonth(tx, programId, new Date(`${first}-01T00:00:00Z`));
        const joined = new Map<string, string>();
        for (const a of dims) {
          const created = monthKey(a.createdAt);
          const seen = firstMonth.get(a.id);
          joined.set(a.id, seen && seen < created ? seen : created);
        }
        return { cohorts: cohortRetention(joined, activity, first, last) };
      });
    },

    /**
     * Analytics (#18): pilot against control by difference-in-differences on each account's
     * total of `metric` in the pre and the post period (accounts without purchases count 0).
     */
    async pilot(programId: string, query: { group: string; control: string; preFrom: string; preTo: string; from: string; to: string; metric: 'spend' | 'purchases' }): Promise<PilotView> {
      const [preFrom, preTo, from, to] = [query.preFrom, query.preTo, query.from, query.to].map((d) => new Date(d)) as [Date, Date, Date, Date];
      return inTransaction(database, async (tx) => {
        const dims = await accountDimensions(tx, programId);
        const groupOf = new Map<string, 'pilot' | 'control'>();
        for (const a of dims) {
          const inPilot = a.pilotGroups.includes(query.group);
          const inControl = a.pilotGroups.includes(query.control);
          // An account in both is in neither: it would count against itself.
          if (inPilot !== inControl) groupOf.set(a.id, inPilot ? 'pilot' : 'control');
        }
        const value = (p: { purchases: number; spend: bigint }) => (query.metric === 'spend' ? Number(p.spend) : p.purchases);
        const rows: PanelRow[] = [];
        for (const [period, a, b] of [['pre', preFrom, preTo], ['post', from, to]] as const) {
          const totals = new Map<string, number>();
          for (const p of await purchasesByAccount(tx, programId, a, b)) if (groupOf.has(p.accountId)) totals.set(p.accountId, (totals.get(p.accountId) ?? 0) + value(p));
          for (const [accountId, group] of groupOf) rows.push({ accountId, group, period, value: totals.get(accountId) ?? 0 });
        }
        const r = differenceInDifferences(rows);
        const counts = { pilot: r.pilot.accounts, control: r.control.accounts };
        const monthly = new Map<string, { pilot: number; control: number }>();
        for (const m of await purchasesByAccountMonth(tx, programId, preFrom, to)) {
          const g = groupOf.get(m.accountId);
          if (!g) continue;
          const e = monthly.get(m.month) ?? { pilot: 0, control: 0 };
          e[g] += value(m);
          monthly.set(m.month, e);
        }
        const trend: PilotView['trend'] = [];
        for (let d = new Date(Date.UTC(preFrom.getUTCFullYear(), preFrom.getUTCMonth(), 1)); d < to; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
          const month = monthKey(d);
          const e = monthly.get(month) ?? { pilot: 0, control: 0 };
          const period = d < preTo ? 'pre' : d >= new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)) ? 'post' : 'between';
          trend.push({ month, period, pilot: counts.pilot ? Math.round(e.pilot / counts.pilot) : 0, control: counts.control ? Math.round(e.control / counts.control) : 0 });
        }
        const round = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);
        return {
          pilot: r.pilot,
          control: r.control,
          did: Math.round(r.did),
          ci95: [round(r.ci95[0]), round(r.ci95[1])],
          metric: query.metric,
          relativeBp: Math.round(r.relative * 10000),
          trend,
        };
      });
    },

    /**
     * Program-wide figures. For an account manager limited to their accounts (`scope`), the top
     * list names only their accounts: the others are not theirs to see.
     */
    async dashboard(programId: string, query: { months: number }, scope?: { managerId: string }): Promise<DashboardView> {
      const at = now();
      const since30 = new Date(at.getTime() - 30 * DAY);
      const since90 = new Date(at.getTime() - 90 * DAY);
      const first = monthStart(at, query.months - 1);
      return inTransaction(database, async (tx) => {
        const onlyAccounts = scope ? new Set(await managedAccountIdsIn(tx, programId, scope.managerId)) : undefined;
        // One after the other: a transaction's connection runs one query at a time.
        const counts = await participantCounts(tx, programId);
        const ledger90 = await activeWalletOwners(tx, programId, since90);
        const events90 = await activeInEvents(tx, programId, since90);
        const ledger30 = await activeWalletOwners(tx, programId, since30);
        const events30 = await activeInEvents(tx, programId, since30);
        const flows = await systemFlowsByMonth(tx, programId, first);
        const opening = await outstandingAt(tx, programId, first);
        const top = await topEarningAccounts(tx, programId, since90, 500);
        const debt = await outstandingDebt(tx, programId);
        const union = (a: string[], b: string[]) => new Set([...a, ...b]).size;

        // Value flows: what left or entered each system wallet, month by month, per currency.
        const months: string[] = [];
        for (let i = query.months - 1; i >= 0; i--) months.push(monthKey(monthStart(at, i)));
        const currencies = new Set([...opening.keys(), ...flows.map((f) => f.currency)]);
        const out: DashboardMonth[] = [];
        for (const currency of [...currencies].sort()) {
          let outstanding = opening.get(currency) ?? 0n;
          for (const month of months) {
            const sum = (wallet: string) => flows.filter((f) => f.currency === currency && f.month === month && f.systemWallet === wallet).reduce((s, f) => s + f.amount, 0n);
            const issued = -sum('issuance');
            const adjusted = -sum('adjustment');
            const redeemed = sum('redemption');
            const expired = sum('expiry');
            outstanding += issued + adjusted - redeemed - expired;
            out.push({ month, currency, issued: safeSum(issued), adjusted: safeSum(adjusted), redeemed: safeSum(redeemed), expired: safeSum(expired), outstanding: safeSum(outstanding) });
          }
        }

        // Five per currency: points and money in minor units do not compare.
        const topAccounts: DashboardView['topAccounts'] = [];
        const perCurrency = new Map<string, number>();
        for (const t of top) {
          if (onlyAccounts && !onlyAccounts.has(t.accountId)) continue;
          if ((perCurrency.get(t.currency) ?? 0) >= 5) continue;
          perCurrency.set(t.currency, (perCurrency.get(t.currency) ?? 0) + 1);
          const account = await findAccountIn(tx, programId, t.accountId);
          if (account) topAccounts.push({ accountId: account.id, externalId: account.externalId, name: account.name, currency: t.currency, earned: safeSum(t.earned) });
        }

        return {
          generatedAt: at.toISOString(),
          accounts: { total: counts.accounts, last30: union(ledger30.accountIds, events30.accountIds), last90: union(ledger90.accountIds, events90.accountIds) },
          members: { total: counts.members, last30: union(ledger30.memberIds, events30.memberIds), last90: union(ledger90.memberIds, events90.memberIds) },
          months: out,
          topAccounts,
          debt: [...debt].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount: Number(amount) })),
        };
      });
    },
  };
}

function toPlanView(row: { targets: Record<string, number>; checklist: Record<string, { doneAt: string; by: string } | null>; updatedAt: Date } | undefined): PlanView {
  return {
    targets: row?.targets ?? {},
    checklist: ROLLOUT_STEPS.map((step) => ({ step, doneAt: row?.checklist[step]?.doneAt ?? null, by: row?.checklist[step]?.by ?? null })),
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
}
