import { LogicEngine } from 'json-logic-engine';
import type { EffectInput } from '../../contracts/rules.js';
import type { FieldError } from '../../lib/domain-error.js';
import { formatterPerZone } from '../../lib/time-zone.js';

/**
 * The rules engine is pure: a rule version is compiled once, then evaluated as a function of
 * a context. No database, no clock: everything it needs is in the arguments.
 */

export type Target = {
  types?: string[] | null;
  segments?: string[] | null;
  regions?: string[] | null;
  roles?: string[] | null;
  tiers?: string[] | null;
  pilotGroup?: string | null;
};

export type RuleDefinition = {
  id: string;
  version: number;
  name: string;
  eventType: string;
  condition: unknown;
  effects: EffectInput[];
  priority: number;
  exclusive: boolean;
  activeFrom: Date | null;
  activeTo: Date | null;
  target: Target | null;
  budget: { currency: string; max: number } | null;
};

export type EventLine = { sku?: string; category?: string; brand?: string; qty?: number; amount?: number; [k: string]: unknown };
export type ContextEvent = {
  id: string;
  type: string;
  occurredAt: string;
  amount?: number | null;
  currency?: string | null;
  lines?: EventLine[];
  attributes?: Record<string, unknown>;
  [k: string]: unknown;
};
export type ContextAccount = {
  id: string;
  externalId: string;
  type: string;
  segment: string | null;
  region: string | null;
  tier: string | null;
  attributes: Record<string, unknown>;
  stats: { purchases: number; spend12m: number };
};
export type ContextMember = { id: string; externalId: string; role: string; attributes: Record<string, unknown> } | null;
export type RuleContext = { event: ContextEvent; account: ContextAccount; member: ContextMember };

export type SkipReason = 'out_of_window' | 'not_targeted' | 'condition_false' | 'condition_error' | 'excluded';

export type EffectResult = {
  index: number;
  currency: string;
  to: EffectInput['to'];
  /** Rounded-down amount before caps and budget; 0 when nothing is due. */
  amount: bigint;
  /** Why this effect awards nothing, when it does not. */
  note?: string;
  multiplier?: number;
};

export type RuleEvaluation = {
  ruleId: string;
  version: number;
  name: string;
  matched: boolean;
  reason?: SkipReason;
  detail?: string;
  effects: EffectResult[];
};

type Fn = (data: unknown) => unknown;
export type CompiledRule = RuleDefinition & { run: { condition: Fn | null; effects: { amount: Fn; perLine: Fn | null }[] } };

const engine = new LogicEngine();
const cache = new Map<string, CompiledRule>();

function build(logic: unknown): Fn {
  // A bare number or string is a constant; JsonLogic evaluates it as itself.
  return engine.build(logic as Parameters<typeof engine.build>[0]) as Fn;
}

function describe(err: unknown): string {
  // json-logic-engine throws a bare NaN; a program manager reading the trace needs the likely cause.
  if (typeof err === 'number' && Number.isNaN(err)) return 'NaN (a division by zero, or arithmetic on something that is not a number)';
  if (err && typeof err === 'object') {
    const e = err as { type?: unknown; key?: unknown; message?: unknown };
    if (e.type === 'Unknown Operator') return `unknown operator "${String(e.key)}"`;
    if (typeof e.message === 'string' && e.message) return e.message;
    if (typeof e.type === 'string') return e.type;
  }
  return String(err);
}

/** Compile-time check of a rule's expressions; each problem names its path. */
export function checkExpressions(input: { condition?: unknown; effects: { amount: unknown; perLine?: unknown }[] }): FieldError[] {
  const errors: FieldError[] = [];
  const tryBuild = (logic: unknown, path: string) => {
    try {
      build(logic);
    } catch (err) {
      errors.push({ path, message: `invalid JsonLogic: ${describe(err)}` });
    }
  };
  if (input.condition !== undefined && input.condition !== null) tryBuild(input.condition, 'condition');
  input.effects.forEach((e, i) => {
    tryBuild(e.amount, `effects.${i}.amount`);
    if (e.perLine !== undefined && e.perLine !== null) tryBuild(e.perLine, `effects.${i}.perLine`);
  });
  return errors;
}

/**
 * A JsonLogic condition used outside a rule (a campaign audience's filter), built by the same engine
 * and judged as a rule condition is: it holds when the result is truthy; one that throws does not hold.
 * An expression that does not build is refused with its path.
 */
export function compileCondition(logic: unknown, path: string): { ok: true; test: (data: unknown) => boolean } | { ok: false; errors: FieldError[] } {
  let fn: Fn;
  try {
    fn = build(logic);
  } catch (err) {
    return { ok: false, errors: [{ path, message: `invalid JsonLogic: ${describe(err)}` }] };
  }
  return {
    ok: true,
    test: (data) => {
      try {
        return !!fn(data);
      } catch {
        return false;
      }
    },
  };
}

/** Compiles a rule version once; later calls with the same id and version reuse it. */
export function compileRule(def: RuleDefinition): CompiledRule {
  const key = `${def.id}@${def.version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled: CompiledRule = {
    ...def,
    run: {
      condition: def.condition === undefined || def.condition === null ? null : build(def.condition),
      effects: def.effects.map((e) => ({ amount: build(e.amount), perLine: e.perLine === undefined || e.perLine === null ? null : build(e.perLine) })),
    },
  };
  if (cache.size > 5000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/**
 * JsonLogic arithmetic is floating point (`amount × 0.07`): a result within a billionth of an
 * integer is that integer (0.29 × 100 = 28.999999999999996 is 29); anything else rounds down.
 */
export function toWholeAmount(value: unknown): { amount: bigint } | { error: string } {
  if (typeof value !== 'number') return { error: `amount expression gave ${value === null ? 'null' : typeof value}, not a number` };
  if (!Number.isFinite(value)) return { error: `amount expression gave ${String(value)}` };
  const nearest = Math.round(value);
  const whole = Math.abs(value - nearest) <= 1e-9 * Math.max(1, Math.abs(value)) ? nearest : Math.floor(value);
  if (Math.abs(whole) > Number.MAX_SAFE_INTEGER) return { error: 'amount expression gave more than 2^53−1' };
  return { amount: BigInt(whole) };
}

function inList(list: string[] | null | undefined, value: string | null | undefined): boolean {
  return !list || list.length === 0 || (value != null && list.includes(value));
}

function pilotGroupsOf(attributes: Record<string, unknown>): string[] {
  const groups: string[] = [];
  if (typeof attributes.pilotGroup === 'string') groups.push(attributes.pilotGroup);
  if (Array.isArray(attributes.pilotGroups)) for (const g of attributes.pilotGroups) if (typeof g === 'string') groups.push(g);
  return groups;
}

/** Why the rule does not target this account/member, or null when it does. */
export function targetingMiss(target: Target | null, ctx: RuleContext): string | null {
  if (!target) return null;
  if (!inList(target.types, ctx.account.type)) return `account type "${ctx.account.type}" not in ${JSON.stringify(target.types)}`;
  if (!inList(target.segments, ctx.account.segment)) return `segment "${ctx.account.segment ?? ''}" not in ${JSON.stringify(target.segments)}`;
  if (!inList(target.regions, ctx.account.region)) return `region "${ctx.account.region ?? ''}" not in ${JSON.stringify(target.regions)}`;
  if (!inList(target.tiers, ctx.account.tier)) return `tier "${ctx.account.tier ?? ''}" not in ${JSON.stringify(target.tiers)}`;
  if (target.roles && target.roles.length && !(ctx.member && target.roles.includes(ctx.member.role))) {
    return ctx.member ? `role "${ctx.member.role}" not in ${JSON.stringify(target.roles)}` : 'the rule targets roles and the event has no member';
  }
  if (target.pilotGroup && !pilotGroupsOf(ctx.account.attributes).includes(target.pilotGroup)) return `account is not in pilot group "${target.pilotGroup}"`;
  return null;
}

export type EvaluateOptions = {
  /** Kind of each program currency: tier multipliers apply to `points` only. */
  currencyKinds: Map<string, 'points' | 'money' | 'stamps'>;
  /** The multiplier of the tier the account held before the event (1 without tiers). */
  tierMultiplier: number;
};

/** Evaluates one rule; effects are computed only when the rule matches. */
export function evaluateRule(rule: CompiledRule, ctx: RuleContext, opts: EvaluateOptions): RuleEvaluation {
  const base = { ruleId: rule.id, version: rule.version, name: rule.name };
  const at = Date.parse(ctx.event.occurredAt);
  if ((rule.activeFrom && at < rule.activeFrom.getTime()) || (rule.activeTo && at >= rule.activeTo.getTime())) {
    return { ...base, matched: false, reason: 'out_of_window', detail: `event at ${ctx.event.occurredAt} is outside ${rule.activeFrom?.toISOString() ?? '−∞'} … ${rule.activeTo?.toISOString() ?? '∞'}`, effects: [] };
  }
  const miss = targetingMiss(rule.target, ctx);
  if (miss) return { ...base, matched: false, reason: 'not_targeted', detail: miss, effects: [] };
  if (rule.run.condition) {
    let ok: unknown;
    try {
      ok = rule.run.condition(ctx);
    } catch (err) {
      return { ...base, matched: false, reason: 'condition_error', detail: describe(err), effects: [] };
    }
    if (!ok) return { ...base, matched: false, reason: 'condition_false', effects: [] };
  }
  const effects = rule.effects.map((e, index): EffectResult => {
    const run = rule.run.effects[index];
    const result = { index, currency: e.currency, to: e.to };
    let raw: unknown;
    try {
      if (run.perLine) {
        let sum = 0;
        for (const line of ctx.event.lines ?? []) {
          const lineCtx = { ...ctx, line };
          if (!run.perLine(lineCtx)) continue;
          const v = run.amount(lineCtx);
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            raw = v;
            sum = NaN;
            break;
          }
          sum += v;
        }
        raw = Number.isNaN(sum) ? raw : sum;
      } else {
        raw = run.amount(ctx);
      }
    } catch (err) {
      return { ...result, amount: 0n, note: `amount expression failed: ${describe(err)}` };
    }
    const whole = toWholeAmount(raw);
    if ('error' in whole) return { ...result, amount: 0n, note: whole.error };
    let amount = whole.amount;
    let multiplier: number | undefined;
    if (opts.tierMultiplier !== 1 && e.tierMultiplier !== false && opts.currencyKinds.get(e.currency) === 'points' && amount > 0n) {
      multiplier = opts.tierMultiplier;
      const m = toWholeAmount(Number(amount) * opts.tierMultiplier);
      amount = 'amount' in m ? m.amount : amount;
    }
    if (amount <= 0n) return { ...result, amount: 0n, note: 'amount is zero or less', multiplier };
    return { ...result, amount, multiplier };
  });
  return { ...base, matched: true, effects };
}

/** Evaluates rules by priority (higher first); a matching exclusive rule stops the ones after it. */
export function evaluateRules(rules: CompiledRule[], ctx: RuleContext, opts: EvaluateOptions): RuleEvaluation[] {
  const ordered = [...rules].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: RuleEvaluation[] = [];
  let stoppedBy: CompiledRule | null = null;
  for (const rule of ordered) {
    if (stoppedBy) {
      out.push({ ruleId: rule.id, version: rule.version, name: rule.name, matched: false, reason: 'excluded', detail: `exclusive rule "${stoppedBy.name}" matched first`, effects: [] });
      continue;
    }
    const r = evaluateRule(rule, ctx, opts);
    out.push(r);
    if (r.matched && rule.exclusive) stoppedBy = rule;
  }
  return out;
}

/**
 * Who gets what of an effect's award. A `split` gives the company round-down(total × share ÷ 100)
 * and the member the rest; without a member (or with employee incentives off) the company gets all.
 */
export function splitAward(
  total: bigint,
  to: EffectInput['to'],
  opts: { accountShare: number; hasMember: boolean; employeeIncentives: boolean },
): { account: bigint; member: bigint; note?: string } {
  const memberAllowed = opts.hasMember && opts.employeeIncentives;
  if (to === 'account') return { account: total, member: 0n };
  if (to === 'member') {
    if (!opts.hasMember) return { account: 0n, member: 0n, note: 'the event has no member' };
    if (!opts.employeeIncentives) return { account: 0n, member: 0n, note: 'the account has switched employee incentives off' };
    return { account: 0n, member: total };
  }
  if (!memberAllowed) return { account: total, member: 0n, note: opts.hasMember ? 'employee incentives are off: all to the company' : 'no member: all to the company' };
  const account = (total * BigInt(opts.accountShare)) / 100n;
  return { account, member: total - account };
}

/** A calendar date in a time zone, e.g. `2026-11-02`. */
const dateFormatIn = formatterPerZone((timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));

/** The calendar period an event falls in, in the program's time zone: `2026-11`, `2026-Q4`, `2026-11-02`, `2026`. */
export function periodKey(per: 'event' | 'day' | 'month' | 'quarter' | 'year', occurredAt: Date, timeZone: string, eventId: string): string {
  if (per === 'event') return `event:${eventId}`;
  const parts = dateFormatIn(timeZone).formatToParts(occurredAt);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const y = get('year');
  const m = get('month');
  if (per === 'year') return y;
  if (per === 'quarter') return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  if (per === 'month') return `${y}-${m}`;
  return `${y}-${m}-${get('day')}`;
}
