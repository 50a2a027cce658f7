import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { DomainError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { resolveAccountIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import type { LedgerService } from '../ledger/index.js';
import type { ProgramsService } from '../programs/index.js';
import type { AccountFundView, AllocationInput, AllocationView, FundInput, FundView } from './funds.contracts.js';
import { claimTotalsByFund } from './claims.service.js';
import { fundError } from './funds.errors.js';
import { fundAllocations, funds } from './funds.tables.js';

type FundRow = typeof funds.$inferSelect;

function toView(f: FundRow): FundView {
  return {
    id: f.id,
    name: f.name,
    currency: f.currency,
    walletCurrency: f.walletCurrency,
    period: { from: f.periodFrom.toISOString(), to: f.periodTo.toISOString() },
    budget: Number(f.budget),
    allocated: Number(f.allocated),
    unallocated: Number(f.budget - f.allocated),
    allocation: {
      mode: f.allocationMode,
      ...(f.allocationAmount !== null ? { amount: Number(f.allocationAmount) } : {}),
      ...(f.allocationPercentBp !== null ? { percentBp: f.allocationPercentBp } : {}),
    },
    reimbursement: {
      shareBp: f.shareBp,
      perManufacturer: f.perManufacturer,
      ...(f.capPerClaim !== null ? { capPerClaim: Number(f.capPerClaim) } : {}),
      ...(f.capPerAccount !== null ? { capPerAccount: Number(f.capPerAccount) } : {}),
    },
    claimDueDays: f.claimDueDays,
    createdAt: f.createdAt.toISOString(),
  };
}

async function findFund(tx: Tx, programId: string, id: string, forUpdate = false): Promise<FundRow> {
  const q = tx.select().from(funds).where(and(eq(funds.programId, programId), eq(funds.id, id)));
  const [f] = forUpdate ? await q.for('update') : await q;
  if (!f) throw fundError('FUND_NOT_FOUND', 'No such fund in this program.');
  return f;
}

/**
 * Marketing funds (MDF / co-op) on the ledger. A fund is program money held for partners: each
 * fund has a wallet currency of its own, an allocation is a ledger credit to the partner's wallet
 * in it (expiring at the end of the period through the ledger's expiry), and every balance shown
 * is read from the ledger's wallets.
 */
export function createFundsService(database: Database, deps: { ledger: LedgerService; audit: AuditService; idempotency: IdempotencyService; programs: ProgramsService }) {
  const { ledger, audit, idempotency, programs } = deps;

  return {
    async create(ctx: RequestContext, input: FundInput): Promise<FundView> {
      const from = new Date(input.period.from);
      const to = new Date(input.period.to);
      const bad: { path: string; message: string }[] = [];
      if (to <= from) bad.push({ path: 'period.to', message: 'must be after period.from' });
      if (input.allocation.mode === 'accrual' && input.allocation.percentBp === undefined) bad.push({ path: 'allocation.percentBp', message: 'required when mode is "accrual"' });
      if (input.allocation.mode === 'fixed' && input.allocation.percentBp !== undefined) bad.push({ path: 'allocation.percentBp', message: 'allowed only when mode is "accrual"' });
      if (input.reimbursement.capPerClaim !== undefined && input.reimbursement.capPerClaim > input.budget) bad.push({ path: 'reimbursement.capPerClaim', message: 'must not exceed the budget' });
      if (input.reimbursement.capPerAccount !== undefined && input.reimbursement.capPerAccount > input.budget) bad.push({ path: 'reimbursement.capPerAccount', message: 'must not exceed the budget' });
      return inTransaction(database, async (tx) => {
        const money = await programs.findCurrencyIn(tx, ctx.programId, input.currency);
        if (!money || money.kind !== 'money') bad.push({ path: 'currency', message: money ? 'must be a money currency' : 'unknown currency' });
        if (bad.length) throw fundError('FUND_INVALID', 'The fund is not valid.', bad);
        const id = newId('fund');
        const walletCurrency = id;
        await programs.createCurrencyIn(tx, ctx, { code: walletCurrency, name: `Fund: ${input.name}`, kind: 'money', moneyCurrency: money!.moneyCurrency ?? undefined });
        const [row] = await tx
          .insert(funds)
          .values({
            id,
            programId: ctx.programId,
            name: input.name,
            currency: input.currency,
            walletCurrency,
            periodFrom: from,
            periodTo: to,
            budget: BigInt(input.budget),
            allocationMode: input.allocation.mode,
            allocationAmount: input.allocation.amount !== undefined ? BigInt(input.allocation.amount) : null,
            allocationPercentBp: input.allocation.percentBp ?? null,
            shareBp: input.reimbursement.shareBp,
            perManufacturer: input.reimbursement.perManufacturer,
            capPerClaim: input.reimbursement.capPerClaim !== undefined ? BigInt(input.reimbursement.capPerClaim) : null,
            capPerAccount: input.reimbursement.capPerAccount !== undefined ? BigInt(input.reimbursement.capPerAccount) : null,
            claimDueDays: input.claimDueDays ?? null,
          })
          .returning();
        const view = toView(row);
        await audit.record(tx, ctx, { action: 'fund.created', objectType: 'fund', objectId: id, after: view });
        return view;
      });
    },

    async list(programId: string, q: { limit: number; cursor?: string }): Promise<{ items: FundView[]; nextCursor: string | null }> {
      return inTransaction(database, async (tx) => {
        const after = decodeCursor(q.cursor);
        const rows = await tx
          .select()
          .from(funds)
          .where(and(eq(funds.programId, programId), after ? gt(funds.id, after) : undefined))
          .orderBy(asc(funds.id))
          .limit(q.limit + 1);
        const items = rows.slice(0, q.limit).map(toView);
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    async get(programId: string, id: string): Promise<FundView> {
      return inTransaction(database, async (tx) => toView(await findFund(tx, programId, id)));
    },

    async allocations(programId: string, fundId: string): Promise<AllocationView[]> {
      return inTransaction(database, async (tx) => {
        const f = await findFund(tx, programId, fundId);
        const rows = await tx.select().from(fundAllocations).where(and(eq(fundAllocations.programId, programId), eq(fundAllocations.fundId, fundId))).orderBy(asc(fundAllocations.createdAt), asc(fundAllocations.id));
        return rows.map((a) => ({ id: a.id, fundId, accountId: a.accountId, amount: Number(a.amount), currency: f.currency, transactionId: a.transactionId, expiresAt: f.periodTo.toISOString(), createdAt: a.createdAt.toISOString() }));
      });
    },

    /** Credits the account's wallet in the fund's currency; the fund row's lock keeps the total within budget. */
    async allocate(ctx: RequestContext, fundId: string, input: AllocationInput, key: string) {
      return inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: `POST /funds/${fundId}/allocations`, key, request: input }, async () => {
          const f = await findFund(tx, ctx.programId, fundId, true);
          let accountId: string;
          try {
            accountId = (await resolveAccountIn(tx, ctx.programId, input.accountId)).id;
          } catch (e) {
            if (e instanceof DomainError && e.status === 404) throw fundError('FUND_ACCOUNT_UNKNOWN', e.message, [{ path: 'accountId', message: 'unknown account' }]);
            throw e;
          }
          const now = new Date();
          if (f.periodTo <= now) throw fundError('FUND_CLOSED', 'The fund’s period has ended; it takes no more allocations.');
          const amount = BigInt(input.amount);
          if (f.allocated + amount > f.budget) {
            throw fundError('FUND_OVER_BUDGET', `The allocation would exceed the fund's budget (${f.budget - f.allocated} left).`, [{ path: 'amount', message: `at most ${f.budget - f.allocated}` }]);
          }
          const id = newId('alloc');
          const result = await ledger.credit(tx, ctx, {
            idempotencyKey: `fund-allocation:${id}`,
            kind: 'earn',
            source: 'issuance',
            memo: input.memo ?? `Allocation of ${f.name}`,
            metadata: { fundId, allocationId: id },
            legs: [{ to: { type: 'account', accountId }, currency: f.walletCurrency, amount, expiresAt: f.periodTo }],
          });
          await tx.update(funds).set({ allocated: sql`${funds.allocated} + ${amount}` }).where(and(eq(funds.programId, ctx.programId), eq(funds.id, fundId)));
          const [a] = await tx.insert(fundAllocations).values({ id, programId: ctx.programId, fundId, accountId, amount, transactionId: result.transactionId }).returning();
          const body: AllocationView = { id, fundId, accountId, amount: input.amount, currency: f.currency, transactionId: result.transactionId, expiresAt: f.periodTo.toISOString(), createdAt: a.createdAt.toISOString() };
          await audit.record(tx, ctx, {
            action: 'fund.allocated',
            objectType: 'fund',
            objectId: fundId,
            before: { allocated: Number(f.allocated) },
            after: { allocated: Number(f.allocated + amount), allocation: body },
          });
          return { status: 201 as const, body };
        }),
      );
    },

    /** Per fund the account has a share of: allocated (allocations), reserved (held), available and expiry — all from the ledger. */
    async accountFunds(programId: string, accountRef: string): Promise<AccountFundView[]> {
      return inTransaction(database, async (tx) => {
        const account = await resolveAccountIn(tx, programId, accountRef);
        const totals = await tx
          .select({ fundId: fundAllocations.fundId, allocated: sql<string>`sum(${fundAllocations.amount})` })
          .from(fundAllocations)
          .where(and(eq(fundAllocations.programId, programId), eq(fundAllocations.accountId, account.id)))
          .groupBy(fundAllocations.fundId);
        if (!totals.length) return [];
        const rows = await tx.select().from(funds).where(and(eq(funds.programId, programId), inArray(funds.id, totals.map((t) => t.fundId)))).orderBy(asc(funds.id));
        const wallets = await ledger.walletsOf(tx, programId, { type: 'account', accountId: account.id });
        const claimed = await claimTotalsByFund(tx, programId, account.id);
        return rows.map((f) => {
          const w = wallets.find((x) => x.currency === f.walletCurrency);
          const allocated = BigInt(totals.find((t) => t.fundId === f.id)!.allocated);
          const available = w?.available ?? 0n;
          const reserved = w?.held ?? 0n;
          return {
            fundId: f.id,
            name: f.name,
            currency: f.currency,
            allocated: Number(allocated),
            reserved: Number(reserved),
            claimed: Number(claimed.get(f.id)?.claimed ?? 0n),
            paid: Number(claimed.get(f.id)?.paid ?? 0n),
            available: Number(available),
            expiresAt: f.periodTo.toISOString(),
          };
        });
      });
    },
  };
}

export type FundsService = ReturnType<typeof createFundsService>;
