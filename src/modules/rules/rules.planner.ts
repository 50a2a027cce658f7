import { periodKey, splitAward, type CompiledRule, type RuleEvaluation } from './rules.engine.js';

/**
 * The award planner: what an evaluated event earns, as a pure function of the rules' evaluation,
 * the parties and what its caps and budgets have used so far. Live processing (single events and
 * batches alike) and simulation all plan with it, so they cannot drift apart
 * (docs/decisions/0005-one-award-planner.md). It reads and writes nothing: the caller reads the
 * usage of the limits `limitsNeeded` names (under lock, when live), plans, then writes the claims.
 */

const DAY = 86_400_000;

/** One cap's usage row: one effect of one rule, for one account or member, in one period. */
export type CapKey = { ruleId: string; effectIndex: number; scopeKey: string; periodKey: string };
export type BudgetKey = { ruleId: string; currency: string };
export const capKeyOf = (k: CapKey) => `${k.ruleId}|${k.effectIndex}|${k.scopeKey}|${k.periodKey}`;
export const budgetKeyOf = (k: BudgetKey) => `${k.ruleId}|${k.currency}`;

/** What the planner needs to know about the event besides the evaluation. */
export type PlanEnv = {
  program: { accountShare: number; timeZone: string };
  account: { id: string; employeeIncentives: boolean };
  /** The event's member; `active`: only an active member receives. */
  member: { id: string; active: boolean } | null;
  eventId: string;
  occurredAt: Date;
  /** When the awards are credited: nothing becomes available before it. */
  now: Date;
};

/** What the limits have used before this event (keys as `capKeyOf` and `budgetKeyOf`; absent = 0). */
export type LimitUsage = { caps: Map<string, bigint>; budgets: Map<string, bigint> };

export type PlannedAward = {
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  effectIndex: number;
  ownerType: 'account' | 'member';
  /** The account id or the member id. */
  ownerId: string;
  currency: string;
  amount: bigint;
  availableAt: Date;
  /** Available at once (not pending). */
  available: boolean;
  cap: CapKey | null;
  countsAgainstBudget: boolean;
};

/** A step of the evaluation trace: what each rule did with the event, and why. */
export type PlanTraceEntry = RuleEvaluation & {
  awards?: { to: 'account' | 'member'; currency: string; amount: number; effectIndex: number }[];
  limits?: { effectIndex: number; kind: 'cap' | 'budget'; wanted: number; granted: number; detail: string }[];
};

export type AwardPlan = {
  awards: PlannedAward[];
  /** What to add to each cap's and budget's usage (only positive amounts). */
  capClaims: { key: CapKey; amount: bigint }[];
  budgetClaims: { key: BudgetKey; amount: bigint }[];
  trace: PlanTraceEntry[];
};

const ruleOf = (rules: CompiledRule[], id: string) => rules.find((r) => r.id === id)!;

function shareOf(rule: CompiledRule, index: number, env: PlanEnv, total: bigint) {
  return splitAward(total, rule.effects[index].to, { accountShare: env.program.accountShare, hasMember: !!env.member?.active, employeeIncentives: env.account.employeeIncentives });
}

function capKey(rule: CompiledRule, index: number, env: PlanEnv): CapKey | null {
  const cap = rule.effects[index].cap;
  if (!cap) return null;
  const scopeKey = cap.scope === 'member' && env.member ? `member:${env.member.id}` : `account:${env.account.id}`;
  return { ruleId: rule.id, effectIndex: index, scopeKey, periodKey: periodKey(cap.per, env.occurredAt, env.program.timeZone, env.eventId) };
}

/** The caps and budgets the plan of this evaluation may claim: the caller reads their usage first. */
export function limitsNeeded(rules: CompiledRule[], evaluations: RuleEvaluation[], env: PlanEnv): { caps: CapKey[]; budgets: BudgetKey[] } {
  const caps = new Map<string, CapKey>();
  const budgets = new Map<string, BudgetKey>();
  for (const ev of evaluations) {
    if (!ev.matched) continue;
    const rule = ruleOf(rules, ev.ruleId);
    for (const eff of ev.effects) {
      if (eff.amount <= 0n) continue;
      const k = capKey(rule, eff.index, env);
      if (k) caps.set(capKeyOf(k), k);
      if (rule.budget && rule.budget.currency === rule.effects[eff.index].currency) budgets.set(budgetKeyOf({ ruleId: rule.id, currency: rule.budget.currency }), { ruleId: rule.id, currency: rule.budget.currency });
    }
  }
  return { caps: [...caps.values()], budgets: [...budgets.values()] };
}

/**
 * Plans the awards of an evaluated event: caps and budget cut what each effect wants (cut, not
 * deferred), an effect nobody can receive uses up neither, a split shares what is granted.
 */
export function planAwards(rules: CompiledRule[], evaluations: RuleEvaluation[], env: PlanEnv, used: LimitUsage): AwardPlan {
  const caps = new Map(used.caps);
  const budgets = new Map(used.budgets);
  const capClaims = new Map<string, { key: CapKey; amount: bigint }>();
  const budgetClaims = new Map<string, { key: BudgetKey; amount: bigint }>();
  const take = <K>(usage: Map<string, bigint>, claims: Map<string, { key: K; amount: bigint }>, id: string, key: K, max: bigint, want: bigint) => {
    const u = usage.get(id) ?? 0n;
    const left = max - u;
    const granted = left <= 0n ? 0n : want < left ? want : left;
    if (granted > 0n) {
      usage.set(id, u + granted);
      const c = claims.get(id) ?? { key, amount: 0n };
      c.amount += granted;
      claims.set(id, c);
    }
    return granted;
  };
  const trace: PlanTraceEntry[] = [];
  const awards: PlannedAward[] = [];
  for (const ev of evaluations) {
    const entry: PlanTraceEntry = { ...ev, awards: [], limits: [] };
    trace.push(entry);
    if (!ev.matched) continue;
    const rule = ruleOf(rules, ev.ruleId);
    for (const eff of ev.effects) {
      if (eff.amount <= 0n) continue;
      const spec = rule.effects[eff.index];
      // An effect nobody can receive (to the member, with no member) must not use up the cap or the budget.
      const reachable = shareOf(rule, eff.index, env, eff.amount);
      if (reachable.account + reachable.member === 0n) {
        eff.note = reachable.note;
        continue;
      }
      let granted = eff.amount;
      const cap = capKey(rule, eff.index, env);
      if (cap && spec.cap) {
        const g = take(caps, capClaims, capKeyOf(cap), cap, BigInt(spec.cap.max), granted);
        if (g < granted) entry.limits!.push({ effectIndex: eff.index, kind: 'cap', wanted: Number(granted), granted: Number(g), detail: `cap of ${spec.cap.max} per ${spec.cap.per} per ${spec.cap.scope} reached (${cap.periodKey})` });
        granted = g;
      }
      let budgeted = false;
      if (granted > 0n && rule.budget && rule.budget.currency === spec.currency) {
        const key = { ruleId: rule.id, currency: spec.currency };
        const g = take(budgets, budgetClaims, budgetKeyOf(key), key, BigInt(rule.budget.max), granted);
        if (g < granted) entry.limits!.push({ effectIndex: eff.index, kind: 'budget', wanted: Number(granted), granted: Number(g), detail: `budget of ${rule.budget.max} ${rule.budget.currency} spent` });
        granted = g;
        budgeted = true;
      }
      if (granted <= 0n) continue;
      const split = shareOf(rule, eff.index, env, granted);
      if (split.note) eff.note = split.note;
      const availableAt = new Date(Math.max(env.occurredAt.getTime() + (spec.availableAfterDays ?? 0) * DAY, env.now.getTime()));
      const legs: ['account' | 'member', string, bigint][] = [];
      if (split.account > 0n) legs.push(['account', env.account.id, split.account]);
      if (split.member > 0n && env.member) legs.push(['member', env.member.id, split.member]);
      for (const [ownerType, ownerId, amount] of legs) {
        awards.push({
          ruleId: rule.id,
          ruleVersion: rule.version,
          ruleName: rule.name,
          effectIndex: eff.index,
          ownerType,
          ownerId,
          currency: spec.currency,
          amount,
          availableAt,
          available: !(availableAt > env.now),
          cap,
          countsAgainstBudget: budgeted,
        });
        entry.awards!.push({ to: ownerType, currency: spec.currency, amount: Number(amount), effectIndex: eff.index });
      }
    }
  }
  return { awards, capClaims: [...capClaims.values()], budgetClaims: [...budgetClaims.values()], trace };
}
