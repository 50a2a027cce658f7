import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { budgetKeyOf, capKeyOf, type BudgetKey, type CapKey, type LimitUsage } from './rules.planner.js';
import { ruleBudgetUsage, ruleCapUsage, rules, ruleVersions } from './rules.tables.js';

export type RuleRow = typeof rules.$inferSelect;
export type RuleVersionRow = typeof ruleVersions.$inferSelect;

export async function insertRule(tx: Tx, row: typeof rules.$inferInsert): Promise<void> {
  await tx.insert(rules).values(row);
}

export async function insertVersion(tx: Tx, row: typeof ruleVersions.$inferInsert): Promise<void> {
  await tx.insert(ruleVersions).values(row);
}

export async function findRule(tx: Tx, programId: string, id: string, lock = false): Promise<RuleRow | undefined> {
  const q = tx.select().from(rules).where(and(eq(rules.programId, programId), eq(rules.id, id), ne(rules.status, 'deleted')));
  const [r] = lock ? await q.for('update') : await q;
  return r;
}

export async function updateRule(tx: Tx, programId: string, id: string, patch: Partial<typeof rules.$inferInsert>): Promise<void> {
  await tx.update(rules).set({ ...patch, updatedAt: new Date() }).where(and(eq(rules.programId, programId), eq(rules.id, id)));
}

export async function findVersion(tx: Tx, programId: string, ruleId: string, version: number): Promise<RuleVersionRow | undefined> {
  const [v] = await tx.select().from(ruleVersions).where(and(eq(ruleVersions.programId, programId), eq(ruleVersions.ruleId, ruleId), eq(ruleVersions.version, version)));
  return v;
}

export async function listVersions(tx: Tx, programId: string, ruleId: string): Promise<RuleVersionRow[]> {
  return tx.select().from(ruleVersions).where(and(eq(ruleVersions.programId, programId), eq(ruleVersions.ruleId, ruleId))).orderBy(desc(ruleVersions.version));
}

export async function listRules(tx: Tx, programId: string, opts: { limit: number; after?: string; eventType?: string; status?: string }) {
  const where = [eq(rules.programId, programId), ne(rules.status, 'deleted')];
  if (opts.after) where.push(gt(rules.id, opts.after));
  if (opts.eventType) where.push(eq(rules.eventType, opts.eventType));
  if (opts.status) where.push(eq(rules.status, opts.status as RuleRow['status']));
  return tx
    .select({ rule: rules, version: ruleVersions })
    .from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.programId, rules.programId), eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(...where))
    .orderBy(asc(rules.id))
    .limit(opts.limit);
}

/** The current versions of the program's active rules for one event type. */
export async function activeRules(tx: Tx, programId: string, eventType: string) {
  return tx
    .select({ rule: rules, version: ruleVersions })
    .from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.programId, rules.programId), eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(eq(rules.programId, programId), eq(rules.eventType, eventType), eq(rules.status, 'active')));
}

export async function budgetUsed(tx: Tx, programId: string, ruleId: string, currency: string): Promise<bigint> {
  const [r] = await tx.select().from(ruleBudgetUsage).where(and(eq(ruleBudgetUsage.programId, programId), eq(ruleBudgetUsage.ruleId, ruleId), eq(ruleBudgetUsage.currency, currency)));
  return r?.used ?? 0n;
}

export async function giveBackBudget(tx: Tx, programId: string, ruleId: string, currency: string, amount: bigint): Promise<void> {
  await tx
    .update(ruleBudgetUsage)
    .set({ used: sql`greatest(${ruleBudgetUsage.used} - ${amount.toString()}::bigint, 0)` })
    .where(and(eq(ruleBudgetUsage.programId, programId), eq(ruleBudgetUsage.ruleId, ruleId), eq(ruleBudgetUsage.currency, currency)));
}

export async function giveBackCap(tx: Tx, programId: string, k: { ruleId: string; effectIndex: number; scopeKey: string; periodKey: string }, amount: bigint): Promise<void> {
  await tx
    .update(ruleCapUsage)
    .set({ used: sql`greatest(${ruleCapUsage.used} - ${amount.toString()}::bigint, 0)` })
    .where(and(eq(ruleCapUsage.programId, programId), eq(ruleCapUsage.ruleId, k.ruleId), eq(ruleCapUsage.effectIndex, k.effectIndex), eq(ruleCapUsage.scopeKey, k.scopeKey), eq(ruleCapUsage.periodKey, k.periodKey)));
}

/** The global lock order of budget rows (see docs/decisions/0004-earning-lock-order.md). */
export const budgetLockKey = (k: { ruleId: string; currency: string }) => `${k.ruleId}|${k.currency}`;

/**
 * Locks the budget rows of these rules FOR UPDATE in the global order, creating the missing ones
 * first: a budget is shared by every account, so two transactions that both need two budgets must
 * take them in the same order, and before any wallet. Two statements, whatever the number of budgets.
 */
export async function lockBudgets(tx: Tx, programId: string, keys: { ruleId: string; currency: string }[]): Promise<Map<string, bigint>> {
  const sorted = [...new Map(keys.map((k) => [budgetLockKey(k), k] as const))].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, k]) => k);
  const used = new Map<string, bigint>();
  if (!sorted.length) return used;
  const rows = JSON.stringify(sorted.map((k, i) => ({ ord: i, rule_id: k.ruleId, currency: k.currency })));
  await tx.execute(sql`
    insert into rule_budget_usage (program_id, rule_id, currency, used)
    select ${programId}, k.rule_id, k.currency, 0 from jsonb_to_recordset(${rows}::jsonb) as k(ord int, rule_id text, currency text) order by k.ord
    on conflict do nothing`);
  const res = await tx.execute(sql`
    select b.rule_id, b.currency, b.used::text as used from jsonb_to_recordset(${rows}::jsonb) as k(ord int, rule_id text, currency text)
    join rule_budget_usage b on b.program_id = ${programId} and b.rule_id = k.rule_id and b.currency = k.currency
    order by k.ord
    for update of b`);
  for (const r of res.rows) used.set(budgetKeyOf({ ruleId: String(r.rule_id), currency: String(r.currency) }), BigInt(String(r.used)));
  return used;
}

/** The budgets of the program's rules that have spent something (a return may give back to any of them). */
export async function budgetKeysOf(tx: Tx, programId: string): Promise<{ ruleId: string; currency: string }[]> {
  return tx.select({ ruleId: ruleBudgetUsage.ruleId, currency: ruleBudgetUsage.currency }).from(ruleBudgetUsage).where(eq(ruleBudgetUsage.programId, programId));
}

/**
 * What these caps and budgets have used, with their rows locked FOR UPDATE (created when missing),
 * so the planner's claims rest on what no one else can change before the commit. Budgets come
 * first, in the global order (`lockBudgets`); caps belong to one account, whose lock orders them.
 */
export async function lockLimits(tx: Tx, programId: string, caps: CapKey[], budgets: BudgetKey[]): Promise<LimitUsage> {
  const out: LimitUsage = { caps: new Map(), budgets: await lockBudgets(tx, programId, budgets) };
  if (caps.length) {
    const rows = JSON.stringify(caps.map((k) => ({ rule_id: k.ruleId, effect_index: k.effectIndex, scope_key: k.scopeKey, period_key: k.periodKey })));
    const rec = sql`jsonb_to_recordset(${rows}::jsonb) as k(rule_id text, effect_index int, scope_key text, period_key text)`;
    await tx.execute(sql`
      insert into rule_cap_usage (program_id, rule_id, effect_index, scope_key, period_key, used)
      select ${programId}, k.rule_id, k.effect_index, k.scope_key, k.period_key, 0 from ${rec}
      on conflict do nothing`);
    const res = await tx.execute(sql`
      select c.rule_id, c.effect_index, c.scope_key, c.period_key, c.used::text as used from ${rec}
      join rule_cap_usage c on c.program_id = ${programId} and c.rule_id = k.rule_id and c.effect_index = k.effect_index and c.scope_key = k.scope_key and c.period_key = k.period_key
      for update of c`);
    for (const r of res.rows) {
      out.caps.set(capKeyOf({ ruleId: String(r.rule_id), effectIndex: Number(r.effect_index), scopeKey: String(r.scope_key), periodKey: String(r.period_key) }), BigInt(String(r.used)));
    }
  }
  return out;
}

/** Adds the planner's claims to the usage of caps and budgets (one statement each). */
export async function claimLimits(tx: Tx, programId: string, capClaims: { key: CapKey; amount: bigint }[], budgetClaims: { key: BudgetKey; amount: bigint }[]): Promise<void> {
  if (budgetClaims.length) {
    await tx.execute(sql`
      update rule_budget_usage b set used = b.used + k.amount::bigint
      from jsonb_to_recordset(${JSON.stringify(budgetClaims.map((c) => ({ rule_id: c.key.ruleId, currency: c.key.currency, amount: c.amount.toString() })))}::jsonb) as k(rule_id text, currency text, amount text)
      where b.program_id = ${programId} and b.rule_id = k.rule_id and b.currency = k.currency`);
  }
  if (capClaims.length) {
    const rows = capClaims.map((c) => ({ rule_id: c.key.ruleId, effect_index: c.key.effectIndex, scope_key: c.key.scopeKey, period_key: c.key.periodKey, amount: c.amount.toString() }));
    await tx.execute(sql`
      update rule_cap_usage c set used = c.used + k.amount::bigint
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as k(rule_id text, effect_index int, scope_key text, period_key text, amount text)
      where c.program_id = ${programId} and c.rule_id = k.rule_id and c.effect_index = k.effect_index and c.scope_key = k.scope_key and c.period_key = k.period_key`);
  }
}

// Rule editor (#21)
/** Serialises the name checks of one program's rules (two creations with one name: one wins). */
export async function lockRuleNames(tx: Tx, programId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rule-names:${programId}`}))`);
}

/** The id of a live rule whose current version has this name (case-insensitive, trimmed), if any. */
export async function findByName(tx: Tx, programId: string, name: string, exceptId?: string): Promise<string | null> {
  const where = [eq(rules.programId, programId), ne(rules.status, 'deleted'), sql`lower(btrim(${ruleVersions.definition}->>'name')) = lower(btrim(${name}))`];
  if (exceptId) where.push(ne(rules.id, exceptId));
  const [r] = await tx
    .select({ id: rules.id })
    .from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.programId, rules.programId), eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(...where))
    .limit(1);
  return r?.id ?? null;
}
