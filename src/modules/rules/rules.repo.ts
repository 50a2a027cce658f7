import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
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

export async function updateRule(tx: Tx, id: string, patch: Partial<typeof rules.$inferInsert>): Promise<void> {
  await tx.update(rules).set({ ...patch, updatedAt: new Date() }).where(eq(rules.id, id));
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
    .innerJoin(ruleVersions, and(eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(...where))
    .orderBy(asc(rules.id))
    .limit(opts.limit);
}

/** The current versions of the program's active rules for one event type. */
export async function activeRules(tx: Tx, programId: string, eventType: string) {
  return tx
    .select({ rule: rules, version: ruleVersions })
    .from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.ruleId, rules.id), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(eq(rules.programId, programId), eq(rules.eventType, eventType), eq(rules.status, 'active')));
}

export async function budgetUsed(tx: Tx, ruleId: string, currency: string): Promise<bigint> {
  const [r] = await tx.select().from(ruleBudgetUsage).where(and(eq(ruleBudgetUsage.ruleId, ruleId), eq(ruleBudgetUsage.currency, currency)));
  return r?.used ?? 0n;
}

/**
 * Takes up to `want` from what is left of a limit (budget or cap), under a row lock so two
 * events never spend the same remainder. Returns what was granted.
 */
async function take(tx: Tx, lockSql: ReturnType<typeof sql>, insertSql: ReturnType<typeof sql>, updateSql: (granted: bigint) => ReturnType<typeof sql>, max: bigint, want: bigint): Promise<bigint> {
  let res = await tx.execute(lockSql);
  if (!res.rows[0]) {
    await tx.execute(insertSql);
    res = await tx.execute(lockSql);
  }
  const used = BigInt(String(res.rows[0].used));
  const left = max - used;
  const granted = left <= 0n ? 0n : want < left ? want : left;
  if (granted > 0n) await tx.execute(updateSql(granted));
  return granted;
}

export async function takeBudget(tx: Tx, programId: string, ruleId: string, currency: string, max: bigint, want: bigint): Promise<bigint> {
  return take(
    tx,
    sql`select used from rule_budget_usage where rule_id = ${ruleId} and currency = ${currency} for update`,
    sql`insert into rule_budget_usage (program_id, rule_id, currency, used) values (${programId}, ${ruleId}, ${currency}, 0) on conflict do nothing`,
    (g) => sql`update rule_budget_usage set used = used + ${g.toString()}::bigint where rule_id = ${ruleId} and currency = ${currency}`,
    max,
    want,
  );
}

export async function takeCap(tx: Tx, programId: string, k: { ruleId: string; effectIndex: number; scopeKey: string; periodKey: string }, max: bigint, want: bigint): Promise<bigint> {
  const where = sql`rule_id = ${k.ruleId} and effect_index = ${k.effectIndex} and scope_key = ${k.scopeKey} and period_key = ${k.periodKey}`;
  return take(
    tx,
    sql`select used from rule_cap_usage where ${where} for update`,
    sql`insert into rule_cap_usage (program_id, rule_id, effect_index, scope_key, period_key, used) values (${programId}, ${k.ruleId}, ${k.effectIndex}, ${k.scopeKey}, ${k.periodKey}, 0) on conflict do nothing`,
    (g) => sql`update rule_cap_usage set used = used + ${g.toString()}::bigint where ${where}`,
    max,
    want,
  );
}

export async function giveBackBudget(tx: Tx, ruleId: string, currency: string, amount: bigint): Promise<void> {
  await tx
    .update(ruleBudgetUsage)
    .set({ used: sql`greatest(${ruleBudgetUsage.used} - ${amount.toString()}::bigint, 0)` })
    .where(and(eq(ruleBudgetUsage.ruleId, ruleId), eq(ruleBudgetUsage.currency, currency)));
}

export async function giveBackCap(tx: Tx, k: { ruleId: string; effectIndex: number; scopeKey: string; periodKey: string }, amount: bigint): Promise<void> {
  await tx
    .update(ruleCapUsage)
    .set({ used: sql`greatest(${ruleCapUsage.used} - ${amount.toString()}::bigint, 0)` })
    .where(and(eq(ruleCapUsage.ruleId, k.ruleId), eq(ruleCapUsage.effectIndex, k.effectIndex), eq(ruleCapUsage.scopeKey, k.scopeKey), eq(ruleCapUsage.periodKey, k.periodKey)));
}

/** The global lock order of budget rows (see docs/decisions/0004-earning-lock-order.md). */
export const budgetLockKey = (k: { ruleId: string; currency: string }) => `${k.ruleId}|${k.currency}`;

/**
 * Locks the budget rows of these rules FOR UPDATE in the global order, creating the missing ones
 * first: a budget is shared by every account, so two transactions that both need two budgets must
 * take them in the same order, and before any wallet. Two statements, whatever the number of budgets.
 */
export async function lockBudgets(tx: Tx, programId: string, keys: { ruleId: string; currency: string }[]): Promise<void> {
  const sorted = [...new Map(keys.map((k) => [budgetLockKey(k), k] as const))].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, k]) => k);
  if (!sorted.length) return;
  const rows = JSON.stringify(sorted.map((k, i) => ({ ord: i, rule_id: k.ruleId, currency: k.currency })));
  await tx.execute(sql`
    insert into rule_budget_usage (program_id, rule_id, currency, used)
    select ${programId}, k.rule_id, k.currency, 0 from jsonb_to_recordset(${rows}::jsonb) as k(ord int, rule_id text, currency text) order by k.ord
    on conflict do nothing`);
  await tx.execute(sql`
    select b.used from jsonb_to_recordset(${rows}::jsonb) as k(ord int, rule_id text, currency text)
    join rule_budget_usage b on b.rule_id = k.rule_id and b.currency = k.currency
    order by k.ord
    for update of b`);
}

/** The budgets of the program's rules that have spent something (a return may give back to any of them). */
export async function budgetKeysOf(tx: Tx, programId: string): Promise<{ ruleId: string; currency: string }[]> {
  return tx.select({ ruleId: ruleBudgetUsage.ruleId, currency: ruleBudgetUsage.currency }).from(ruleBudgetUsage).where(eq(ruleBudgetUsage.programId, programId));
}
