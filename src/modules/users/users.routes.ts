import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loginInput, sessionAnswer, userInput, userListQuery, userPatch, userView } from '../../contracts/auth.js';
import { page, problem } from '../../contracts/common.js';
import { ROLE_PERMISSIONS } from '../../contracts/permissions.js';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import type { SessionsService } from '../sessions/index.js';
import { userError } from './users.errors.js';
import type { UsersService } from './users.service.js';

const params = z.object({ userId: z.string().min(1).max(100) }).strict();
const errors = { 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

/** Console sign-in (`/auth/*`) and user management (`/users`). Access rules: src/http/route-access.ts. */
export function userRoutes(users: UsersService, sessions: SessionsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Console sign-in: sets the fealty_session cookie and answers the user and the CSRF token',
          security: [],
          body: loginInput,
          response: { 200: sessionAnswer, 401: problem, 422: problem, 429: problem },
        },
      },
      async (req, reply) => {
        const { principal, session, user } = await users.login(req.body, req.ip);
        setSessionCookie(reply, session.token, session.expiresAt);
        return { user, csrfToken: session.csrfToken, permissions: [...ROLE_PERMISSIONS[principal.role]], seesAllAccounts: principal.seesAllAccounts };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears the cookie (console or portal)', response: { 204: z.null(), 401: problem, 403: problem } } },
      async (req, reply) => {
        if (req.principal.type !== 'key') await sessions.revoke(req.principal.session.token);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in console user and the CSRF token; 401 when not signed in', response: { 200: sessionAnswer, 401: problem } } }, async (req) => {
      const p = req.principal;
      if (p.type !== 'user') throw userError('USER_NOT_FOUND', 'Not a console session.');
      return { user: await users.sessionUser(p.user.programId, p.user.id), csrfToken: p.session.csrfToken, permissions: [...ROLE_PERMISSIONS[p.user.role]], seesAllAccounts: p.user.seesAllAccounts };
    });

    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a console user; without a password one is made and shown once as initialPassword',
          body: userInput,
          response: { 201: userView.extend({ initialPassword: z.string().optional() }), ...errors },
        },
      },
      async (req, reply) => {
        const { user, initialPassword } = await users.createUser(req.ctx, req.body);
        return reply.status(201).send(initialPassword ? { ...user, initialPassword } : user);
      },
    );
    app.get('/users', { schema: { tags: ['users'], summary: 'List console users', querystring: userListQuery, response: { 200: page(userView) } } }, async (req) =>
      users.listUsers(req.ctx.programId, req.query),
    );
    app.get('/users/:userId', { schema: { tags: ['users'], summary: 'Read a console user', params, response: { 200: userView, 404: problem } } }, async (req) =>
      users.getUser(req.ctx.programId, req.params.userId),
    );
    app.patch(
      '/users/:userId',
      { schema: { tags: ['users'], summary: 'Change a user: name, role, locale, password, disabled (only the fields sent change)', params, body: userPatch, response: { 200: userView, ...errors } } },
      async (req) => users.updateUser(req.ctx, req.params.userId, req.body),
    );
  };
}
