import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { RuleInput } from '../../contracts/rules.js';
import type { PortalSpiff, SpiffInput, SpiffPatch, SpiffReport, SpiffSeller, SpiffTarget, SpiffView } from '../../contracts/spiffs.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { DomainError, type FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { findAccountIn, findMemberIn, managedAccountIdsIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import { ruleEarningsIn, type RuleEarning } from '../events/index.js';
import type { RulesService } from '../rules/index.js';
import { spiffError } from './spiffs.errors.js';
import { spiffs } from './spiffs.tables.js';

type SpiffRow = typeof spiffs.$inferSelect;
type Definition = {
  name: string;
  description: string | null;
  skus: string[];
  eventType: string;
  reward: { currency: string; perUnit: number; to: 'member' | 'split' | 'account' };
  period: { from: string; to: string };
  target: SpiffTarget;
  budget: number;
  status: 'active' | 'paused';
};

const TOP_SELLERS = 20;
const LEADERBOARD = 10;

/**
 * The earning rule a SPIFF compiles to: one effect per unit of the SPIFF's SKUs (per-line filter),
 * the SPIFF's window as the rule's active window, its audience as the rule's target and its budget
 * as the rule's lifetime budget. A line without `qty` counts as one unit.
 */
export function spiffRule(spiffId: string, d: Definition): RuleInput {
  const target = Object.fromEntries(Object.entries(d.target).filter(([, v]) => v && v.length));
  return {
    name: `SPIFF: ${d.name}`,
    description: `Made by SPIFF ${spiffId}; change the SPIFF, not this rule.`,
    eventType: d.eventType,
    condition: null,
    effects: [
      {
        currency: d.reward.currency,
        to: d.reward.to,
        perLine: { in: [{ var: 'line.sku' }, d.skus] },
        amount: { '*': [{ var: ['line.qty', 1] }, d.reward.perUnit] },
        tierMultiplier: false,
      },
    ],
    activeFrom: d.period.from,
    activeTo: d.period.to,
    target: Object.keys(target).length ? target : null,
    budget: { currency: d.reward.currency, max: d.budget },
    status: d.status,
  };
}

/** The rules service's field paths, said in the SPIFF's terms. */
function spiffPath(path: string): string {
  if (/^effects\.\d+\.currency$/.test(path) || path === 'budget.currency') return 'reward.currency';
  if (/^effects\.\d+\.amount/.test(path)) return 'reward.perUnit';
  if (/^effects\.\d+\.perLine/.test(path)) return 'skus';
  if (path === 'activeTo' || path === 'activeFrom') return 'period.to';
  if (path === 'budget.max') return 'budget';
  return path;
}

function definitionOf(r: SpiffRow): Definition {
  return {
    name: r.name,
    description: r.description,
    skus: r.skus,
    eventType: r.eventType,
    reward: { currency: r.rewardCurrency, perUnit: Number(r.perUnit), to: r.rewardTo },
    period: { from: r.periodFrom.toISOString(), to: r.periodTo.toISOString() },
    target: r.target as SpiffTarget,
    budget: Number(r.budget),
    status: r.status === 'paused' ? 'paused' : 'active',
  };
}

function checkDefinition(d: Definition): void {
  const errors: FieldError[] = [];
  if (Date.parse(d.period.to) <= Date.parse(d.period.from)) errors.push({ path: 'period.to', message: 'must be after period.from' });
  if (new Set(d.skus.map((s) => s.toUpperCase())).size !== d.skus.length) errors.push({ path: 'skus', message: 'a product is listed twice' });
  if (errors.length) throw spiffError('SPIFF_INVALID', 'The SPIFF is not valid.', errors);
}

/**
 * SPIFFs (#13): a time-boxed bonus per product unit for partners' sales staff, as a first-class
 * object that writes, changes and ends its own earning rule. Sales count as the rule counts them
 * (approved sales claims, `sale_claimed`, or e.g. `purchase` events); earnings are read back from
 * the rule's awards.
 */
export function createSpiffsService(database: Database, deps: { rules: RulesService; audit: AuditService; now?: () => Date }) {
  const { rules, audit } = deps;
  const clock = deps.now ?? (() => new Date());

  async function row(tx: Tx, programId: string, id: string, forUpdate = false): Promise<SpiffRow> {
    const q = tx.select().from(spiffs).where(and(eq(spiffs.programId, programId), eq(spiffs.id, id)));
    const [r] = forUpdate ? await q.for('update') : await q;
    if (!r) throw spiffError('SPIFF_NOT_FOUND', 'No such SPIFF in this program.');
    return r;
  }

  async function view(tx: Tx, r: SpiffRow): Promise<SpiffView> {
    const d = definitionOf(r);
    const rule = r.status === 'archived' ? null : await rules.getIn(tx, r.programId, r.ruleId).catch(() => null);
    const spent = rule?.budgetUsed ?? Number(await spentIn(tx, r));
    return { id: r.id, ...d, status: r.status, spent, remaining: Math.max(0, d.budget - spent), ruleId: r.ruleId, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
  }

  /** Net earnings under the rule (what it paid, less returns): the budget's use once the rule is gone. */
  async function spentIn(tx: Tx, r: SpiffRow): Promise<bigint> {
    return (await ruleEarningsIn(tx, r.programId, r.ruleId, r.skus)).reduce((s, e) => s + e.earned, 0n);
  }

  /** Runs a rules-service write; its validation errors come back with the SPIFF's field paths. */
  async function viaRule<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DomainError && err.code === 'RULE_NAME_TAKEN') throw spiffError('SPIFF_NAME_TAKEN', err.message, [{ path: 'name', message: 'another SPIFF or rule has this name' }]);
      if (err instanceof DomainError && err.status === 422) throw spiffError('SPIFF_INVALID', err.message, (err.errors ?? []).map((e) => ({ ...e, path: spiffPath(e.path) })));
      throw err;
    }
  }

  async function namesOf(tx: Tx, programId: string, earnings: RuleEarning[]) {
    const accounts = new Map<string, string>();
    const members = new Map<string, string>();
    for (const e of earnings) {
      if (!accounts.has(e.accountId)) accounts.set(e.accountId, (await findAccountIn(tx, programId, e.accountId))?.name ?? e.accountId);
      if (e.memberId && !members.has(e.memberId)) members.set(e.memberId, (await findMemberIn(tx, programId, e.memberId))?.name ?? e.memberId);
    }
    return { account: (id: string) => accounts.get(id) ?? id, member: (id: string | null) => (id ? (members.get(id) ?? id) : null) };
  }

  return {
    async create(ctx: RequestContext, input: SpiffInput): Promise<SpiffView> {
      const d: Definition = {
        name: input.name,
        description: input.description ?? null,
        skus: input.skus,
        eventType: input.eventType ?? 'sale_claimed',
        reward: { currency: input.reward.currency, perUnit: input.reward.perUnit, to: input.reward.to ?? 'member' },
        period: input.period,
        target: input.target ?? {},
        budget: input.budget,
        status: input.status ?? 'active',
      };
      checkDefinition(d);
      return inTransaction(database, async (tx) => {
        const id = newId('spf');
        const rule = await viaRule(() => rules.createIn(tx, ctx, spiffRule(id, d)));
        const [r] = await tx
          .insert(spiffs)
          .values({
            id,
            programId: ctx.programId,
            name: d.name,
            description: d.description,
            skus: d.skus,
            eventType: d.eventType,
            rewardCurrency: d.reward.currency,
            perUnit: BigInt(d.reward.perUnit),
            rewardTo: d.reward.to,
            periodFrom: new Date(d.period.from),
            periodTo: new Date(d.period.to),
            target: d.target as Record<string, string[]>,
            budget: BigInt(d.budget),
            status: d.status,
            ruleId: rule.id,
          })
          .returning();
        const out = await view(tx, r);
        await audit.record(tx, ctx, { action: 'spiff.created', objectType: 'spiff', objectId: id, after: out });
        return out;
      });
    },

    async get(programId: string, id: string): Promise<SpiffView> {
      return inTransaction(database, async (tx) => view(tx, await row(tx, programId, id)));
    },

    async list(programId: string, q: { limit: number; cursor?: string; status?: 'active' | 'paused' | 'archived' }) {
      return inTransaction(database, async (tx) => {
        const after = decodeCursor(q.cursor);
        const rows = await tx
          .select()
          .from(spiffs)
          .where(and(eq(spiffs.programId, programId), after ? gt(spiffs.id, after) : undefined, q.status ? eq(spiffs.status, q.status) : undefined))
          .orderBy(asc(spiffs.id))
          .limit(q.limit + 1);
        const items = await Promise.all(rows.slice(0, q.limit).map((r) => view(tx, r)));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /**
     * Only the fields sent change; the rule gets a new version (past earnings keep theirs).
     * `archived` ends the SPIFF: its rule is deleted, earnings stay. An archived SPIFF is final.
     */
    async update(ctx: RequestContext, id: string, patch: SpiffPatch): Promise<SpiffView> {
      return inTransaction(database, async (tx) => {
        const r = await row(tx, ctx.programId, id, true);
        if (r.status === 'archived') throw spiffError('SPIFF_ARCHIVED', 'This SPIFF has ended; create a new one.');
        const before = await view(tx, r);
        const cur = definitionOf(r);
        const archive = patch.status === 'archived';
        const d: Definition = {
          name: patch.name ?? cur.name,
          description: patch.description === undefined ? cur.description : patch.description,
          skus: patch.skus ?? cur.skus,
          eventType: patch.eventType ?? cur.eventType,
          reward: patch.reward ? { currency: patch.reward.currency, perUnit: patch.reward.perUnit, to: patch.reward.to ?? cur.reward.to } : cur.reward,
          period: patch.period ?? cur.period,
          target: patch.target ?? cur.target,
          budget: patch.budget ?? cur.budget,
          status: patch.status === 'paused' ? 'paused' : patch.status === 'active' ? 'active' : cur.status,
        };
        checkDefinition(d);
        if (archive) {
          // Ends with the spend it had; the rule stops firing.
          await rules.removeIn(tx, ctx, r.ruleId);
        } else {
          const { status, ...content } = spiffRule(id, d);
          const contentChanged = JSON.stringify(spiffRule(id, cur)) !== JSON.stringify(spiffRule(id, { ...d, status: cur.status }));
          await viaRule(() => rules.updateIn(tx, ctx, r.ruleId, contentChanged ? { ...content, status } : { status }));
        }
        const [u] = await tx
          .update(spiffs)
          .set({
            name: d.name,
            description: d.description,
            skus: d.skus,
            eventType: d.eventType,
            rewardCurrency: d.reward.currency,
            perUnit: BigInt(d.reward.perUnit),
            rewardTo: d.reward.to,
            periodFrom: new Date(d.period.from),
            periodTo: new Date(d.period.to),
            target: d.target as Record<string, string[]>,
            budget: BigInt(d.budget),
            status: archive ? 'archived' : d.status,
            updatedAt: sql`now()`,
          })
          .where(and(eq(spiffs.programId, ctx.programId), eq(spiffs.id, id)))
          .returning();
        const after = await view(tx, u);
        await audit.record(tx, ctx, { action: archive ? 'spiff.archived' : 'spiff.updated', objectType: 'spiff', objectId: id, before, after });
        return after;
      });
    },

    /** Spend against the budget, the best sellers and the earnings per partner account (narrowed for an account manager). */
    async report(programId: string, id: string, scope?: { managerId: string }): Promise<SpiffReport> {
      return inTransaction(database, async (tx) => {
        const r = await row(tx, programId, id);
        const v = await view(tx, r);
        let earnings = await ruleEarningsIn(tx, programId, r.ruleId, r.skus);
        if (scope) {
          const mine = new Set(await managedAccountIdsIn(tx, programId, scope.managerId));
          earnings = earnings.filter((e) => mine.has(e.accountId));
        }
        const names = await namesOf(tx, programId, earnings);
        const byAccount = new Map<string, { accountId: string; accountName: string; units: number; earned: bigint; sellers: number }>();
        for (const e of earnings) {
          const a = byAccount.get(e.accountId) ?? { accountId: e.accountId, accountName: names.account(e.accountId), units: 0, earned: 0n, sellers: 0 };
          a.units += e.units;
          a.earned += e.earned;
          if (e.memberId) a.sellers += 1;
          byAccount.set(e.accountId, a);
        }
        const topSellers: SpiffSeller[] = earnings
          .slice(0, TOP_SELLERS)
          .map((e) => ({ memberId: e.memberId, memberName: names.member(e.memberId), accountId: e.accountId, accountName: names.account(e.accountId), units: e.units, earned: Number(e.earned) }));
        return {
          spiffId: r.id,
          currency: r.rewardCurrency,
          budget: v.budget,
          spent: v.spent,
          remaining: v.remaining,
          units: earnings.reduce((s, e) => s + e.units, 0),
          topSellers,
          byAccount: [...byAccount.values()].sort((a, b) => (a.earned === b.earned ? a.accountId.localeCompare(b.accountId) : a.earned > b.earned ? -1 : 1)).map((a) => ({ ...a, earned: Number(a.earned) })),
        };
      });
    },

    /**
     * A partner employee's promotions: the SPIFFs running now (or ended within the last 30 days)
     * that target them, with what they earned and their company's staff ranked. The ranking reads
     * only the earnings of the member's own account.
     */
    async forMember(programId: string, principal: { id: string; accountId: string }): Promise<PortalSpiff[]> {
      const now = clock();
      return inTransaction(database, async (tx) => {
        const account = await findAccountIn(tx, programId, principal.accountId);
        const found = await findMemberIn(tx, programId, principal.id);
        const member = { id: principal.id, accountId: principal.accountId, role: found?.role ?? null };
        const since = new Date(now.getTime() - 30 * 86_400_000);
        const rows = await tx
          .select()
          .from(spiffs)
          .where(and(eq(spiffs.programId, programId), inArray(spiffs.status, ['active', 'paused']), sql`${spiffs.periodFrom} <= ${now.toISOString()}`, sql`${spiffs.periodTo} > ${since.toISOString()}`))
          .orderBy(asc(spiffs.periodTo), asc(spiffs.id));
        const out: PortalSpiff[] = [];
        for (const r of rows) {
          const t = r.target as SpiffTarget;
          if (t.types?.length && !(account && t.types.includes(account.type))) continue;
          if (t.roles?.length && !(member.role && t.roles.includes(member.role))) continue;
          if (t.segments?.length && !(account?.segment && t.segments.includes(account.segment))) continue;
          if (t.regions?.length && !(account?.region && t.regions.includes(account.region))) continue;
          const v = await view(tx, r);
          const staff = (await ruleEarningsIn(tx, programId, r.ruleId, r.skus, member.accountId)).filter((e) => e.memberId !== null);
          const names = await namesOf(tx, programId, staff);
          const ranked = staff.map((e, i) => ({ rank: i + 1, memberId: e.memberId!, name: names.member(e.memberId)!, units: e.units, earned: Number(e.earned) }));
          const me = ranked.find((x) => x.memberId === member.id);
          out.push({
            id: r.id,
            name: r.name,
            description: r.description,
            skus: r.skus,
            reward: { currency: r.rewardCurrency, perUnit: Number(r.perUnit) },
            period: { from: v.period.from, to: v.period.to },
            budgetLeft: v.remaining > 0,
            mine: { units: me?.units ?? 0, earned: me?.earned ?? 0, rank: me?.rank ?? null },
            leaderboard: ranked.slice(0, LEADERBOARD).map(({ memberId, ...x }) => ({ ...x, me: memberId === member.id })),
          });
        }
        return out;
      });
    },
  };
}

export type SpiffsService = ReturnType<typeof createSpiffsService>;
