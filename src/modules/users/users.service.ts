import type { z } from 'zod';
import type { sessionUser, userInput, userListQuery, userPatch, userView } from '../../contracts/auth.js';
import type { ConsoleRole } from '../../contracts/permissions.js';
import { inTransaction, type Database } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { newId } from '../../lib/ids.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import type { SessionsService } from '../sessions/index.js';
import { generatePassword, hashPassword, spendVerifyTime, verifyPassword } from './password.js';
import { userError } from './users.errors.js';
import * as repo from './users.repo.js';

export type User = z.infer<typeof userView>;
export type SessionUser = z.infer<typeof sessionUser>;
export type UserInput = z.infer<typeof userInput>;
export type UserPatch = z.infer<typeof userPatch>;
type UserListQuery = z.infer<typeof userListQuery>;

/** What a request of a signed-in console user acts as. */
export type UserPrincipal = { id: string; programId: string; role: ConsoleRole; seesAllAccounts: boolean };

/** Sign-in limits: failures per e-mail and per address within the window (an office shares one address). */
export const LOGIN_LIMITS = { perEmail: 10, perIp: 30, windowMs: 15 * 60 * 1000 } as const;

/** The row as the API shows it: never the password hash. */
const toUser = (u: repo.UserRow): User => ({
  id: u.id,
  programId: u.programId,
  email: u.email,
  name: u.name,
  role: u.role,
  locale: u.locale,
  seesAllAccounts: u.seesAllAccounts,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
  disabledAt: u.disabledAt?.toISOString() ?? null,
});

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A request by a user who is not an owner (API keys and the system act as the program, with every right). */
const notOwner = (ctx: RequestContext) => ctx.role !== undefined && ctx.role !== 'owner';
const ownerRequired = () => userError('OWNER_REQUIRED', 'Only an owner may create, change or promote owners.', [{ path: 'role', message: 'owners are managed by owners' }]);

export function createUsersService(database: Database, deps: { audit: AuditService; programs: ProgramsService; sessions: SessionsService }) {
  const { audit, programs, sessions } = deps;

  return {
    /** Creates a console user; without a password one is made and answered once as `initialPassword`. */
    async createUser(ctx: RequestContext, input: UserInput): Promise<{ user: User; initialPassword?: string }> {
      if (input.role === 'owner' && notOwner(ctx)) throw ownerRequired();
      const initialPassword = input.password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(input.password ?? initialPassword!);
      const user = await inTransaction(database, async (tx) => {
        const row = await repo.insertUser(tx, {
          id: newId('usr'),
          programId: ctx.programId,
          email: normaliseEmail(input.email),
          name: input.name,
          role: input.role,
          passwordHash,
          locale: input.locale ?? null,
          seesAllAccounts: input.seesAllAccounts ?? false,
        });
        const view = toUser(row);
        await audit.record(tx, ctx, { action: 'user.created', objectType: 'user', objectId: row.id, after: view });
        return view;
      });
      return initialPassword ? { user, initialPassword } : { user };
    },

    async getUser(programId: string, id: string): Promise<User> {
      const row = await inTransaction(database, (tx) => repo.findUser(tx, programId, id));
      if (!row) throw userError('USER_NOT_FOUND', `No user "${id}" in this program.`);
      return toUser(row);
    },

    async listUsers(programId: string, q: UserListQuery): Promise<{ items: User[]; nextCursor: string | null }> {
      const rows = await inTransaction(database, (tx) => repo.listUsers(tx, programId, { role: q.role, q: q.q }, { limit: q.limit + 1, afterId: decodeCursor(q.cursor) }));
      const items = rows.slice(0, q.limit).map(toUser);
      return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1].id) : null };
    },

    /**
     * Changes a user. Disabling or a new password signs the user out everywhere. Program managers
     * may not touch owners; the last enabled owner can be neither demoted nor disabled.
     */
    async updateUser(ctx: RequestContext, id: string, patch: UserPatch): Promise<User> {
      const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
      return inTransaction(database, async (tx) => {
        const before = await repo.findUser(tx, ctx.programId, id, { forUpdate: true });
        if (!before) throw userError('USER_NOT_FOUND', `No user "${id}" in this program.`);
        if (notOwner(ctx) && (before.role === 'owner' || patch.role === 'owner')) throw ownerRequired();
        const losesOwner = before.role === 'owner' && !before.disabledAt && ((patch.role !== undefined && patch.role !== 'owner') || patch.disabled === true);
        if (losesOwner && (await repo.otherEnabledOwners(tx, ctx.programId, before.id)) === 0) {
          throw userError('LAST_OWNER', 'This is the last enabled owner of the program; make another owner first.', [{ path: patch.disabled ? 'disabled' : 'role', message: 'last owner' }]);
        }
        const { password: _password, disabled, email, ...rest } = patch;
        const changes: repo.UserChanges = { ...rest };
        if (email !== undefined) changes.email = normaliseEmail(email);
        if (passwordHash) changes.passwordHash = passwordHash;
        if (disabled === true && !before.disabledAt) changes.disabledAt = new Date();
        if (disabled === false) changes.disabledAt = null;
        const after = await repo.updateUser(tx, ctx.programId, before.id, changes);
        if (passwordHash || changes.disabledAt) await sessions.revokeSubjectIn(tx, ctx.programId, { type: 'user', id: before.id });
        // The audit shows that the password changed, never the password or its hash.
        await audit.record(tx, ctx, { action: 'user.updated', objectType: 'user', objectId: before.id, before: toUser(before), after: { ...toUser(after), ...(passwordHash ? { passwordChanged: true } : {}) } });
        return toUser(after);
      });
    },

    /**
     * Checks an e-mail and password and opens a session. Unknown e-mail, wrong password and
     * disabled user get the same 401 after the same work; too many failures for the e-mail or
     * from the address within the window get 429 before any password is checked.
     */
    async login(input: { email: string; password: string }, ip: string) {
      const email = normaliseEmail(input.email);
      const attempt = await sessions.take(
        [
          { bucket: `login:email:${email}`, max: LOGIN_LIMITS.perEmail },
          { bucket: `login:ip:${ip}`, max: LOGIN_LIMITS.perIp },
        ],
        LOGIN_LIMITS.windowMs,
      );
      if (!attempt) throw userError('RATE_LIMITED', 'Too many sign-in attempts; wait a few minutes and try again.');
      const candidates = await inTransaction(database, (tx) => repo.findEnabledByEmail(tx, email));
      let match: repo.UserRow | undefined;
      for (const c of candidates) {
        if (await verifyPassword(c.passwordHash, input.password)) {
          match = c;
          break;
        }
      }
      if (!candidates.length) await spendVerifyTime(input.password);
      if (!match) throw userError('INVALID_CREDENTIALS', 'The e-mail address or the password is wrong.');
      await sessions.giveBack(attempt);
      await sessions.clear(`login:email:${email}`);
      const session = await sessions.create(match.programId, { type: 'user', id: match.id });
      return { principal: principalOf(match), session, user: await sessionUserOf(match) };
    },

    /** The user a session acts as, or null when the user is gone or disabled. */
    async principal(programId: string, userId: string): Promise<UserPrincipal | null> {
      const row = await inTransaction(database, (tx) => repo.findUser(tx, programId, userId));
      return row && !row.disabledAt ? principalOf(row) : null;
    },

    /** The user as login and `GET /auth/me` show it, the locale falling back to the program's. */
    async sessionUser(programId: string, userId: string): Promise<SessionUser> {
      const row = await inTransaction(database, (tx) => repo.findUser(tx, programId, userId));
      if (!row) throw userError('USER_NOT_FOUND', `No user "${userId}" in this program.`);
      return sessionUserOf(row);
    },
  };

  function principalOf(u: repo.UserRow): UserPrincipal {
    return { id: u.id, programId: u.programId, role: u.role, seesAllAccounts: u.seesAllAccounts };
  }

  async function sessionUserOf(u: repo.UserRow): Promise<SessionUser> {
    const locale = u.locale ?? (await programs.getProgram(u.programId)).defaultLocale;
    return { id: u.id, email: u.email, name: u.name, role: u.role, programId: u.programId, locale, ownLocale: u.locale ?? null };
  }
}

export type UsersService = ReturnType<typeof createUsersService>;
