import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuery, page, problem } from '../../contracts/common.js';
import { portalSpiff, spiffInput, spiffPatch, spiffReport, spiffStatus, spiffView } from '../../contracts/spiffs.js';
import { spiffError } from './spiffs.errors.js';
import type { SpiffsService } from './spiffs.service.js';

const params = z.object({ id: z.string().min(1).max(100) });

export function spiffRoutes(spiffs: SpiffsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/spiffs',
      { schema: { tags: ['spiffs'], summary: 'Create a SPIFF: a bonus per unit of some products for partners’ sales staff, in a window, within a budget; it compiles to an earning rule', body: spiffInput, response: { 201: spiffView, 409: problem, 422: problem } } },
      async (req, reply) => reply.status(201).send(await spiffs.create(req.ctx, req.body)),
    );
    app.get(
      '/spiffs',
      { schema: { tags: ['spiffs'], summary: 'The program’s SPIFFs with their spend', querystring: listQuery.extend({ status: spiffStatus.optional() }).strict(), response: { 200: page(spiffView) } } },
      async (req) => spiffs.list(req.ctx.programId, req.query),
    );
    app.get('/spiffs/:id', { schema: { tags: ['spiffs'], summary: 'One SPIFF', params, response: { 200: spiffView, 404: problem } } }, async (req) => spiffs.get(req.ctx.programId, req.params.id));
    app.patch(
      '/spiffs/:id',
      { schema: { tags: ['spiffs'], summary: 'Change a SPIFF (its rule gets a new version), pause it, or end it (`archived`)', params, body: spiffPatch, response: { 200: spiffView, 404: problem, 409: problem, 422: problem } } },
      async (req) => spiffs.update(req.ctx, req.params.id, req.body),
    );
    app.get(
      '/spiffs/:id/report',
      { schema: { tags: ['spiffs'], summary: 'Spend against the budget, top sellers and earnings by partner account', params, response: { 200: spiffReport, 404: problem } } },
      async (req) => spiffs.report(req.ctx.programId, req.params.id, req.ctx.accountScope),
    );
    app.get(
      '/portal/spiffs',
      { schema: { tags: ['portal'], summary: 'Current promotions for me: what I earned under each and my company’s staff ranked', response: { 200: z.array(portalSpiff), 401: problem } } },
      async (req) => {
        if (req.principal.type !== 'member') throw spiffError('SPIFF_NOT_FOUND', 'Not a portal session.');
        return spiffs.forMember(req.principal.member.programId, req.principal.member);
      },
    );
  };
}
