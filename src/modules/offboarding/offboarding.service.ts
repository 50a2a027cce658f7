import type { OffboardingPolicy } from '../../contracts/accounts.js';
import type { Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import type { Member } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import type { LedgerResult, LedgerService } from '../ledger/index.js';
import type { ProgramsService } from '../programs/index.js';

/** What leaving did to one currency of the member's wallet. */
export type OffboardedCurrency = { currency: string; transactionId: string; available: number; pending: number };

export type OffboardingDeps = {
  audit: AuditService;
  programs: ProgramsService;
  ledger: LedgerService;
  /** The events' per-account lock (events module): no event of the account runs while the member leaves. */
  lockAccount: (tx: Tx, programId: string, accountIds: string[]) => Promise<void>;
  /** Cancels the member's open redemptions paid from their wallet (rewards module), releasing the holds; answers their ids. */
  cancelOpenRedemptions: (tx: Tx, ctx: RequestContext, memberId: string, reason: string) => Promise<string[]>;
};

const MEMO: Record<Exclude<OffboardingPolicy, 'keepUntilExpiry'>, string> = {
  moveToCompany: 'Member left: balance moved to the company wallet',
  forfeit: 'Member left: balance forfeited',
};

function summarise(results: LedgerResult[], memberId: string): OffboardedCurrency[] {
  return results.map((r) => {
    const mine = r.postings.filter((p) => p.ownerType === 'member' && p.ownerId === memberId);
    const sum = (bucket: 'available' | 'pending') => -Number(mine.filter((p) => p.bucket === bucket).reduce((s, p) => s + p.amount, 0n));
    return { currency: r.postings[0]?.currency ?? '', transactionId: r.transactionId, available: sum('available'), pending: sum('pending') };
  });
}

/**
 * Offboarding (docs/channel-programs.md "Offboarding"): when a member's status becomes `left`, in
 * the same transaction, their open redemptions are cancelled (holds released) and the program's
 * policy is applied to their personal balance on the ledger; an audit entry says what happened.
 * A member who returns keeps their history and gets no value back (a new start).
 */
export function createOffboardingService(deps: OffboardingDeps) {
  const { audit, programs, ledger } = deps;

  async function leaveIn(tx: Tx, ctx: RequestContext, before: Member, member: Member): Promise<void> {
    await deps.lockAccount(tx, ctx.programId, [member.accountId]);
    const { offboardingPolicy: policy } = await programs.getProgramIn(tx, ctx.programId);
    const cancelled = await deps.cancelOpenRedemptions(tx, ctx, member.id, 'member left');
    let moved: OffboardedCurrency[] = [];
    if (policy !== 'keepUntilExpiry') {
      // One leaving, one key: the status change before it (its updatedAt) names it, so a retried request moves nothing twice.
      const results = await ledger.offboard(tx, ctx, {
        idempotencyKey: `offboard:${member.id}:${new Date(before.updatedAt).getTime()}`,
        memo: MEMO[policy],
        metadata: { memberId: member.id, policy },
        member: { memberId: member.id, accountId: member.accountId },
        policy,
      });
      moved = summarise(results, member.id);
    }
    await audit.record(tx, ctx, { action: 'member.offboarded', objectType: 'member', objectId: member.id, after: { policy, currencies: moved, cancelledRedemptions: cancelled } });
  }

  return {
    /** The accounts module's status-change hook (wired in the composition root). */
    async onMemberStatusChangeIn(tx: Tx, ctx: RequestContext, before: Member, after: Member): Promise<void> {
      if (after.status === 'left' && before.status !== 'left') return leaveIn(tx, ctx, before, after);
      if (before.status === 'left' && after.status !== 'left') {
        // A new start: what the policy did stays done; history stays visible; nothing is moved back.
        await audit.record(tx, ctx, { action: 'member.returned', objectType: 'member', objectId: after.id, before: { status: before.status }, after: { status: after.status } });
      }
    },
  };
}

export type OffboardingService = ReturnType<typeof createOffboardingService>;
