import type { Database } from './db/database.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createProgramsService } from './modules/programs/index.js';

/** Composition of the domain services: each gets the database and the services it depends on. */
export function createServices(database: Database) {
  const audit = createAuditService(database);
  const programs = createProgramsService(database, { audit });
  const accounts = createAccountsService(database, { audit, programs });
  return { database, audit, programs, accounts };
}

export type Services = ReturnType<typeof createServices>;
