import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fastResponseSerializer } from '../../lib/fast-response.js';
import { code, listQuery, page, problem, ref } from '../../contracts/common.js';
import {
  accountTierView,
  accumulativeInput,
  accumulativeView,
  discountView,
  evaluationView,
  ladderInput,
  ladderView,
  tierChangeView,
  tierInput,
  tierOverrideInput,
  tierOverrideRemoval,
  tierPatch,
  tierView,
} from '../../contracts/tiers.js';
import type { TiersService } from './tiers.service.js';

const tierParams = z.object({ code }).strict();
const ladderParams = z.object({ ladder: code }).strict();
const accountParams = z.object({ accountId: ref.describe('the account id, or ext:<externalId>') }).strict();

export function tierRoutes(tiers: TiersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/tiers', { schema: { tags: ['tiers'], summary: 'Add a tier to a ladder (rank unique in the ladder, thresholds rising with rank)', body: tierInput, response: { 201: tierView, 409: problem, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await tiers.createTier(req.ctx, req.body)),
    );
    app.get(
      '/tiers',
      { schema: { tags: ['tiers'], summary: 'The tiers, by ladder and rank', querystring: z.object({ ladder: code.optional() }).strict(), response: { 200: z.object({ items: z.array(tierView) }) } } },
      async (req) => ({ items: await tiers.listTiers(req.ctx.programId, req.query) }),
    );
    app.get('/tiers/:code', { schema: { tags: ['tiers'], summary: 'A tier', params: tierParams, response: { 200: tierView, 404: problem } } }, async (req) => tiers.getTier(req.ctx.programId, req.params.code));
    app.patch(
      '/tiers/:code',
      { schema: { tags: ['tiers'], summary: 'Change a tier; accounts follow at their next event or evaluation, holders get a new discount at once', params: tierParams, body: tierPatch, response: { 200: tierView, 404: problem, 422: problem } } },
      async (req) => tiers.updateTier(req.ctx, req.params.code, req.body),
    );
    app.post(
      '/tiers/evaluate',
      { schema: { tags: ['tiers'], summary: 'Run the tier evaluation for this program now (downgrades after grace, expired overrides)', response: { 200: evaluationView } } },
      async (req) => tiers.evaluateProgram(req.ctx),
    );
    app.get('/tier-ladders', { schema: { tags: ['tiers'], summary: 'Ladders and the account types that climb them', response: { 200: z.object({ items: z.array(ladderView) }) } } }, async (req) => ({
      items: await tiers.listLadders(req.ctx.programId),
    }));
    app.put(
      '/tier-ladders/:ladder',
      { schema: { tags: ['tiers'], summary: 'Set which account types climb a ladder (types not listed anywhere climb "default")', params: ladderParams, body: ladderInput, response: { 200: ladderView, 422: problem } } },
      async (req) => tiers.putLadder(req.ctx, req.params.ladder, req.body),
    );
    app.get('/discounts/accumulative', { schema: { tags: ['tiers'], summary: 'The accumulative discount steps', response: { 200: accumulativeView } } }, async (req) => tiers.getAccumulative(req.ctx.programId));
    app.put(
      '/discounts/accumulative',
      { schema: { tags: ['tiers'], summary: 'Replace the accumulative discount steps (cumulative spend → discount percent)', body: accumulativeInput, response: { 200: accumulativeView, 422: problem } } },
      async (req) => tiers.putAccumulative(req.ctx, req.body),
    );
    app.get(
      '/accounts/:accountId/discount',
      {
        schema: { tags: ['tiers'], summary: 'The discount to apply at checkout now, and its source: the ERP fast path', params: accountParams, response: { 200: discountView, 404: problem } },
        // The checkout's hot path: the answer is written by a serialiser compiled from its schema.
        serializerCompiler: fastResponseSerializer,
      },
      async (req) => tiers.discount(req.ctx.programId, req.params.accountId),
    );
    app.get(
      '/accounts/:accountId/tier',
      { schema: { tags: ['tiers'], summary: 'The account’s tier, progress to the next one, and what keeps it', params: accountParams, response: { 200: accountTierView, 404: problem } } },
      async (req) => tiers.accountTier(req.ctx.programId, req.params.accountId),
    );
    app.get(
      '/accounts/:accountId/tier-changes',
      { schema: { tags: ['tiers'], summary: 'The account’s tier history, newest first', params: accountParams, querystring: listQuery, response: { 200: page(tierChangeView), 404: problem } } },
      async (req) => tiers.changes(req.ctx.programId, req.params.accountId, req.query),
    );
    app.put(
      '/accounts/:accountId/tier-override',
      { schema: { tags: ['tiers'], summary: 'A manager’s override of the tier and/or discount until a date, with the reason (audited)', params: accountParams, body: tierOverrideInput, response: { 200: accountTierView, 404: problem, 422: problem } } },
      async (req) => tiers.setOverride(req.ctx, req.params.accountId, req.body),
    );
    app.delete(
      '/accounts/:accountId/tier-override',
      { schema: { tags: ['tiers'], summary: 'End an override now (audited; `?reason=` is recorded)', params: accountParams, querystring: tierOverrideRemoval, response: { 200: accountTierView, 404: problem } } },
      async (req) => tiers.removeOverride(req.ctx, req.params.accountId, req.query.reason),
    );
  };
}
