import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, listQuery, page, problem } from '../../contracts/common.js';
import { grantInput, grantPreview, grantRecipient, grantRecipientsQuery, grantView } from '../../contracts/grants.js';
import { grantError } from './grants.errors.js';
import type { GrantsService } from './grants.service.js';

const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional().describe('Required: the same key and body replay the first answer and grant nothing more.') });
const params = z.object({ id: z.string().min(1).max(100) });

export function grantRoutes(grants: GrantsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/grants/preview',
      { schema: { tags: ['grants'], summary: 'What a bulk grant would do, nothing written: recipients, cost by currency, who is excluded and why', body: grantInput, response: { 200: grantPreview, 422: problem } } },
      async (req) => grants.preview(req.ctx.programId, req.body),
    );
    app.post(
      '/grants',
      {
        schema: {
          tags: ['grants'],
          summary: 'Grant an amount to every recipient a selection reaches; runs as a job (202), progress on the grant; requires Idempotency-Key',
          headers: idempotencyHeaders,
          body: grantInput,
          response: { 202: grantView, 200: grantView, 409: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw grantError('IDEMPOTENCY_KEY_REQUIRED', 'Grants need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await grants.create(req.ctx, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.replayed ? 200 : 202).send(r.body);
      },
    );
    app.get('/grants', { schema: { tags: ['grants'], summary: 'The program’s bulk grants, newest first', querystring: listQuery, response: { 200: page(grantView) } } }, async (req) => grants.list(req.ctx.programId, req.query));
    app.get('/grants/:id', { schema: { tags: ['grants'], summary: 'One grant with its progress', params, response: { 200: grantView, 404: problem } } }, async (req) => grants.get(req.ctx.programId, req.params.id));
    app.get(
      '/grants/:id/recipients',
      { schema: { tags: ['grants'], summary: 'The grant’s recipients in order, each granted (with its transaction), pending or excluded with the reason', params, querystring: grantRecipientsQuery, response: { 200: page(grantRecipient), 404: problem } } },
      async (req) => grants.recipients(req.ctx.programId, req.params.id, req.query),
    );
  };
}
