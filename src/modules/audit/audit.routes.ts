import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuery, page } from '../../contracts/common.js';
import type { AuditService } from './audit.service.js';

const auditItem = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});

export function auditRoutes(audit: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'The audit log: who changed what, when, with the before and after state',
          querystring: listQuery.extend({ objectType: z.string().optional(), objectId: z.string().optional(), action: z.string().optional() }).strict(),
          response: { 200: page(auditItem) },
        },
      },
      async (req) => audit.list(req.ctx.programId, req.query),
    );
  };
}
