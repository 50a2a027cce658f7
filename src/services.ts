import type { Database } from './db/database.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createEventsService } from './modules/events/index.js';
import { createIdempotencyService } from './modules/idempotency/index.js';
import { createImportsService } from './modules/imports/index.js';
import { createLedgerService } from './modules/ledger/index.js';
import { createPortalService } from './modules/portal/index.js';
import { createProgramsService } from './modules/programs/index.js';
import { createReportsService } from './modules/reports/index.js';
import { createRewardsService } from './modules/rewards/index.js';
import { createRulesService } from './modules/rules/index.js';
import { createSessionsService } from './modules/sessions/index.js';
import { createTiersService } from './modules/tiers/index.js';
import { createUsersService } from './modules/users/index.js';
import { createWalletsService } from './modules/wallets/index.js';
import { createWebhooksService } from './modules/webhooks/index.js';

/**
 * Composition of the domain services: each gets the database and the services it depends on.
 * `now` is the events service's clock: the time awards are credited at, from which their pending
 * and expiry dates follow. Tests fix it to replay a calendar deterministically.
 * `testEndpoints` (FEALTY_TEST_ENDPOINTS=on): the portal keeps the last one-time codes in memory for browser tests.
 */
export function createServices(database: Database, opts: { now?: () => Date; testEndpoints?: boolean; webhooksAllowPrivate?: boolean } = {}) {
  const audit = createAuditService(database);
  const programs = createProgramsService(database, { audit });
  // The outbox: the modules below emit into it in their own transactions.
  const webhooks = createWebhooksService(database, { audit, now: opts.now, allowPrivateTargets: opts.webhooksAllowPrivate });
  // Tiers read the same clock: a promotion is dated like the event's awards, an override expires on it.
  const tiers = createTiersService(database, { audit, programs, now: opts.now, emit: webhooks.emit, emitMany: webhooks.emitMany });
  const accounts = createAccountsService(database, { audit, programs, accountsInTier: tiers.accountsInTier });
  const ledger = createLedgerService(database, { programs });
  const idempotency = createIdempotencyService(database);
  // Rewards reads the same clock, so a stamp card filled by an event is dated like its stamps.
  const rewards = createRewardsService(database, { audit, programs, ledger, idempotency, now: opts.now, tierOf: tiers.tierOf, emit: webhooks.emit });
  const wallets = createWalletsService(database, { ledger, audit, idempotency, afterCredit: rewards.onStampsCredited });
  const rules = createRulesService(database, { audit, programs });
  const events = createEventsService(database, { programs, accounts, rules, ledger, now: opts.now, afterCredit: rewards.onStampsCredited, tiers, emit: webhooks.emit, emitMany: webhooks.emitMany });
  const sessions = createSessionsService(database);
  const users = createUsersService(database, { audit, programs, sessions });
  const portal = createPortalService(database, { accounts, programs, wallets, rewards, sessions, tiers, keepTestCodes: opts.testEndpoints });
  const reports = createReportsService(database);
  // File imports feed events through the same batch path as the API, and accounts and members through their service.
  const imports = createImportsService(database, { audit, programs, events, accounts });
  return { database, audit, programs, accounts, ledger, idempotency, wallets, rules, events, rewards, tiers, sessions, users, portal, reports, webhooks, imports };
}

export type Services = ReturnType<typeof createServices>;
