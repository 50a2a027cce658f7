import type { SQL } from 'drizzle-orm';
import type { AccountTierView, AccumulativeInput, DiscountView, TierInput, TierOverrideInput, TierPatch, TierView } from '../../contracts/tiers.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeSerialCursor, encodeCursor } from '../../lib/cursor.js';
import type { FieldError } from '../../lib/domain-error.js';
import { resolveAccountIn, type Account } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import { tierError } from './tiers.errors.js';
import {
  accumulativeBp,
  addDays,
  bestDiscount,
  bpToPercent,
  DEFAULT_LADDER,
  keepBy,
  ladderErrors,
  ladderOf,
  monthOf,
  multiplierToMilli,
  percentToBp,
  qualifyingTier,
  valueFor,
  windowOf,
  type Bucket,
  type Tier,
} from './tiers.ladder.js';
import { reevaluateTiers, type EvaluationResult, type TierEmit, type TierEmitMany, type TierNotify } from './tiers.reevaluate.js';
import * as repo from './tiers.repo.js';

/** What an event adds to an account's tier metrics (the events module calls this in the event's transaction). */
export type TierActivity = {
  accountId: string;
  externalId: string;
  accountType: string;
  /** The program's time zone: the month the activity counts in. */
  timeZone: string;
  occurredAt: Date;
  /** Purchase amount in minor units (0 for other events). */
  spend: bigint;
  units: bigint;
  /** Awarded in currencies of kind `points` (company and members, multipliers included). */
  points: bigint;
};

/** What a return takes back (positive amounts), counted in the month of the event it returns. */
export type TierReturn = Omit<TierActivity, 'occurredAt'> & { originalOccurredAt: Date };
export type TierChange = { from: string | null; to: string | null };

function tierView(r: repo.TierRow): TierView {
  const t = repo.toTier(r);
  return {
    code: t.code,
    name: t.name,
    rank: t.rank,
    ladder: t.ladder,
    qualify: { metric: t.metric, period: t.period, min: Number(t.min) },
    benefits: { discountPercent: bpToPercent(t.discountBp), multiplier: t.multiplierMilli / 1000, perks: t.perks },
    graceDays: t.graceDays,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function fromInput(code: string, input: Omit<TierInput, 'code'>): Tier {
  return {
    code,
    name: input.name,
    ladder: input.ladder ?? DEFAULT_LADDER,
    rank: input.rank,
    metric: input.qualify.metric,
    period: input.qualify.period,
    min: BigInt(input.qualify.min),
    discountBp: percentToBp(input.benefits?.discountPercent ?? 0),
    multiplierMilli: multiplierToMilli(input.benefits?.multiplier ?? 1),
    perks: input.benefits?.perks ?? [],
    graceDays: input.graceDays ?? 30,
  };
}

function toInput(t: Tier): Omit<TierInput, 'code'> {
  return {
    name: t.name,
    rank: t.rank,
    ladder: t.ladder,
    qualify: { metric: t.metric, period: t.period, min: Number(t.min) },
    benefits: { discountPercent: bpToPercent(t.discountBp), multiplier: t.multiplierMilli / 1000, perks: t.perks },
    graceDays: t.graceDays,
  };
}

/** An override counts while it has not expired, even before the evaluation job clears it. */
function activeOverride<S extends repo.DiscountRow>(s: S, now: Date): S | null {
  return s.overrideExpiresAt && s.overrideExpiresAt > now ? s : null;
}

const effectiveTier = (s: repo.StateRow, now: Date): string | null => activeOverride(s, now)?.overrideTierCode ?? s.tierCode;

function discountOf(s: repo.DiscountRow, now: Date): DiscountView {
  const o = activeOverride(s, now);
  const best = bestDiscount({
    tierBp: s.tierDiscountBp,
    accumulativeBp: s.accumulativeDiscountBp,
    override: o ? { tierBp: o.overrideTierCode ? o.overrideTierDiscountBp : null, discountBp: o.overrideDiscountBp } : null,
  });
  return { discountPercent: bpToPercent(best.bp), source: best.source };
}

/** An override as the audit log keeps it. */
function overrideSnapshot(s: repo.StateRow) {
  if (!s.overrideExpiresAt) return null;
  return { tier: s.overrideTierCode, discountPercent: s.overrideDiscountBp === null ? null : bpToPercent(s.overrideDiscountBp), expiresAt: s.overrideExpiresAt.toISOString(), reason: s.overrideReason };
}

/** An account without activity has no tier: only an accumulative step from zero spend can apply. */
function noActivityDiscount(steps: { minSpend: bigint; discountBp: number }[]): DiscountView {
  const bp = accumulativeBp(steps, 0n);
  return { discountPercent: bpToPercent(bp), source: bp > 0 ? 'accumulative' : null };
}

export function createTiersService(database: Database, deps: { audit: AuditService; programs: ProgramsService; emit?: TierEmit; emitMany?: TierEmitMany; notify?: TierNotify; now?: () => Date }) {
  const { audit, programs } = deps;
  const emit: TierEmit = deps.emit ?? (async () => {});
  const now = deps.now ?? (() => new Date());

  /** The earliest month any of these tiers looks at in `month` (so one read fetches every bucket needed). */
  function earliestMonth(tiers: Tier[], month: string): string {
    // Later windows (keepBy looks ahead) start later still: the current ones reach furthest back.
    return tiers.reduce((m, t) => (windowOf(t.period, month).from < m ? windowOf(t.period, month).from : m), month);
  }

  /**
   * Counts activity, then moves the earned tier up as soon as the account reaches a higher
   * threshold, or starts the grace clock when it has fallen below its tier; never moves it down
   * (that is the job's, after the grace period). Records a change of the tier the account enjoys.
   * One statement when nothing changes (state, bucket and configuration together; a second
   * one to read the buckets again only when another transaction changed the account meanwhile).
   */
  async function record(tx: Tx, ctx: RequestContext, a: Omit<TierActivity, 'occurredAt'> & { month: Date }): Promise<TierChange | null> {
    if (a.spend === 0n && a.units === 0n && a.points === 0n) return null;
    const at = now();
    const month = monthOf(at, a.timeZone);
    const bucket = { month: monthOf(a.month, a.timeZone), spend: a.spend, units: a.units, points: a.points };
    const r = await repo.recordActivity(tx, { programId: ctx.programId, accountId: a.accountId, externalId: a.externalId, accountType: a.accountType }, bucket, month);
    const s = r.state;
    // The statement's snapshot predates its wait for the state row: what another transaction committed meanwhile is read again.
    const { tiers, ladders } = r.fresh ? r : await repo.configOf(tx, ctx.programId);
    const ladder = tiers.filter((t) => t.ladder === ladderOf(a.accountType, ladders));
    if (!ladder.length && !s.tierCode) return null;
    const buckets = r.fresh ? r.buckets : await repo.bucketsOf(tx, ctx.programId, a.accountId, earliestMonth(ladder, month));
    const q = qualifyingTier(ladder, buckets, month);
    const cur = ladder.find((t) => t.code === s.tierCode) ?? null;
    let reason: string | null = null;
    let changes: repo.StateChanges | null = null;
    if (s.tierCode && !cur) reason = 'ladder_changed';
    else if (q && (!cur || q.rank > cur.rank)) reason = 'qualified';
    if (reason) changes = { tierCode: q?.code ?? null, tierSince: at, tierDiscountBp: q?.discountBp ?? 0, belowSince: null };
    else if (cur && q?.rank === cur.rank && s.belowSince) changes = { belowSince: null };
    else if (cur && (!q || q.rank < cur.rank) && !s.belowSince) changes = { belowSince: at };
    if (!changes) return null;
    const after = await repo.updateState(tx, s.programId, s.accountId, changes);
    const from = effectiveTier(s, at);
    const to = effectiveTier(after, at);
    if (!reason || from === to) return null;
    await repo.insertChange(tx, { programId: ctx.programId, accountId: s.accountId, fromTier: from, toTier: to, reason, at });
    await emit(tx, ctx.programId, 'tier.changed', { accountId: s.accountId, from, to, reason, at: at.toISOString() });
    return { from, to };
  }

  async function tierRowOr422(tx: Tx, programId: string, code: string, path: string): Promise<repo.TierRow> {
    const t = await repo.findTier(tx, programId, code);
    if (!t) throw tierError('TIER_UNKNOWN', `The program has no tier "${code}".`, [{ path, message: 'unknown tier' }]);
    return t;
  }

  async function accountTier(tx: Tx, programId: string, account: Account): Promise<AccountTierView> {
    const at = now();
    const { timeZone } = await programs.getProgramIn(tx, programId);
    const { tiers, ladders, steps } = await repo.configOf(tx, programId);
    const s = await repo.findState(tx, programId, account.id);
    const ladderCode = ladderOf(account.type, ladders);
    const ladder = tiers.filter((t) => t.ladder === ladderCode).sort((a, b) => a.rank - b.rank);
    const month = monthOf(at, timeZone);
    const buckets: Bucket[] = s ? await repo.bucketsOf(tx, programId, account.id, earliestMonth(ladder, month)) : [];
    const o = s && activeOverride(s, at);
    const code = s ? effectiveTier(s, at) : null;
    const held = code ? (tiers.find((t) => t.code === code) ?? null) : null;
    const earned = s?.tierCode ? (ladder.find((t) => t.code === s.tierCode) ?? null) : null;
    // Progress is measured on the ladder: the next tier above the one held (or above the earned one under an override).
    const base = held && held.ladder === ladderCode ? held : earned;
    const next = ladder.find((t) => t.rank > (base?.rank ?? -1)) ?? null;
    const measured = base ?? next;
    const discount = s ? discountOf(s, at) : noActivityDiscount(steps);
    const remaining = (t: Tier) => {
      const left = t.min - valueFor(t, buckets, month);
      return left > 0n ? Number(left) : 0;
    };
    const view: AccountTierView = {
      accountId: account.id,
      tier: code,
      name: held?.name ?? null,
      ladder: ladderCode,
      since: o?.overrideTierCode ? (o.overrideSince?.toISOString() ?? null) : (s?.tierSince?.toISOString() ?? null),
      metric: measured?.metric ?? null,
      metricValue: measured ? Number(valueFor(measured, buckets, month)) : 0,
      benefits: held ? { discountPercent: bpToPercent(held.discountBp), multiplier: held.multiplierMilli / 1000, perks: held.perks } : null,
      next: next ? { tier: next.code, name: next.name, metric: next.metric, remaining: remaining(next) } : null,
      graceEndsAt: earned && s?.belowSince ? addDays(s.belowSince, earned.graceDays).toISOString() : null,
      override: o ? { tier: o.overrideTierCode, discountPercent: o.overrideDiscountBp === null ? null : bpToPercent(o.overrideDiscountBp), expiresAt: o.overrideExpiresAt!.toISOString(), reason: o.overrideReason ?? '' } : null,
      lifetimeSpend: s ? Number(s.lifetimeSpend) : 0,
      discountPercent: discount.discountPercent,
      discountSource: discount.source,
    };
    if (earned) {
      const k = keepBy(earned, buckets, at, timeZone, s?.belowSince ?? null);
      view.keepBy = { by: k.by.toISOString(), remaining: Number(k.remaining) };
    }
    return view;
  }

  return {
    // ── Hooks for the events module, in the event's transaction ──

    /** The tier the account holds before an event, with its multiplier, for the rules engine. */
    async current(tx: Tx, programId: string, accountId: string): Promise<{ code: string; multiplier: number } | null> {
      const t = await repo.currentTier(tx, programId, accountId, now());
      return t && { code: t.code, multiplier: t.multiplierMilli / 1000 };
    },

    /** The code of the account's tier now (rewards eligibility). */
    async tierOf(tx: Tx, programId: string, accountId: string): Promise<string | null> {
      return (await repo.currentTier(tx, programId, accountId, now()))?.code ?? null;
    },

    /** A processed event: its spend, units and points count towards the account's tier at once. */
    async onEventEarned(tx: Tx, ctx: RequestContext, a: TierActivity): Promise<TierChange | null> {
      return record(tx, ctx, { ...a, month: a.occurredAt });
    },

    /** A return: takes its share back from the month of the original event; a tier is not lost before the grace period ends. */
    async onReturn(tx: Tx, ctx: RequestContext, r: TierReturn): Promise<TierChange | null> {
      return record(tx, ctx, { ...r, month: r.originalOccurredAt, spend: -r.spend, units: -r.units, points: -r.points });
    },

    /** The `tier` filter of the accounts list: a subquery of account ids holding the tier now. */
    /**
     * Spend and units per account over the months of `w` (both ends included), from the same
     * monthly buckets tiers qualify on: returns count in the month of the purchase they return.
     */
    volumeIn(tx: Tx, programId: string, w: { from: string; to: string }) {
      return repo.volumeByAccount(tx, programId, w);
    },

    accountsInTier(programId: string, code: string): SQL {
      return repo.accountsInTierSql(programId, code, now());
    },

    /** Each account's tier now, `(account_id, code)`, as a subquery (a campaign audience's JsonLogic filter reads `account.tier`). */
    accountTierCodes(programId: string): SQL {
      return repo.accountTierCodesSql(programId, now());
    },

    // ── The checkout and progress reads ──

    /** The checkout answer from the state row: one indexed read (two for an account without any activity yet). */
    async discount(programId: string, ref: string): Promise<DiscountView> {
      const s = await repo.findDiscount(database.db, programId, ref);
      if (s) return discountOf(s, now());
      return inTransaction(database, async (tx) => {
        await resolveAccountIn(tx, programId, ref);
        return noActivityDiscount(await repo.listSteps(tx, programId));
      });
    },

    async accountTier(programId: string, ref: string): Promise<AccountTierView> {
      return inTransaction(database, async (tx) => accountTier(tx, programId, await resolveAccountIn(tx, programId, ref)));
    },

    async changes(programId: string, ref: string, q: { limit: number; cursor?: string }) {
      return inTransaction(database, async (tx) => {
        const account = await resolveAccountIn(tx, programId, ref);
        const rows = await repo.listChanges(tx, programId, account.id, { limit: q.limit + 1, before: decodeSerialCursor(q.cursor) });
        const items = rows.slice(0, q.limit).map((r) => ({ at: r.at.toISOString(), from: r.fromTier, to: r.toTier, reason: r.reason }));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(rows[q.limit - 1].id.toString()) : null };
      });
    },

    // ── Ladder configuration ──

    async createTier(ctx: RequestContext, input: TierInput): Promise<TierView> {
      return inTransaction(database, async (tx) => {
        await repo.lockConfig(tx, ctx.programId);
        const existing = (await repo.listTiers(tx, ctx.programId)).map(repo.toTier);
        if (existing.some((t) => t.code === input.code)) throw tierError('TIER_EXISTS', `The tier "${input.code}" already exists.`, [{ path: 'code', message: 'already exists' }]);
        const tier = fromInput(input.code, input);
        const errors = ladderErrors([...existing, tier], tier);
        if (errors.length) throw tierError('TIER_INVALID', 'The tier does not fit its ladder.', errors);
        const view = tierView(await repo.insertTier(tx, ctx.programId, tier));
        await audit.record(tx, ctx, { action: 'tier.created', objectType: 'tier', objectId: tier.code, after: view });
        return view;
      });
    },

    async listTiers(programId: string, q: { ladder?: string } = {}): Promise<TierView[]> {
      return inTransaction(database, async (tx) => (await repo.listTiers(tx, programId)).filter((r) => !q.ladder || r.ladder === q.ladder).map(tierView));
    },

    async getTier(programId: string, code: string): Promise<TierView> {
      return inTransaction(database, async (tx) => {
        const r = await repo.findTier(tx, programId, code);
        if (!r) throw tierError('TIER_NOT_FOUND', `No tier "${code}" in this program.`);
        return tierView(r);
      });
    },

    /** A change applies to accounts at their next event or evaluation; a new discount applies to holders at once. */
    async updateTier(ctx: RequestContext, code: string, patch: TierPatch): Promise<TierView> {
      return inTransaction(database, async (tx) => {
        await repo.lockConfig(tx, ctx.programId);
        const rows = await repo.listTiers(tx, ctx.programId);
        const row = rows.find((r) => r.code === code);
        if (!row) throw tierError('TIER_NOT_FOUND', `No tier "${code}" in this program.`);
        const before = repo.toTier(row);
        const merged = { ...toInput(before), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Omit<TierInput, 'code'>;
        const tier = fromInput(code, merged);
        const errors = ladderErrors([...rows.map(repo.toTier).filter((t) => t.code !== code), tier], tier);
        if (errors.length) throw tierError('TIER_INVALID', 'The tier does not fit its ladder.', errors);
        const after = await repo.updateTier(tx, ctx.programId, tier);
        if (tier.discountBp !== before.discountBp) await repo.refreshTierDiscount(tx, ctx.programId, code, tier.discountBp);
        const view = tierView(after);
        await audit.record(tx, ctx, { action: 'tier.updated', objectType: 'tier', objectId: code, before: tierView(row), after: view });
        return view;
      });
    },

    async listLadders(programId: string) {
      return inTransaction(database, async (tx) => {
        const ladders = await repo.listLadders(tx, programId);
        const tierRows = await repo.listTiers(tx, programId);
        const codes = new Set([DEFAULT_LADDER, ...ladders.map((l) => l.code), ...tierRows.map((t) => t.ladder)]);
        return [...codes].sort().map((code) => ({ code, accountTypes: ladders.find((l) => l.code === code)?.accountTypes ?? [], catchAll: code === DEFAULT_LADDER }));
      });
    },

    /** Which account types climb a ladder; a type is on one ladder at most, and `default` takes the rest. */
    async putLadder(ctx: RequestContext, code: string, input: { accountTypes: string[] }) {
      if (code === DEFAULT_LADDER) {
        throw tierError('LADDER_INVALID', 'The default ladder takes every account type no other ladder lists.', [{ path: 'accountTypes', message: 'list types on the other ladders instead' }]);
      }
      return inTransaction(database, async (tx) => {
        await repo.lockConfig(tx, ctx.programId);
        const ladders = await repo.listLadders(tx, ctx.programId);
        const errors: FieldError[] = [];
        input.accountTypes.forEach((type, i) => {
          const other = ladders.find((l) => l.code !== code && l.accountTypes.includes(type));
          if (other) errors.push({ path: `accountTypes.${i}`, message: `"${type}" already climbs ladder "${other.code}"` });
        });
        if (errors.length) throw tierError('LADDER_INVALID', 'An account type climbs one ladder at most.', errors);
        const before = ladders.find((l) => l.code === code);
        await repo.upsertLadder(tx, ctx.programId, code, input.accountTypes);
        const after = { code, accountTypes: input.accountTypes, catchAll: false };
        await audit.record(tx, ctx, { action: 'tier_ladder.updated', objectType: 'tier_ladder', objectId: code, before: before ? { code, accountTypes: before.accountTypes } : null, after });
        return after;
      });
    },

    // ── Accumulative discount ──

    async getAccumulative(programId: string) {
      return inTransaction(database, async (tx) => ({ steps: (await repo.listSteps(tx, programId)).map((s) => ({ minSpend: Number(s.minSpend), discountPercent: bpToPercent(s.discountBp) })) }));
    },

    /** Replaces the program's steps and recomputes every account's accumulative discount in the same transaction. */
    async putAccumulative(ctx: RequestContext, input: AccumulativeInput) {
      const errors: FieldError[] = [];
      input.steps.forEach((s, i) => {
        const prev = input.steps[i - 1];
        if (prev && s.minSpend <= prev.minSpend) errors.push({ path: `steps.${i}.minSpend`, message: `must be more than the previous step's ${prev.minSpend}: steps rise with spend` });
        if (prev && s.discountPercent < prev.discountPercent) errors.push({ path: `steps.${i}.discountPercent`, message: `must not be less than the previous step's ${prev.discountPercent}` });
      });
      if (errors.length) throw tierError('ACCUMULATIVE_INVALID', 'The accumulative discount steps must rise with spend.', errors);
      return inTransaction(database, async (tx) => {
        await repo.lockConfig(tx, ctx.programId);
        const before = await repo.listSteps(tx, ctx.programId);
        await repo.replaceSteps(tx, ctx.programId, input.steps.map((s) => ({ minSpend: BigInt(s.minSpend), discountBp: percentToBp(s.discountPercent) })));
        await repo.refreshAccumulative(tx, ctx.programId);
        const view = { steps: input.steps.map((s) => ({ minSpend: s.minSpend, discountPercent: bpToPercent(percentToBp(s.discountPercent)) })) };
        await audit.record(tx, ctx, { action: 'accumulative_discount.updated', objectType: 'program', objectId: ctx.programId, before: { steps: before.map((s) => ({ minSpend: s.minSpend, discountPercent: bpToPercent(s.discountBp) })) }, after: view });
        return view;
      });
    },

    // ── Manual overrides ──

    async setOverride(ctx: RequestContext, ref: string, input: TierOverrideInput): Promise<AccountTierView> {
      const at = now();
      const errors: FieldError[] = [];
      if (input.tier === undefined && input.discountPercent === undefined) errors.push({ path: 'tier', message: 'give a tier, a discountPercent, or both' });
      if (Date.parse(input.expiresAt) <= at.getTime()) errors.push({ path: 'expiresAt', message: 'must be in the future' });
      if (errors.length) throw tierError('OVERRIDE_INVALID', 'The override is not valid.', errors);
      return inTransaction(database, async (tx) => {
        const account = await resolveAccountIn(tx, ctx.programId, ref);
        const tier = input.tier === undefined ? undefined : await tierRowOr422(tx, ctx.programId, input.tier, 'tier');
        const s = await repo.lockState(tx, { programId: ctx.programId, accountId: account.id, externalId: account.externalId, accountType: account.type });
        const before = overrideSnapshot(s);
        const after = await repo.updateState(tx, ctx.programId, account.id, {
          overrideTierCode: tier?.code ?? null,
          overrideTierDiscountBp: tier?.discountBp ?? null,
          overrideDiscountBp: input.discountPercent === undefined ? null : percentToBp(input.discountPercent),
          overrideExpiresAt: new Date(input.expiresAt),
          overrideReason: input.reason,
          overrideSince: at,
        });
        const from = effectiveTier(s, at);
        const to = effectiveTier(after, at);
        if (from !== to) {
          await repo.insertChange(tx, { programId: ctx.programId, accountId: account.id, fromTier: from, toTier: to, reason: 'override_set', at });
          await emit(tx, ctx.programId, 'tier.changed', { accountId: account.id, from, to, reason: 'override_set', at: at.toISOString() });
        }
        await audit.record(tx, ctx, { action: 'tier_override.set', objectType: 'account', objectId: account.id, before, after: overrideSnapshot(after) });
        return accountTier(tx, ctx.programId, account);
      });
    },

    async removeOverride(ctx: RequestContext, ref: string, reason: string | undefined): Promise<AccountTierView> {
      const at = now();
      return inTransaction(database, async (tx) => {
        const account = await resolveAccountIn(tx, ctx.programId, ref);
        const s = await repo.lockState(tx, { programId: ctx.programId, accountId: account.id, externalId: account.externalId, accountType: account.type });
        if (!activeOverride(s, at)) throw tierError('OVERRIDE_NOT_FOUND', 'The account has no override in force.');
        const before = overrideSnapshot(s);
        const after = await repo.updateState(tx, ctx.programId, account.id, { overrideTierCode: null, overrideTierDiscountBp: null, overrideDiscountBp: null, overrideExpiresAt: null, overrideReason: null, overrideSince: null });
        const from = effectiveTier(s, at);
        const to = effectiveTier(after, at);
        if (from !== to) {
          await repo.insertChange(tx, { programId: ctx.programId, accountId: account.id, fromTier: from, toTier: to, reason: 'override_removed', at });
          await emit(tx, ctx.programId, 'tier.changed', { accountId: account.id, from, to, reason: 'override_removed', at: at.toISOString() });
        }
        await audit.record(tx, ctx, { action: 'tier_override.removed', objectType: 'account', objectId: account.id, before, after: { reason: reason ?? null } });
        return accountTier(tx, ctx.programId, account);
      });
    },

    // ── The evaluation job ──

    /** Downgrades after grace, moves windows, expires overrides; safe to run twice. `now` is the job's clock. */
    async reevaluate(at: Date, opts: { programId?: string } = {}): Promise<EvaluationResult> {
      return reevaluateTiers(database, { audit, programs, emit, emitMany: deps.emitMany, notify: deps.notify }, at, opts);
    },

    /** `POST /tiers/evaluate`: the job for one program, now, audited with what it did. */
    async evaluateProgram(ctx: RequestContext): Promise<EvaluationResult> {
      const result = await reevaluateTiers(database, { audit, programs, emit, emitMany: deps.emitMany, notify: deps.notify }, now(), { programId: ctx.programId });
      await inTransaction(database, (tx) => audit.record(tx, ctx, { action: 'tiers.evaluated', objectType: 'program', objectId: ctx.programId, after: result }));
      return result;
    },
  };
}

export type TiersService = ReturnType<typeof createTiersService>;
