import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { accounts, members } from './accounts.tables.js';

/**
 * The manager of the account behind an account or member named by id or `ext:<externalId>`:
 * `undefined` when the program has no such object, `null` when the account has no manager.
 * For the access check of account managers limited to their own accounts, which runs before the
 * route: one indexed read on the pool, not in a transaction (a single statement is atomic), so the
 * check costs one round trip instead of three per lookup.
 */
export async function managerOfRef(db: Db, programId: string, kind: 'account' | 'member', ref: string): Promise<string | null | undefined> {
  const external = ref.startsWith('ext:');
  const key = external ? ref.slice(4) : ref;
  if (kind === 'account') {
    const [a] = await db
      .select({ managerId: accounts.managerId })
      .from(accounts)
      .where(and(eq(accounts.programId, programId), eq(external ? accounts.externalId : accounts.id, key)));
    return a?.managerId;
  }
  const [m] = await db
    .select({ managerId: accounts.managerId })
    .from(members)
    .leftJoin(accounts, and(eq(accounts.programId, members.programId), eq(accounts.id, members.accountId)))
    .where(and(eq(members.programId, programId), eq(external ? members.externalId : members.id, key)));
  return m && (m.managerId ?? null);
}
