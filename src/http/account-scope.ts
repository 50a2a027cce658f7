import { DomainError } from '../lib/domain-error.js';
import { managerOfRef } from '../modules/accounts/index.js';
import type { Services } from '../services.js';
import type { ScopeLookups } from './auth.js';

/**
 * How the access control finds the account manager behind an account, member or event reference:
 * one statement each on the pool (the member's account joined in), no transaction around it.
 */
export function scopeLookups(s: Pick<Services, 'database' | 'events'>): ScopeLookups {
  const db = s.database.db;
  return {
    managerOfAccount: (programId, ref) => managerOfRef(db, programId, 'account', ref),
    managerOfMember: (programId, ref) => managerOfRef(db, programId, 'member', ref),
    async managerOfEvent(programId, id) {
      try {
        const event = await s.events.get(programId, id);
        return (await managerOfRef(db, programId, 'account', event.accountId)) ?? null;
      } catch (err) {
        if (err instanceof DomainError && err.status === 404) return undefined;
        throw err;
      }
    },
  };
}
