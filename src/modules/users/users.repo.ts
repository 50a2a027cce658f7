import { and, asc, eq, gt, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../db/database.js';
import { userError } from './users.errors.js';
import { users } from './users.tables.js';

export type UserRow = typeof users.$inferSelect;
type UserInsert = typeof users.$inferInsert;
export type UserChanges = Partial<Omit<UserInsert, 'id' | 'programId' | 'createdAt' | 'updatedAt'>>;

function translate(err: unknown): never {
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'users_program_email_uq') {
    throw userError('USER_EMAIL_TAKEN', 'Another user of this program has this e-mail address.', [{ path: 'email', message: 'already taken' }]);
  }
  throw err;
}

export async function insertUser(tx: Tx, row: UserInsert): Promise<UserRow> {
  try {
    const [u] = await tx.insert(users).values(row).returning();
    return u;
  } catch (err) {
    return translate(err);
  }
}

export async function updateUser(tx: Tx, programId: string, id: string, changes: UserChanges): Promise<UserRow> {
  try {
    const [u] = await tx
      .update(users)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(users.programId, programId), eq(users.id, id)))
      .returning();
    return u;
  } catch (err) {
    return translate(err);
  }
}

export async function findUser(tx: Tx, programId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const q = tx.select().from(users).where(and(eq(users.programId, programId), eq(users.id, id)));
  const [u] = opts.forUpdate ? await q.for('update') : await q;
  return u;
}

/** Enabled users with this address in any program: an address may be a user of several programs. */
export async function findEnabledByEmail(tx: Tx, email: string): Promise<UserRow[]> {
  return tx
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt))
    .limit(10);
}

/** Other enabled owners of the program, locked: two owners demoting each other at once must not both succeed. */
export async function otherEnabledOwners(tx: Tx, programId: string, exceptId: string): Promise<number> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.programId, programId), eq(users.role, 'owner'), isNull(users.disabledAt), ne(users.id, exceptId)))
    .for('update');
  return rows.length;
}

export async function listUsers(tx: Tx, programId: string, f: { role?: UserRow['role']; q?: string }, page: { limit: number; afterId?: string }): Promise<UserRow[]> {
  const where: SQL[] = [eq(users.programId, programId)];
  if (f.role) where.push(eq(users.role, f.role));
  if (f.q) {
    const p = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(${users.name} ilike ${p} or ${users.email} ilike ${p})`);
  }
  if (page.afterId) where.push(gt(users.id, page.afterId));
  return tx
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.id))
    .limit(page.limit);
}
