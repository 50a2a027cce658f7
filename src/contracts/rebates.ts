import { z } from 'zod';
import { amount, code } from './common.js';

/**
 * Volume rebates: a percentage of an account's spend (or units) over a calendar quarter or year,
 * paid back as store credit once the period (and its grace for late invoices) is over.
 * Thresholds carry rates in basis points (100 bp = 1 %).
 *
 * Example: `{"name": "Distributor quarterly rebate", "period": {"calendar": "quarter"},
 * "basis": {"metric": "spend"}, "scheme": "retroactive",
 * "thresholds": [{"min": 1000000, "rateBp": 200}, {"min": 2500000, "rateBp": 300}],
 * "payout": {"currency": "eur"}, "graceDays": 15, "target": {"types": ["distributor"]}}`
 */
export const rebateCalendar = z.enum(['quarter', 'year']);
export const rebateScheme = z.enum(['retroactive', 'marginal']);
export const rebateMetric = z.enum(['spend', 'units']);

export const rebateThreshold = z
  .object({
    min: amount.refine((v) => v >= 0, 'must be zero or more').describe('volume (minor units of spend, or units) from which the rate applies'),
    rateBp: z.number().int().min(0).max(10000).describe('rate in basis points: 250 is 2.5 %'),
  })
  .strict();
export type RebateThreshold = z.infer<typeof rebateThreshold>;

export const rebateTarget = z
  .object({
    types: z.array(z.string().min(1).max(100)).max(50).optional(),
    segments: z.array(z.string().min(1).max(100)).max(50).optional(),
    accountIds: z.array(z.string().min(1).max(200)).max(1000).optional().describe('server ids of accounts'),
  })
  .strict();
export type RebateTarget = z.infer<typeof rebateTarget>;

export const rebateBasis = z
  .object({
    metric: rebateMetric,
    lineFilter: z.unknown().optional().describe('JsonLogic over `{line, event}`: only matching lines count, e.g. `{"==": [{"var": "line.category"}, "filters"]}`'),
    rollUp: z.boolean().optional().describe('true: a targeted account’s basis includes its branches (the account hierarchy below it), and the rebate is paid to the topmost targeted account'),
  })
  .strict();

export const rebateInput = z
  .object({
    name: z.string().min(1).max(200),
    period: z.object({ calendar: rebateCalendar }).strict().describe('calendar periods in the program’s time zone'),
    basis: rebateBasis,
    scheme: rebateScheme.describe('retroactive: the rate reached applies to the whole basis ("back to dollar one"); marginal: each band at its own rate'),
    thresholds: z.array(rebateThreshold).min(1).max(20).describe('ascending `min`, rates not decreasing'),
    growth: z.object({ noPriorYear: z.enum(['skip', 'zero']) }).strict().optional().describe('the basis is the growth over the same period last year; a partner with no prior year is skipped or measured against zero'),
    payout: z.object({ currency: code.describe('a money currency of the program') }).strict(),
    graceDays: z.number().int().min(0).max(365).describe('days after the period for late invoices before the final settlement'),
    target: rebateTarget.optional().describe('absent: every account'),
  })
  .strict();
export type RebateInput = z.infer<typeof rebateInput>;

export const rebatePatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    scheme: rebateScheme.optional(),
    thresholds: z.array(rebateThreshold).min(1).max(20).optional(),
    graceDays: z.number().int().min(0).max(365).optional(),
    target: rebateTarget.nullable().optional(),
    status: z.enum(['active', 'archived']).optional(),
  })
  .strict();
export type RebatePatch = z.infer<typeof rebatePatch>;

export const rebateView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'archived']),
  period: z.object({ calendar: rebateCalendar }),
  basis: z.object({ metric: rebateMetric, lineFilter: z.unknown().optional(), rollUp: z.boolean() }),
  scheme: rebateScheme,
  thresholds: z.array(z.object({ min: amount, rateBp: z.number().int() })),
  growth: z.object({ noPriorYear: z.enum(['skip', 'zero']) }).optional(),
  payout: z.object({ currency: z.string() }),
  graceDays: z.number().int(),
  target: rebateTarget.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RebateView = z.infer<typeof rebateView>;

const bracket = z.object({ min: amount, rateBp: z.number().int() });

/**
 * An account's standing in the current (or a given) period. `accrued` is what the basis so far
 * earns; `projected` annualises the period pro rata: basis × period length ÷ time elapsed.
 */
export const rebateStanding = z.object({
  rebateId: z.string(),
  name: z.string(),
  accountId: z.string(),
  accountExternalId: z.string(),
  accountName: z.string(),
  period: z.string().describe('`2026-Q4` or `2026`'),
  periodFrom: z.string(),
  periodTo: z.string(),
  elapsedBp: z.number().int().describe('share of the period elapsed, in basis points'),
  scheme: rebateScheme,
  metric: rebateMetric,
  currency: z.string(),
  basis: amount.describe('the volume the rebate is computed on (the growth, with `growth`)'),
  volume: amount.describe('the volume of the period'),
  baseline: amount.nullable().describe('with `growth`: the same period last year'),
  bracket: bracket.nullable(),
  accrued: amount,
  next: z.object({ min: amount, rateBp: z.number().int(), remaining: amount }).nullable(),
  projected: z.object({ basis: amount, bracket: bracket.nullable(), amount: amount }),
  paid: amount.describe('settled so far for this period'),
});
export type RebateStanding = z.infer<typeof rebateStanding>;

export const standingsQuery = z
  .object({ period: z.string().regex(/^\d{4}(-Q[1-4])?$/).optional().describe('default: the current period') })
  .strict();

export const settlementInput = z
  .object({
    period: z.string().regex(/^\d{4}(-Q[1-4])?$/, 'a quarter like 2026-Q4 or a year like 2026'),
    final: z.boolean(),
  })
  .strict();
export type SettlementInput = z.infer<typeof settlementInput>;

export const settlementItem = z.object({
  accountId: z.string(),
  basis: amount,
  rateBp: z.number().int().describe('the rate of the bracket reached (marginal: the effective rate, rounded)'),
  amount: amount.describe('the rebate due on the basis'),
  alreadyPaid: amount,
  paid: amount.describe('what this settlement paid: the difference, never below zero'),
});
export const settlementAnswer = z.object({ settlementId: z.string(), period: z.string(), final: z.boolean(), currency: z.string(), items: z.array(settlementItem) });
export type SettlementAnswer = z.infer<typeof settlementAnswer>;

export const settlementLine = z.object({
  id: z.string(),
  settlementId: z.string(),
  period: z.string(),
  final: z.boolean(),
  accountId: z.string(),
  accountExternalId: z.string(),
  accountName: z.string(),
  basis: amount,
  rateBp: z.number().int(),
  amount: amount,
  alreadyPaid: amount,
  paid: amount,
  currency: z.string(),
  transactionId: z.string().nullable(),
  createdAt: z.string(),
});
export type SettlementLine = z.infer<typeof settlementLine>;

export const settlementsQuery = z
  .object({
    period: z.string().regex(/^\d{4}(-Q[1-4])?$/).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).optional(),
  })
  .strict();
