import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { page, problem } from '../../contracts/common.js';
import {
  codeRequest,
  codeVerify,
  portalAccount,
  portalListQuery,
  portalMember,
  portalRedemption,
  portalRedemptionInput,
  portalReward,
  portalProgram,
  portalSession,
  programChoice,
  portalTier,
  portalTransferInput,
  testCodeQuery,
  portalApproval,
  portalApproveInput,
  portalRefuseInput,
} from '../../contracts/portal.js';
import { companyWalletRightsView } from '../../contracts/rewards.js';
import { entryView, valueMovement, walletView } from '../../contracts/wallets.js';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import type { SessionsService } from '../sessions/index.js';
import { portalError } from './portal.errors.js';
import type { Contact, MemberPrincipal, PortalService } from './portal.service.js';

const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().describe('Repeat a request safely: the same key and body replay the first answer.'),
});
const errors = { 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const contactOf = (v: { email?: string; phone?: string }): Contact => (v.email ? { email: v.email } : { phone: v.phone! });
const signInOf = (v: { email?: string; phone?: string; program?: string }) => ({ contact: contactOf(v), ...(v.program ? { program: v.program } : {}) });

/** The member of a portal request; the access control has let only members through. */
function memberOf(req: FastifyRequest): MemberPrincipal {
  if (req.principal.type !== 'member') throw portalError('MEMBER_NOT_FOUND', 'Not a portal session.');
  return req.principal.member;
}

/** `/portal/*`: what a member of a partner company sees on their phone. Access rules: src/http/route-access.ts. */
export function portalRoutes(portal: PortalService, sessions: SessionsService, opts: { testEndpoints: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/portal/auth/request',
      {
        schema: {
          tags: ['portal'],
          summary: 'Ask for a one-time sign-in code by e-mail or phone; always 202, whether or not the address is known',
          security: [],
          body: codeRequest,
          response: { 202: z.object({ status: z.literal('accepted') }), 422: problem, 429: problem },
        },
      },
      async (req, reply) => {
        // The code leaves through the SignInCodeSender of the composition root, never through this answer.
        await portal.requestCode(signInOf(req.body), req.ip, req.log);
        return reply.status(202).send({ status: 'accepted' as const });
      },
    );

    app.post(
      '/portal/auth/verify',
      {
        schema: {
          tags: ['portal'],
          summary: 'Sign in with the one-time code: sets the fealty_session cookie; a code that opens several programs answers {chooseProgram} instead',
          security: [],
          body: codeVerify,
          response: { 200: z.union([portalSession, programChoice]), 401: problem, 422: problem, 429: problem },
        },
      },
      async (req, reply) => {
        const answer = await portal.verify({ ...signInOf(req.body), code: req.body.code }, req.ip);
        if (answer.choose) return { chooseProgram: answer.chooseProgram };
        const { session, choose: _, ...me } = answer;
        setSessionCookie(reply, session.token, session.expiresAt);
        return { ...me, csrfToken: session.csrfToken };
      },
    );

    app.get(
      '/portal/programs/:code',
      {
        schema: {
          tags: ['portal'],
          summary: "A program's public name for its sign-in screen /portal/<code>/",
          security: [],
          params: z.object({ code: z.string().max(40) }),
          response: { 200: portalProgram, 404: problem },
        },
      },
      async (req) => portal.programByCode(req.params.code),
    );

    if (opts.testEndpoints) {
      app.get(
        '/portal/auth/test-code',
        { schema: { tags: ['portal'], summary: 'TEST MODE ONLY (FEALTY_TEST_ENDPOINTS=on): the last code sent to an address', security: [], querystring: testCodeQuery, response: { 200: z.object({ code: z.string() }), 404: problem, 422: problem } } },
        async (req) => ({ code: await portal.testCode(signInOf(req.query)) }),
      );
    }

    app.post('/portal/auth/logout', { schema: { tags: ['portal'], summary: 'Sign out of the portal', response: { 204: z.null(), 401: problem, 403: problem } } }, async (req, reply) => {
      if (req.principal.type !== 'key') await sessions.revoke(req.principal.session.token);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    });

    app.get('/portal/me', { schema: { tags: ['portal'], summary: 'The signed-in member, their company and the CSRF token', response: { 200: portalSession, 401: problem } } }, async (req) => {
      const me = await portal.me(memberOf(req));
      return { ...me, csrfToken: req.principal.type === 'member' ? req.principal.session.csrfToken : '' };
    });

    app.get('/portal/wallets', { schema: { tags: ['portal'], summary: "The member's own wallets: available, pending, held, expiring", response: { 200: z.object({ items: z.array(walletView) }) } } }, async (req) =>
      portal.wallets(memberOf(req)),
    );

    app.get(
      '/portal/entries',
      { schema: { tags: ['portal'], summary: "The member's own ledger history, newest first", querystring: portalListQuery.extend({ currency: z.string().max(64).optional() }).strict(), response: { 200: page(entryView), 422: problem } } },
      async (req) => portal.entries(memberOf(req), req.query),
    );

    app.get(
      '/portal/company',
      {
        schema: {
          tags: ['portal'],
          summary: "Partner admins: the company's wallets and every person of the company with their wallets",
          response: { 200: z.object({ account: portalAccount, wallets: z.array(walletView), staff: z.array(z.object({ member: portalMember, wallets: z.array(walletView) })) }), 403: problem },
        },
      },
      async (req) => portal.company(memberOf(req)),
    );

    app.post(
      '/portal/transfers',
      {
        schema: {
          tags: ['portal'],
          summary: 'Partner admins: give company value to a person of the company',
          headers: idempotencyHeaders,
          body: portalTransferInput,
          response: { 200: valueMovement, 201: valueMovement, ...errors },
        },
      },
      async (req, reply) => {
        const r = await portal.transfer(req.ctx, memberOf(req), req.body, req.headers['idempotency-key']);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );

    app.get(
      '/portal/rewards',
      { schema: { tags: ['portal'], summary: 'The rewards the member may take now', querystring: z.object({ locale: z.string().max(20).optional() }).strict(), response: { 200: z.object({ items: z.array(portalReward) }) } } },
      async (req) => portal.rewards(memberOf(req), req.query.locale),
    );

    app.get('/portal/tier', { schema: { tags: ['portal'], summary: "The company's tier, progress to the next one and what keeps it", response: { 200: portalTier, 404: problem } } }, async (req) => {
      const tier = await portal.tier(memberOf(req));
      if (!tier) throw portalError('MEMBER_NOT_FOUND', 'This program has no tiers.');
      return tier;
    });

    app.post(
      '/portal/redemptions',
      {
        schema: {
          tags: ['portal'],
          summary: "Redeem a reward from the member's own wallet, or from the company's (`wallet: \"company\"`) within the role's rights: over a limit it waits for the partner admin (pending_approval); a role without the right is 403 COMPANY_WALLET_NOT_ALLOWED",
          headers: idempotencyHeaders,
          body: portalRedemptionInput,
          response: { 200: portalRedemption, 201: portalRedemption, ...errors },
        },
      },
      async (req, reply) => {
        const r = await portal.redeem(req.ctx, memberOf(req), req.body, req.headers['idempotency-key']);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );

    app.get('/portal/redemptions', { schema: { tags: ['portal'], summary: "The member's redemptions, newest first: from their own wallet and those they asked for from the company's", querystring: portalListQuery, response: { 200: page(portalRedemption), 422: problem } } }, async (req) =>
      portal.redemptions(memberOf(req), req.query),
    );

    // Rights inside a company (#14)
    app.get(
      '/portal/company-rights',
      { schema: { tags: ['portal'], summary: "What the member's role may take from the company wallet without approval (a partner admin: anything)", response: { 200: companyWalletRightsView, 401: problem } } },
      async (req) => portal.companyRights(memberOf(req)),
    );
    app.get(
      '/portal/approvals',
      { schema: { tags: ['portal'], summary: "Partner admins: the company-wallet redemptions over a role's limits waiting for their decision, oldest first", response: { 200: z.object({ items: z.array(portalApproval) }), 403: problem } } },
      async (req) => portal.approvals(memberOf(req)),
    );
    const approvalParams = z.object({ id: z.string().min(1).max(100) }).strict();
    for (const [decision, body, summary] of [
      ['approve', portalApproveInput, 'Partner admins: approve a waiting company-wallet redemption; it goes on as requested (or approved when the reward auto-approves)'],
      ['refuse', portalRefuseInput, 'Partner admins: refuse a waiting company-wallet redemption with a reason; it is rejected, the held value released and the stock returned'],
    ] as const) {
      app.post(
        `/portal/approvals/:id/${decision}`,
        { schema: { tags: ['portal'], summary, params: approvalParams, headers: idempotencyHeaders, body, response: { 200: portalRedemption, ...errors } } },
        async (req, reply) => {
          const r = await portal.decide(req.ctx, memberOf(req), req.params.id, decision, req.body.reason, req.headers['idempotency-key']);
          if (r.replayed) reply.header('idempotent-replay', 'true');
          return reply.status(200).send(r.body);
        },
      );
    }
  };
}
