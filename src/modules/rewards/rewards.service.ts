import type { Database, Tx } from '../../db/database.js';
import type { AuditService } from '../audit/index.js';
import type { IdempotencyService } from '../idempotency/index.js';
import type { LedgerService } from '../ledger/index.js';
import type { ProgramsService } from '../programs/index.js';
import { createCatalogService, type OfferNotification } from './catalog/catalog.service.js';
import { createCompanyRightsService } from './company-rights/company-rights.service.js';
import { createFulfilmentService } from './fulfilment/fulfilment.service.js';
import { createPartnersService } from './partners/partners.service.js';
import { createRedemptionsService, type ApprovalNotification, type Emit, type TierOf } from './redemptions/redemptions.service.js';
import { createStampCardsService } from './stamp-cards/stamp-cards.service.js';

export type RewardsDeps = {
  audit: AuditService;
  programs: ProgramsService;
  ledger: LedgerService;
  idempotency: IdempotencyService;
  /** The account's current tier code for tier eligibility; without it no account is in a tier. */
  tierOf?: TierOf;
  /** Webhook publisher for `redemption.status_changed`; without it nothing is published. */
  emit?: Emit;
  /**
   * Messaging's `notify`: a reward published to an audience becomes a `new_offer` message to its
   * members (#12); a company-wallet redemption over its limits an `approval_needed` one to the partner admins (#14).
   */
  notify?: (tx: Tx, programId: string, ns: (OfferNotification | ApprovalNotification)[]) => Promise<unknown>;
  now?: () => Date;
};

/** The rewards module: catalog, partners, redemptions, stamp cards and fulfilment files. */
export function createRewardsService(database: Database, deps: RewardsDeps) {
  const now = deps.now ?? (() => new Date());
  const catalog = createCatalogService(database, { audit: deps.audit, programs: deps.programs, now, notify: deps.notify });
  const partners = createPartnersService(database, { audit: deps.audit });
  const companyRights = createCompanyRightsService(database, { audit: deps.audit, programs: deps.programs, now });
  const redemptions = createRedemptionsService(database, { ledger: deps.ledger, audit: deps.audit, idempotency: deps.idempotency, now, tierOf: deps.tierOf, emit: deps.emit, companyRights, notify: deps.notify });
  const stampCards = createStampCardsService(database, { audit: deps.audit, programs: deps.programs, ledger: deps.ledger, redemptions, now });
  const fulfilment = createFulfilmentService(database, { redemptions, idempotency: deps.idempotency });
  return {
    catalog,
    partners,
    redemptions,
    stampCards,
    fulfilment,
    companyRights,
    /** The hook for whoever credits stamps (the events service): turns full stamp cards into redemptions. */
    onStampsCredited: stampCards.onStampsCredited,
  };
}

export type RewardsService = ReturnType<typeof createRewardsService>;
