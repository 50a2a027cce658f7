import { z } from 'zod';
import { cursor, queryInt } from './common.js';

/** Account health (#16): purchase cycle, churn risk, revenue at risk. */
export const CYCLE_STATUSES = ['ok', 'at_risk', 'lapsed'] as const;
export const RISK_REASON_CODES = ['lapsed', 'overdue', 'spend_drop', 'spend_decline', 'nps_detractor', 'unopened_messages', 'no_portal_visit', 'tier_at_risk'] as const;

export const purchaseCycleView = z.object({
  medianDays: z.number(),
  p80Days: z.number(),
  p90Days: z.number(),
  daysSinceLast: z.number().int().nullable(),
  status: z.enum(CYCLE_STATUSES),
  purchases: z.number().int(),
  lastPurchaseAt: z.string().nullable(),
  /** `own`: from its own purchases; `segment` / `type`: fewer than 3 purchases, its group's cycle; `none`: no cycle known. */
  source: z.enum(['own', 'segment', 'type', 'none']),
  /** The intervals between its purchases, in days, oldest first (the last 50). */
  intervals: z.array(z.number()),
});

export const riskReason = z.object({ code: z.enum(RISK_REASON_CODES), weight: z.number().int(), detail: z.string() });

export const npsView = z.object({ value: z.number(), n: z.number().int(), ci95: z.tuple([z.number(), z.number()]) }).nullable();

export const accountHealthView = z.object({
  accountId: z.string(),
  nps: npsView,
  purchaseCycle: purchaseCycleView,
  churnRisk: z.object({ score: z.number().int().min(0).max(100), atRisk: z.boolean(), reasons: z.array(riskReason) }),
  /** Trailing 12-month spend when the account is at risk, else 0 (minor units). */
  revenueAtRisk: z.number().int(),
  spend: z.object({ last3m: z.number().int(), prev3m: z.number().int(), trailing12m: z.number().int() }),
  openTasks: z.number().int(),
  /** The account's relationship NPS by quarter (last two years), each with its n and 95 % interval. */
  npsTrend: z.array(z.object({ period: z.string(), n: z.number().int(), nps: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable() })),
  computedAt: z.string(),
});
export type AccountHealthView = z.infer<typeof accountHealthView>;

export const healthListItem = z.object({
  accountId: z.string(),
  name: z.string(),
  type: z.string(),
  segment: z.string().nullable(),
  managerId: z.string().nullable(),
  status: z.enum(CYCLE_STATUSES),
  score: z.number().int(),
  reasons: z.array(riskReason),
  revenueAtRisk: z.number().int(),
  lastPurchaseAt: z.string().nullable(),
  computedAt: z.string(),
});
export type HealthListItem = z.infer<typeof healthListItem>;

export const healthListQuery = z
  .object({
    status: z.enum(CYCLE_STATUSES).optional(),
    minScore: queryInt(0, 100).optional(),
    segment: z.string().min(1).max(200).optional(),
    type: z.string().min(1).max(200).optional(),
    managerId: z.string().min(1).max(200).optional(),
    limit: queryInt(1, 500).default(50),
    cursor: cursor.optional(),
  })
  .strict();
export type HealthListQuery = z.infer<typeof healthListQuery>;

export const healthListAnswer = z.object({ items: z.array(healthListItem), nextCursor: z.string().nullable(), revenueAtRisk: z.number().int() });
