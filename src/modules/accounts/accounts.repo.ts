import { and, asc, eq, gt, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../db/database.js';
import { accountError } from './accounts.errors.js';
import { accounts, members } from './accounts.tables.js';

export type AccountRow = typeof accounts.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
type AccountInsert = typeof accounts.$inferInsert;
type MemberInsert = typeof members.$inferInsert;
export type AccountChanges = Partial<Omit<AccountInsert, 'id' | 'programId' | 'externalId' | 'createdAt' | 'updatedAt'>>;
export type MemberChanges = Partial<Omit<MemberInsert, 'id' | 'programId' | 'accountId' | 'externalId' | 'createdAt' | 'updatedAt'>>;

export type AccountFilter = {
  type?: string;
  segment?: string;
  region?: string;
  parentId?: string;
  managerId?: string;
  status?: AccountRow['status'];
  q?: string;
  /** A subquery of account ids (the accounts holding a tier). */
  inTier?: SQL;
};
/** `managerId`: only members of the accounts this account manager manages. */
export type MemberFilter = { accountId?: string; role?: string; status?: MemberRow['status']; q?: string; managerId?: string };
export type Page = { limit: number; afterId?: string };

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Unique and foreign-key violations are expected failures; everything else stays a 500. */
function translate(err: unknown): never {
  const code = pgErrorCode(err);
  const constraint = pgConstraint(err);
  if (code === '23505' && constraint === 'accounts_program_ext_uq') {
    throw accountError('ACCOUNT_EXTERNAL_ID_TAKEN', 'Another account of this program has this external id.', [{ path: 'externalId', message: 'already taken' }]);
  }
  if (code === '23505' && constraint === 'members_program_ext_uq') {
    throw accountError('MEMBER_EXTERNAL_ID_TAKEN', 'Another member of this program has this external id.', [{ path: 'externalId', message: 'already taken' }]);
  }
  if (code === '23503' && constraint === 'accounts_parent_fk') {
    throw accountError('PARENT_NOT_FOUND', 'The parent account does not exist.', [{ path: 'parentId', message: 'no such account in this program' }]);
  }
  throw err;
}

export async function insertAccount(tx: Tx, row: AccountInsert): Promise<AccountRow> {
  try {
    const [a] = await tx.insert(accounts).values(row).returning();
    return a;
  } catch (err) {
    return translate(err);
  }
}

export async function findAccountById(tx: Tx, programId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<AccountRow | undefined> {
  const q = tx.select().from(accounts).where(and(eq(accounts.programId, programId), eq(accounts.id, id)));
  const [a] = opts.forUpdate ? await q.for('update') : await q;
  return a;
}

export async function findAccountByExternalId(tx: Tx, programId: string, externalId: string, opts: { forUpdate?: boolean } = {}): Promise<AccountRow | undefined> {
  const q = tx.select().from(accounts).where(and(eq(accounts.programId, programId), eq(accounts.externalId, externalId)));
  const [a] = opts.forUpdate ? await q.for('update') : await q;
  return a;
}

export async function findAccountsByExternalIds(tx: Tx, programId: string, externalIds: string[]): Promise<AccountRow[]> {
  if (!externalIds.length) return [];
  return tx.select().from(accounts).where(and(eq(accounts.programId, programId), inArray(accounts.externalId, externalIds)));
}

export async function updateAccount(tx: Tx, programId: string, id: string, changes: AccountChanges): Promise<AccountRow> {
  try {
    const [a] = await tx
      .update(accounts)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(accounts.programId, programId), eq(accounts.id, id)))
      .returning();
    return a;
  } catch (err) {
    return translate(err);
  }
}

/** The account's ancestors, nearest first. UNION (not UNION ALL) ends the walk even on a corrupt loop. */
export async function ancestorIds(tx: Tx, programId: string, id: string): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${accounts} where program_id = ${programId} and id = ${id}
      union
      select a.id, a.parent_id, up.depth + 1 from ${accounts} a join up on a.id = up.parent_id
      where a.program_id = ${programId} and up.depth < 1000
    )
    select id from up where depth > 0 order by depth`);
  return rows.map((r) => r.id);
}

/**
 * Serialises changes of parents within one program until the transaction ends: two concurrent
 * moves (A under B, B under A) would each pass the cycle check on their own.
 */
export async function lockHierarchy(tx: Tx, programId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7346252, hashtext(${programId}))`);
}

/** Type, segment and region are compared case-insensitively: "North" and "north" are one region. */
const sameText = (column: AnyColumn, value: string) => sql`lower(${column}) = lower(${value})`;

function accountWhere(programId: string, f: AccountFilter): SQL[] {
  const where: SQL[] = [eq(accounts.programId, programId)];
  if (f.type) where.push(sameText(accounts.type, f.type));
  if (f.segment) where.push(sameText(accounts.segment, f.segment));
  if (f.region) where.push(sameText(accounts.region, f.region));
  if (f.parentId) where.push(eq(accounts.parentId, f.parentId));
  if (f.managerId) where.push(eq(accounts.managerId, f.managerId));
  if (f.status) where.push(eq(accounts.status, f.status));
  if (f.inTier) where.push(sql`${accounts.id} in (${f.inTier})`);
  if (f.q) {
    const p = contains(f.q);
    where.push(sql`(${accounts.name} ilike ${p} or ${accounts.externalId} ilike ${p})`);
  }
  return where;
}

export async function listAccounts(tx: Tx, programId: string, f: AccountFilter, page: Page): Promise<AccountRow[]> {
  const where = accountWhere(programId, f);
  if (page.afterId) where.push(gt(accounts.id, page.afterId));
  return tx
    .select()
    .from(accounts)
    .where(and(...where))
    .orderBy(asc(accounts.id))
    .limit(page.limit);
}

/** How many accounts match the filters, all pages together. */
export async function countAccounts(tx: Tx, programId: string, f: AccountFilter): Promise<number> {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(accounts).where(and(...accountWhere(programId, f)));
  return Number(r.n);
}

export type Facet = { value: string; count: number };

/**
 * The distinct types, segments and regions of the program's accounts (of one account manager's
 * accounts with `managerId`), with how many accounts have each, most used first. Values that differ
 * only by case are one entry, spelled as most of the accounts spell it.
 */
export async function accountFacets(tx: Tx, programId: string, managerId?: string): Promise<{ types: Facet[]; segments: Facet[]; regions: Facet[] }> {
  const facet = async (column: 'type' | 'segment' | 'region'): Promise<Facet[]> => {
    const { rows } = await tx.execute<{ value: string; count: number }>(sql`
      select mode() within group (order by ${sql.identifier(column)}) as value, count(*)::int as count
      from ${accounts}
      where program_id = ${programId} and ${sql.identifier(column)} is not null ${managerId ? sql`and manager_id = ${managerId}` : sql``}
      group by lower(${sql.identifier(column)})
      order by count(*) desc, lower(${sql.identifier(column)})
      limit 500`);
    return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  };
  return { types: await facet('type'), segments: await facet('segment'), regions: await facet('region') };
}

export async function insertMember(tx: Tx, row: MemberInsert): Promise<MemberRow> {
  try {
    const [m] = await tx.insert(members).values(row).returning();
    return m;
  } catch (err) {
    return translate(err);
  }
}

export async function findMemberById(tx: Tx, programId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<MemberRow | undefined> {
  const q = tx.select().from(members).where(and(eq(members.programId, programId), eq(members.id, id)));
  const [m] = opts.forUpdate ? await q.for('update') : await q;
  return m;
}

export async function findMemberByExternalId(tx: Tx, programId: string, externalId: string, opts: { forUpdate?: boolean } = {}): Promise<MemberRow | undefined> {
  const q = tx.select().from(members).where(and(eq(members.programId, programId), eq(members.externalId, externalId)));
  const [m] = opts.forUpdate ? await q.for('update') : await q;
  return m;
}

export async function findMembersByExternalIds(tx: Tx, programId: string, externalIds: string[]): Promise<MemberRow[]> {
  if (!externalIds.length) return [];
  return tx.select().from(members).where(and(eq(members.programId, programId), inArray(members.externalId, externalIds)));
}

export async function updateMember(tx: Tx, programId: string, id: string, changes: MemberChanges): Promise<MemberRow> {
  const [m] = await tx
    .update(members)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(members.programId, programId), eq(members.id, id)))
    .returning();
  return m;
}

export async function listMembers(tx: Tx, programId: string, f: MemberFilter, page: Page): Promise<MemberRow[]> {
  const where: SQL[] = [eq(members.programId, programId)];
  if (f.accountId) where.push(eq(members.accountId, f.accountId));
  if (f.managerId) {
    where.push(inArray(members.accountId, tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.programId, programId), eq(accounts.managerId, f.managerId)))));
  }
  if (f.role) where.push(eq(members.role, f.role));
  if (f.status) where.push(eq(members.status, f.status));
  if (f.q) {
    const p = contains(f.q);
    where.push(sql`(${members.name} ilike ${p} or ${members.externalId} ilike ${p} or ${members.email} ilike ${p})`);
  }
  if (page.afterId) where.push(gt(members.id, page.afterId));
  return tx
    .select()
    .from(members)
    .where(and(...where))
    .orderBy(asc(members.id))
    .limit(page.limit);
}

export async function accountIdsManagedBy(tx: Tx, programId: string, managerId: string): Promise<string[]> {
  const rows = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.programId, programId), eq(accounts.managerId, managerId)));
  return rows.map((r) => r.id);
}

/**
 * Active members reachable at an e-mail address (compared lower-case) or an E.164 phone number,
 * newest first: of one program, or of every program when `programId` is absent (the partner
 * portal's sign-in). Both are served by an index: `members_email_idx`, `members_phone_idx`.
 */
export async function findActiveMembersByContact(tx: Tx, contact: { email: string } | { phone: string }, programId?: string): Promise<MemberRow[]> {
  const match = 'email' in contact ? sql`lower(${members.email}) = ${contact.email.trim().toLowerCase()}` : eq(members.phone, contact.phone);
  return tx
    .select()
    .from(members)
    .where(and(match, eq(members.status, 'active'), programId === undefined ? undefined : eq(members.programId, programId)))
    .orderBy(sql`${members.createdAt} desc`, sql`${members.id} desc`)
    .limit(50);
}

/** Every account of the program with what places it in the hierarchy and in a target (the volume rebates read). */
export async function accountTree(tx: Tx, programId: string): Promise<{ id: string; externalId: string; name: string; type: string; segment: string | null; parentId: string | null }[]> {
  return tx
    .select({ id: accounts.id, externalId: accounts.externalId, name: accounts.name, type: accounts.type, segment: accounts.segment, parentId: accounts.parentId })
    .from(accounts)
    .where(eq(accounts.programId, programId));
}

/** Rights inside a company (#14): the active partner admins of an account, who decide its company-wallet approvals. */
export async function partnerAdminIds(tx: Tx, programId: string, accountId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.programId, programId), eq(members.accountId, accountId), eq(members.partnerAdmin, true), eq(members.status, 'active')))
    .orderBy(members.id);
  return rows.map((r) => r.id);
}

/** Bulk grants (#14): who a grant may reach, one row per account or per member with its account's fields, in external-id order. */
export type AudienceRow = {
  id: string;
  externalId: string;
  accountId: string;
  accountExternalId: string;
  type: string;
  segment: string | null;
  region: string | null;
  accountStatus: string;
  employeeIncentives: boolean;
  accountAttributes: Record<string, unknown>;
  role: string | null;
  memberStatus: string | null;
  memberAttributes: Record<string, unknown> | null;
};

export async function grantAudience(tx: Tx, programId: string, recipients: 'accounts' | 'members', withAttributes: boolean): Promise<AudienceRow[]> {
  const attrs = withAttributes ? sql`a.attributes` : sql`'{}'::jsonb`;
  const res =
    recipients === 'accounts'
      ? await tx.execute(sql`
          select a.id, a.external_id, a.id as account_id, a.external_id as account_external_id, a.type, a.segment, a.region, a.status as account_status,
            a.employee_incentives, ${attrs} as account_attributes, null as role, null as member_status, null as member_attributes
          from accounts a where a.program_id = ${programId} order by a.external_id`)
      : await tx.execute(sql`
          select m.id, m.external_id, a.id as account_id, a.external_id as account_external_id, a.type, a.segment, a.region, a.status as account_status,
            a.employee_incentives, ${attrs} as account_attributes, m.role, m.status as member_status, ${withAttributes ? sql`m.attributes` : sql`'{}'::jsonb`} as member_attributes
          from members m join accounts a on a.program_id = m.program_id and a.id = m.account_id
          where m.program_id = ${programId} order by m.external_id`);
  return res.rows.map((r) => ({
    id: String(r.id),
    externalId: String(r.external_id),
    accountId: String(r.account_id),
    accountExternalId: String(r.account_external_id),
    type: String(r.type),
    segment: r.segment == null ? null : String(r.segment),
    region: r.region == null ? null : String(r.region),
    accountStatus: String(r.account_status),
    employeeIncentives: r.employee_incentives === true || r.employee_incentives === 't',
    accountAttributes: (r.account_attributes ?? {}) as Record<string, unknown>,
    role: r.role == null ? null : String(r.role),
    memberStatus: r.member_status == null ? null : String(r.member_status),
    memberAttributes: (r.member_attributes ?? null) as Record<string, unknown> | null,
  }));
}
