import { inTransaction } from '../db/database.js';
import { DomainError } from '../lib/domain-error.js';
import { findAccountIn, findMemberIn } from '../modules/accounts/index.js';
import type { Services } from '../services.js';
import type { ScopeLookups } from './auth.js';

/** How the access control finds the account manager behind an account, member or event reference. */
export function scopeLookups(s: Pick<Services, 'database' | 'events'>): ScopeLookups {
  const managerOf = (programId: string, accountId: string) =>
    inTransaction(s.database, async (tx) => (await findAccountIn(tx, programId, accountId))?.managerId);
  return {
    managerOfAccount: managerOf,
    async managerOfMember(programId, ref) {
      const member = await inTransaction(s.database, (tx) => findMemberIn(tx, programId, ref));
      return member ? ((await managerOf(programId, member.accountId)) ?? null) : undefined;
    },
    async managerOfEvent(programId, id) {
      try {
        const event = await s.events.get(programId, id);
        return (await managerOf(programId, event.accountId)) ?? null;
      } catch (err) {
        if (err instanceof DomainError && err.status === 404) return undefined;
        throw err;
      }
    },
  };
}
