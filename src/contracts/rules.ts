import { z } from 'zod';
import { code, isoDateTime, positiveAmount } from './common.js';

/** A JsonLogic expression, e.g. `{"==": [{"var": "event.attributes.cabin"}, "business"]}`. Checked when the rule is saved. */
export const jsonLogic = z.union([z.record(z.string(), z.unknown()), z.boolean(), z.number(), z.string(), z.null(), z.array(z.unknown())]);

export const capPeriod = z.enum(['event', 'day', 'month', 'quarter', 'year']);

/**
 * One effect of a rule: award `amount` (a number or a JsonLogic expression, rounded down) of
 * `currency` to the company (`account`), the employee (`member`) or both (`split`, by the
 * program's accountShare). Example: `{"currency": "points", "to": "split", "amount": {"*": [{"var": "event.amount"}, 0.01]}}`.
 */
export const effect = z
  .object({
    currency: code,
    to: z.enum(['account', 'member', 'split']),
    amount: jsonLogic,
    /** Evaluate `amount` once per event line matching this filter (with `line` in the context), then sum. */
    perLine: jsonLogic.optional(),
    /** The award stays pending this many days after the event (a return window). */
    availableAfterDays: z.number().int().min(0).max(3650).optional(),
    cap: z
      .object({ per: capPeriod, scope: z.enum(['member', 'account']), max: positiveAmount })
      .strict()
      .optional(),
    /** Tier multipliers apply to points currencies unless this is false. */
    tierMultiplier: z.boolean().optional(),
  })
  .strict();

const list = z.array(z.string().min(1).max(100)).max(200).nullable().optional();

export const target = z
  .object({
    types: list,
    segments: list,
    regions: list,
    roles: list,
    tiers: list,
    /** Only accounts in this pilot group (account attribute `pilotGroup`, or one of `pilotGroups`). */
    pilotGroup: z.string().min(1).max(100).nullable().optional(),
  })
  .strict();

const ruleFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  eventType: code,
  condition: jsonLogic.optional(),
  effects: z.array(effect).min(1).max(20),
  priority: z.number().int().min(-1000).max(1000).optional(),
  exclusive: z.boolean().optional(),
  activeFrom: isoDateTime.nullable().optional(),
  activeTo: isoDateTime.nullable().optional(),
  target: target.nullable().optional(),
  budget: z.object({ currency: code, max: positiveAmount }).strict().nullable().optional(),
  /** `draft` rules never fire but can be simulated; `paused` rules stop firing. */
  status: z.enum(['active', 'draft', 'paused']).optional(),
};

export const ruleInput = z.object(ruleFields).strict();
export const rulePatch = z.object(Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> }).strict();

export type RuleInput = z.infer<typeof ruleInput>;
export type RulePatch = z.infer<typeof rulePatch>;
export type EffectInput = z.infer<typeof effect>;

export const simulateInput = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    /** A draft to simulate instead of the stored rule (same fields as a new rule). */
    rule: ruleInput.optional(),
    sampleSize: z.number().int().min(0).max(200).optional(),
  })
  .strict();
