import type { z } from 'zod';
import type { AdjustmentInput, entryView, TransferInput, valueMovement, walletView, WalletRefInput } from '../../contracts/wallets.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeSerialCursor, encodeCursor } from '../../lib/cursor.js';
import { DomainError } from '../../lib/domain-error.js';
import { newId } from '../../lib/ids.js';
import { resolveAccountIn, resolveMemberIn } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import { publicEntryKind, walletsByRef, type LedgerResult, type LedgerService, type WalletOwner } from '../ledger/index.js';
import * as approvals from './approvals.repo.js';
import { walletError } from './wallets.errors.js';

const abs = (v: bigint) => (v < 0n ? -v : v);

type WalletView = z.infer<typeof walletView>;
type EntryView = z.infer<typeof entryView>;
type Movement = z.infer<typeof valueMovement>;

/** The value endpoints: wallets and history of accounts and members, adjustments, transfers. */
/** Runs in the transaction of a credit, once the change is recorded (stamp cards hook in here). */
export type AfterCredit = (tx: Tx, ctx: RequestContext, owner: WalletOwner, currency: string) => Promise<unknown>;

export function createWalletsService(database: Database, deps: { ledger: LedgerService; audit: AuditService; idempotency: IdempotencyService; afterCredit?: AfterCredit }) {
  const { ledger, audit, idempotency } = deps;

  /**
   * The wallet owner named by a reference. `bodyPath` set: the reference came in a body, so an
   * unknown one is a 422 on that field; unset: it came in the URL, so it stays a 404.
   */
  async function ownerOf(tx: Tx, programId: string, r: WalletRefInput, bodyPath?: string): Promise<WalletOwner> {
    try {
      if ('memberId' in r) {
        const m = await resolveMemberIn(tx, programId, r.memberId);
        return { type: 'member', memberId: m.id, accountId: m.accountId };
      }
      const a = await resolveAccountIn(tx, programId, r.accountId);
      return { type: 'account', accountId: a.id };
    } catch (e) {
      if (bodyPath !== undefined && e instanceof DomainError && e.status === 404) {
        const field = 'memberId' in r ? 'memberId' : 'accountId';
        throw walletError('WALLET_OWNER_UNKNOWN', e.message, [{ path: `${bodyPath}${field}`, message: `unknown ${field === 'memberId' ? 'member' : 'account'}` }]);
      }
      throw e;
    }
  }

  const snapshot = async (tx: Tx, programId: string, owner: WalletOwner, currency: string) =>
    (await ledger.walletsOf(tx, programId, owner)).find((w) => w.currency === currency) ?? { available: 0n, pending: 0n, held: 0n };
  const balances = (w: { available: bigint; pending: bigint; held: bigint }) => ({ available: Number(w.available), pending: Number(w.pending), held: Number(w.held) });

  function movement(r: LedgerResult, currency: string, amount: number, memo: string | null): Movement {
    return {
      id: r.transactionId,
      kind: publicEntryKind(r.kind),
      at: r.at.toISOString(),
      currency,
      amount,
      memo,
      postings: r.postings.map((p) => ({
        wallet: p.ownerType === 'system' ? { system: p.ownerId } : p.ownerType === 'member' ? { memberId: p.ownerId } : { accountId: p.ownerId },
        bucket: p.bucket,
        amount: Number(p.amount),
      })),
    };
  }

  /** The wallet an adjustment names: a member's (checked against `accountId` when both are given) or a company's. */
  async function adjustmentOwnerIn(tx: Tx, programId: string, input: { accountId?: string; memberId?: string }): Promise<WalletOwner> {
    if (input.memberId) {
      const owner = await ownerOf(tx, programId, { memberId: input.memberId }, '');
      if (input.accountId) {
        const a = await ownerOf(tx, programId, { accountId: input.accountId }, '');
        if (a.accountId !== owner.accountId) throw walletError('WALLET_OWNER_MISMATCH', 'The member does not belong to that account.', [{ path: 'memberId', message: 'not a member of accountId' }]);
      }
      return owner;
    }
    return ownerOf(tx, programId, { accountId: input.accountId! }, '');
  }

  /** The one path of a manual adjustment onto the ledger (direct, or once approved): posted once per `ledgerKey`, audited. */
  async function postAdjustmentIn(tx: Tx, ctx: RequestContext, owner: WalletOwner, input: { currency: string; amount: number; reason: string }, ledgerKey: string, auditExtra: Record<string, unknown> = {}) {
    const before = await snapshot(tx, ctx.programId, owner, input.currency);
    const common = { idempotencyKey: ledgerKey, memo: input.reason, metadata: { reason: input.reason } };
    const result =
      input.amount > 0
        ? await ledger.credit(tx, ctx, { ...common, kind: 'adjust', source: 'adjustment', legs: [{ to: owner, currency: input.currency, amount: BigInt(input.amount) }] })
        : await ledger.debit(tx, ctx, { ...common, kind: 'adjust', from: owner, currency: input.currency, amount: BigInt(-input.amount), sink: 'adjustment' });
    const after = await snapshot(tx, ctx.programId, owner, input.currency);
    const body = movement(result, input.currency, input.amount, input.reason);
    await audit.record(tx, ctx, {
      action: 'adjustment.created',
      objectType: owner.type === 'member' ? 'member' : 'account',
      objectId: owner.type === 'member' ? owner.memberId : owner.accountId,
      before: { currency: input.currency, ...balances(before) },
      after: { currency: input.currency, ...balances(after), transactionId: result.transactionId, amount: input.amount, reason: input.reason, ...auditExtra },
    });
    if (input.amount > 0) await deps.afterCredit?.(tx, ctx, owner, input.currency);
    return body;
  }

  return {
    /** One statement on the pool (the owner, its wallets and their expiries; see walletsByRef). */
    async walletsOf(programId: string, r: WalletRefInput): Promise<WalletView[]> {
      const wallets = 'memberId' in r ? await walletsByRef(database.handle.pool, programId, 'member', r.memberId) : await walletsByRef(database.handle.pool, programId, 'account', r.accountId);
      // No such owner: the usual lookup answers the usual 404.
      if (!wallets) await inTransaction(database, (tx) => ownerOf(tx, programId, r));
      return (wallets ?? []).map((w) => ({
        currency: w.currency,
        available: Number(w.available),
        pending: Number(w.pending),
        held: Number(w.held),
        expiring: w.expiring.map((e) => ({ amount: Number(e.amount), expiresAt: e.expiresAt.toISOString() })),
      }));
    },

    async entriesOf(programId: string, r: WalletRefInput, q: { limit: number; cursor?: string; currency?: string }): Promise<{ items: EntryView[]; nextCursor: string | null }> {
      return inTransaction(database, async (tx) => {
        const owner = await ownerOf(tx, programId, r);
        const rows = await ledger.entriesOf(tx, programId, owner, { limit: q.limit + 1, beforeId: decodeSerialCursor(q.cursor), currency: q.currency });
        const items = rows.slice(0, q.limit).map((e) => ({
          id: e.id.toString(),
          transactionId: e.transactionId,
          at: e.at.toISOString(),
          currency: e.currency,
          amount: Number(e.amount),
          bucket: e.bucket,
          kind: publicEntryKind(e.kind),
          eventId: e.eventId,
          ruleId: e.ruleId,
          redemptionId: e.redemptionId,
          memo: e.memo,
        }));
        return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
      });
    },

    /**
     * A manual credit or debit, idempotent by the request's key, audited with the balance before and after.
     * Above the program's threshold for the currency it is refused: it goes through `POST /adjustment-requests`.
     */
    async adjust(ctx: RequestContext, input: AdjustmentInput, idempotencyKey: string) {
      return inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: 'POST /adjustments', key: idempotencyKey, request: input }, async () => {
          const owner = await adjustmentOwnerIn(tx, ctx.programId, input);
          const threshold = await approvals.thresholdIn(tx, ctx.programId, input.currency);
          if (threshold !== null && abs(BigInt(input.amount)) > threshold)
            throw walletError('ADJUSTMENT_APPROVAL_REQUIRED', `Above ${threshold} ${input.currency} an adjustment needs a second person's approval: send it to POST /adjustment-requests.`, [
              { path: 'amount', message: `above the approval threshold of ${threshold}` },
            ]);
          const body = await postAdjustmentIn(tx, ctx, owner, input, `adjustment:${idempotencyKey}`);
          return { status: 201, body };
        }),
      );
    },

    adjustmentOwnerIn,
    postAdjustmentIn,

    /** Company ↔ employee within one account; the key (required at every edge) makes a retry replay. */
    async transfer(ctx: RequestContext, input: TransferInput, key: string) {
      return inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: 'POST /transfers', key, request: input }, async () => {
          const from = await ownerOf(tx, ctx.programId, input.from, 'from.');
          const to = await ownerOf(tx, ctx.programId, input.to, 'to.');
          // Employee incentives (#14): a company that switched them off gets no value moved to its staff.
          if (to.type === 'member' && from.type === 'account' && !(await resolveAccountIn(tx, ctx.programId, to.accountId)).employeeIncentives) {
            throw walletError('EMPLOYEE_INCENTIVES_OFF', 'The company has switched employee incentives off: its value cannot go to its staff.', [{ path: 'to.memberId', message: 'employee incentives are off for this company' }]);
          }
          const beforeFrom = await snapshot(tx, ctx.programId, from, input.currency);
          const beforeTo = await snapshot(tx, ctx.programId, to, input.currency);
          const result = await ledger.transfer(tx, ctx, { idempotencyKey: `transfer:${key}`, from, to, currency: input.currency, amount: BigInt(input.amount), memo: input.memo ?? null });
          const afterFrom = await snapshot(tx, ctx.programId, from, input.currency);
          const afterTo = await snapshot(tx, ctx.programId, to, input.currency);
          await audit.record(tx, ctx, {
            action: 'transfer.created',
            objectType: 'account',
            objectId: from.accountId,
            before: { currency: input.currency, from: balances(beforeFrom), to: balances(beforeTo) },
            after: { currency: input.currency, from: balances(afterFrom), to: balances(afterTo), transactionId: result.transactionId, amount: input.amount, memo: input.memo ?? null },
          });
          await deps.afterCredit?.(tx, ctx, to, input.currency);
          return { status: 201, body: movement(result, input.currency, input.amount, input.memo ?? null) };
        }),
      );
    },
  };
}

export type WalletsService = ReturnType<typeof createWalletsService>;
