import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { account, AccountFacets, AccountInput, AccountListQuery, AccountPatch, member, MemberInput, MemberListQuery, MemberPatch } from '../../contracts/accounts.js';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import { accountError } from './accounts.errors.js';
import { toE164 } from './accounts.phone.js';
import * as repo from './accounts.repo.js';

export type Account = z.infer<typeof account>;
export type Member = z.infer<typeof member>;
export type Page<T> = { items: T[]; nextCursor: string | null };
/** Narrows lists to the accounts of one account manager (`accounts.managerId`). */
export type AccountScope = { managerId: string };

const toAccount = (a: repo.AccountRow): Account => ({
  id: a.id,
  externalId: a.externalId,
  name: a.name,
  type: a.type,
  parentId: a.parentId,
  segment: a.segment,
  region: a.region,
  managerId: a.managerId,
  status: a.status,
  employeeIncentives: a.employeeIncentives,
  attributes: a.attributes,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

const toMember = (m: repo.MemberRow): Member => ({
  id: m.id,
  accountId: m.accountId,
  externalId: m.externalId,
  name: m.name,
  role: m.role,
  email: m.email,
  phone: m.phone,
  locale: m.locale,
  channels: m.channels,
  consent: m.consent,
  status: m.status,
  partnerAdmin: m.partnerAdmin,
  attributes: m.attributes,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

/** `ext:<externalId>` addresses an object by the integrator's id; anything else is a server id. */
const EXT = 'ext:';

function findAccountRow(tx: Tx, programId: string, ref: string, opts: { forUpdate?: boolean } = {}) {
  return ref.startsWith(EXT) ? repo.findAccountByExternalId(tx, programId, ref.slice(EXT.length), opts) : repo.findAccountById(tx, programId, ref, opts);
}

function findMemberRow(tx: Tx, programId: string, ref: string, opts: { forUpdate?: boolean } = {}) {
  return ref.startsWith(EXT) ? repo.findMemberByExternalId(tx, programId, ref.slice(EXT.length), opts) : repo.findMemberById(tx, programId, ref, opts);
}

async function accountRowOr404(tx: Tx, programId: string, ref: string, opts: { forUpdate?: boolean } = {}) {
  const a = await findAccountRow(tx, programId, ref, opts);
  if (!a) throw accountError('ACCOUNT_NOT_FOUND', `No account "${ref}" in this program.`);
  return a;
}

async function memberRowOr404(tx: Tx, programId: string, ref: string, opts: { forUpdate?: boolean } = {}) {
  const m = await findMemberRow(tx, programId, ref, opts);
  if (!m) throw accountError('MEMBER_NOT_FOUND', `No member "${ref}" in this program.`);
  return m;
}

/** An account of the program by id or `ext:<externalId>`, in the caller's transaction; undefined when there is none. */
export async function findAccountIn(tx: Tx, programId: string, ref: string): Promise<Account | undefined> {
  const a = await findAccountRow(tx, programId, ref);
  return a && toAccount(a);
}

/** Like findAccountIn, but an unknown account is the 404 domain error `ACCOUNT_NOT_FOUND`. */
export async function resolveAccountIn(tx: Tx, programId: string, ref: string): Promise<Account> {
  return toAccount(await accountRowOr404(tx, programId, ref));
}

/** A member of the program by id or `ext:<externalId>`, in the caller's transaction; undefined when there is none. */
export async function findMemberIn(tx: Tx, programId: string, ref: string): Promise<Member | undefined> {
  const m = await findMemberRow(tx, programId, ref);
  return m && toMember(m);
}

/** Rights inside a company (#14): the active partner admins of an account. */
export async function partnerAdminIdsIn(tx: Tx, programId: string, accountId: string): Promise<string[]> {
  return repo.partnerAdminIds(tx, programId, accountId);
}

/** Accounts of the program by their external ids, in one query (file imports look up a chunk at once). */
export async function findAccountsByExternalIdIn(tx: Tx, programId: string, externalIds: string[]): Promise<Map<string, Account>> {
  return new Map((await repo.findAccountsByExternalIds(tx, programId, externalIds)).map((a) => [a.externalId, toAccount(a)]));
}

/** Members of the program by their external ids, in one query. */
export async function findMembersByExternalIdIn(tx: Tx, programId: string, externalIds: string[]): Promise<Map<string, Member>> {
  return new Map((await repo.findMembersByExternalIds(tx, programId, externalIds)).map((m) => [m.externalId, toMember(m)]));
}

/**
 * Active members at this e-mail address or E.164 phone number (portal sign-in), newest first:
 * of one program when `programId` is given, else of every program (the person then chooses).
 */
export async function findActiveMembersByContactIn(tx: Tx, contact: { email: string } | { phone: string }, programId?: string): Promise<(Member & { programId: string })[]> {
  return (await repo.findActiveMembersByContact(tx, contact, programId)).map((m) => ({ ...toMember(m), programId: m.programId }));
}

/** Ids of the accounts an account manager manages, in the caller's transaction. */
export async function managedAccountIdsIn(tx: Tx, programId: string, managerId: string): Promise<string[]> {
  return repo.accountIdsManagedBy(tx, programId, managerId);
}

/** Like findMemberIn, but an unknown member is the 404 domain error `MEMBER_NOT_FOUND`. */
/** Every account of the program: id, externalId, name, type, segment and parent (for hierarchy roll-ups). */
export async function accountTreeIn(tx: Tx, programId: string) {
  return repo.accountTree(tx, programId);
}

export async function resolveMemberIn(tx: Tx, programId: string, ref: string): Promise<Member> {
  return toMember(await memberRowOr404(tx, programId, ref));
}

function pageOf<R extends { id: string }, T>(rows: R[], limit: number, view: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(view), nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
}

const parentNotFound = () => accountError('PARENT_NOT_FOUND', 'The parent account does not exist in this program.', [{ path: 'parentId', message: 'no such account in this program' }]);

/** The ids of the accounts holding a tier, as a subquery (the tiers module's answer, wired in the composition root). */
export type AccountsInTier = (programId: string, tier: string) => SQL;

/** Called in the transaction of a member's status change, after it is written (offboarding, #14). */
export type OnMemberStatusChange = (tx: Tx, ctx: RequestContext, before: Member, after: Member) => Promise<void>;

export function createAccountsService(database: Database, deps: { audit: AuditService; programs: ProgramsService; accountsInTier?: AccountsInTier; onMemberStatusChange?: OnMemberStatusChange }) {
  const { audit, programs } = deps;

  async function checkRole(tx: Tx, programId: string, role: string): Promise<void> {
    if (!(await programs.roleExistsIn(tx, programId, role))) {
      throw accountError('ROLE_UNKNOWN', `The program has no role "${role}".`, [{ path: 'role', message: 'not a role of this program' }]);
    }
  }

  async function createAccountIn(tx: Tx, ctx: RequestContext, input: AccountInput): Promise<Account> {
    let parentId: string | null = null;
    if (input.parentId !== undefined) {
      const parent = await findAccountRow(tx, ctx.programId, input.parentId);
      if (!parent) throw parentNotFound();
      parentId = parent.id;
    }
    const row = await repo.insertAccount(tx, {
      id: newId('acc'),
      programId: ctx.programId,
      externalId: input.externalId,
      name: input.name,
      type: input.type,
      parentId,
      segment: input.segment ?? null,
      region: input.region ?? null,
      managerId: input.managerId ?? null,
      status: input.status ?? 'active',
      employeeIncentives: input.employeeIncentives ?? true,
      attributes: input.attributes ?? {},
    });
    const after = toAccount(row);
    await audit.record(tx, ctx, { action: 'account.created', objectType: 'account', objectId: row.id, after });
    return after;
  }

  async function updateAccountIn(tx: Tx, ctx: RequestContext, ref: string, patch: AccountPatch): Promise<Account> {
    const moving = patch.parentId !== undefined && patch.parentId !== null;
    // The hierarchy lock comes before the row lock, always in this order, so two moves cannot deadlock.
    if (moving) await repo.lockHierarchy(tx, ctx.programId);
    const before = await accountRowOr404(tx, ctx.programId, ref, { forUpdate: true });
    if (Object.keys(patch).length === 0) return toAccount(before);

    const { parentId: parentRef, ...rest } = patch;
    const changes: repo.AccountChanges = { ...rest };
    if (parentRef === null) changes.parentId = null;
    if (parentRef !== undefined && parentRef !== null) {
      const parent = await findAccountRow(tx, ctx.programId, parentRef);
      if (!parent) throw parentNotFound();
      if (parent.id === before.id || (await repo.ancestorIds(tx, ctx.programId, parent.id)).includes(before.id)) {
        throw accountError('PARENT_CYCLE', 'An account cannot be placed under itself or under one of its own descendants.', [
          { path: 'parentId', message: 'would make a cycle in the account hierarchy' },
        ]);
      }
      changes.parentId = parent.id;
    }

    const after = await repo.updateAccount(tx, ctx.programId, before.id, changes);
    await audit.record(tx, ctx, { action: 'account.updated', objectType: 'account', objectId: before.id, before: toAccount(before), after: toAccount(after) });
    return toAccount(after);
  }

  /** Every phone number is stored in E.164, read in the program's phone country when written without one. */
  async function phoneOf(tx: Tx, programId: string, text: string): Promise<string> {
    const { phoneCountry } = await programs.getProgramIn(tx, programId);
    const parsed = toE164(text, phoneCountry);
    if (!parsed.ok) throw accountError('PHONE_INVALID', `The phone number "${text}" ${parsed.message}.`, [{ path: 'phone', message: parsed.message }]);
    return parsed.e164;
  }

  async function createMemberIn(tx: Tx, ctx: RequestContext, accountRef: string, input: MemberInput): Promise<Member> {
    const acc = await accountRowOr404(tx, ctx.programId, accountRef);
    if (acc.status === 'closed') throw accountError('ACCOUNT_CLOSED', 'The account is closed; it takes no new members.');
    await checkRole(tx, ctx.programId, input.role);
    const phone = input.phone === undefined ? null : await phoneOf(tx, ctx.programId, input.phone);
    const row = await repo.insertMember(tx, {
      id: newId('mbr'),
      programId: ctx.programId,
      accountId: acc.id,
      externalId: input.externalId,
      name: input.name,
      role: input.role,
      email: input.email ?? null,
      phone,
      locale: input.locale ?? null,
      channels: input.channels ?? [],
      consent: input.consent ?? {},
      partnerAdmin: input.partnerAdmin ?? false,
      attributes: input.attributes ?? {},
    });
    const after = toMember(row);
    await audit.record(tx, ctx, { action: 'member.created', objectType: 'member', objectId: row.id, after });
    return after;
  }

  async function updateMemberIn(tx: Tx, ctx: RequestContext, ref: string, patch: MemberPatch): Promise<Member> {
    const before = await memberRowOr404(tx, ctx.programId, ref, { forUpdate: true });
    if (Object.keys(patch).length === 0) return toMember(before);
    if (patch.role !== undefined) await checkRole(tx, ctx.programId, patch.role);
    const changes: repo.MemberChanges = { ...patch };
    if (typeof patch.phone === 'string') changes.phone = await phoneOf(tx, ctx.programId, patch.phone);
    // A file import sends a row's every field: the same number written another way is no change.
    if (changes.phone === before.phone) delete changes.phone;
    if (Object.keys(changes).length === 0) return toMember(before);
    const after = await repo.updateMember(tx, ctx.programId, before.id, changes);
    await audit.record(tx, ctx, { action: 'member.updated', objectType: 'member', objectId: before.id, before: toMember(before), after: toMember(after) });
    // The row is locked FOR UPDATE above: a second `left` sees the first and changes nothing.
    if (after.status !== before.status && deps.onMemberStatusChange) await deps.onMemberStatusChange(tx, ctx, toMember(before), toMember(after));
    return toMember(after);
  }

  return {
    findAccountIn,
    /** In the caller's transaction (file imports update and add in bulk): */
    updateAccountIn,
    createMemberIn,
    updateMemberIn,
    resolveAccountIn,
    findMemberIn,
    resolveMemberIn,

    /** Creates an account in the caller's transaction (events use it when `autoCreateAccounts` is on). */
    createAccountIn,

    async createAccount(ctx: RequestContext, input: AccountInput): Promise<Account> {
      return inTransaction(database, (tx) => createAccountIn(tx, ctx, input));
    },

    async getAccount(programId: string, ref: string): Promise<Account> {
      return inTransaction(database, (tx) => resolveAccountIn(tx, programId, ref));
    },

    /** `scope`: an account manager limited to their own accounts sees only those, whatever the filters say. */
    async listAccounts(programId: string, q: AccountListQuery, scope?: AccountScope): Promise<Page<Account> & { total: number }> {
      // Without the tiers module no account holds a tier: a tier filter matches nothing.
      if (q.tier !== undefined && !deps.accountsInTier) return { items: [], nextCursor: null, total: 0 };
      if (scope) q = { ...q, managerId: scope.managerId };
      const afterId = decodeCursor(q.cursor);
      return inTransaction(database, async (tx) => {
        let parentId: string | undefined;
        if (q.parentId !== undefined) {
          const parent = await findAccountRow(tx, programId, q.parentId);
          // An unknown parent has no children: an empty page, not an error, like any other filter.
          if (!parent) return { items: [], nextCursor: null, total: 0 };
          parentId = parent.id;
        }
        const { type, segment, region, managerId, status, q: text } = q;
        const inTier = q.tier !== undefined && deps.accountsInTier ? deps.accountsInTier(programId, q.tier) : undefined;
        const filter = { type, segment, region, managerId, status, q: text, parentId, inTier };
        const rows = await repo.listAccounts(tx, programId, filter, { limit: q.limit + 1, afterId });
        return { ...pageOf(rows, q.limit, toAccount), total: await repo.countAccounts(tx, programId, filter) };
      });
    },

    /** The types, segments and regions in use, for the console's filter pickers. */
    async accountFacets(programId: string, scope?: AccountScope): Promise<AccountFacets> {
      return inTransaction(database, (tx) => repo.accountFacets(tx, programId, scope?.managerId));
    },

    async updateAccount(ctx: RequestContext, ref: string, patch: AccountPatch): Promise<Account> {
      return inTransaction(database, (tx) => updateAccountIn(tx, ctx, ref, patch));
    },

    async createMember(ctx: RequestContext, accountRef: string, input: MemberInput): Promise<Member> {
      return inTransaction(database, (tx) => createMemberIn(tx, ctx, accountRef, input));
    },

    async getMember(programId: string, ref: string): Promise<Member> {
      return inTransaction(database, (tx) => resolveMemberIn(tx, programId, ref));
    },

    /** Members of the program; `accountId` (id or `ext:`) narrows to one account, an unknown one matches nothing. */
    async listMembers(programId: string, q: MemberListQuery, scope?: AccountScope): Promise<Page<Member>> {
      const afterId = decodeCursor(q.cursor);
      return inTransaction(database, async (tx) => {
        let accountId: string | undefined;
        if (q.accountId !== undefined) {
          const acc = await findAccountRow(tx, programId, q.accountId);
          if (!acc) return { items: [], nextCursor: null };
          accountId = acc.id;
        }
        const rows = await repo.listMembers(tx, programId, { accountId, role: q.role, status: q.status, q: q.q, managerId: scope?.managerId }, { limit: q.limit + 1, afterId });
        return pageOf(rows, q.limit, toMember);
      });
    },

    /** Members of one account; unlike the `accountId` filter, an unknown account in the path is a 404. */
    async listAccountMembers(programId: string, accountRef: string, q: Omit<MemberListQuery, 'accountId'>): Promise<Page<Member>> {
      const afterId = decodeCursor(q.cursor);
      return inTransaction(database, async (tx) => {
        const acc = await accountRowOr404(tx, programId, accountRef);
        const rows = await repo.listMembers(tx, programId, { accountId: acc.id, role: q.role, status: q.status, q: q.q }, { limit: q.limit + 1, afterId });
        return pageOf(rows, q.limit, toMember);
      });
    },

    async updateMember(ctx: RequestContext, ref: string, patch: MemberPatch): Promise<Member> {
      return inTransaction(database, (tx) => updateMemberIn(tx, ctx, ref, patch));
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

/** Bulk grants (#14): every account, or every member with its account's fields, that a grant's selection is matched against. */
export async function grantAudienceIn(tx: Tx, programId: string, recipients: 'accounts' | 'members', withAttributes: boolean): Promise<repo.AudienceRow[]> {
  return repo.grantAudience(tx, programId, recipients, withAttributes);
}
