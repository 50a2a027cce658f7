import type { AccountHealthView, HealthListItem, HealthListQuery } from '../../contracts/health.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { managedAccountIdsIn, resolveAccountIn } from '../accounts/index.js';
import { DAY_MS, groupCycle, intervalsOf, purchaseCycle, type Cycle, type PurchaseCycle } from './health.cycles.js';
import { healthError } from './health.errors.js';
import * as repo from './health.repo.js';
import { AT_RISK_SCORE, churnRisk, type RiskReason } from './health.risk.js';

/** The account's NPS as the surveys module computes it (#16 items 1–3), wired after merge. */
export type AccountNps = { value: number; n: number; ci95: [number, number] };
export type HealthSignals = {
  /** Called inside the health computation's transaction: read through `tx` (the embedded database has one connection). */
  npsByAccount?: (tx: Tx, programId: string, accountIds: string[]) => Promise<Map<string, AccountNps>>;
  openTasksByAccount?: (tx: Tx, programId: string, accountIds: string[]) => Promise<Map<string, number>>;
  /** One account's relationship NPS by quarter, each with n and its interval. */
  npsTrend?: (tx: Tx, programId: string, accountId: string) => Promise<NpsPoint[]>;
  /** The closed loop for the digest: detractors' answers of `[since, at)`, tasks unresolved past their escalation days. */
  loop?: (tx: Tx, programId: string, since: Date, at: Date) => Promise<{ detractors: LoopDetractor[]; overdue: LoopTask[] }>;
};
export type NpsPoint = { period: string; n: number; nps: number | null; ci95: [number, number] | null };
export type LoopDetractor = { taskId: string; accountId: string; surveyName: string; score: number | null; comment: string; role: string; answeredAt: string };
export type LoopTask = { taskId: string; accountId: string; surveyName: string; score: number | null; status: string; openDays: number; escalated: boolean };
/** The daily digest, one per account manager with something to report; how it reaches them is the caller's (messaging). */
export type HealthDigest = {
  programId: string;
  managerId: string;
  accounts: { accountId: string; name: string; status: string; score: number; reasons: string[]; revenueAtRisk: number }[];
  revenueAtRisk: number;
  openTasks: number;
  /** Detractors who answered since the last digest (the day before), each with its task. */
  detractors: (LoopDetractor & { accountName: string })[];
  /** Follow-up tasks still not resolved past their survey's escalation days. */
  overdueTasks: (LoopTask & { accountName: string })[];
};

/** Signals count over this window: messages unopened, portal visits. */
const WINDOW_DAYS = 90;
/** Intervals kept per account (the newest): the cycle follows the account's recent habits. */
const MAX_INTERVALS = 50;
const num = (v: bigint) => Number(v);

type Computed = { account: repo.AccountInfo; row: repo.HealthRow | undefined; intervals: number[]; cycle: PurchaseCycle; score: number; reasons: RiskReason[]; spend: repo.Spend; nps: AccountNps | null; openTasks: number };

/** How the digest reaches an account manager: the messaging module's staff e-mail (#16). */
export type StaffMessenger = {
  queueStaffMessage(tx: Tx, programId: string, n: { userId: string; to: string; trigger: 'health_digest'; objectId: string; locale: string | null; data: Record<string, unknown> }): Promise<boolean>;
};

export function createHealthService(database: Database, deps: { now?: () => Date; signals?: HealthSignals; messaging?: StaffMessenger; publicUrl?: string }) {
  const now = deps.now ?? (() => new Date());
  const signals = deps.signals ?? {};

  /** Group cycles (segment, then account type) from the accounts with a cycle of their own. */
  function groupCycles(accounts: repo.AccountInfo[], intervalsOfAccount: Map<string, { purchases: number; intervals: number[] }>) {
    const by = (key: (a: repo.AccountInfo) => string | null) => {
      const groups = new Map<string, { purchases: number; intervals: number[] }[]>();
      for (const a of accounts) {
        const k = key(a);
        const h = intervalsOfAccount.get(a.id);
        if (k === null || !h) continue;
        groups.set(k, [...(groups.get(k) ?? []), h]);
      }
      return new Map([...groups].map(([k, list]) => [k, groupCycle(list)] as const));
    };
    const segments = by((a) => a.segment);
    const types = by((a) => a.type);
    return (a: repo.AccountInfo): { cycle: Cycle; source: 'segment' | 'type' } | null => {
      const s = a.segment ? segments.get(a.segment) : null;
      if (s) return { cycle: s, source: 'segment' };
      const t = types.get(a.type);
      return t ? { cycle: t, source: 'type' } : null;
    };
  }

  /**
   * Health of the program's accounts at `at` (of `only` when given; group cycles always from all).
   * `fromEvents`: the intervals re-read from the stored purchases (the daily job) rather than the kept ones.
   */
  async function computeIn(tx: Tx, programId: string, at: Date, opts: { only?: string[]; fromEvents?: boolean } = {}): Promise<Computed[]> {
    const accounts = await repo.accountsOf(tx, programId);
    const rows = new Map((await repo.healthRows(tx, programId)).map((r) => [r.accountId, r] as const));
    const history = new Map<string, { purchases: number; intervals: number[]; last: Date | null }>();
    if (opts.fromEvents) {
      for (const [id, dates] of await repo.purchaseDates(tx, programId)) {
        history.set(id, { purchases: dates.length, intervals: intervalsOf(dates).slice(-MAX_INTERVALS), last: dates[dates.length - 1] ?? null });
      }
    } else {
      for (const r of rows.values()) history.set(r.accountId, { purchases: r.purchases, intervals: r.intervals, last: r.lastPurchaseAt });
    }
    const fallbackOf = groupCycles(accounts, history);
    const wanted = opts.only ? accounts.filter((a) => opts.only!.includes(a.id)) : accounts;
    const ids = opts.only;
    const since = new Date(at.getTime() - WINDOW_DAYS * DAY_MS);
    // One after another: a transaction is one connection.
    const spend = await repo.spendOf(tx, programId, at, ids);
    const messages = await repo.messageStats(tx, programId, since, ids);
    const visits = await repo.portalVisits(tx, programId, since, ids);
    const tiers = await repo.tierAtRisk(tx, programId, ids);
    const wantedIds = wanted.map((a) => a.id);
    const nps = signals.npsByAccount && wantedIds.length ? await signals.npsByAccount(tx, programId, wantedIds) : new Map<string, AccountNps>();
    const tasks = signals.openTasksByAccount && wantedIds.length ? await signals.openTasksByAccount(tx, programId, wantedIds) : new Map<string, number>();
    return wanted.map((account) => {
      const h = history.get(account.id) ?? { purchases: 0, intervals: [], last: null };
      const cycle = purchaseCycle({ purchases: h.purchases, lastPurchaseAt: h.last, intervals: h.intervals }, at, fallbackOf(account));
      const s = spend.get(account.id) ?? { last3m: 0n, prev3m: 0n, trailing12m: 0n };
      const n = nps.get(account.id) ?? null;
      const r = churnRisk({ cycle, spendLast3m: s.last3m, spendPrev3m: s.prev3m, nps: n, messages: messages.get(account.id) ?? null, portalVisited: visits.has(account.id) ? visits.get(account.id)! : null, tierAtRisk: tiers.has(account.id) });
      return { account, row: rows.get(account.id), intervals: h.intervals, cycle, score: r.score, reasons: r.reasons, spend: s, nps: n, openTasks: tasks.get(account.id) ?? 0 };
    });
  }

  const atRisk = (c: { score: number }) => c.score >= AT_RISK_SCORE;
  const revenueAtRisk = (c: Computed) => (atRisk(c) ? num(c.spend.trailing12m) : 0);

  async function store(tx: Tx, programId: string, c: Computed, at: Date) {
    await repo.upsertHealth(tx, {
      programId,
      accountId: c.account.id,
      purchases: c.cycle.purchases,
      lastPurchaseAt: c.cycle.lastPurchaseAt ? new Date(c.cycle.lastPurchaseAt) : null,
      intervals: c.intervals,
      status: c.cycle.status,
      score: c.score,
      reasons: c.reasons,
      spend12m: c.spend.trailing12m,
      computedAt: at,
    });
  }

  function view(c: Computed, at: Date): AccountHealthView {
    return {
      accountId: c.account.id,
      nps: c.nps,
      purchaseCycle: { ...c.cycle, intervals: c.intervals },
      churnRisk: { score: c.score, atRisk: atRisk(c), reasons: c.reasons as AccountHealthView['churnRisk']['reasons'] },
      revenueAtRisk: revenueAtRisk(c),
      spend: { last3m: num(c.spend.last3m), prev3m: num(c.spend.prev3m), trailing12m: num(c.spend.trailing12m) },
      openTasks: c.openTasks,
      npsTrend: [],
      computedAt: at.toISOString(),
    };
  }

  async function digestsIn(tx: Tx, programId: string, at: Date): Promise<HealthDigest[]> {
    const list = await computeIn(tx, programId, at);
    const byManager = new Map<string, Computed[]>();
    for (const c of list) if (c.account.managerId && c.account.status === 'active') byManager.set(c.account.managerId, [...(byManager.get(c.account.managerId) ?? []), c]);
    // The loop since the previous digest (a day ago): new detractors, and tasks past their escalation days.
    const loop = signals.loop ? await signals.loop(tx, programId, new Date(at.getTime() - DAY_MS), at) : { detractors: [], overdue: [] };
    const out: HealthDigest[] = [];
    for (const [managerId, cs] of [...byManager].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const risky = cs.filter(atRisk).sort((a, b) => b.score - a.score || (a.account.id < b.account.id ? -1 : 1));
      const openTasks = cs.reduce((n, c) => n + c.openTasks, 0);
      const names = new Map(cs.map((c) => [c.account.id, c.account.name] as const));
      const detractors = loop.detractors.filter((d) => names.has(d.accountId)).map((d) => ({ ...d, accountName: names.get(d.accountId)! }));
      const overdueTasks = loop.overdue.filter((d) => names.has(d.accountId)).map((d) => ({ ...d, accountName: names.get(d.accountId)! }));
      if (!risky.length && !openTasks && !detractors.length) continue;
      out.push({
        detractors,
        overdueTasks,
        programId,
        managerId,
        accounts: risky.map((c) => ({ accountId: c.account.id, name: c.account.name, status: c.cycle.status, score: c.score, reasons: c.reasons.map((r) => r.code), revenueAtRisk: revenueAtRisk(c) })),
        revenueAtRisk: risky.reduce((n, c) => n + revenueAtRisk(c), 0),
        openTasks,
      });
    }
    return out;
  }

  return {
    /**
     * On each purchase, in the event's transaction (the events module holds the account's lock):
     * the new interval is appended to the kept ones, or, for a purchase dated before the last one,
     * the account's intervals are re-read from its stored purchases. The account has just bought:
     * its cycle status is `ok` again and the cycle reasons leave its stored score; the daily job
     * recomputes the rest.
     */
    async onPurchaseIn(tx: Tx, ctx: RequestContext, p: { accountId: string; occurredAt: Date }): Promise<void> {
      const row = await repo.healthRowForUpdate(tx, ctx.programId, p.accountId);
      let purchases: number;
      let intervals: number[];
      let last: Date;
      if (row?.lastPurchaseAt && p.occurredAt.getTime() >= row.lastPurchaseAt.getTime()) {
        purchases = row.purchases + 1;
        intervals = [...row.intervals, Math.round(((p.occurredAt.getTime() - row.lastPurchaseAt.getTime()) / DAY_MS) * 10) / 10].slice(-MAX_INTERVALS);
        last = p.occurredAt;
      } else {
        // The first purchase kept, or one dated before the last: from the stored purchases (this one included, inserted before).
        const dates = (await repo.purchaseDates(tx, ctx.programId, [p.accountId])).get(p.accountId) ?? [p.occurredAt];
        purchases = dates.length;
        intervals = intervalsOf(dates).slice(-MAX_INTERVALS);
        last = dates[dates.length - 1];
      }
      const reasons = (row?.reasons ?? []).filter((r) => r.code !== 'lapsed' && r.code !== 'overdue');
      const late = (now().getTime() - last.getTime()) / DAY_MS > 1;
      await repo.upsertHealth(tx, {
        programId: ctx.programId,
        accountId: p.accountId,
        purchases,
        lastPurchaseAt: last,
        intervals,
        // A purchase recorded long after it happened (an import of history) leaves the status to the daily job.
        status: late ? (row?.status ?? 'ok') : 'ok',
        score: Math.min(100, reasons.reduce((n, r) => n + r.weight, 0)),
        reasons: late ? (row?.reasons ?? []) : reasons,
        spend12m: row?.spend12m ?? 0n,
        computedAt: row?.computedAt ?? now(),
      });
    },

    /** One account's health now, computed live. */
    async get(programId: string, accountRef: string): Promise<AccountHealthView> {
      return inTransaction(database, async (tx) => {
        const account = await resolveAccountIn(tx, programId, accountRef);
        const at = now();
        const [c] = await computeIn(tx, programId, at, { only: [account.id] });
        const npsTrend = signals.npsTrend ? await signals.npsTrend(tx, programId, account.id) : [];
        return { ...view(c, at), npsTrend };
      });
    },

    /** Accounts by risk (highest score first), from the latest snapshot (the daily job, or the last purchase). */
    async list(programId: string, q: HealthListQuery, scope?: { managerId: string }): Promise<{ items: HealthListItem[]; nextCursor: string | null; revenueAtRisk: number }> {
      return inTransaction(database, async (tx) => {
        const key = decodeCursor(q.cursor);
        let after: { score: number; id: string } | null = null;
        if (key) {
          const m = /^(\d{1,3}):(.+)$/.exec(key);
          if (!m) throw healthError('HEALTH_INVALID', 'The cursor is not one this server issued.', [{ path: 'query.cursor', message: 'invalid cursor' }]);
          after = { score: Number(m[1]), id: m[2] };
        }
        const managed = scope ? new Set(await managedAccountIdsIn(tx, programId, scope.managerId)) : null;
        const accounts = new Map((await repo.accountsOf(tx, programId)).map((a) => [a.id, a] as const));
        const all = (await repo.healthRows(tx, programId))
          .map((r) => ({ r, a: accounts.get(r.accountId)! }))
          .filter(({ r, a }) => a && (!managed || managed.has(a.id)) && (!q.status || r.status === q.status) && (q.minScore === undefined || r.score >= q.minScore) && (!q.segment || a.segment === q.segment) && (!q.type || a.type === q.type) && (!q.managerId || a.managerId === q.managerId))
          .sort((x, y) => y.r.score - x.r.score || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0));
        const total = all.reduce((n, { r }) => n + (r.score >= AT_RISK_SCORE ? num(r.spend12m) : 0), 0);
        const from = after ? all.filter(({ r, a }) => r.score < after.score || (r.score === after.score && a.id > after.id)) : all;
        const pageRows = from.slice(0, q.limit);
        const items: HealthListItem[] = pageRows.map(({ r, a }) => ({
          accountId: a.id,
          name: a.name,
          type: a.type,
          segment: a.segment,
          managerId: a.managerId,
          status: r.status,
          score: r.score,
          reasons: r.reasons as HealthListItem['reasons'],
          revenueAtRisk: r.score >= AT_RISK_SCORE ? num(r.spend12m) : 0,
          lastPurchaseAt: r.lastPurchaseAt?.toISOString() ?? null,
          computedAt: r.computedAt.toISOString(),
        }));
        const lastItem = items[items.length - 1];
        return { items, nextCursor: from.length > q.limit && lastItem ? encodeCursor(`${lastItem.score}:${lastItem.accountId}`) : null, revenueAtRisk: total };
      });
    },

    /** The daily job: every program's accounts recomputed from their stored purchases and signals, snapshots stored. */
    async recompute(at: Date): Promise<{ programs: number; accounts: number; atRisk: number; lapsed: number }> {
      const out = { programs: 0, accounts: 0, atRisk: 0, lapsed: 0 };
      const programs = await inTransaction(database, (tx) => repo.programIds(tx));
      for (const programId of programs) {
        await inTransaction(database, async (tx) => {
          const list = (await computeIn(tx, programId, at, { fromEvents: true })).filter((c) => c.row || c.cycle.purchases > 0 || c.score > 0);
          for (const c of list) await store(tx, programId, c, at);
          if (list.length) out.programs++;
          out.accounts += list.length;
          out.atRisk += list.filter(atRisk).length;
          out.lapsed += list.filter((c) => c.cycle.status === 'lapsed').length;
        });
      }
      return out;
    },

    /** What each account manager should hear today: their at-risk accounts (score ≥ AT_RISK_SCORE), new detractors, open and overdue tasks. */
    async digests(programId: string, at: Date): Promise<HealthDigest[]> {
      return inTransaction(database, (tx) => digestsIn(tx, programId, at));
    },

    /**
     * The daily digest (`health_digest`), one e-mail per account manager with at-risk accounts, new
     * detractors or open tasks (the overdue ones listed), queued once per manager and UTC day (the dedupe key): a second run the same day queues nothing.
     */
    async sendDigests(at: Date): Promise<{ managers: number; queued: number }> {
      const out = { managers: 0, queued: 0 };
      if (!deps.messaging) return out;
      const day = at.toISOString().slice(0, 10);
      for (const programId of await inTransaction(database, (tx) => repo.programIds(tx))) {
        await inTransaction(database, async (tx) => {
          const digests = await digestsIn(tx, programId, at);
          const users = await repo.usersByIds(tx, programId, digests.map((d) => d.managerId));
          for (const d of digests) {
            const u = users.get(d.managerId);
            if (!u) continue;
            out.managers++;
            const data = {
              manager: { id: u.id, name: u.name },
              digest: {
                date: day,
                atRisk: d.accounts.length,
                revenueAtRisk: d.revenueAtRisk,
                openTasks: d.openTasks,
                newDetractors: d.detractors.length,
                overdue: d.overdueTasks.length,
                detractors: d.detractors.map((x) => ({ accountName: x.accountName, score: x.score ?? '', role: x.role, comment: x.comment, surveyName: x.surveyName })),
                overdueTasks: d.overdueTasks.map((x) => ({ accountName: x.accountName, score: x.score ?? '', status: x.status, openDays: x.openDays, escalated: x.escalated })),
                link: `${(deps.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '')}/at-risk`,
                accounts: d.accounts.map((a) => ({ ...a, reasons: a.reasons.join(', ') })),
              },
            };
            if (await deps.messaging!.queueStaffMessage(tx, programId, { userId: u.id, to: u.email, trigger: 'health_digest', objectId: day, locale: u.locale, data })) out.queued++;
          }
        });
      }
      return out;
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
