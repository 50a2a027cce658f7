import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page, problem, ref } from '../../../contracts/common.js';
import { rewardInput, rewardListQuery, rewardPatch, rewardView } from '../../../contracts/rewards.js';
import type { CatalogService } from './catalog.service.js';

const params = z.object({ rewardId: ref.describe('the reward id, or ext:<externalId>') }).strict();
const localeQuery = rewardListQuery.pick({ locale: true }).strict();
const errors = { 404: problem, 409: problem, 422: problem };

export function catalogRoutes(catalog: CatalogService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/rewards', { schema: { tags: ['rewards'], summary: 'Add a reward to the catalog', body: rewardInput, response: { 201: rewardView, ...errors } } }, async (req, reply) =>
      reply.status(201).send(await catalog.createReward(req.ctx, req.body)),
    );
    app.get(
      '/rewards',
      { schema: { tags: ['rewards'], summary: 'The catalog, filtered by kind, category, partner and whether redeemable now; stock is what is left', querystring: rewardListQuery, response: { 200: page(rewardView), 422: problem } } },
      async (req) => catalog.listRewards(req.ctx.programId, req.query),
    );
    app.get(
      '/rewards/categories',
      { schema: { tags: ['rewards'], summary: 'Categories of the active catalog with their number of rewards (the hobby shop)', response: { 200: z.object({ items: z.array(z.object({ category: z.string(), rewards: z.number().int() })) }) } } },
      async (req) => catalog.listCategories(req.ctx.programId),
    );
    app.get('/rewards/:rewardId', { schema: { tags: ['rewards'], summary: 'Read a reward', params, querystring: localeQuery, response: { 200: rewardView, 404: problem } } }, async (req) =>
      catalog.getReward(req.ctx.programId, req.params.rewardId, req.query.locale),
    );
    app.patch(
      '/rewards/:rewardId',
      { schema: { tags: ['rewards'], summary: 'Update a reward (only the fields sent change; stock sets what is left)', params, body: rewardPatch, response: { 200: rewardView, ...errors } } },
      async (req) => catalog.updateReward(req.ctx, req.params.rewardId, req.body),
    );
  };
}
