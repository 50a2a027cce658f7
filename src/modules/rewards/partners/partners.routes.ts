import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { jsonOrCsv, page, problem, ref } from '../../../contracts/common.js';
import { partnerInput, partnerListQuery, partnerView, settlementQuery, settlementView } from '../../../contracts/rewards.js';
import { settlementCsv, type PartnersService } from './partners.service.js';

const params = z.object({ partnerId: ref.describe('the partner id, or ext:<externalId>') }).strict();
const partnerPatch = partnerInput.partial().strict();

export function partnerRoutes(partners: PartnersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/partners', { schema: { tags: ['partners'], summary: 'Add a coalition partner', body: partnerInput, response: { 201: partnerView, 409: problem, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await partners.createPartner(req.ctx, req.body)),
    );
    app.get('/partners', { schema: { tags: ['partners'], summary: 'List coalition partners', querystring: partnerListQuery, response: { 200: page(partnerView), 422: problem } } }, async (req) =>
      partners.listPartners(req.ctx.programId, req.query),
    );
    app.get('/partners/:partnerId', { schema: { tags: ['partners'], summary: 'Read a partner', params, response: { 200: partnerView, 404: problem } } }, async (req) =>
      partners.getPartner(req.ctx.programId, req.params.partnerId),
    );
    app.patch(
      '/partners/:partnerId',
      { schema: { tags: ['partners'], summary: 'Update a partner (only the fields sent change)', params, body: partnerPatch, response: { 200: partnerView, 404: problem, 409: problem, 422: problem } } },
      async (req) => partners.updatePartner(req.ctx, req.params.partnerId, req.body),
    );
    app.get(
      '/partners/:partnerId/settlement',
      {
        schema: {
          tags: ['partners'],
          summary: 'What the program owes the partner for redemptions fulfilled in [from, to), per currency in minor units; format=csv for a file',
          params,
          querystring: settlementQuery,
          response: { 200: jsonOrCsv(settlementView), 404: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const s = await partners.settlement(req.ctx.programId, req.params.partnerId, new Date(req.query.from), new Date(req.query.to));
        if (req.query.format === 'csv') {
          const name = `settlement-${s.partnerId}-${s.from.slice(0, 10)}-${s.to.slice(0, 10)}.csv`;
          return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(settlementCsv(s));
        }
        return s;
      },
    );
  };
}
