import type { z } from 'zod';
import type { stampCardInput, stampCardView } from '../../../contracts/rewards.js';
import { inTransaction, type Database, type Tx } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { DomainError } from '../../../lib/domain-error.js';
import { resolveAccountIn, resolveMemberIn } from '../../accounts/index.js';
import type { AuditService } from '../../audit/index.js';
import type { LedgerService, WalletOwner } from '../../ledger/index.js';
import type { ProgramsService } from '../../programs/index.js';
import { isActiveAt } from '../catalog/catalog.service.js';
import * as catalogRepo from '../catalog/catalog.repo.js';
import type { RedemptionsService } from '../redemptions/redemptions.service.js';
import { rewardError } from '../rewards.errors.js';
import * as repo from './stamp-cards.repo.js';

type StampCardView = z.infer<typeof stampCardView>;

const toCard = (c: repo.StampCardRow): StampCardView => ({
  currency: c.currency,
  stampsPerCard: c.stampsPerCard,
  rewardId: c.rewardId,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** Full cards turned into redemptions by one credit; a credit that fills more leaves the rest for the next one. */
export const MAX_CARDS_PER_CREDIT = 20;

export function createStampCardsService(database: Database, deps: { audit: AuditService; programs: ProgramsService; ledger: LedgerService; redemptions: RedemptionsService; now: () => Date }) {
  const { audit, programs, ledger, redemptions, now } = deps;

  async function stampsCurrency(tx: Tx, programId: string, code: string) {
    const c = await programs.findCurrencyIn(tx, programId, code);
    if (!c) throw rewardError('STAMP_CARD_NOT_FOUND', `The program has no currency "${code}".`);
    return c;
  }

  return {
    /** Defines (or redefines) the stamp card of a `stamps` currency. */
    async setCard(ctx: RequestContext, currency: string, input: z.infer<typeof stampCardInput>): Promise<StampCardView> {
      return inTransaction(database, async (tx) => {
        const c = await stampsCurrency(tx, ctx.programId, currency);
        if (c.kind !== 'stamps') throw rewardError('STAMP_CARD_INVALID', `"${currency}" is a ${c.kind} currency; stamp cards are for stamps.`, [{ path: 'params.currency', message: 'not a stamps currency' }]);
        const reward = await catalogRepo.findReward(tx, ctx.programId, input.rewardId);
        if (!reward) throw rewardError('REWARD_UNKNOWN', `No reward "${input.rewardId}" in this program.`, [{ path: 'rewardId', message: 'unknown reward' }]);
        const before = await repo.findStampCard(tx, ctx.programId, currency);
        const card = await repo.upsertStampCard(tx, { programId: ctx.programId, currency, stampsPerCard: input.stampsPerCard, rewardId: reward.id });
        await audit.record(tx, ctx, { action: before ? 'stamp_card.updated' : 'stamp_card.created', objectType: 'stamp_card', objectId: currency, before: before && toCard(before), after: toCard(card) });
        return toCard(card);
      });
    },

    async getCard(programId: string, currency: string): Promise<StampCardView> {
      return inTransaction(database, async (tx) => {
        const card = await repo.findStampCard(tx, programId, currency);
        if (!card) throw rewardError('STAMP_CARD_NOT_FOUND', `The currency "${currency}" has no stamp card.`);
        return toCard(card);
      });
    },

    async deleteCard(ctx: RequestContext, currency: string): Promise<StampCardView> {
      return inTransaction(database, async (tx) => {
        const card = await repo.deleteStampCard(tx, ctx.programId, currency);
        if (!card) throw rewardError('STAMP_CARD_NOT_FOUND', `The currency "${currency}" has no stamp card.`);
        await audit.record(tx, ctx, { action: 'stamp_card.deleted', objectType: 'stamp_card', objectId: currency, before: toCard(card) });
        return toCard(card);
      });
    },

    /**
     * Called in the transaction that credited `currency` to the owner's wallet (the events
     * service, after an event's awards are posted). Each full card becomes one redemption that
     * holds `stampsPerCard` stamps. Exactly once: the credit locked the wallet row until this
     * transaction ends, so a concurrent credit waits and then sees the stamps already held.
     * A card whose reward is inactive or sold out waits, stamps kept, for the next stamp.
     */
    async onStampsCredited(tx: Tx, ctx: RequestContext, owner: WalletOwner, currency: string): Promise<string[]> {
      const card = await repo.findStampCard(tx, ctx.programId, currency);
      if (!card) return [];
      const wallet = (await ledger.walletsOf(tx, ctx.programId, owner)).find((w) => w.currency === currency);
      // At most MAX_CARDS_PER_CREDIT cards per credit, so that one huge grant cannot hold the
      // transaction for minutes (a redemption per card); the rest wait, stamps kept, for the next stamp.
      const full = wallet ? Math.min(MAX_CARDS_PER_CREDIT, Number(wallet.available / BigInt(card.stampsPerCard))) : 0;
      if (full <= 0) return [];
      const reward = await catalogRepo.findReward(tx, ctx.programId, card.rewardId);
      if (!reward || !isActiveAt(reward, now())) return [];
      const account = await resolveAccountIn(tx, ctx.programId, owner.accountId);
      const member = owner.type === 'member' ? await resolveMemberIn(tx, ctx.programId, owner.memberId) : null;
      const sys: RequestContext = { ...ctx, actor: { type: 'system', id: 'stamp-card' } };
      const created: string[] = [];
      for (let i = 0; i < full; i++) {
        try {
          // A savepoint: a card that cannot be turned in (sold out) must not undo the event that earned the stamp.
          const row = await tx.transaction(async (sp) => {
            const fresh = (await catalogRepo.findReward(sp, ctx.programId, reward.id))!;
            return redemptions.createIn(sp, sys, { owner, account, member, reward: fresh, qty: 1, unitCost: { currency, amount: BigInt(card.stampsPerCard) }, source: 'stamp_card' });
          });
          created.push(row.id);
        } catch (err) {
          if (err instanceof DomainError && (err.code === 'OUT_OF_STOCK' || err.code === 'INSUFFICIENT_BALANCE')) break;
          throw err;
        }
      }
      return created;
    },
  };
}

export type StampCardsService = ReturnType<typeof createStampCardsService>;
