import type { Database } from './db/database.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createEventsService } from './modules/events/index.js';
import { createIdempotencyService } from './modules/idempotency/index.js';
import { createLedgerService } from './modules/ledger/index.js';
import { createProgramsService } from './modules/programs/index.js';
import { createRewardsService } from './modules/rewards/index.js';
import { createRulesService } from './modules/rules/index.js';
import { createWalletsService } from './modules/wallets/index.js';

/** Composition of the domain services: each gets the database and the services it depends on. */
export function createServices(database: Database) {
  const audit = createAuditService(database);
  const programs = createProgramsService(database, { audit });
  const accounts = createAccountsService(database, { audit, programs });
  const ledger = createLedgerService(database, { programs });
  const idempotency = createIdempotencyService(database);
  const wallets = createWalletsService(database, { ledger, audit, idempotency });
  const rules = createRulesService(database, { audit, programs });
  const rewards = createRewardsService(database, { audit, programs, ledger, idempotency });
  const events = createEventsService(database, { programs, accounts, rules, ledger, afterCredit: rewards.onStampsCredited });
  return { database, audit, programs, accounts, ledger, idempotency, wallets, rules, events, rewards };
}

export type Services = ReturnType<typeof createServices>;
