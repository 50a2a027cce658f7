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

// Rule editor checks (#21)
/** Fields of the engine's context that hold numbers (money in minor units, counts). */
export const NUMERIC_CONDITION_FIELDS = ['event.amount', 'account.stats.purchases', 'account.stats.spend12m', 'line.amount', 'line.qty'] as const;
const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', 'in']);

function isVar(x: unknown): x is { var: unknown } {
  return !!x && typeof x === 'object' && !Array.isArray(x) && 'var' in x;
}
function varName(x: { var: unknown }): string | null {
  const v = Array.isArray(x.var) ? x.var[0] : x.var;
  return typeof v === 'string' ? v : null;
}
const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * What the JsonLogic schema lets through but no one means: a comparison of a field with an empty
 * value (`event.amount == ""`), an empty field name, an empty list for `in`, a word compared with a
 * number field. Each problem names its path in the condition (`condition.and.0.==.1`).
 */
export function conditionProblems(logic: unknown, path = 'condition'): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}.${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [op, raw] of Object.entries(node as Record<string, unknown>)) {
      const here = `${at}.${op}`;
      if (op === 'var') {
        const name = varName(node as { var: unknown });
        if (name === null || name.trim() === '') out.push({ path: here, message: 'the field is empty: choose what to compare' });
        continue;
      }
      const args = Array.isArray(raw) ? raw : [raw];
      if (COMPARISONS.has(op) && args.some(isVar)) {
        const field = args.filter(isVar).map(varName)[0] ?? '';
        const numeric = (NUMERIC_CONDITION_FIELDS as readonly string[]).includes(field);
        args.forEach((a, i) => {
          if (isVar(a)) return;
          const p = Array.isArray(raw) ? `${here}.${i}` : here;
          if (op === 'in' && Array.isArray(a)) {
            if (a.length === 0) out.push({ path: p, message: 'the list is empty: give at least one value' });
            a.forEach((v, j) => {
              if (blank(v)) out.push({ path: `${p}.${j}`, message: 'a value is empty' });
            });
          } else if (blank(a)) out.push({ path: p, message: `the value compared with ${field || 'the field'} is empty` });
          else if (numeric && typeof a === 'string' && !Number.isFinite(Number(a))) out.push({ path: p, message: `${field} is a number; "${a}" is not` });
        });
      }
      args.forEach((a, i) => walk(a, Array.isArray(raw) ? `${here}.${i}` : here));
    }
  };
  if (logic !== null && logic !== undefined) walk(logic, path);
  return out;
}
