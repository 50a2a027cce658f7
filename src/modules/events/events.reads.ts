import type { Tx } from '../../db/database.js';
import { findAccountIn, findMemberIn, type Account, type Member } from '../accounts/index.js';
import type { Currency, Program, ProgramsService } from '../programs/index.js';
import { budgetKeyOf, capKeyOf, type BudgetKey, type CapKey, type CompiledRule, type RulesService } from '../rules/index.js';
import * as repo from './events.repo.js';

/**
 * What the events of one transaction read once and share: the program, its event types,
 * currencies and compiled active rules, the accounts and members looked up so far, and which
 * event ids were already stored when the batch began. It also holds what the events write
 * only at the end (`flush`): their answers and the accounts' monthly stats, one statement each
 * for the whole batch instead of one per event.
 *
 * A batch runs in one transaction and its events change none of this, except that an event
 * may create an account (autoCreateAccounts): created accounts are not remembered here, so an
 * event rolled back to its savepoint cannot leave a stale entry behind. A change committed by
 * someone else while the batch runs (a rule paused, a currency added) is seen by the next batch,
 * as if the whole batch had been received at the moment it started.
 */
export type Reads = ReturnType<typeof createReads>;
/** The account's state the rules saw for an event (stored with it, for simulation). */
export type EventContext = { tier: string | null; multiplier: number; purchases: number; spend12m: number };

export function createReads(tx: Tx, programId: string, deps: { programs: ProgramsService; rules: RulesService }) {
  let program: Promise<Program> | undefined;
  let currencies: Promise<Map<string, Currency>> | undefined;
  const eventTypes = new Map<string, Promise<boolean>>();
  const compiled = new Map<string, Promise<CompiledRule[]>>();
  let accounts = new Map<string, Account>();
  let members = new Map<string, Member>();
  /** Rows of events that existed before the batch, by id (see `prefetchEvents`); absent ids are new. */
  let stored: Map<string, repo.EventRow> | null = null;
  /** Ids met in this transaction: an id met twice must be looked up again (its first copy may be stored now). */
  let met = new Set<string>();
  /** System wallet ids (they never change once created). */
  let systemWallets = new Map<string, string>();
  /** What the event in progress will keep if it is applied (see `settle`). */
  let staged: (() => void)[] = [];
  /** Awards of the events applied so far, written by `flush`. */
  let awards: repo.NewAward[] = [];
  /** Answers and traces of the events applied so far, written by `flush`. */
  let answers = new Map<string, { answer: Record<string, unknown>; trace: unknown[]; context: EventContext | null }>();
  /** Monthly stats: as stored when first read per account, plus what applied events added; `added`: written by `flush`. */
  let stats = new Map<string, Map<string, { purchases: number; spend: bigint }>>();
  let added = new Map<string, { accountId: string; month: string; purchases: number; spend: bigint }>();
  /** Accounts and budgets this transaction holds locks on (see `lockAccounts`, `lockBudgets`). */
  let lockedAccounts = new Set<string>();
  /** What each budget locked by this transaction has used, kept up to date by its events (see `budgetUsed`). */
  let lockedBudgets = new Map<string, bigint>();
  const budgetKey = (k: { ruleId: string; currency: string }) => `${k.ruleId}|${k.currency}`;
  /** The tier each account held before its next event, until an event changes it (see `tier`). */
  let tiers = new Map<string, Promise<unknown>>();
  /**
   * What each cap locked by an applied event of this transaction has used, claims included (see
   * `capUsed`): a cap belongs to one account, which the transaction holds locked, so no one else
   * changes it before the commit.
   */
  let lockedCaps = new Map<string, bigint>();
  /** Claims on caps and budgets of the applied events, written together by `flush` (summed per key). */
  let pendingCaps = new Map<string, { key: CapKey; amount: bigint }>();
  let pendingBudgets = new Map<string, { key: BudgetKey; amount: bigint }>();
  const addClaim = <K>(m: Map<string, { key: K; amount: bigint }>, id: string, key: K, amount: bigint) => {
    const r = m.get(id);
    m.set(id, { key, amount: (r?.amount ?? 0n) + amount });
  };
  const addTo = (m: Map<string, { purchases: number; spend: bigint }>, month: string, purchases: number, spend: bigint) => {
    const r = m.get(month) ?? { purchases: 0, spend: 0n };
    m.set(month, { purchases: r.purchases + purchases, spend: r.spend + spend });
  };

  return {
    program: () => (program ??= deps.programs.getProgramIn(tx, programId)),
    currencies: () => (currencies ??= deps.programs.listCurrenciesIn(tx, programId).then((cs) => new Map(cs.map((c) => [c.code, c] as const)))),
    eventTypeExists(type: string): Promise<boolean> {
      let p = eventTypes.get(type);
      if (!p) eventTypes.set(type, (p = deps.programs.eventTypeExistsIn(tx, programId, type)));
      return p;
    },
    /** The active rules of an event type, read and compiled once per transaction. */
    activeRules(type: string): Promise<CompiledRule[]> {
      let p = compiled.get(type);
      if (!p) compiled.set(type, (p = deps.rules.activeCompiled(tx, programId, type)));
      return p;
    },
    async account(ref: string): Promise<Account | undefined> {
      const hit = accounts.get(ref);
      if (hit) return hit;
      const a = await findAccountIn(tx, programId, ref);
      if (a) accounts.set(ref, a);
      return a;
    },
    async member(ref: string): Promise<Member | undefined> {
      const hit = members.get(ref);
      if (hit) return hit;
      const m = await findMemberIn(tx, programId, ref);
      if (m) members.set(ref, m);
      return m;
    },
    /**
     * Locks the accounts not locked yet in this transaction. `upFront`: taken by a batch before
     * its first event, outside any savepoint, so they are held to the end whatever its events do;
     * a lock taken inside an event's savepoint is gone if the event is rolled back.
     */
    async lockAccounts(ids: string[], upFront = false): Promise<void> {
      const todo = [...new Set(ids)].filter((id) => !lockedAccounts.has(id));
      if (!todo.length) return;
      await repo.lockAccounts(tx, programId, todo);
      const keep = () => todo.forEach((id) => lockedAccounts.add(id));
      if (upFront) keep();
      else staged.push(keep);
    },
    /** Locks the budget rows not locked yet in this transaction, in the global order (`upFront` as for accounts). */
    async lockBudgets(keys: { ruleId: string; currency: string }[], upFront = false): Promise<void> {
      const todo = keys.filter((k) => !lockedBudgets.has(budgetKey(k)));
      if (!todo.length) return;
      const used = await deps.rules.lockBudgets(tx, programId, todo);
      const keep = () => todo.forEach((k) => lockedBudgets.set(budgetKey(k), used.get(budgetKey(k)) ?? 0n));
      if (upFront) keep();
      else staged.push(keep);
    },
    /**
     * What a budget this transaction holds locked has used so far, or undefined if it holds no
     * lock on it: no other transaction can change it meanwhile, so it is read once per batch.
     */
    budgetUsed(k: { ruleId: string; currency: string }): bigint | undefined {
      return lockedBudgets.get(budgetKey(k));
    },
    /** What the event in progress adds to (or gives back to) held budgets, kept if it is applied. */
    addToBudgets(changes: { key: { ruleId: string; currency: string }; amount: bigint }[]) {
      staged.push(() => {
        for (const c of changes) {
          const u = lockedBudgets.get(budgetKey(c.key));
          if (u !== undefined) lockedBudgets.set(budgetKey(c.key), u + c.amount < 0n ? 0n : u + c.amount);
        }
      });
    },
    /** What a cap an applied event of this transaction locked has used so far, or undefined if none did. */
    capUsed(k: CapKey): bigint | undefined {
      return lockedCaps.get(capKeyOf(k));
    },
    /**
     * The event in progress claims on caps and budgets (`used`: what they had used, as locked or
     * known): kept if it is applied, the caps then known for the batch's next events, and the
     * claims written by `flush` with one statement each for the whole batch.
     */
    claimLimits(used: Map<string, bigint>, capClaims: { key: CapKey; amount: bigint }[], budgetClaims: { key: BudgetKey; amount: bigint }[]) {
      staged.push(() => {
        for (const [id, u] of used) if (!lockedCaps.has(id)) lockedCaps.set(id, u);
        for (const c of capClaims) {
          const id = capKeyOf(c.key);
          lockedCaps.set(id, (lockedCaps.get(id) ?? 0n) + c.amount);
          addClaim(pendingCaps, id, c.key, c.amount);
        }
        for (const c of budgetClaims) addClaim(pendingBudgets, budgetKeyOf(c.key), c.key, c.amount);
      });
    },
    /** A return gave back to caps in the database: their usage is read again when next needed. */
    forgetCaps() {
      lockedCaps = new Map();
    },
    systemWallets: { get: (key: string) => systemWallets.get(key), learn: (key: string, id: string) => void staged.push(() => systemWallets.set(key, id)) },
    /**
     * What this object holds now, to go back to if the work done from here on is rolled back to a
     * savepoint taken now (a chunk of a batch, see processBatch): the returned function restores
     * it, and forgets the tiers (read again) and the event in progress.
     */
    snapshot(): () => void {
      const saved = {
        accounts: new Map(accounts),
        members: new Map(members),
        met: new Set(met),
        systemWallets: new Map(systemWallets),
        awards: [...awards],
        answers: new Map(answers),
        stats: new Map([...stats].map(([k, m]) => [k, new Map(m)] as const)),
        added: new Map(added),
        lockedAccounts: new Set(lockedAccounts),
        lockedBudgets: new Map(lockedBudgets),
        lockedCaps: new Map(lockedCaps),
        pendingCaps: new Map(pendingCaps),
        pendingBudgets: new Map(pendingBudgets),
      };
      return () => {
        ({ accounts, members, met, systemWallets, awards, answers, stats, added, lockedAccounts, lockedBudgets, lockedCaps, pendingCaps, pendingBudgets } = saved);
        staged = [];
        tiers = new Map();
      };
    },
    /**
     * Called after each event: what it learnt or wrote here is kept when it was applied, and
     * forgotten when it was rolled back to its savepoint (a system wallet it created is gone then).
     */
    settle(applied: boolean) {
      if (applied) for (const keep of staged) keep();
      // A refused event may have moved a tier before it was rolled back: read them again.
      else tiers.clear();
      staged = [];
    },
    /**
     * The account's current tier, read once and reused by its next events until one of them
     * changes it (`tierChanged`): only an event of the account (or the tier job, which waits for
     * the account's state row) moves it, and the answer says when it did.
     */
    tier<T>(accountId: string, read: () => Promise<T>): Promise<T> {
      let p = tiers.get(accountId) as Promise<T> | undefined;
      if (!p) tiers.set(accountId, (p = read()));
      return p;
    },
    tierChanged(accountId: string) {
      tiers.delete(accountId);
    },
    /** The event's awards, stored by `flush` (before a return in the same batch reads them, see processBatch). */
    addAwards(rows: repo.NewAward[]) {
      staged.push(() => void awards.push(...rows));
    },
    /** The event's answer and trace, stored by `flush`. */
    answer(id: string, answer: Record<string, unknown>, trace: unknown[], context: EventContext | null = null) {
      staged.push(() => answers.set(id, { answer, trace, context }));
    },
    /** The answer of a stored event, including one applied earlier in this transaction and not yet flushed. */
    answerOf(e: repo.EventRow): Record<string, unknown> {
      return answers.get(e.id)?.answer ?? e.answer;
    },
    /**
     * The account's stats before the event being processed: every purchase recorded so far, and
     * the spend of the twelve calendar months up to and including the event's month.
     */
    async statsBefore(accountId: string, month: string, firstOf12: string): Promise<{ purchases: number; spend12m: bigint }> {
      let m = stats.get(accountId);
      if (!m) {
        m = new Map((await repo.monthlyStatsOf(tx, programId, accountId)).map((r) => [r.month, { purchases: r.purchases, spend: r.spend }] as const));
        for (const a of added.values()) if (a.accountId === accountId) addTo(m, a.month, a.purchases, a.spend);
        stats.set(accountId, m);
      }
      let purchases = 0;
      let spend12m = 0n;
      for (const [k, r] of m) {
        purchases += r.purchases;
        if (k >= firstOf12 && k <= month) spend12m += r.spend;
      }
      return { purchases, spend12m };
    },
    addStats(accountId: string, month: string, purchases: number, spend: bigint) {
      staged.push(() => {
        const key = `${accountId}|${month}`;
        const a = added.get(key) ?? { accountId, month, purchases: 0, spend: 0n };
        added.set(key, { ...a, purchases: a.purchases + purchases, spend: a.spend + spend });
        const m = stats.get(accountId);
        if (m) addTo(m, month, purchases, spend);
      });
    },
    /** Writes what the applied events left here: their awards, answers and traces, and the monthly stats they added. */
    async flush(): Promise<void> {
      if (pendingCaps.size || pendingBudgets.size) {
        const caps = [...pendingCaps.values()].filter((c) => c.amount !== 0n);
        const budgets = [...pendingBudgets.values()].filter((c) => c.amount !== 0n);
        pendingCaps = new Map();
        pendingBudgets = new Map();
        await deps.rules.claimLimits(tx, programId, caps, budgets);
      }
      // PostgreSQL takes at most 65,535 parameters per statement: 17 per award.
      for (let i = 0; i < awards.length; i += 2000) await repo.insertAwards(tx, awards.slice(i, i + 2000));
      awards = [];
      await repo.setAnswers(tx, programId, [...answers].map(([id, a]) => ({ id, ...a })));
      await repo.addMonthlyStatsMany(tx, programId, [...added.values()]);
      answers.clear();
      added.clear();
    },
    /** Reads the stored events among `ids` in one query, so that new events need no lookup each. */
    async prefetchEvents(ids: string[]): Promise<void> {
      stored = new Map((await repo.findEvents(tx, programId, ids)).map((e) => [e.id, e] as const));
    },
    /** The stored event with this id, if any. */
    async storedEvent(id: string): Promise<repo.EventRow | undefined> {
      const again = met.has(id);
      met.add(id);
      if (stored && !again) return stored.get(id);
      return repo.findEvent(tx, programId, id);
    },
  };
}
