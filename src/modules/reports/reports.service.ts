import type { DashboardMonth, DashboardView } from '../../contracts/reports.js';
import { inTransaction, type Database } from '../../db/database.js';
import { safeSum } from '../../lib/json.js';
import { findAccountIn, managedAccountIdsIn, participantCounts } from '../accounts/index.js';
import { activeInEvents } from '../events/index.js';
import { activeWalletOwners, outstandingAt, outstandingDebt, systemFlowsByMonth, topEarningAccounts } from '../ledger/index.js';

const DAY = 86_400_000;

/** `2026-11` and `n` → the first instant of the month n months earlier, UTC. */
function monthStart(now: Date, monthsBack: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
}

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export type ReportsService = ReturnType<typeof createReportsService>;

/**
 * Read-only reports for the console. Each figure is an SQL aggregate read through the owning
 * module's index (ledger for value flows, events and ledger for activity, accounts for counts).
 */
export function createReportsService(database: Database, opts: { now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  return {
    /**
     * Program-wide figures. For an account manager limited to their accounts (`scope`), the top
     * list names only their accounts: the others are not theirs to see.
     */
    async dashboard(programId: string, query: { months: number }, scope?: { managerId: string }): Promise<DashboardView> {
      const at = now();
      const since30 = new Date(at.getTime() - 30 * DAY);
      const since90 = new Date(at.getTime() - 90 * DAY);
      const first = monthStart(at, query.months - 1);
      return inTransaction(database, async (tx) => {
        const onlyAccounts = scope ? new Set(await managedAccountIdsIn(tx, programId, scope.managerId)) : undefined;
        // One after the other: a transaction's connection runs one query at a time.
        const counts = await participantCounts(tx, programId);
        const ledger90 = await activeWalletOwners(tx, programId, since90);
        const events90 = await activeInEvents(tx, programId, since90);
        const ledger30 = await activeWalletOwners(tx, programId, since30);
        const events30 = await activeInEvents(tx, programId, since30);
        const flows = await systemFlowsByMonth(tx, programId, first);
        const opening = await outstandingAt(tx, programId, first);
        const top = await topEarningAccounts(tx, programId, since90, 500);
        const debt = await outstandingDebt(tx, programId);
        const union = (a: string[], b: string[]) => new Set([...a, ...b]).size;

        // Value flows: what left or entered each system wallet, month by month, per currency.
        const months: string[] = [];
        for (let i = query.months - 1; i >= 0; i--) months.push(monthKey(monthStart(at, i)));
        const currencies = new Set([...opening.keys(), ...flows.map((f) => f.currency)]);
        const out: DashboardMonth[] = [];
        for (const currency of [...currencies].sort()) {
          let outstanding = opening.get(currency) ?? 0n;
          for (const month of months) {
            const sum = (wallet: string) => flows.filter((f) => f.currency === currency && f.month === month && f.systemWallet === wallet).reduce((s, f) => s + f.amount, 0n);
            const issued = -sum('issuance');
            const adjusted = -sum('adjustment');
            const redeemed = sum('redemption');
            const expired = sum('expiry');
            outstanding += issued + adjusted - redeemed - expired;
            out.push({ month, currency, issued: safeSum(issued), adjusted: safeSum(adjusted), redeemed: safeSum(redeemed), expired: safeSum(expired), outstanding: safeSum(outstanding) });
          }
        }

        // Five per currency: points and money in minor units do not compare.
        const topAccounts: DashboardView['topAccounts'] = [];
        const perCurrency = new Map<string, number>();
        for (const t of top) {
          if (onlyAccounts && !onlyAccounts.has(t.accountId)) continue;
          if ((perCurrency.get(t.currency) ?? 0) >= 5) continue;
          perCurrency.set(t.currency, (perCurrency.get(t.currency) ?? 0) + 1);
          const account = await findAccountIn(tx, programId, t.accountId);
          if (account) topAccounts.push({ accountId: account.id, externalId: account.externalId, name: account.name, currency: t.currency, earned: safeSum(t.earned) });
        }

        return {
          generatedAt: at.toISOString(),
          accounts: { total: counts.accounts, last30: union(ledger30.accountIds, events30.accountIds), last90: union(ledger90.accountIds, events90.accountIds) },
          members: { total: counts.members, last30: union(ledger30.memberIds, events30.memberIds), last90: union(ledger90.memberIds, events90.memberIds) },
          months: out,
          topAccounts,
          debt: [...debt].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount: Number(amount) })),
        };
      });
    },
  };
}
