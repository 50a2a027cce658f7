import { z } from 'zod';
import { amount, code, isoDateTime } from './common.js';

/**
 * Whether `v` has at most `places` decimals (12.5 and 12.34 yes, 12.345 no for 2), read from its
 * shortest decimal representation — the one JSON carries — so `1e-11` has eleven, not "about zero".
 */
export function hasAtMostDecimals(v: number, places: number): boolean {
  if (!Number.isFinite(v)) return false;
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(v));
  if (!m) return false;
  const decimals = (m[1]?.length ?? 0) - Number(m[2] ?? 0);
  return decimals <= places;
}

/**
 * A discount in percent, 0–100 with at most two decimals (`12.5` = 12.5 %). Stored as an integer
 * of basis points (1250), so no discount is ever a float in the database.
 */
export const discountPercent = z
  .number()
  .min(0, 'must not be negative')
  .max(100, 'must be at most 100')
  .refine((v) => hasAtMostDecimals(v, 2), 'at most two decimals (basis points)');

/** A points multiplier greater than 0, at most 100, with at most three decimals: `1.5` earns half again. */
export const multiplier = z
  .number()
  .gt(0, 'must be greater than 0')
  .max(100, 'must be at most 100')
  .refine((v) => hasAtMostDecimals(v, 3), 'at most three decimals');

/**
 * The period a tier's metric is summed over: the last `rollingMonths` calendar months up to and
 * including the current one, or the current calendar `year` / `quarter` (in the program's time zone).
 */
export const tierPeriod = z.union([
  z.object({ rollingMonths: z.number().int().min(1).max(60) }).strict(),
  z.object({ calendar: z.enum(['year', 'quarter']) }).strict(),
]);

/**
 * How an account qualifies: `metric` (`spend` in minor units of money, `units` bought, or
 * `points` earned) summed over `period` must reach `min`. Example:
 * `{"metric": "spend", "period": {"rollingMonths": 12}, "min": 5000000}`.
 */
export const tierQualify = z
  .object({
    metric: z.enum(['spend', 'units', 'points']),
    period: tierPeriod,
    min: amount.min(1, 'must be at least 1 (an account with no activity holds no tier)'),
  })
  .strict();

/** What a tier gives: a checkout discount, a points multiplier, and perks (free text or codes). */
export const tierBenefits = z
  .object({
    discountPercent: discountPercent.optional(),
    multiplier: multiplier.optional(),
    perks: z.array(z.string().min(1).max(200)).max(50).optional(),
  })
  .strict();

/**
 * A tier of a ladder. `rank` orders the tiers of one ladder (higher is better; unique in the
 * ladder) and thresholds must rise with rank. `ladder` (default `"default"`) lets account types
 * climb different ladders (see `PUT /tier-ladders/:ladder`). `graceDays` (default 30): how long an
 * account keeps the tier after it is found below the threshold. Example:
 * `{"code": "gold", "name": "Gold", "rank": 2, "qualify": {"metric": "spend", "period": {"rollingMonths": 12}, "min": 5000000}, "benefits": {"discountPercent": 7.5, "multiplier": 1.5, "perks": ["free delivery"]}}`
 */
export const tierInput = z
  .object({
    code,
    name: z.string().min(1).max(200),
    rank: z.number().int().min(0).max(1000),
    ladder: code.optional(),
    qualify: tierQualify,
    benefits: tierBenefits.optional(),
    graceDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict();

/** A change to a tier: only the fields sent change; `qualify` and `benefits` are replaced whole. */
export const tierPatch = tierInput.omit({ code: true }).partial().strict();

export const tierView = z.object({
  code: z.string(),
  name: z.string(),
  rank: z.number().int(),
  ladder: z.string(),
  qualify: z.object({ metric: z.enum(['spend', 'units', 'points']), period: z.union([z.object({ rollingMonths: z.number().int() }), z.object({ calendar: z.enum(['year', 'quarter']) })]), min: z.number().int() }),
  benefits: z.object({ discountPercent: z.number(), multiplier: z.number(), perks: z.array(z.string()) }),
  graceDays: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * Which account types climb a ladder. Types not listed on any ladder climb `"default"`.
 * Example: `PUT /tier-ladders/installers {"accountTypes": ["installer", "plumber"]}`.
 */
export const ladderInput = z
  .object({
    accountTypes: z
      .array(code)
      .max(200)
      .refine((ts) => new Set(ts).size === ts.length, 'must not repeat a type'),
  })
  .strict();

export const ladderView = z.object({ code: z.string(), accountTypes: z.array(z.string()), catchAll: z.boolean() });

/**
 * The accumulative discount (EfirCards' card): the discount grows with the account's cumulative
 * spend (net of returns, since it joined). Steps rise in both `minSpend` and `discountPercent`;
 * an empty list switches it off. Example: `{"steps": [{"minSpend": 1000000, "discountPercent": 3}, {"minSpend": 5000000, "discountPercent": 5}]}`.
 */
export const accumulativeInput = z
  .object({
    steps: z
      .array(z.object({ minSpend: amount.min(0, 'must not be negative'), discountPercent }).strict())
      .max(100),
  })
  .strict();

export const accumulativeView = z.object({ steps: z.array(z.object({ minSpend: z.number().int(), discountPercent: z.number() })) });

/**
 * A manager's override of an account's tier and/or discount until `expiresAt`, with the reason
 * (kept in the audit log). Example: `{"tier": "gold", "expiresAt": "2027-01-01T00:00:00Z", "reason": "Strategic account, agreed at the Q3 review"}`.
 */
export const tierOverrideInput = z
  .object({
    tier: code.optional(),
    discountPercent: discountPercent.optional(),
    expiresAt: isoDateTime,
    reason: z.string().min(1).max(1000),
  })
  .strict();

export const tierOverrideRemoval = z.object({ reason: z.string().min(1).max(1000).optional() }).strict();

export const discountSource = z.enum(['tier', 'accumulative', 'override']);

/** The checkout answer: the best of tier, accumulative and override discounts, and which one it is (`null` when none applies). */
export const discountView = z.object({ discountPercent: z.number(), source: discountSource.nullable() });

export const accountTierView = z.object({
  accountId: z.string(),
  /** The code of the tier the account holds now (an override's tier while it lasts), or null. */
  tier: z.string().nullable(),
  name: z.string().nullable(),
  ladder: z.string(),
  since: z.string().nullable(),
  /** The current tier's metric over its period (or the first tier's, without a tier). */
  metric: z.enum(['spend', 'units', 'points']).nullable(),
  metricValue: z.number().int(),
  benefits: z.object({ discountPercent: z.number(), multiplier: z.number(), perks: z.array(z.string()) }).nullable(),
  /** The next tier up and how much more of its metric it takes. */
  next: z.object({ tier: z.string(), name: z.string(), metric: z.enum(['spend', 'units', 'points']), remaining: z.number().int() }).nullable(),
  /** To keep the tier: reach `remaining` more of the metric before `by` (when the downgrade would otherwise happen). */
  keepBy: z.object({ by: z.string(), remaining: z.number().int() }).optional(),
  /** Set while the account is below its tier's threshold: the tier is kept until then. */
  graceEndsAt: z.string().nullable(),
  override: z.object({ tier: z.string().nullable(), discountPercent: z.number().nullable(), expiresAt: z.string(), reason: z.string() }).nullable(),
  lifetimeSpend: z.number().int(),
  discountPercent: z.number(),
  discountSource: discountSource.nullable(),
});

export const tierChangeView = z.object({ at: z.string(), from: z.string().nullable(), to: z.string().nullable(), reason: z.string() });

export const evaluationView = z.object({
  programs: z.number().int(),
  accounts: z.number().int(),
  promoted: z.number().int(),
  downgraded: z.number().int(),
  graceStarted: z.number().int(),
  overridesExpired: z.number().int(),
});

export type TierInput = z.infer<typeof tierInput>;
export type TierPatch = z.infer<typeof tierPatch>;
export type TierView = z.infer<typeof tierView>;
export type AccumulativeInput = z.infer<typeof accumulativeInput>;
export type TierOverrideInput = z.infer<typeof tierOverrideInput>;
export type AccountTierView = z.infer<typeof accountTierView>;
export type DiscountView = z.infer<typeof discountView>;
export type EvaluationView = z.infer<typeof evaluationView>;
