import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { eventInput, type EventInput, type awardView, type eventAnswer, type reversalView } from '../../contracts/events.js';
import { inTransaction, pgErrorCode, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeTimeIdCursor, encodeCursor } from '../../lib/cursor.js';
import { DomainError, type FieldError } from '../../lib/domain-error.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { jsonSafe } from '../../lib/json.js';
import { findAccountIn, findMemberIn, managedAccountIdsIn, type AccountsService, type Account, type Member } from '../accounts/index.js';
import { creditMany, type CreditInput, type LedgerService, type WalletOwner } from '../ledger/index.js';
import type { ProgramsService, Program, Currency } from '../programs/index.js';
import { budgetKeyOf, capKeyOf, evaluateRules, limitsNeeded, planAwards, type LimitUsage, type PlanEnv, type PlanTraceEntry, type RuleContext, type RulesService } from '../rules/index.js';
import { eventError } from './events.errors.js';
import { createReads, type EventContext, type Reads } from './events.reads.js';
import * as repo from './events.repo.js';

export type EventAnswer = z.infer<typeof eventAnswer>;
type AwardView = z.infer<typeof awardView>;
type ReversalView = z.infer<typeof reversalView>;

/** A step of the evaluation trace: what each rule did with the event, and why. */
export type TraceEntry = PlanTraceEntry;

/** Emits a webhook message in the caller's transaction (wired to the webhooks module). */
export type Emit = (tx: Tx, programId: string, type: string, data: Record<string, unknown>) => Promise<void>;
/** A webhook message waiting to be emitted with the others of its transaction. */
type Message = { type: string; data: Record<string, unknown> };
/** Emits several messages with one read of the subscriptions and one insert (webhooks.emitMany). */
export type EmitMany = (tx: Tx, programId: string, messages: Message[]) => Promise<void>;
/** Runs in the event's transaction after its awards are posted, once per wallet and currency credited (stamp cards hook in here). */
export type AfterCredit = (tx: Tx, ctx: RequestContext, owner: WalletOwner, currency: string) => Promise<unknown>;
/** A change of the account's tier that an event caused, as the answer shows it. */
export type TierChange = { from: string | null; to: string | null };
/** What an event or a return adds to (or takes from) the account's tier metrics; `points`: awards in currencies of kind points. */
type TierParty = { accountId: string; externalId: string; accountType: string; timeZone: string; spend: bigint; units: bigint; points: bigint };
/**
 * The tiers module as events see it (wired in the composition root): the tier held before an
 * event for the rules, and the hooks that count an event or a return towards tiers in its transaction.
 */
export type TierHooks = {
  current(tx: Tx, programId: string, accountId: string): Promise<{ code: string; multiplier: number } | null>;
  onEventEarned(tx: Tx, ctx: RequestContext, e: TierParty & { occurredAt: Date }): Promise<TierChange | null>;
  onReturn(tx: Tx, ctx: RequestContext, e: TierParty & { originalOccurredAt: Date }): Promise<TierChange | null>;
};

/**
 * Another transaction created what this one was about to create (an auto-created account, a row
 * behind a unique index): the event is run again from the start and finds it.
 */
class RaceLost extends Error {}
/** A failure that running the event again resolves: a lost creation race. Deadlocks and serialisation failures are retried by `inTransaction`. */
const isRace = (err: unknown) => err instanceof RaceLost || pgErrorCode(err) === '23505';
const RACE_ATTEMPTS = 5;
/** Events of a batch run together in one savepoint (see processBatch); a refusal runs its chunk again one by one. */
const CHUNK = 100;

const monthOf = (d: Date) => d.toISOString().slice(0, 7);
function monthsBack(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}
const ownerView = (o: { ownerType: 'account' | 'member'; ownerId: string }) => (o.ownerType === 'member' ? { memberId: o.ownerId } : { accountId: o.ownerId });
const num = (v: bigint) => Number(v);
/** Units bought: the lines' quantities, rounded to a whole number per event. */
const unitsOf = (lines: unknown): bigint => BigInt(Math.round(Array.isArray(lines) ? lines.reduce((n: number, l: { qty?: unknown }) => n + (typeof l?.qty === 'number' ? l.qty : 0), 0) : 0));

export function createEventsService(
  database: Database,
  deps: {
    programs: ProgramsService;
    accounts: AccountsService;
    rules: RulesService;
    ledger: LedgerService;
    emit?: Emit;
    emitMany?: EmitMany;
    now?: () => Date;
    afterCredit?: AfterCredit;
    tiers?: TierHooks;
    /** Account health (#16): called for each new purchase event, in its transaction, after the event is stored and its account locked. */
    afterPurchase?: (tx: Tx, ctx: RequestContext, p: { accountId: string; occurredAt: Date }) => Promise<void>;
    /** Transactional surveys (#16): called for each new event, in its transaction, once it is processed. */
    afterEvent?: (tx: Tx, ctx: RequestContext, e: { id: string; type: string; accountId: string; memberId: string | null }) => Promise<void>;
  },
) {
  const { programs, accounts, rules, ledger } = deps;
  const emit: Emit = deps.emit ?? (async () => {});
  /** Messages are collected per event and emitted together (one subscription read per transaction, not one per message). */
  const emitAll: EmitMany =
    deps.emitMany ??
    (async (tx, programId, messages) => {
      for (const m of messages) await emit(tx, programId, m.type, m.data);
    });
  const now = deps.now ?? (() => new Date());
  const readsIn = (tx: Tx, programId: string) => createReads(tx, programId, { programs, rules });

  async function resolveParties(tx: Tx, ctx: RequestContext, reads: Reads, program: Program, input: EventInput): Promise<{ account: Account; member: Member | null }> {
    let account = await reads.account(input.accountId);
    if (!account) {
      const ext = input.accountId.startsWith('ext:') ? input.accountId.slice(4) : null;
      if (!program.autoCreateAccounts || !ext) {
        throw eventError('ACCOUNT_UNKNOWN', `No account ${input.accountId} in this program.`, [
          { path: 'accountId', message: program.autoCreateAccounts ? 'unknown account (auto-creation needs an ext:<externalId> reference)' : 'unknown account' },
        ]);
      }
      // autoCreateAccounts: the ERP knows the company before we do.
      try {
        account = await accounts.createAccountIn(tx, ctx, { externalId: ext, name: ext, type: 'unknown', attributes: { autoCreatedBy: input.id } });
      } catch (err) {
        // A concurrent event created it first (and committed): run again, it is found then.
        if (err instanceof DomainError && err.code === 'ACCOUNT_EXTERNAL_ID_TAKEN') throw new RaceLost();
        throw err;
      }
    }
    // One event of an account at a time, from here to the commit: its history (stats, tier, caps) is read under the lock,
    // and so is the member: offboarding (#14) takes the same lock, so a member who just left receives nothing.
    await reads.lockAccounts([account.id]);
    let member: Member | null = null;
    if (input.memberId) {
      member = (await reads.member(input.memberId)) ?? null;
      if (!member) throw eventError('MEMBER_UNKNOWN', `No member ${input.memberId} in this program.`, [{ path: 'memberId', message: 'unknown member' }]);
      if (member.accountId !== account.id) throw eventError('MEMBER_NOT_IN_ACCOUNT', 'The member does not belong to the event’s account.', [{ path: 'memberId', message: 'not a member of accountId' }]);
    }
    return { account, member };
  }

  /** Earns what the program's rules give for this event: caps, budgets and splits applied, one ledger credit per award. */
  async function earn(tx: Tx, ctx: RequestContext, reads: Reads, outbox: Message[], program: Program, input: EventInput, account: Account, member: Member | null) {
    const occurredAt = new Date(input.occurredAt);
    const month = monthOf(occurredAt);
    const stats = await reads.statsBefore(account.id, month, monthsBack(month, 11));
    const hooks = deps.tiers;
    const tier = hooks ? await reads.tier(account.id, () => hooks.current(tx, ctx.programId, account.id)) : null;
    const ruleCtx: RuleContext = {
      event: { ...input, amount: input.amount ?? null, currency: input.currency ?? null, lines: input.lines ?? [], attributes: input.attributes ?? {} },
      account: { id: account.id, externalId: account.externalId, type: account.type, segment: account.segment, region: account.region, tier: tier?.code ?? null, attributes: account.attributes, stats: { purchases: stats.purchases, spend12m: num(stats.spend12m) } },
      member: member ? { id: member.id, externalId: member.externalId, role: member.role, attributes: member.attributes } : null,
    };
    const compiled = await reads.activeRules(input.type);
    const currencies = await reads.currencies();
    const currencyKinds = new Map([...currencies.values()].map((c) => [c.code, c.kind] as const));
    const evaluations = evaluateRules(compiled, ruleCtx, { currencyKinds, tierMultiplier: tier?.multiplier ?? 1 });
    const env: PlanEnv = {
      program: { accountShare: program.accountShare, timeZone: program.timeZone },
      account: { id: account.id, employeeIncentives: account.employeeIncentives },
      member: member ? { id: member.id, active: member.status === 'active' } : null,
      eventId: input.id,
      occurredAt,
      now: now(),
    };
    // Budgets (shared by all accounts, in the global order), then this account's caps: locked and read before planning.
    // A budget the batch locked before its first event, and a cap an earlier event of the batch locked, are known
    // here already: no statement for them. The claims are written by `reads.flush`, once per batch.
    const needed = limitsNeeded(compiled, evaluations, env);
    const unknown = needed.budgets.filter((k) => reads.budgetUsed(k) === undefined);
    const unknownCaps = needed.caps.filter((k) => reads.capUsed(k) === undefined);
    const used: LimitUsage = unknownCaps.length || unknown.length ? await rules.lockLimits(tx, ctx.programId, unknownCaps, unknown) : { caps: new Map(), budgets: new Map() };
    for (const k of needed.budgets) if (reads.budgetUsed(k) !== undefined) used.budgets.set(budgetKeyOf(k), reads.budgetUsed(k)!);
    for (const k of needed.caps) if (reads.capUsed(k) !== undefined) used.caps.set(capKeyOf(k), reads.capUsed(k)!);
    const plan = planAwards(compiled, evaluations, env, used);
    reads.claimLimits(used.caps, plan.capClaims, plan.budgetClaims);
    reads.addToBudgets(plan.budgetClaims);
    const trace = plan.trace;
    const t = env.now;
    const awards: AwardView[] = [];
    const awardRows: Parameters<typeof repo.insertAwards>[1] = [];
    /** One ledger credit per award (its own posting set), all written together. */
    const credits: CreditInput[] = [];
    for (const a of plan.awards) {
      const owner: WalletOwner = a.ownerType === 'member' ? { type: 'member', memberId: a.ownerId, accountId: account.id } : { type: 'account', accountId: account.id };
      credits.push({
        kind: 'earn',
        source: 'issuance',
        idempotencyKey: `event:${input.id}:${a.ruleId}:${a.effectIndex}:${a.ownerType}`,
        eventId: input.id,
        memo: `${input.type} ${input.id}: ${a.ruleName}`,
        at: t,
        legs: [{ to: owner, currency: a.currency, amount: a.amount, availableAt: a.available ? null : a.availableAt, ruleId: a.ruleId }],
      });
      awardRows.push({
        id: newId('awd'),
        programId: ctx.programId,
        eventId: input.id,
        ruleId: a.ruleId,
        ruleVersion: a.ruleVersion,
        effectIndex: a.effectIndex,
        ownerType: a.ownerType,
        ownerId: a.ownerId,
        accountId: account.id,
        currency: a.currency,
        amount: a.amount,
        availableAt: a.availableAt,
        ledgerTransactionId: '', // filled in once the credits are posted
        capScopeKey: a.cap?.scopeKey ?? null,
        capPeriodKey: a.cap?.periodKey ?? null,
        countsAgainstBudget: a.countsAgainstBudget ? 1 : 0,
      });
      awards.push({ wallet: ownerView(a), currency: a.currency, amount: num(a.amount), ruleId: a.ruleId, ruleVersion: a.ruleVersion, availableAt: a.availableAt.toISOString() });
    }
    const posted = await creditMany(tx, ctx, credits, { currencyOf: (code) => currencies.get(code), timeZone: program.timeZone, ledger, systemWallets: reads.systemWallets });
    posted.forEach((p, i) => (awardRows[i].ledgerTransactionId = p.transactionId));
    awards.forEach((view, i) => outbox.push({ type: 'points.awarded', data: { eventId: input.id, ...view, pending: !plan.awards[i].available } }));
    reads.addAwards(awardRows);
    if (deps.afterCredit) {
      const credited = new Map<string, { owner: WalletOwner; currency: string }>();
      // Only stamps can fill a stamp card (a card is defined on a `stamps` currency only): no lookup for points.
      for (const a of awardRows.filter((r) => currencies.get(r.currency)?.kind === 'stamps')) {
        const owner: WalletOwner = a.ownerType === 'member' ? { type: 'member', memberId: a.ownerId, accountId: a.accountId } : { type: 'account', accountId: a.accountId };
        credited.set(`${a.ownerType}|${a.ownerId}|${a.currency}`, { owner, currency: a.currency });
      }
      for (const c of credited.values()) await deps.afterCredit(tx, ctx, c.owner, c.currency);
    }
    if (input.type === 'purchase') reads.addStats(account.id, month, 1, BigInt(input.amount ?? 0));
    const purchase = input.type === 'purchase';
    const tierChange = deps.tiers
      ? await deps.tiers.onEventEarned(tx, ctx, {
          accountId: account.id,
          externalId: account.externalId,
          accountType: account.type,
          timeZone: program.timeZone,
          occurredAt,
          spend: purchase ? BigInt(input.amount ?? 0) : 0n,
          units: purchase ? unitsOf(input.lines) : 0n,
          points: awardRows.reduce((sum, a) => (currencyKinds.get(a.currency) === 'points' ? sum + a.amount : sum), 0n),
        })
      : null;
    if (tierChange) reads.tierChanged(account.id);
    const context: EventContext = { tier: tier?.code ?? null, multiplier: tier?.multiplier ?? 1, purchases: stats.purchases, spend12m: num(stats.spend12m) };
    return { awards, trace, tierChange, context };
  }

  /**
   * Reverses what the original event earned, award by award, so that each award has been
   * reversed by round-half-up(award × returned so far ÷ original amount); frees caps and budget.
   */
  async function reverseFor(tx: Tx, ctx: RequestContext, reads: Reads, outbox: Message[], program: Program, input: EventInput, account: Account) {
    const original = await repo.findEvent(tx, ctx.programId, input.originalEventId!, true);
    if (!original) throw eventError('ORIGINAL_EVENT_UNKNOWN', `No event ${input.originalEventId} to return.`, [{ path: 'originalEventId', message: 'unknown event' }]);
    if (original.accountId !== account.id) throw eventError('EVENT_INVALID', 'A return belongs to the account of the original event.', [{ path: 'accountId', message: 'differs from the original event’s account' }]);
    if (original.amount === null || original.amount <= 0n) throw eventError('EVENT_INVALID', 'The original event has no amount to return against.', [{ path: 'originalEventId', message: 'has no amount' }]);
    const returned = original.returnedAmount + BigInt(input.amount!);
    if (returned > original.amount) {
      throw eventError('RETURN_EXCEEDS_ORIGINAL', `Returning ${input.amount} would bring the total returned to ${returned}, more than the ${original.amount} bought.`, [
        { path: 'amount', message: `at most ${original.amount - original.returnedAmount} is left to return` },
      ]);
    }
    const reversals: ReversalView[] = [];
    const originalAwards = await repo.awardsOf(tx, ctx.programId, original.id);
    // The same lock order as earning: budgets (all at once), then caps, then wallets.
    await reads.lockBudgets(originalAwards.filter((a) => a.countsAgainstBudget).map((a) => ({ ruleId: a.ruleId, currency: a.currency })));
    for (const a of originalAwards) {
      const target = (2n * a.amount * returned + original.amount) / (2n * original.amount);
      const delta = target - a.reversed;
      if (delta <= 0n) continue;
      // What the return takes back no longer counts against the rule's cap and budget.
      reads.forgetCaps();
      if (a.capScopeKey && a.capPeriodKey) await rules.giveBackCap(tx, ctx.programId, { ruleId: a.ruleId, effectIndex: a.effectIndex, scopeKey: a.capScopeKey, periodKey: a.capPeriodKey }, delta);
      if (a.countsAgainstBudget) {
        await rules.giveBackBudget(tx, ctx.programId, a.ruleId, a.currency, delta);
        reads.addToBudgets([{ key: { ruleId: a.ruleId, currency: a.currency }, amount: -delta }]);
      }
      const r = await ledger.reverse(tx, ctx, {
        transactionId: a.ledgerTransactionId,
        fraction: { numerator: returned, denominator: original.amount },
        takeOnlyWhatIsThere: !program.allowNegative,
        idempotencyKey: `return:${input.id}:${a.id}`,
        eventId: input.id,
        memo: `return ${input.id} of ${original.id}`,
      });
      const debt = r.shortfall ?? 0n;
      await repo.updateAward(tx, ctx.programId, a.id, { reversed: target, debt: a.debt + debt });
      const view: ReversalView = { wallet: ownerView(a), currency: a.currency, amount: num(-delta), ruleId: a.ruleId, debt: num(debt) };
      reversals.push(view);
      outbox.push({ type: 'points.reversed', data: { eventId: input.id, originalEventId: original.id, ...view } });
    }
    await repo.updateEvent(tx, ctx.programId, original.id, { returnedAmount: returned });
    if (original.type === 'purchase') reads.addStats(account.id, monthOf(original.occurredAt), 0, -BigInt(input.amount!));
    let tierChange: TierChange | null = null;
    if (deps.tiers) {
      // Units go back in proportion to the amount, cumulatively, so a full return takes back every unit.
      const bought = original.type === 'purchase' ? unitsOf((original.payload as { lines?: unknown }).lines) : 0n;
      const total = original.amount;
      const unitsBack = (n: bigint) => (2n * bought * n + total) / (2n * total);
      const kinds = new Map([...(await reads.currencies()).values()].map((c) => [c.code, c.kind] as const));
      tierChange = await deps.tiers.onReturn(tx, ctx, {
        accountId: account.id,
        externalId: account.externalId,
        accountType: account.type,
        timeZone: program.timeZone,
        originalOccurredAt: original.occurredAt,
        spend: original.type === 'purchase' ? BigInt(input.amount!) : 0n,
        units: unitsBack(returned) - unitsBack(original.returnedAmount),
        points: reversals.reduce((sum, r) => (kinds.get(r.currency) === 'points' ? sum - BigInt(r.amount) : sum), 0n),
      });
      if (tierChange) reads.tierChanged(account.id);
    }
    return { reversals, tierChange };
  }

  /**
   * Processes one validated event in the caller's transaction. Its webhook messages go to
   * `outbox`: the caller emits them once the event has been applied.
   */
  async function processIn(tx: Tx, ctx: RequestContext, reads: Reads, outbox: Message[], input: EventInput): Promise<{ answer: EventAnswer; replayed: boolean }> {
    const requestHash = hashRequest(input);
    const existing = await reads.storedEvent(input.id);
    if (existing) return replay(reads, existing, requestHash);
    const program = await reads.program();
    if (!(await reads.eventTypeExists(input.type))) {
      throw eventError('EVENT_TYPE_UNKNOWN', `Unknown event type "${input.type}".`, [{ path: 'type', message: 'unknown event type; declare custom types with POST /event-types' }]);
    }
    const { account, member } = await resolveParties(tx, ctx, reads, program, input);
    const inserted = await repo.insertEvent(tx, {
      programId: ctx.programId,
      id: input.id,
      type: input.type,
      occurredAt: new Date(input.occurredAt),
      accountId: account.id,
      memberId: member?.id ?? null,
      amount: input.amount === undefined ? null : BigInt(input.amount),
      currency: input.currency ?? null,
      originalEventId: input.originalEventId ?? null,
      payload: input as unknown as Record<string, unknown>,
      requestHash,
      answer: {},
      trace: [],
    });
    // A twin of this event committed while we were resolving: answer as a replay.
    if (!inserted) return replay(reads, (await repo.findEvent(tx, ctx.programId, input.id))!, requestHash);
    let answer: EventAnswer;
    let trace: unknown[];
    let context: EventContext | null = null;
    if (input.type === 'return') {
      const { reversals, tierChange } = await reverseFor(tx, ctx, reads, outbox, program, input, account);
      answer = { eventId: input.id, status: 'processed', awards: [], reversals, ...(tierChange ? { tier: tierChange } : {}) };
      trace = [{ return: { originalEventId: input.originalEventId, amount: input.amount }, reversals }];
    } else if (account.status !== 'active') {
      answer = { eventId: input.id, status: 'processed', awards: [] };
      trace = [{ skipped: `account is ${account.status}: it earns nothing` }];
    } else {
      const r = await earn(tx, ctx, reads, outbox, program, input, account, member);
      answer = { eventId: input.id, status: 'processed', awards: r.awards, ...(r.tierChange ? { tier: r.tierChange } : {}) };
      trace = r.trace;
      context = r.context;
    }
    if (input.type === 'purchase' && deps.afterPurchase) await deps.afterPurchase(tx, ctx, { accountId: account.id, occurredAt: new Date(input.occurredAt) });
    if (deps.afterEvent) await deps.afterEvent(tx, ctx, { id: input.id, type: input.type, accountId: account.id, memberId: member?.id ?? null });
    reads.answer(input.id, answer, jsonSafe(trace) as unknown[], context);
    return { answer, replayed: false };
  }

  function replay(reads: Reads, existing: repo.EventRow, requestHash: string): { answer: EventAnswer; replayed: boolean } {
    if (existing.requestHash !== requestHash) {
      throw eventError('EVENT_ID_REUSED', `Event ${existing.id} was already received with different content.`, [{ path: 'id', message: 'already used with a different event' }]);
    }
    return { answer: reads.answerOf(existing) as unknown as EventAnswer, replayed: true };
  }

  function problemOf(err: DomainError) {
    return { type: `https://fealty.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`, title: 'Unprocessable Content', status: err.status, detail: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) };
  }

  /** One event in a transaction: its reads, awards and webhook messages, all in `tx`. */
  async function processOneIn(tx: Tx, ctx: RequestContext, input: EventInput) {
    const outbox: Message[] = [];
    const reads = readsIn(tx, ctx.programId);
    const r = await processIn(tx, ctx, reads, outbox, input);
    reads.settle(true);
    await reads.flush();
    await emitAll(tx, ctx.programId, outbox);
    return r;
  }

  return {
    /** Who earned under a rule and when, `(member_id, at)`, as a subquery (a campaign's `acted`). */
    earnedUnderRule(programId: string, ruleId: string): SQL {
      return repo.earnedUnderRuleSql(programId, ruleId);
    },
    /** One event, atomically: stored with its awards, or refused with nothing changed. */
    async process(ctx: RequestContext, input: EventInput) {
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            return await inTransaction(database, (tx) => processOneIn(tx, ctx, input));
          } catch (err) {
            if (!isRace(err) || attempt >= RACE_ATTEMPTS) throw err;
          }
        }
      } catch (err) {
        if (err instanceof DomainError && err.status === 422) await inTransaction(database, (tx) => emit(tx, ctx.programId, 'event.rejected', { eventId: input.id, problem: problemOf(err) }));
        throw err;
      }
    },

    /**
     * One event inside a caller's transaction (an approved sales claim becomes its event in the
     * claim's own transaction): stored with its awards, or refused with the caller's whole change.
     */
    processIn: processOneIn,

    /**
     * Up to 1,000 events; each is atomic on its own and answered in input order.
     *
     * The whole batch is one transaction (one commit instead of one per event). Its events run
     * in chunks of 100, each chunk in one savepoint; when an event of a chunk is refused, the
     * chunk is rolled back and runs again with a savepoint per event: the refused event rolls
     * back to its savepoint, the others stay. Caps are locked once per key per batch and the
     * claims on caps and budgets written once at its end. The program, event types, currencies, rules, parties and tiers are read once
     * per batch, and the awards, answers and monthly stats are written once at its end
     * (events.reads.ts); the webhook messages of the applied events, and of the refused ones, are
     * emitted together at the end too. A database failure (not a refusal) fails the whole batch,
     * which the caller can send again: it is idempotent by event id.
     */
    async processBatch(ctx: RequestContext, items: unknown[]) {
      type Result = EventAnswer & { problem?: ReturnType<typeof problemOf> };
      const parsed = items.map((raw, i) => {
        const p = eventInput.safeParse(raw);
        const eventId = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : `#${i}`;
        return { eventId, p };
      });
      const valid = parsed.flatMap(({ p }) => (p.success ? [p.data] : []));
      return inTransaction(database, async (tx) => {
        const reads = readsIn(tx, ctx.programId);
        await reads.prefetchEvents(valid.map((e) => e.id));
        // Every lock the batch can know of is taken before its first event, in the global order:
        // its accounts, then the budgets its rules (and returns) may spend. The batch holds them to
        // its commit, so two batches over the same accounts or budgets queue instead of deadlocking.
        const accountIds: string[] = [];
        for (const ref of new Set(valid.map((e) => e.accountId))) {
          const a = await reads.account(ref);
          if (a) accountIds.push(a.id);
        }
        await reads.lockAccounts(accountIds, true);
        const budgets: { ruleId: string; currency: string }[] = [];
        for (const type of new Set(valid.map((e) => e.type))) for (const r of await reads.activeRules(type)) if (r.budget) budgets.push({ ruleId: r.id, currency: r.budget.currency });
        if (valid.some((e) => e.type === 'return')) budgets.push(...(await rules.budgetKeysOf(tx, ctx.programId)));
        await reads.lockBudgets(budgets, true);
        const results: Result[] = [];
        const messages: Message[] = [];
        const rejectedInput = (i: number, eventId: string, error: z.ZodError): Result => {
          const errors: FieldError[] = error.issues.map((iss) => ({ path: iss.path.join('.') || '(event)', message: iss.message }));
          return { eventId, status: 'rejected', awards: [], problem: problemOf(new DomainError('VALIDATION_FAILED', 422, `Event ${i} has invalid fields.`, errors)) };
        };
        /**
         * A chunk in one savepoint, its events one after another without a savepoint each: two
         * statements fewer per event. If one of them is refused (or loses a creation race), the
         * chunk is rolled back, what the batch holds in memory goes back to where the chunk began,
         * and the chunk runs again event by event (`oneByOne`): the same answers as if it had run
         * that way from the start.
         */
        const together = async (chunk: [number, (typeof parsed)[number]][]): Promise<boolean> => {
          const restore = reads.snapshot();
          const out: Result[] = [];
          const sent: Message[] = [];
          try {
            await tx.transaction(async (sp) => {
              for (const [i, { eventId, p }] of chunk) {
                if (!p.success) {
                  out.push(rejectedInput(i, eventId, p.error));
                  continue;
                }
                if (p.data.type === 'return') await reads.flush();
                const outbox: Message[] = [];
                const r = await processIn(sp, ctx, reads, outbox, p.data);
                reads.settle(true);
                out.push(r.answer);
                sent.push(...outbox);
              }
            });
          } catch (err) {
            restore();
            if (err instanceof DomainError || isRace(err)) return false;
            throw err;
          }
          results.push(...out);
          messages.push(...sent);
          return true;
        };
        const oneByOne = async (chunk: [number, (typeof parsed)[number]][]) => {
          for (const [i, { eventId, p }] of chunk) {
            if (!p.success) {
              results.push(rejectedInput(i, eventId, p.error));
              continue;
            }
            // A return reads the awards of its original event, which may be among those not written yet.
            if (p.data.type === 'return') await reads.flush();
            for (let attempt = 1; ; attempt++) {
              const outbox: Message[] = [];
              try {
                const r = await tx.transaction((sp) => processIn(sp, ctx, reads, outbox, p.data));
                reads.settle(true);
                results.push(r.answer);
                messages.push(...outbox);
              } catch (err) {
                reads.settle(false);
                // A lost creation race: the savepoint is gone, the event runs again and finds what the other transaction created.
                if (isRace(err) && attempt < RACE_ATTEMPTS) continue;
                if (!(err instanceof DomainError)) throw err;
                results.push({ eventId, status: 'rejected', awards: [], problem: problemOf(err) });
                if (err.status === 422) messages.push({ type: 'event.rejected', data: { eventId: p.data.id, problem: problemOf(err) } });
              }
              break;
            }
          }
        };
        const entries = [...parsed.entries()];
        for (let start = 0; start < entries.length; start += CHUNK) {
          const chunk = entries.slice(start, start + CHUNK);
          if (!(await together(chunk))) await oneByOne(chunk);
        }
        await reads.flush();
        await emitAll(tx, ctx.programId, messages);
        return { items: results };
      });
    },

    async get(programId: string, id: string) {
      return inTransaction(database, async (tx) => {
        const e = await repo.findEvent(tx, programId, id);
        if (!e) throw eventError('EVENT_NOT_FOUND', `No event ${id} in this program.`);
        const awards = await repo.awardsOf(tx, programId, id);
        return {
          id: e.id,
          type: e.type,
          occurredAt: e.occurredAt.toISOString(),
          receivedAt: e.createdAt.toISOString(),
          accountId: e.accountId,
          memberId: e.memberId,
          amount: e.amount === null ? null : num(e.amount),
          currency: e.currency,
          returnedAmount: num(e.returnedAmount),
          payload: e.payload,
          answer: e.answer,
          trace: e.trace,
          awards: awards.map((a) => ({
            id: a.id,
            wallet: ownerView(a),
            currency: a.currency,
            amount: num(a.amount),
            reversed: num(a.reversed),
            debt: num(a.debt),
            ruleId: a.ruleId,
            ruleVersion: a.ruleVersion,
            availableAt: a.availableAt.toISOString(),
            transactionId: a.ledgerTransactionId,
          })),
        };
      });
    },

    /** `scope`: an account manager limited to their own accounts sees only their events. */
    async list(programId: string, q: { limit: number; cursor?: string; type?: string; accountId?: string; from?: string; to?: string }, scope?: { managerId: string }) {
      return inTransaction(database, async (tx) => {
        const accountIds = scope ? await managedAccountIdsIn(tx, programId, scope.managerId) : undefined;
        if (accountIds && !accountIds.length) return { items: [], nextCursor: null };
        let accountId: string | undefined;
        if (q.accountId) {
          const a = await findAccountIn(tx, programId, q.accountId);
          if (!a) return { items: [], nextCursor: null };
          accountId = a.id;
        }
        const c = decodeTimeIdCursor(q.cursor, 'createdAt');
        const before = c ? { createdAt: c.createdAt, id: c.id } : undefined;
        const rows = await repo.listEvents(tx, programId, { ...q, accountId, accountIds, limit: q.limit + 1, before });
        const items = rows.slice(0, q.limit).map((e) => ({
          id: e.id,
          type: e.type,
          occurredAt: e.occurredAt.toISOString(),
          receivedAt: e.createdAt.toISOString(),
          accountId: e.accountId,
          memberId: e.memberId,
          amount: e.amount === null ? null : num(e.amount),
          currency: e.currency,
          awards: (e.answer as unknown as EventAnswer).awards?.length ?? 0,
        }));
        const last = rows[q.limit - 1];
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(JSON.stringify({ createdAt: last.createdAt.toISOString(), id: last.id })) : null };
      });
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
