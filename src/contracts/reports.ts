import { z } from 'zod';
import { queryInt } from './common.js';

/**
 * Filters of `GET /reports/dashboard`: how many calendar months (UTC) of value flows to answer,
 * the current month included. Example: `?months=12`
 */
export const dashboardQuery = z.object({ months: queryInt(1, 36).default(12) }).strict();

const activity = z.object({
  /** Active (not suspended, closed or left) in the program now. */
  total: z.number().int(),
  /** With an event, an earning or a redemption in the last 30 / 90 days. */
  last30: z.number().int(),
  last90: z.number().int(),
});

/**
 * One month of one currency. `issued`: earned through rules, net of returns; `adjusted`: manual
 * credits net of debits; `redeemed`: spent on rewards; `expired`: lapsed; `outstanding`: what
 * the wallets hold at the end of the month (available, pending and held), the program's liability.
 *
 * Example: `{"month": "2026-10", "currency": "points", "issued": 182000, "adjusted": 500, "redeemed": 64000, "expired": 3200, "outstanding": 911400}`
 */
export const dashboardMonth = z.object({
  month: z.string(),
  currency: z.string(),
  issued: z.number().int(),
  adjusted: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  outstanding: z.number().int(),
});

/** The console's dashboard: participation, value flows by month, the top earning accounts. */
export const dashboardView = z.object({
  generatedAt: z.string(),
  accounts: activity,
  members: activity,
  months: z.array(dashboardMonth),
  /** Per currency, the five accounts that earned the most (company and staff wallets together) in the last 90 days. */
  topAccounts: z.array(z.object({ accountId: z.string(), externalId: z.string(), name: z.string(), currency: z.string(), earned: z.number().int() })),
  /**
   * Per currency, what participants owe now from returns of value they had already spent (the
   * program off `allowNegative`); their next earnings settle it first. The liability net of it is
   * `outstanding` − `debt`. Example: `[{"currency": "points", "amount": 1200}]`
   */
  debt: z.array(z.object({ currency: z.string(), amount: z.number().int() })).describe('what participants owe from returns of spent value, per currency'),
});

export type DashboardView = z.infer<typeof dashboardView>;
export type DashboardMonth = z.infer<typeof dashboardMonth>;

// Analytics (#18) ---------------------------------------------------------------------------

/** A period bound: a date (`2026-10-01`, midnight UTC) or an instant with its offset. */
const periodBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).describe('a date (midnight UTC) or an ISO instant');

/**
 * `GET /reports/kpis?from&to&by=`: the KPIs over [from, to), program-wide or sliced by `by`.
 * `windowDays` (default 90) is the participation window ending at `to`. Example: `?from=2026-01-01&to=2026-04-01&by=segment`
 */
export const kpisQuery = z
  .object({
    from: periodBound,
    to: periodBound,
    by: z.enum(['type', 'segment', 'region', 'tier', 'currency']).optional(),
    windowDays: queryInt(1, 730).default(90),
  })
  .strict()
  .refine((q) => new Date(q.from) < new Date(q.to), { message: 'must be after from', path: ['to'] });

const valueKpi = z.object({
  currency: z.string(),
  issued: z.number().int(),
  adjusted: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  reversed: z.number().int(),
  /** redeemed / (issued + adjusted − reversed), basis points. */
  redemptionRateBp: z.number().int(),
});

const moneyKpi = z.object({
  moneyCurrency: z.string(),
  revenue: z.number().int(),
  cost: z.number().int(),
  /** cost / revenue in basis points; null without revenue. */
  costShareBp: z.number().int().nullable(),
  revenuePerAccount: z.number().int(),
});

/**
 * The KPIs of one slice (`all` when not sliced). Example:
 * `{"slice": "pro", "enrolled": 40, "active": 26, "participationBp": 6500, "value": [...], "money": [{"moneyCurrency": "EUR", "revenue": 1200000, "cost": 18000, "costShareBp": 150, "revenuePerAccount": 30000}]}`
 */
export const kpiSlice = z.object({
  slice: z.string(),
  enrolled: z.number().int(),
  active: z.number().int(),
  participationBp: z.number().int(),
  value: z.array(valueKpi),
  money: z.array(moneyKpi),
});

/** Per currency: what the wallets hold, the expected redemption rate from the program's cohorts, breakage and the expected liability. */
export const liabilityKpi = z.object({
  currency: z.string(),
  outstanding: z.number().int(),
  expectedRedemptionBp: z.number().int(),
  breakageBp: z.number().int(),
  liability: z.number().int(),
  liabilityAtCost: z.object({ moneyCurrency: z.string(), amount: z.number().int() }).nullable(),
});

export const kpisView = z.object({
  from: z.string(),
  to: z.string(),
  by: z.string().nullable(),
  windowDays: z.number().int(),
  slices: z.array(kpiSlice),
  liability: z.array(liabilityKpi),
  /** Per UTC month of the period, per currency: the value flows, for the charts over time. */
  months: z.array(z.object({ month: z.string(), currency: z.string(), issued: z.number().int(), redeemed: z.number().int(), expired: z.number().int(), reversed: z.number().int() })),
});

/**
 * `GET /reports/pilot?group=&control=&preFrom=&preTo=&from=&to=&metric=spend`: pilot against
 * control by difference-in-differences. The pre period [preFrom, preTo) ends no later than the
 * post period [from, to) starts.
 */
export const pilotQuery = z
  .object({
    group: z.string().min(1).max(64),
    control: z.string().min(1).max(64),
    preFrom: periodBound,
    preTo: periodBound,
    from: periodBound,
    to: periodBound,
    metric: z.enum(['spend', 'purchases']).default('spend'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.group === q.control) ctx.addIssue({ code: 'custom', message: 'must differ from group', path: ['control'] });
    if (!(new Date(q.preFrom) < new Date(q.preTo))) ctx.addIssue({ code: 'custom', message: 'must be after preFrom', path: ['preTo'] });
    if (!(new Date(q.from) < new Date(q.to))) ctx.addIssue({ code: 'custom', message: 'must be after from', path: ['to'] });
    if (new Date(q.preTo) > new Date(q.from)) ctx.addIssue({ code: 'custom', message: 'the pre period must end before the post period starts', path: ['preTo'] });
  });

const groupMeans = z.object({ accounts: z.number().int(), preMean: z.number(), postMean: z.number() });

/**
 * Example: `{"pilot": {"accounts": 60, "preMean": 98000, "postMean": 112000}, "control": {"accounts": 60, "preMean": 97000, "postMean": 101000}, "did": 10000, "ci95": [4200, 15800], "metric": "spend"}`
 */
export const pilotView = z.object({
  pilot: groupMeans,
  control: groupMeans,
  /** (pilot post − pre) − (control post − pre) per account, in the metric's unit, rounded. */
  did: z.number().int(),
  /** The 95 % interval from standard errors clustered by account; null bounds with fewer than 2 accounts in a group. */
  ci95: z.tuple([z.number().int().nullable(), z.number().int().nullable()]),
  metric: z.enum(['spend', 'purchases']),
  /** did over the pilot's pre-period mean, basis points. */
  relativeBp: z.number().int(),
  /** Per UTC month of both periods: each group's mean per account, to judge whether the trends were parallel. */
  trend: z.array(z.object({ month: z.string(), period: z.enum(['pre', 'post', 'between']), pilot: z.number(), control: z.number() })),
});

export type KpisView = z.infer<typeof kpisView>;
export type PilotView = z.infer<typeof pilotView>;

/** `GET /reports/cohorts?months=12`: the cohorts of the last `months` UTC months (this one included). */
export const cohortsQuery = z.object({ months: queryInt(1, 36).default(12) }).strict();

/**
 * Accounts by month of joining (their first event, or their creation if earlier): per month since
 * joining, the share active (any event) in basis points and the mean cumulative spend per account.
 * Example: `{"cohorts": [{"cohort": "2026-01", "accounts": 12, "retentionBp": [10000, 7500, 6667], "cumulativeSpend": [41000, 80500, 118000]}]}`
 */
export const cohortsView = z.object({
  cohorts: z.array(z.object({ cohort: z.string(), accounts: z.number().int(), retentionBp: z.array(z.number().int()), cumulativeSpend: z.array(z.number().int()) })),
});
export type CohortsView = z.infer<typeof cohortsView>;

/** The rollout's steps, in order (the articles' program launch). */
export const ROLLOUT_STEPS = ['research', 'concept', 'platform', 'pilot', 'marketing', 'training', 'launch', 'monitoring'] as const;
export type RolloutStep = (typeof ROLLOUT_STEPS)[number];

const bpTarget = z.number().int().min(-10000).max(10000);
/** KPI targets in basis points, set at the concept stage. Example: `{"participationBp": 6000, "reachBp": 8000, "redemptionRateBp": 3000, "upliftBp": 500}` */
export const kpiTargets = z
  .object({ participationBp: bpTarget.optional(), reachBp: bpTarget.optional(), redemptionRateBp: bpTarget.optional(), upliftBp: bpTarget.optional() })
  .strict();

/**
 * `PUT /reports/plan`: the whole plan, targets and which rollout steps are done. A step newly
 * marked done is stamped with the time and who did it; one left done keeps its stamp.
 * Example: `{"targets": {"participationBp": 6000, "upliftBp": 500}, "done": ["research", "concept"]}`
 */
export const planPut = z.object({ targets: kpiTargets, done: z.array(z.enum(ROLLOUT_STEPS)).max(ROLLOUT_STEPS.length) }).strict();

export const planView = z.object({
  targets: kpiTargets,
  checklist: z.array(z.object({ step: z.enum(ROLLOUT_STEPS), doneAt: z.string().nullable(), by: z.string().nullable() })),
  updatedAt: z.string().nullable(),
});
export type PlanView = z.infer<typeof planView>;
export type PlanPut = z.infer<typeof planPut>;
