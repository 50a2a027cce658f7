import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { code, listQuery, page, problem } from '../../contracts/common.js';
import { ruleInput, rulePatch } from '../../contracts/rules.js';
import type { RulesService } from './rules.service.js';

const ruleView = ruleInput.extend({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(['active', 'draft', 'paused']),
  budgetUsed: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const params = z.object({ id: z.string().min(1).max(100) });

export function ruleRoutes(rules: RulesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/rules', { schema: { tags: ['rules'], summary: 'Create an earning rule ("do A, get B")', body: ruleInput, response: { 201: ruleView, 409: problem, 422: problem } } }, async (req, reply) =>
      reply.status(201).send(await rules.create(req.ctx, req.body)),
    );
    app.get(
      '/rules',
      { schema: { tags: ['rules'], summary: 'List rules', querystring: listQuery.extend({ eventType: code.optional(), status: z.enum(['active', 'draft', 'paused']).optional() }).strict(), response: { 200: page(ruleView) } } },
      async (req) => rules.list(req.ctx.programId, req.query),
    );
    app.get('/rules/:id', { schema: { tags: ['rules'], summary: 'A rule (its current version)', params, response: { 200: ruleView, 404: problem } } }, async (req) => rules.get(req.ctx.programId, req.params.id));
    app.patch(
      '/rules/:id',
      { schema: { tags: ['rules'], summary: 'Change a rule: a new version; past awards keep theirs', params, body: rulePatch, response: { 200: ruleView, 404: problem, 409: problem, 422: problem } } },
      async (req) => rules.update(req.ctx, req.params.id, req.body),
    );
    app.delete('/rules/:id', { schema: { tags: ['rules'], summary: 'Delete a rule (it stops firing; past awards stay)', params, response: { 204: z.null(), 404: problem } } }, async (req, reply) => {
      await rules.remove(req.ctx, req.params.id);
      return reply.status(204).send(null);
    });
    app.get(
      '/rules/:id/versions',
      {
        schema: {
          tags: ['rules'],
          summary: 'Version history of a rule, newest first',
          params,
          response: { 200: z.object({ items: z.array(z.object({ version: z.number().int(), createdAt: z.string(), createdBy: z.object({ type: z.string(), id: z.string() }), definition: ruleInput.omit({ status: true }) })) }), 404: problem },
        },
      },
      async (req) => ({ items: await rules.versions(req.ctx.programId, req.params.id) }),
    );
  };
}
