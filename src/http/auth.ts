import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_BOUND, ROLE_PERMISSIONS, PERMISSIONS, type Permission } from '../contracts/permissions.js';
import type { RequestContext } from '../lib/context.js';
import type { MemberPrincipal } from '../modules/portal/index.js';
import type { ResolvedSession } from '../modules/sessions/index.js';
import type { UserPrincipal } from '../modules/users/index.js';
import { problem, sendProblem } from './problem.js';
import { routeAccess, type AccountScope, type RouteAccess } from './route-access.js';
import { clearSessionCookie, CSRF_HEADER, readSessionToken, setSessionCookie } from './session-cookie.js';

export type SessionInfo = { token: string; csrfToken: string; expiresAt: Date };

/** Who is calling: an API key (the program itself), a console user, or a portal member. */
export type Principal =
  | { type: 'key'; keyId: string; scopes: readonly Permission[] | null }
  | { type: 'user'; user: UserPrincipal; session: SessionInfo }
  | { type: 'member'; member: MemberPrincipal; session: SessionInfo };

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    principal: Principal;
    /** The route's access rule, looked up once per request by the access hook. */
    accessRule: RouteAccess | undefined;
  }
}

/**
 * The manager of the account behind a reference, for account managers limited to their own
 * accounts: `undefined` when there is no such object (the route then answers as it always does),
 * `null` when the account has no manager.
 */
export type ScopeLookups = {
  managerOfAccount(programId: string, ref: string): Promise<string | null | undefined>;
  managerOfMember(programId: string, ref: string): Promise<string | null | undefined>;
  managerOfEvent(programId: string, id: string): Promise<string | null | undefined>;
};

export type AuthDeps = {
  /** `scopes`: the key's permissions; null for an unrestricted key (the program itself). */
  authenticateKey(key: string): Promise<{ programId: string; keyId: string; scopes: readonly Permission[] | null } | null>;
  resolveSession(token: string): Promise<ResolvedSession | null>;
  userPrincipal(programId: string, id: string): Promise<UserPrincipal | null>;
  memberPrincipal(programId: string, id: string): Promise<MemberPrincipal | null>;
  scope: ScopeLookups;
};

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = (reply: FastifyReply, detail: string) => sendProblem(reply.header('www-authenticate', 'Bearer'), problem(401, 'UNAUTHENTICATED', detail));
const forbidden = (reply: FastifyReply, detail: string) => sendProblem(reply, problem(403, 'FORBIDDEN', detail));

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authentication and authorisation of every route under /api/v1, in one place. Each route's
 * need is declared in `route-access.ts`. A request carries either `Authorization: Bearer <key>`
 * (acts as the program, with the key's scopes, or every permission for an unrestricted key) or the session cookie (a console user with their
 * role, or a portal member). Cookie requests other than GET/HEAD/OPTIONS must repeat the session's
 * CSRF token in `x-csrf-token`: a cross-site form can send the cookie but cannot read the token.
 */
export function registerAccessControl(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('ctx', undefined as unknown as RequestContext);
  // Set by the hook below on every guarded request; undefined only on public routes.
  app.decorateRequest('principal');
  app.decorateRequest('accessRule');

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // No route matched: the not-found handler answers, whoever asks.
    if (!url) return;
    const access = routeAccess(request.method, url);
    if (access && 'public' in access) return;
    request.accessRule = access;

    const principal = await authenticate(request, reply);
    if (!principal) return reply;
    if (principal.type !== 'key' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, principal.session.csrfToken)) {
        return sendProblem(reply, problem(403, 'CSRF_TOKEN_INVALID', `Send the session's CSRF token (from login or GET /auth/me) in the ${CSRF_HEADER} header.`));
      }
    }
    const refusal = authorise(principal, access);
    if (refusal) return forbidden(reply, refusal);
    request.principal = principal;
    request.ctx = contextOf(request, principal);
  });

  // After validation, so the parameters and body an account manager names are known and well-formed.
  // A callback hook, not an async one: most requests have no account scope, and return at once
  // without a promise (the checkout path runs thousands of times a second).
  app.addHook('preHandler', (request, reply, done) => {
    const scope = request.ctx?.accountScope;
    const access = request.accessRule;
    if (!scope || !access || !('permission' in access)) return done();
    if (!access.scope) {
      if (ACCOUNT_BOUND.includes(access.permission)) {
        forbidden(reply, 'This route is not available to an account manager limited to their own accounts.');
        return;
      }
      return done();
    }
    checkScope(deps.scope, request, access.scope, scope.managerId).then((refusal) => {
      if (!refusal) return done();
      sendProblem(reply, refusal);
    }, done);
  });

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = header.match(/^Bearer\s+(\S+)$/i);
      const who = match ? await deps.authenticateKey(match[1]) : null;
      if (!who) {
        unauthenticated(reply, match ? 'The API key is unknown or revoked.' : 'Send an API key as "Authorization: Bearer <key>".');
        return null;
      }
      request.ctx = { programId: who.programId, actor: { type: 'key', id: who.keyId }, requestId: request.id };
      return { type: 'key', keyId: who.keyId, scopes: who.scopes };
    }
    const token = readSessionToken(request);
    const session = token ? await deps.resolveSession(token) : null;
    if (!token || !session) {
      if (token) clearSessionCookie(reply);
      unauthenticated(reply, token ? 'The session has expired; sign in again.' : 'Sign in, or send an API key as "Authorization: Bearer <key>".');
      return null;
    }
    const info: SessionInfo = { token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    const principal: Principal | null =
      session.subject.type === 'user'
        ? await deps.userPrincipal(session.programId, session.subject.id).then((user) => user && { type: 'user' as const, user, session: info })
        : await deps.memberPrincipal(session.programId, session.subject.id).then((member) => member && { type: 'member' as const, member, session: info });
    if (!principal) {
      // The user was disabled or the member left since signing in.
      clearSessionCookie(reply);
      unauthenticated(reply, 'The session is no longer valid; sign in again.');
      return null;
    }
    if (session.refreshed) setSessionCookie(reply, token, session.expiresAt);
    return principal;
  }

  function contextOf(request: FastifyRequest, p: Principal): RequestContext {
    // A scoped key acts as a program manager would, limited to its scopes: it never manages owners.
    if (p.type === 'key') return p.scopes ? { ...request.ctx, role: 'program_manager', permissions: new Set(p.scopes) } : { ...request.ctx, permissions: ALL };
    if (p.type === 'member') return { programId: p.member.programId, actor: { type: 'member', id: p.member.id }, requestId: request.id };
    const { user } = p;
    return {
      programId: user.programId,
      actor: { type: 'user', id: user.id },
      requestId: request.id,
      role: user.role,
      permissions: new Set(ROLE_PERMISSIONS[user.role]),
      ...(user.role === 'account_manager' && !user.seesAllAccounts ? { accountScope: { managerId: user.id } } : {}),
    };
  }
}

/** Why the principal may not call a route with this access rule, or null when it may. */
export function authorise(p: Principal, access: RouteAccess | undefined): string | null {
  if (!access) return p.type === 'key' && !p.scopes ? null : 'This route declares no permission, so only an unrestricted API key may call it.';
  if ('public' in access) return null;
  if ('session' in access) {
    if (p.type === 'key') return 'This route is for a signed-in browser session, not an API key.';
    if (access.session === 'user' && p.type !== 'user') return 'This route is for console users.';
    return null;
  }
  if ('portal' in access) {
    if (p.type !== 'member') return 'The partner portal is for members of partner companies.';
    if (access.partnerAdmin && !p.member.partnerAdmin) return "Only the company's partner admin may do this.";
    return null;
  }
  if (p.type === 'key') return !p.scopes || p.scopes.includes(access.permission) ? null : `The API key does not have the scope ${access.permission}.`;
  if (p.type === 'member') return 'Members use the partner portal (/api/v1/portal), not the console API.';
  return ROLE_PERMISSIONS[p.user.role].includes(access.permission) ? null : `The role ${p.user.role} does not have the permission ${access.permission}.`;
}

async function checkScope(lookups: ScopeLookups, request: FastifyRequest, scope: AccountScope, managerId: string) {
  const programId = request.ctx.programId;
  const params = (request.params ?? {}) as Record<string, string>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const mine = (m: string | null | undefined) => m === undefined || m === managerId;
  if ('list' in scope) return null;
  if ('accountParam' in scope) {
    const ref = params[scope.accountParam];
    return mine(await lookups.managerOfAccount(programId, ref)) ? null : problem(404, 'ACCOUNT_NOT_FOUND', `No account "${ref}" in this program.`);
  }
  if ('memberParam' in scope) {
    const ref = params[scope.memberParam];
    return mine(await lookups.managerOfMember(programId, ref)) ? null : problem(404, 'MEMBER_NOT_FOUND', `No member "${ref}" in this program.`);
  }
  if ('eventParam' in scope) {
    const id = params[scope.eventParam];
    return mine(await lookups.managerOfEvent(programId, id)) ? null : problem(404, 'EVENT_NOT_FOUND', `No event ${id} in this program.`);
  }
  // Body references: an unassigned wallet is refused like an unknown one, on the same field.
  const refs: [string, unknown][] =
    'walletBody' in scope
      ? [['memberId', body.memberId], ['accountId', body.accountId]]
      : [
          ['from.memberId', (body.from as Record<string, unknown> | undefined)?.memberId],
          ['from.accountId', (body.from as Record<string, unknown> | undefined)?.accountId],
          ['to.memberId', (body.to as Record<string, unknown> | undefined)?.memberId],
          ['to.accountId', (body.to as Record<string, unknown> | undefined)?.accountId],
        ];
  for (const [path, ref] of refs) {
    if (typeof ref !== 'string') continue;
    const isMember = path.endsWith('memberId');
    const manager = isMember ? await lookups.managerOfMember(programId, ref) : await lookups.managerOfAccount(programId, ref);
    if (!mine(manager)) {
      return problem(422, 'WALLET_OWNER_UNKNOWN', `No ${isMember ? 'member' : 'account'} "${ref}" in this program.`, [{ path, message: `unknown ${isMember ? 'member' : 'account'}` }]);
    }
  }
  return null;
}
