import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { RebateInput, RebatePatch, RebateStanding, RebateView, SettlementAnswer, SettlementInput, SettlementLine } from '../../contracts/rebates.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { FieldError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { accountTreeIn, managedAccountIdsIn, resolveAccountIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import { lineVolumeIn } from '../events/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import type { LedgerService } from '../ledger/index.js';
import type { MessagingService } from '../messaging/index.js';
import type { ProgramsService } from '../programs/index.js';
import { compileCondition } from '../rules/index.js';
import type { TiersService } from '../tiers/index.js';
import { bracketOf, effectiveRateBp, growthBasis, nextBracket, projectBasis, rebateAmount, validateThresholds, type Bracket } from './rebates.brackets.js';
import { rebateError } from './rebates.errors.js';
import { periodKeyAt, periodOf, priorYearKey, type RebatePeriod } from './rebates.periods.js';
import { rebatePayouts, rebateSettlements, rebates } from './rebates.tables.js';

type RebateRow = typeof rebates.$inferSelect;
type TreeRow = Awaited<ReturnType<typeof accountTreeIn>>[number];

const DAY_MS = 86_400_000;

/** `640.00 EUR`: minor units with the ISO currency's decimals, for message texts (integer arithmetic). */
function moneyText(minor: bigint, iso: string | null): string {
  if (!iso) return String(minor);
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: iso }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown ISO code keeps two decimals.
  }
  const unit = 10n ** BigInt(digits);
  const whole = minor / unit;
  const frac = (minor % unit).toString().padStart(digits, '0');
  return `${whole}${digits ? `.${frac}` : ''} ${iso}`;
}
const num = (v: bigint) => Number(v);

function toView(r: RebateRow): RebateView {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    period: { calendar: r.calendar },
    basis: { metric: r.metric, ...(r.lineFilter !== null && r.lineFilter !== undefined ? { lineFilter: r.lineFilter } : {}), rollUp: r.rollUp },
    scheme: r.scheme,
    thresholds: r.thresholds.map((t) => ({ min: Number(t.min), rateBp: t.rateBp })),
    ...(r.growthNoPriorYear ? { growth: { noPriorYear: r.growthNoPriorYear } } : {}),
    payout: { currency: r.payoutCurrency },
    graceDays: r.graceDays,
    ...(r.target ? { target: r.target } : {}),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const bracketsOf = (r: RebateRow): Bracket[] => r.thresholds.map((t) => ({ min: BigInt(t.min), rateBp: t.rateBp }));
const bracketView = (b: Bracket | null) => (b ? { min: num(b.min), rateBp: b.rateBp } : null);

function targets(r: RebateRow, a: TreeRow): boolean {
  const t = r.target;
  if (!t) return true;
  if (t.types?.length && !t.types.includes(a.type)) return false;
  if (t.segments?.length && !(a.segment && t.segments.includes(a.segment))) return false;
  if (t.accountIds?.length && !t.accountIds.includes(a.id)) return false;
  return true;
}

/**
 * Who a volume counts for: the account itself when targeted; with `rollUp`, the topmost targeted
 * account among itself and its ancestors (a distributor collects its branches' volume).
 */
function ownersOf(r: RebateRow, tree: TreeRow[]): Map<string, string> {
  const byId = new Map(tree.map((a) => [a.id, a]));
  const owner = new Map<string, string>();
  for (const a of tree) {
    if (!r.rollUp) {
      if (targets(r, a)) owner.set(a.id, a.id);
      continue;
    }
    let top: string | null = null;
    const seen = new Set<string>();
    for (let cur: TreeRow | undefined = a; cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      seen.add(cur.id);
      if (targets(r, cur)) top = cur.id;
    }
    if (top) owner.set(a.id, top);
  }
  return owner;
}

export type RebatesDeps = { ledger: LedgerService; audit: AuditService; idempotency: IdempotencyService; programs: ProgramsService; tiers: TiersService; messaging: MessagingService; now?: () => Date };

/**
 * Volume rebates: definitions, standings during the period (accrued and projected), and
 * settlements that credit each account's money wallet through the ledger. A settlement pays the
 * difference between what the basis earns now and what earlier settlements of the period paid,
 * under the rebate row's lock: settling twice (or concurrently) pays once.
 */
export function createRebatesService(database: Database, deps: RebatesDeps) {
  const { ledger, audit, idempotency, programs, tiers, messaging } = deps;
  const now = deps.now ?? (() => new Date());

  async function findRebate(tx: Tx, programId: string, id: string, forUpdate = false): Promise<RebateRow> {
    const q = tx.select().from(rebates).where(and(eq(rebates.programId, programId), eq(rebates.id, id)));
    const [r] = forUpdate ? await q.for('update') : await q;
    if (!r) throw rebateError('REBATE_NOT_FOUND', 'No such rebate in this program.');
    return r;
  }

  async function checkCurrency(tx: Tx, programId: string, code: string, bad: FieldError[]) {
    const c = await programs.findCurrencyIn(tx, programId, code);
    if (!c || c.kind !== 'money') bad.push({ path: 'payout.currency', message: c ? 'must be a money currency' : 'unknown currency' });
  }

  /** Per owner account, the rebate's volume in a period (spend or units, line filter and roll-up applied). */
  async function volumes(tx: Tx, r: RebateRow, p: RebatePeriod, owners: Map<string, string>): Promise<Map<string, bigint>> {
    let raw: { accountId: string; spend: bigint; units: bigint }[];
    if (r.lineFilter !== null && r.lineFilter !== undefined) {
      const c = compileCondition(r.lineFilter, 'basis.lineFilter');
      raw = c.ok ? await lineVolumeIn(tx, r.programId, { from: p.from, to: p.to }, c.test) : [];
    } else {
      raw = await tiers.volumeIn(tx, r.programId, p.months);
    }
    const out = new Map<string, bigint>();
    for (const v of raw) {
      const o = owners.get(v.accountId);
      if (!o) continue;
      out.set(o, (out.get(o) ?? 0n) + (r.metric === 'spend' ? v.spend : v.units));
    }
    return out;
  }

  async function paidSoFar(tx: Tx, r: RebateRow, period: string): Promise<Map<string, bigint>> {
    const rows = await tx
      .select({ accountId: rebatePayouts.accountId, paid: sql<string>`sum(${rebatePayouts.paid})::text` })
      .from(rebatePayouts)
      .where(and(eq(rebatePayouts.programId, r.programId), eq(rebatePayouts.rebateId, r.id), eq(rebatePayouts.period, period)))
      .groupBy(rebatePayouts.accountId);
    return new Map(rows.map((x) => [x.accountId, BigInt(x.paid)]));
  }

  function periodOr422(r: RebateRow, key: string, timeZone: string): RebatePeriod {
    const p = periodOf(r.calendar, key, timeZone);
    if (!p) throw rebateError('REBATE_PERIOD_INVALID', `A ${r.calendar}ly rebate's period looks like ${r.calendar === 'quarter' ? '2026-Q4' : '2026'}.`, [{ path: 'period', message: `not a ${r.calendar}` }]);
    return p;
  }

  /**
   * Standings of the owner accounts in the period at `at`: every account with volume (or a
   * baseline, or a payout), or just `only`. A growth rebate with `noPriorYear: skip` leaves out
   * accounts without a prior year.
   */
  async function standingsIn(tx: Tx, r: RebateRow, p: RebatePeriod, at: Date, timeZone: string, only?: string): Promise<RebateStanding[]> {
    const tree = await accountTreeIn(tx, r.programId);
    const owners = ownersOf(r, tree);
    const byId = new Map(tree.map((a) => [a.id, a]));
    const cur = await volumes(tx, r, p, owners);
    const prior = r.growthNoPriorYear ? await volumes(tx, r, periodOf(r.calendar, priorYearKey(p.key), timeZone)!, owners) : null;
    const paid = await paidSoFar(tx, r, p.key);
    const brackets = bracketsOf(r);
    const ids = only ? (new Set(owners.values()).has(only) ? [only] : []) : [...new Set([...cur.keys(), ...(prior?.keys() ?? []), ...paid.keys()])].sort();
    const length = p.to.getTime() - p.from.getTime();
    const elapsed = Math.min(Math.max(at.getTime() - p.from.getTime(), 0), length);
    const out: RebateStanding[] = [];
    for (const accountId of ids) {
      const volume = cur.get(accountId) ?? 0n;
      const baseline = prior ? (prior.get(accountId) ?? 0n) : null;
      const basis = baseline === null ? volume : growthBasis(volume, baseline, r.growthNoPriorYear!);
      if (basis === null) continue;
      const projectedVolume = projectBasis(volume, elapsed, length);
      const projectedBasis = baseline === null ? projectedVolume : (growthBasis(projectedVolume, baseline, r.growthNoPriorYear!) ?? 0n);
      const next = nextBracket(brackets, basis);
      out.push({
        rebateId: r.id,
        name: r.name,
        accountId,
        accountExternalId: byId.get(accountId)?.externalId ?? '',
        accountName: byId.get(accountId)?.name ?? '',
        period: p.key,
        periodFrom: p.from.toISOString(),
        periodTo: p.to.toISOString(),
        elapsedBp: length > 0 ? Math.floor((elapsed * 10000) / length) : 10000,
        scheme: r.scheme,
        metric: r.metric,
        currency: r.payoutCurrency,
        basis: num(basis),
        volume: num(volume),
        baseline: baseline === null ? null : num(baseline),
        bracket: bracketView(bracketOf(brackets, basis)),
        accrued: num(rebateAmount(r.scheme, brackets, basis)),
        next: next ? { min: num(next.min), rateBp: next.rateBp, remaining: num(next.remaining) } : null,
        projected: { basis: num(projectedBasis), bracket: bracketView(bracketOf(brackets, projectedBasis)), amount: num(rebateAmount(r.scheme, brackets, projectedBasis)) },
        paid: num(paid.get(accountId) ?? 0n),
      });
    }
    return out;
  }

  async function timeZoneOf(tx: Tx, programId: string): Promise<string> {
    return (await programs.getProgramIn(tx, programId)).timeZone;
  }

  /** The account's standing in the current period of every active rebate it collects for. */
  async function accountStandingsIn(tx: Tx, programId: string, accountId: string): Promise<RebateStanding[]> {
    const tz = await timeZoneOf(tx, programId);
    const at = now();
    const rows = await tx.select().from(rebates).where(and(eq(rebates.programId, programId), eq(rebates.status, 'active'))).orderBy(asc(rebates.id));
    const out: RebateStanding[] = [];
    for (const r of rows) out.push(...(await standingsIn(tx, r, periodOf(r.calendar, periodKeyAt(r.calendar, at, tz), tz)!, at, tz, accountId)));
    return out;
  }

  return {
    async create(ctx: RequestContext, input: RebateInput): Promise<RebateView> {
      const bad = validateThresholds(input.thresholds);
      if (input.basis.lineFilter !== undefined) {
        const c = compileCondition(input.basis.lineFilter, 'basis.lineFilter');
        if (!c.ok) bad.push(...c.errors);
      }
      return inTransaction(database, async (tx) => {
        await checkCurrency(tx, ctx.programId, input.payout.currency, bad);
        if (bad.length) throw rebateError('REBATE_INVALID', 'The rebate is not valid.', bad);
        const [row] = await tx
          .insert(rebates)
          .values({
            id: newId('rbt'),
            programId: ctx.programId,
            name: input.name,
            calendar: input.period.calendar,
            metric: input.basis.metric,
            lineFilter: input.basis.lineFilter ?? null,
            rollUp: input.basis.rollUp ?? false,
            scheme: input.scheme,
            thresholds: input.thresholds.map((t) => ({ min: String(t.min), rateBp: t.rateBp })),
            growthNoPriorYear: input.growth?.noPriorYear ?? null,
            payoutCurrency: input.payout.currency,
            graceDays: input.graceDays,
            target: input.target ?? null,
          })
          .returning();
        const view = toView(row);
        await audit.record(tx, ctx, { action: 'rebate.created', objectType: 'rebate', objectId: row.id, after: view });
        return view;
      });
    },

    async update(ctx: RequestContext, id: string, patch: RebatePatch): Promise<RebateView> {
      const bad = patch.thresholds ? validateThresholds(patch.thresholds) : [];
      if (bad.length) throw rebateError('REBATE_INVALID', 'The rebate is not valid.', bad);
      return inTransaction(database, async (tx) => {
        const before = await findRebate(tx, ctx.programId, id, true);
        const [row] = await tx
          .update(rebates)
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.scheme !== undefined ? { scheme: patch.scheme } : {}),
            ...(patch.thresholds !== undefined ? { thresholds: patch.thresholds.map((t) => ({ min: String(t.min), rateBp: t.rateBp })) } : {}),
            ...(patch.graceDays !== undefined ? { graceDays: patch.graceDays } : {}),
            ...(patch.target !== undefined ? { target: patch.target } : {}),
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(rebates.programId, ctx.programId), eq(rebates.id, id)))
          .returning();
        const view = toView(row);
        await audit.record(tx, ctx, { action: 'rebate.updated', objectType: 'rebate', objectId: id, before: toView(before), after: view });
        return view;
      });
    },

    async list(programId: string, q: { limit: number; cursor?: string }): Promise<{ items: RebateView[]; nextCursor: string | null }> {
      return inTransaction(database, async (tx) => {
        const after = decodeCursor(q.cursor);
        const rows = await tx
          .select()
          .from(rebates)
          .where(and(eq(rebates.programId, programId), after ? gt(rebates.id, after) : undefined))
          .orderBy(asc(rebates.id))
          .limit(q.limit + 1);
        const items = rows.slice(0, q.limit).map(toView);
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    async get(programId: string, id: string): Promise<RebateView> {
      return inTransaction(database, async (tx) => toView(await findRebate(tx, programId, id)));
    },

    /** Every account's standing in the period (default: the current one). */
    async standings(programId: string, id: string, period?: string, scope?: { managerId: string }): Promise<{ items: RebateStanding[] }> {
      return inTransaction(database, async (tx) => {
        const r = await findRebate(tx, programId, id);
        const tz = await timeZoneOf(tx, programId);
        const at = now();
        const p = periodOr422(r, period ?? periodKeyAt(r.calendar, at, tz), tz);
        const items = await standingsIn(tx, r, p, at, tz);
        if (!scope) return { items };
        const mine = new Set(await managedAccountIdsIn(tx, programId, scope.managerId));
        return { items: items.filter((s) => mine.has(s.accountId)) };
      });
    },

    async accountRebates(programId: string, accountRef: string): Promise<RebateStanding[]> {
      return inTransaction(database, async (tx) => accountStandingsIn(tx, programId, (await resolveAccountIn(tx, programId, accountRef)).id));
    },

    /** The portal's view: the member's company. */
    async accountRebatesById(programId: string, accountId: string): Promise<RebateStanding[]> {
      return inTransaction(database, async (tx) => accountStandingsIn(tx, programId, accountId));
    },

    /**
     * Settles the period: each account gets what its basis earns now minus what earlier
     * settlements of the period paid (an interim settlement pays on the basis so far; the final
     * one, allowed once the period and its grace days are over, pays the rest).
     */
    async settle(ctx: RequestContext, id: string, input: SettlementInput, key: string) {
      return inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: `POST /rebates/${id}/settlements`, key, request: input }, async () => {
          // Settlers of one rebate queue here; each reads what the previous ones paid after the lock (read committed).
          const r = await findRebate(tx, ctx.programId, id, true);
          if (r.status !== 'active') throw rebateError('REBATE_ARCHIVED', 'An archived rebate is not settled.');
          const tz = await timeZoneOf(tx, ctx.programId);
          const p = periodOr422(r, input.period, tz);
          const at = now();
          if (at < p.from) throw rebateError('REBATE_PERIOD_INVALID', 'The period has not started.', [{ path: 'period', message: 'has not started' }]);
          const closes = new Date(p.to.getTime() + r.graceDays * DAY_MS);
          if (input.final && at < closes) throw rebateError('REBATE_PERIOD_OPEN', `The final settlement of ${p.key} is possible from ${closes.toISOString()} (the period's end plus ${r.graceDays} grace days); an interim one (final: false) is possible now.`);
          const standings = await standingsIn(tx, r, p, at, tz);
          const money = (await programs.findCurrencyIn(tx, ctx.programId, r.payoutCurrency))?.moneyCurrency ?? null;
          const brackets = bracketsOf(r);
          const settlementId = newId('rbs');
          await tx.insert(rebateSettlements).values({ id: settlementId, programId: ctx.programId, rebateId: id, period: p.key, final: input.final, currency: r.payoutCurrency });
          const items: SettlementAnswer['items'] = [];
          const notes: Parameters<MessagingService['notify']>[2] = [];
          for (const s of standings) {
            const basis = BigInt(s.basis);
            const due = BigInt(s.accrued);
            const already = BigInt(s.paid);
            if (basis === 0n && already === 0n) continue;
            const pay = due > already ? due - already : 0n;
            let transactionId: string | null = null;
            if (pay > 0n) {
              const res = await ledger.credit(tx, ctx, {
                idempotencyKey: `rebate:${id}:${p.key}:${s.accountId}:${already + pay}`,
                kind: 'earn',
                source: 'issuance',
                memo: `${r.name} ${p.key}${input.final ? '' : ' (interim)'}`,
                metadata: { rebateId: id, period: p.key, settlementId, final: input.final },
                legs: [{ to: { type: 'account', accountId: s.accountId }, currency: r.payoutCurrency, amount: pay }],
              });
              transactionId = res.transactionId;
              notes.push({
                trigger: 'rebate_settled',
                objectId: `${settlementId}:${s.accountId}`,
                accountId: s.accountId,
                data: { rebate: { id, name: r.name, period: p.key, final: input.final, amount: num(pay), amountText: moneyText(pay, money), total: num(due), currency: r.payoutCurrency, rateBp: effectiveRateBp(r.scheme, brackets, basis), basis: num(basis) } },
              });
            }
            const rateBp = effectiveRateBp(r.scheme, brackets, basis);
            await tx.insert(rebatePayouts).values({ id: newId('rbp'), programId: ctx.programId, rebateId: id, settlementId, period: p.key, accountId: s.accountId, basis, rateBp, amount: due, alreadyPaid: already, paid: pay, paidTotal: already + pay, transactionId });
            items.push({ accountId: s.accountId, basis: num(basis), rateBp, amount: num(due), alreadyPaid: num(already), paid: num(pay) });
          }
          if (notes.length) await messaging.notify(tx, ctx.programId, notes);
          const body: SettlementAnswer = { settlementId, period: p.key, final: input.final, currency: r.payoutCurrency, items };
          await audit.record(tx, ctx, { action: 'rebate.settled', objectType: 'rebate', objectId: id, after: { settlementId, period: p.key, final: input.final, paid: items.reduce((n, i) => n + i.paid, 0), accounts: items.length } });
          return { status: 200 as const, body };
        }),
      );
    },

    /** The settlement lines of a rebate (optionally of one period), oldest first: the ERP's credit-note export. */
    async settlements(programId: string, id: string, period?: string, scope?: { managerId: string }): Promise<{ items: SettlementLine[] }> {
      return inTransaction(database, async (tx) => {
        await findRebate(tx, programId, id);
        const mine = scope ? new Set(await managedAccountIdsIn(tx, programId, scope.managerId)) : null;
        const tree = new Map((await accountTreeIn(tx, programId)).map((a) => [a.id, a]));
        const rows = await tx
          .select({ p: rebatePayouts, final: rebateSettlements.final, currency: rebateSettlements.currency })
          .from(rebatePayouts)
          .innerJoin(rebateSettlements, and(eq(rebateSettlements.programId, rebatePayouts.programId), eq(rebateSettlements.id, rebatePayouts.settlementId)))
          .where(and(eq(rebatePayouts.programId, programId), eq(rebatePayouts.rebateId, id), period ? eq(rebatePayouts.period, period) : undefined))
          .orderBy(asc(rebatePayouts.createdAt), asc(rebatePayouts.id));
        return {
          items: rows.filter(({ p }) => !mine || mine.has(p.accountId)).map(({ p, final, currency }) => ({
            id: p.id,
            settlementId: p.settlementId,
            period: p.period,
            final,
            accountId: p.accountId,
            accountExternalId: tree.get(p.accountId)?.externalId ?? '',
            accountName: tree.get(p.accountId)?.name ?? '',
            basis: num(p.basis),
            rateBp: p.rateBp,
            amount: num(p.amount),
            alreadyPaid: num(p.alreadyPaid),
            paid: num(p.paid),
            currency,
            transactionId: p.transactionId,
            createdAt: p.createdAt.toISOString(),
          })),
        };
      });
    },
  };
}

export type RebatesService = ReturnType<typeof createRebatesService>;
