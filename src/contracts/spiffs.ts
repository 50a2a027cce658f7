import { z } from 'zod';
import { code, isoDateTime, positiveAmount } from './common.js';

/**
 * SPIFFs: a time-boxed bonus per unit of a product for partners' sales staff. A SPIFF compiles to
 * one earning rule (its `ruleId`) that the rules engine runs like any other: per-line filter on the
 * SKUs, the window, the targeting and the budget are the rule's.
 *
 * Example — "€20 per WT-200 sold in March, sales reps of dealers, budget €10,000":
 * `{"name": "WT-200 March push", "skus": ["WT-200"], "reward": {"currency": "eur", "perUnit": 2000},
 * "period": {"from": "2026-03-01T00:00:00+01:00", "to": "2026-04-01T00:00:00+02:00"},
 * "target": {"types": ["dealer"], "roles": ["sales"]}, "budget": 1000000}`
 */

/** A product code: letters, digits and `. _ / -`, starting with a letter or digit (e.g. `WT-200`). */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
export const spiffSku = z.string().regex(SKU_PATTERN, 'not a product code: letters, digits and . _ / - (e.g. WT-200)');

const names = z.array(z.string().min(1).max(100)).min(1).max(50);

export const spiffTarget = z
  .object({
    types: names.optional().describe('account types, e.g. `["dealer"]`'),
    roles: names.optional().describe('member roles, e.g. `["sales"]`'),
    segments: names.optional(),
    regions: names.optional(),
  })
  .strict();
export type SpiffTarget = z.infer<typeof spiffTarget>;

export const spiffReward = z
  .object({
    currency: code.describe('a currency of the program (money or points)'),
    perUnit: positiveAmount.describe('per unit sold, in minor units (money) or points'),
    to: z.enum(['member', 'split', 'account']).optional().describe('who earns: the seller (default), split with the company, or the company'),
  })
  .strict();

export const spiffStatus = z.enum(['active', 'paused', 'archived']);

export const spiffInput = z
  .object({
    name: z.string().trim().min(1).max(150),
    description: z.string().max(2000).nullable().optional(),
    skus: z.array(spiffSku).min(1).max(50),
    eventType: code.optional().describe('the event that counts a sale: `sale_claimed` (approved sales claims, default) or e.g. `purchase`'),
    reward: spiffReward,
    period: z.object({ from: isoDateTime, to: isoDateTime }).strict().describe('compared with the event’s occurredAt: from ≤ occurredAt < to'),
    target: spiffTarget.optional(),
    budget: positiveAmount.describe('the most the SPIFF pays over its life, in the reward currency'),
    status: spiffStatus.exclude(['archived']).optional(),
  })
  .strict();
export type SpiffInput = z.infer<typeof spiffInput>;

export const spiffPatch = z
  .object({
    name: spiffInput.shape.name.optional(),
    description: spiffInput.shape.description,
    skus: spiffInput.shape.skus.optional(),
    eventType: spiffInput.shape.eventType,
    reward: spiffReward.optional(),
    period: spiffInput.shape.period.optional(),
    target: spiffTarget.optional(),
    budget: positiveAmount.optional(),
    status: spiffStatus.optional().describe('`archived` ends the SPIFF for good: its rule stops; earnings stay'),
  })
  .strict();
export type SpiffPatch = z.infer<typeof spiffPatch>;

export const spiffView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  skus: z.array(z.string()),
  eventType: z.string(),
  reward: z.object({ currency: z.string(), perUnit: z.number().int(), to: z.enum(['member', 'split', 'account']) }),
  period: z.object({ from: z.string(), to: z.string() }),
  target: spiffTarget,
  budget: z.number().int(),
  spent: z.number().int().describe('what its rule has awarded against the budget'),
  remaining: z.number().int(),
  status: spiffStatus,
  ruleId: z.string().describe('the earning rule the SPIFF compiles to'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SpiffView = z.infer<typeof spiffView>;

export const spiffSeller = z.object({
  memberId: z.string().nullable().describe('null: earned by the company wallet'),
  memberName: z.string().nullable(),
  accountId: z.string(),
  accountName: z.string(),
  units: z.number(),
  earned: z.number().int(),
});
export type SpiffSeller = z.infer<typeof spiffSeller>;

export const spiffAccountLine = z.object({ accountId: z.string(), accountName: z.string(), units: z.number(), earned: z.number().int(), sellers: z.number().int() });

export const spiffReport = z.object({
  spiffId: z.string(),
  currency: z.string(),
  budget: z.number().int(),
  spent: z.number().int(),
  remaining: z.number().int(),
  units: z.number(),
  topSellers: z.array(spiffSeller).describe('largest earnings first, at most 20'),
  byAccount: z.array(spiffAccountLine),
});
export type SpiffReport = z.infer<typeof spiffReport>;

/** A SPIFF as a partner's employee sees it: what I earned under it, and my company's staff ranked. */
export const portalSpiff = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  skus: z.array(z.string()),
  reward: z.object({ currency: z.string(), perUnit: z.number().int() }),
  period: z.object({ from: z.string(), to: z.string() }),
  budgetLeft: z.boolean().describe('false: the budget is spent, sales no longer earn'),
  mine: z.object({ units: z.number(), earned: z.number().int(), rank: z.number().int().nullable() }),
  leaderboard: z.array(z.object({ rank: z.number().int(), name: z.string(), units: z.number(), earned: z.number().int(), me: z.boolean() })).describe('my company’s staff only, at most 10'),
});
export type PortalSpiff = z.infer<typeof portalSpiff>;
