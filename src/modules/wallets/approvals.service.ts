import type { AdjustmentInput, AdjustmentRequestView, AdjustmentThresholdInput } from '../../contracts/wallets.js';
import { inTransaction, type Database } from '../../db/database.js';
import type { Actor, RequestContext } from '../../lib/context.js';
import { decodeTimeIdCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import type { ProgramsService } from '../programs/index.js';
import * as repo from './approvals.repo.js';
import { walletError } from './wallets.errors.js';
import type { WalletsService } from './wallets.service.js';

/** A console user's (or key's) display name, null when unknown; the console shows names, not ids. */
export type ActorName = (programId: string, actor: { type: string; id: string }) => Promise<string | null>;

const sameActor = (a: Actor, type: string, id: string) => a.type === type && a.id === id;

/**
 * Four eyes on large adjustments: above the program's threshold of a currency, an adjustment is
 * stored as a request; another person with the adjustments permission approves it (posted then,
 * through the wallets' one adjustment path) or rejects it.
 */
export function createAdjustmentApprovalsService(
  database: Database,
  deps: { wallets: WalletsService; audit: AuditService; idempotency: IdempotencyService; programs: ProgramsService; actorName?: ActorName; now?: () => Date },
) {
  const { wallets, audit, idempotency, programs } = deps;
  const now = deps.now ?? (() => new Date());

  /** Without names: built inside transactions (and stored for idempotent replay); `named` adds them after commit. */
  function view(r: repo.AdjustmentRequestRow): AdjustmentRequestView {
    return {
      id: r.id,
      accountId: r.accountId,
      memberId: r.memberId,
      currency: r.currency,
      amount: Number(r.amount),
      reason: r.reason,
      status: r.status,
      requestedBy: { type: r.requestedByType, id: r.requestedById, name: null },
      decidedBy: r.decidedByType && r.decidedById ? { type: r.decidedByType, id: r.decidedById, name: null } : null,
      decisionNote: r.decisionNote,
      transactionId: r.transactionId,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
    };
  }

  // Names are read outside any transaction: the users service opens its own (one connection on PGlite).
  async function named(programId: string, v: AdjustmentRequestView): Promise<AdjustmentRequestView> {
    if (!deps.actorName) return v;
    const name = deps.actorName;
    return {
      ...v,
      requestedBy: { ...v.requestedBy, name: await name(programId, v.requestedBy) },
      decidedBy: v.decidedBy ? { ...v.decidedBy, name: await name(programId, v.decidedBy) } : null,
    };
  }

  const auditView = (r: repo.AdjustmentRequestRow) => ({ status: r.status, accountId: r.accountId, memberId: r.memberId, currency: r.currency, amount: Number(r.amount), reason: r.reason, transactionId: r.transactionId });

  async function decideOne(ctx: RequestContext, id: string, decision: 'approved' | 'rejected', note: string | undefined) {
    const row = await inTransaction(database, async (tx) => {
      // Locked: of two concurrent approvals, the second waits, then finds the request decided (409).
      const r = await repo.findRequest(tx, ctx.programId, id, true);
      if (!r) throw walletError('ADJUSTMENT_REQUEST_NOT_FOUND', 'No such adjustment request.');
      if (r.status !== 'pending') throw walletError('ADJUSTMENT_REQUEST_NOT_PENDING', `The adjustment request is already ${r.status}.`);
      if (decision === 'approved' && sameActor(ctx.actor, r.requestedByType, r.requestedById))
        throw walletError('ADJUSTMENT_SELF_APPROVAL', 'An adjustment request needs the approval of someone other than its requester.', [{ path: 'id', message: 'requested by you' }]);
      let transactionId: string | null = null;
      if (decision === 'approved') {
        const owner = r.memberId ? { type: 'member' as const, memberId: r.memberId, accountId: r.accountId } : { type: 'account' as const, accountId: r.accountId };
        // The ledger key is the request's: whatever happens around it, the request posts at most once.
        const movement = await wallets.postAdjustmentIn(tx, ctx, owner, { currency: r.currency, amount: Number(r.amount), reason: r.reason }, `adjustment-request:${r.id}`, {
          adjustmentRequestId: r.id,
          requestedBy: { type: r.requestedByType, id: r.requestedById },
        });
        transactionId = movement.id;
      }
      const decided = await repo.decide(tx, ctx.programId, id, { status: decision, decidedByType: ctx.actor.type, decidedById: ctx.actor.id, decisionNote: note ?? null, transactionId, decidedAt: now() });
      if (!decided) throw walletError('ADJUSTMENT_REQUEST_NOT_PENDING', 'The adjustment request is no longer pending.');
      await audit.record(tx, ctx, { action: `adjustment_request.${decision}`, objectType: 'adjustment_request', objectId: id, before: auditView(r), after: { ...auditView(decided), note: note ?? null } });
      return decided;
    });
    return named(ctx.programId, view(row));
  }

  return {
    async listThresholds(programId: string) {
      const rows = await inTransaction(database, (tx) => repo.listThresholds(tx, programId));
      return { items: rows.map((r) => ({ currency: r.currency, amount: Number(r.amount), updatedAt: r.updatedAt.toISOString() })) };
    },

    async setThreshold(ctx: RequestContext, input: AdjustmentThresholdInput) {
      return inTransaction(database, async (tx) => {
        if (!(await programs.findCurrencyIn(tx, ctx.programId, input.currency)))
          throw walletError('CURRENCY_UNKNOWN', `The program has no currency "${input.currency}".`, [{ path: 'currency', message: 'unknown currency' }]);
        const { old, row } = await repo.setThreshold(tx, ctx.programId, input.currency, input.amount === null ? null : BigInt(input.amount));
        await audit.record(tx, ctx, {
          action: 'adjustment_threshold.set',
          objectType: 'currency',
          objectId: input.currency,
          before: { approvalThreshold: old ? Number(old.amount) : null },
          after: { approvalThreshold: row ? Number(row.amount) : null },
        });
        return { items: (await repo.listThresholds(tx, ctx.programId)).map((r) => ({ currency: r.currency, amount: Number(r.amount), updatedAt: r.updatedAt.toISOString() })) };
      });
    },

    /** Stores an adjustment for a second person's decision; idempotent by the request's key. */
    async request(ctx: RequestContext, input: AdjustmentInput, idempotencyKey: string) {
      const r = await inTransaction(database, (tx) =>
        idempotency.run(tx, { programId: ctx.programId, scope: 'POST /adjustment-requests', key: idempotencyKey, request: input }, async () => {
          const owner = await wallets.adjustmentOwnerIn(tx, ctx.programId, input);
          if (!(await programs.findCurrencyIn(tx, ctx.programId, input.currency)))
            throw walletError('CURRENCY_UNKNOWN', `The program has no currency "${input.currency}".`, [{ path: 'currency', message: 'unknown currency' }]);
          const row = await repo.insertRequest(tx, {
            id: newId('adr'),
            programId: ctx.programId,
            accountId: owner.accountId,
            memberId: owner.type === 'member' ? owner.memberId : null,
            currency: input.currency,
            amount: BigInt(input.amount),
            reason: input.reason,
            requestedByType: ctx.actor.type,
            requestedById: ctx.actor.id,
            // Set here, to the millisecond, so the list's cursor round-trips exactly.
            createdAt: now(),
          });
          await audit.record(tx, ctx, { action: 'adjustment_request.created', objectType: 'adjustment_request', objectId: row.id, after: auditView(row) });
          return { status: 201, body: view(row) };
        }),
      );
      return { ...r, body: await named(ctx.programId, r.body) };
    },

    async list(programId: string, q: { status?: 'pending' | 'approved' | 'rejected'; limit: number; cursor?: string }) {
      const c = decodeTimeIdCursor(q.cursor, 'createdAt');
      const rows = await inTransaction(database, (tx) => repo.listRequests(tx, programId, { status: q.status, limit: q.limit + 1, after: c ? { createdAt: new Date(c.createdAt), id: c.id } : undefined }));
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: await Promise.all(page.map((r) => named(programId, view(r)))),
        nextCursor: rows.length > q.limit && last ? encodeCursor(JSON.stringify({ createdAt: last.createdAt.toISOString(), id: last.id })) : null,
      };
    },

    async get(programId: string, id: string) {
      const r = await inTransaction(database, (tx) => repo.findRequest(tx, programId, id));
      if (!r) throw walletError('ADJUSTMENT_REQUEST_NOT_FOUND', 'No such adjustment request.');
      return named(programId, view(r));
    },

    approve: (ctx: RequestContext, id: string, note?: string) => decideOne(ctx, id, 'approved', note),
    reject: (ctx: RequestContext, id: string, note?: string) => decideOne(ctx, id, 'rejected', note),
  };
}

export type AdjustmentApprovalsService = ReturnType<typeof createAdjustmentApprovalsService>;
