import type { Tx } from '../../db/database.js';
import { findAccountIn, findMemberIn, type Account, type Member } from '../accounts/index.js';
import type { Currency, Program, ProgramsService } from '../programs/index.js';
import type { CompiledRule, RulesService } from '../rules/index.js';
import * as repo from './events.repo.js';

/**
 * What the events of one transaction read once and share: the program, its event types,
 * currencies and compiled active rules, the accounts and members looked up so far, and which
 * event ids were already stored when the batch began.
 *
 * A batch runs in one transaction and its events change none of this, except that an event
 * may create an account (autoCreateAccounts): created accounts are not remembered here, so an
 * event rolled back to its savepoint cannot leave a stale entry behind. A change committed by
 * someone else while the batch runs (a rule paused, a currency added) is seen by the next batch,
 * as if the whole batch had been received at the moment it started.
 */
export type Reads = ReturnType<typeof createReads>;

export function createReads(tx: Tx, programId: string, deps: { programs: ProgramsService; rules: RulesService }) {
  let program: Promise<Program> | undefined;
  let currencies: Promise<Map<string, Currency>> | undefined;
  const eventTypes = new Map<string, Promise<boolean>>();
  const compiled = new Map<string, Promise<CompiledRule[]>>();
  const accounts = new Map<string, Account>();
  const members = new Map<string, Member>();
  /** Rows of events that existed before the batch, by id (see `prefetchEvents`); absent ids are new. */
  let stored: Map<string, repo.EventRow> | null = null;
  /** Ids met in this transaction: an id met twice must be looked up again (its first copy may be stored now). */
  const met = new Set<string>();
  /** System wallet ids (they never change once created); `staged`: learnt by the event in progress. */
  const systemWallets = new Map<string, string>();
  let staged: [string, string][] = [];

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
    systemWallets: { get: (key: string) => systemWallets.get(key), learn: (key: string, id: string) => void staged.push([key, id]) },
    /**
     * Called after each event of a batch: what it learnt is kept when it was applied, forgotten
     * when it was rolled back to its savepoint (a system wallet it created is gone then).
     */
    settle(applied: boolean) {
      if (applied) for (const [key, id] of staged) systemWallets.set(key, id);
      staged = [];
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
