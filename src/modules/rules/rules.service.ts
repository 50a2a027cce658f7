import { conditionProblems, type RuleInput, type RulePatch } from '../../contracts/rules.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import { checkExpressions, compileRule, type CompiledRule, type RuleDefinition } from './rules.engine.js';
import { ruleError } from './rules.errors.js';
import * as repo from './rules.repo.js';

export type RuleStatus = 'active' | 'draft' | 'paused';
export type RuleView = RuleInput & {
  id: string;
  version: number;
  status: RuleStatus;
  budgetUsed: number | null;
  createdAt: string;
  updatedAt: string;
};

/** A stored definition with every optional field filled in, as the engine and the API see it. */
function normalise(input: RuleInput): Required<Omit<RuleInput, 'status'>> {
  return {
    name: input.name,
    description: input.description ?? null,
    eventType: input.eventType,
    condition: input.condition ?? null,
    effects: input.effects,
    priority: input.priority ?? 0,
    exclusive: input.exclusive ?? false,
    activeFrom: input.activeFrom ?? null,
    activeTo: input.activeTo ?? null,
    target: input.target ?? null,
    budget: input.budget ?? null,
  };
}

export function toDefinition(id: string, version: number, input: RuleInput): RuleDefinition {
  const n = normalise(input);
  return {
    id,
    version,
    name: n.name,
    eventType: n.eventType,
    condition: n.condition,
    effects: n.effects,
    priority: n.priority,
    exclusive: n.exclusive,
    activeFrom: n.activeFrom ? new Date(n.activeFrom) : null,
    activeTo: n.activeTo ? new Date(n.activeTo) : null,
    target: n.target,
    budget: n.budget,
  };
}

export function createRulesService(database: Database, deps: { audit: AuditService; programs: ProgramsService }) {
  const { audit, programs } = deps;

  /** Checks what the schema cannot: expressions compile, currencies, roles and event type exist, the window is ordered. */
  async function validate(tx: Tx, programId: string, input: RuleInput): Promise<void> {
    const errors: FieldError[] = checkExpressions({ condition: input.condition, effects: input.effects });
    if (errors.length) throw ruleError('RULE_CONDITION_INVALID', 'The rule has invalid JsonLogic.', errors);
    // Rule editor checks (#21): no comparison with an empty value, no empty field or list.
    const empty = conditionProblems(input.condition);
    if (empty.length) throw ruleError('RULE_CONDITION_INVALID', 'The condition compares a field with an empty or impossible value.', empty);
    if (!(await programs.eventTypeExistsIn(tx, programId, input.eventType))) {
      errors.push({ path: 'eventType', message: `unknown event type "${input.eventType}"; declare it with POST /event-types` });
    }
    const currencies = new Set<string>();
    for (const [i, e] of input.effects.entries()) {
      if (!(await programs.findCurrencyIn(tx, programId, e.currency))) errors.push({ path: `effects.${i}.currency`, message: `unknown currency "${e.currency}"` });
      currencies.add(e.currency);
    }
    if (input.budget && !currencies.has(input.budget.currency)) errors.push({ path: 'budget.currency', message: 'must be the currency of one of the effects' });
    for (const [i, role] of (input.target?.roles ?? []).entries()) {
      if (!(await programs.roleExistsIn(tx, programId, role))) errors.push({ path: `target.roles.${i}`, message: `unknown role "${role}"` });
    }
    if (input.activeFrom && input.activeTo && Date.parse(input.activeFrom) >= Date.parse(input.activeTo)) errors.push({ path: 'activeTo', message: 'must be after activeFrom' });
    if (errors.length) throw ruleError(errors.some((e) => e.path.includes('currency')) && errors.length === 1 ? 'CURRENCY_UNKNOWN' : 'RULE_INVALID', 'The rule is not valid for this program.', errors);
  }

  /** Two live rules of a program may not share a name (case and surrounding spaces ignored). */
  async function assertNameFree(tx: Tx, programId: string, name: string, exceptId?: string): Promise<void> {
    await repo.lockRuleNames(tx, programId);
    const other = await repo.findByName(tx, programId, name, exceptId);
    if (other) throw ruleError('RULE_NAME_TAKEN', `Another rule of this program is already called "${name.trim()}".`, [{ path: 'name', message: `already used by rule ${other}` }]);
  }

  async function view(tx: Tx, r: repo.RuleRow, v: repo.RuleVersionRow): Promise<RuleView> {
    const def = v.definition as RuleInput;
    const n = normalise(def);
    return {
      id: r.id,
      version: v.version,
      ...n,
      status: r.status === 'deleted' ? 'paused' : r.status,
      budgetUsed: n.budget ? Number(await repo.budgetUsed(tx, r.programId, r.id, n.budget.currency)) : null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  async function load(tx: Tx, programId: string, id: string): Promise<RuleView> {
    const r = await repo.findRule(tx, programId, id);
    if (!r) throw ruleError('RULE_NOT_FOUND', 'No such rule in this program.');
    return view(tx, r, (await repo.findVersion(tx, programId, id, r.currentVersion))!);
  }

  async function createIn(tx: Tx, ctx: RequestContext, input: RuleInput): Promise<RuleView> {
    await validate(tx, ctx.programId, input);
    await assertNameFree(tx, ctx.programId, input.name);
    const id = newId('rul');
    const { status, ...definition } = input;
    await repo.insertRule(tx, { id, programId: ctx.programId, currentVersion: 1, status: status ?? 'active', eventType: input.eventType });
    await repo.insertVersion(tx, { programId: ctx.programId, ruleId: id, version: 1, definition, createdBy: ctx.actor });
    const out = await load(tx, ctx.programId, id);
    await audit.record(tx, ctx, { action: 'rule.created', objectType: 'rule', objectId: id, after: out });
    return out;
  }

  async function updateIn(tx: Tx, ctx: RequestContext, id: string, patch: RulePatch): Promise<RuleView> {
    const r = await repo.findRule(tx, ctx.programId, id, true);
    if (!r) throw ruleError('RULE_NOT_FOUND', 'No such rule in this program.');
    const before = await load(tx, ctx.programId, id);
    const current = (await repo.findVersion(tx, ctx.programId, id, r.currentVersion))!.definition as RuleInput;
    const { status, ...changes } = patch;
    const contentChanged = Object.keys(changes).length > 0;
    const next: RuleInput = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as RuleInput;
    if (contentChanged) {
      await validate(tx, ctx.programId, next);
      if (changes.name !== undefined) await assertNameFree(tx, ctx.programId, next.name, id);
      await repo.insertVersion(tx, { programId: ctx.programId, ruleId: id, version: r.currentVersion + 1, definition: next, createdBy: ctx.actor });
    }
    await repo.updateRule(tx, ctx.programId, id, { currentVersion: contentChanged ? r.currentVersion + 1 : r.currentVersion, status: status ?? r.status, eventType: next.eventType });
    const after = await load(tx, ctx.programId, id);
    await audit.record(tx, ctx, { action: 'rule.updated', objectType: 'rule', objectId: id, before, after });
    return after;
  }

  async function removeIn(tx: Tx, ctx: RequestContext, id: string): Promise<void> {
    const before = await load(tx, ctx.programId, id);
    await repo.updateRule(tx, ctx.programId, id, { status: 'deleted' });
    await audit.record(tx, ctx, { action: 'rule.deleted', objectType: 'rule', objectId: id, before });
  }

  return {
    /** Validates a rule without storing it (used to simulate drafts). */
    async validateDraft(programId: string, input: RuleInput): Promise<RuleDefinition> {
      return inTransaction(database, async (tx) => {
        await validate(tx, programId, input);
        return toDefinition(`draft_${newId('x')}`, 1, input);
      });
    },

    async create(ctx: RequestContext, input: RuleInput): Promise<RuleView> {
      return inTransaction(database, (tx) => createIn(tx, ctx, input));
    },

    /** The same inside a caller's transaction (a SPIFF creates its rule with itself). */
    createIn,

    /** A rule inside a caller's transaction. */
    getIn: load,

    async get(programId: string, id: string): Promise<RuleView> {
      return inTransaction(database, (tx) => load(tx, programId, id));
    },

    async list(programId: string, q: { limit: number; cursor?: string; eventType?: string; status?: string }) {
      return inTransaction(database, async (tx) => {
        const rows = await repo.listRules(tx, programId, { limit: q.limit + 1, after: decodeCursor(q.cursor), eventType: q.eventType, status: q.status });
        const items = await Promise.all(rows.slice(0, q.limit).map((r) => view(tx, r.rule, r.version)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /** A change creates a new version; awards already made keep the version that made them. */
    async update(ctx: RequestContext, id: string, patch: RulePatch): Promise<RuleView> {
      return inTransaction(database, (tx) => updateIn(tx, ctx, id, patch));
    },
    updateIn,

    async remove(ctx: RequestContext, id: string): Promise<void> {
      await inTransaction(database, (tx) => removeIn(tx, ctx, id));
    },
    removeIn,

    async versions(programId: string, id: string) {
      return inTransaction(database, async (tx) => {
        const r = await repo.findRule(tx, programId, id);
        if (!r) throw ruleError('RULE_NOT_FOUND', 'No such rule in this program.');
        const rows = await repo.listVersions(tx, programId, id);
        return rows.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy, definition: normalise(v.definition as RuleInput) }));
      });
    },

    /** The compiled current versions of the active rules for an event type (compiled once per version). */
    async activeCompiled(tx: Tx, programId: string, eventType: string): Promise<CompiledRule[]> {
      const rows = await repo.activeRules(tx, programId, eventType);
      return rows.map((r) => compileRule(toDefinition(r.rule.id, r.version.version, r.version.definition as RuleInput)));
    },

    /** A stored rule's current definition compiled, whatever its status (for simulation). */
    async compiledById(tx: Tx, programId: string, id: string): Promise<CompiledRule> {
      const r = await repo.findRule(tx, programId, id);
      if (!r) throw ruleError('RULE_NOT_FOUND', 'No such rule in this program.');
      const v = (await repo.findVersion(tx, programId, id, r.currentVersion))!;
      return compileRule(toDefinition(r.id, v.version, v.definition as RuleInput));
    },

    lockBudgets: repo.lockBudgets,
    lockLimits: repo.lockLimits,
    claimLimits: repo.claimLimits,
    budgetKeysOf: repo.budgetKeysOf,
    giveBackBudget: repo.giveBackBudget,
    giveBackCap: repo.giveBackCap,
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
