import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listQuery, page, problem } from '../../contracts/common.js';
import { deliveryListQuery, deliveryView, webhookInput, webhookPatch, webhookView, webhookWithSecret } from '../../contracts/webhooks.js';
import type { WebhooksService } from './webhooks.service.js';

const idParams = z.object({ id: z.string().min(1).max(100) }).strict();
const deliveryParams = z.object({ deliveryId: z.string().min(1).max(100) }).strict();

export function webhookRoutes(webhooks: WebhooksService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/webhooks',
      { schema: { tags: ['webhooks'], summary: 'Subscribe a URL to message types; the signing secret is shown only in this answer', body: webhookInput, response: { 201: webhookWithSecret, 422: problem } } },
      async (req, reply) => reply.status(201).send(await webhooks.create(req.ctx, req.body)),
    );
    app.get('/webhooks', { schema: { tags: ['webhooks'], summary: 'List webhook subscriptions (without secrets)', querystring: listQuery, response: { 200: page(webhookView) } } }, async (req) =>
      webhooks.list(req.ctx.programId, req.query),
    );
    app.get('/webhooks/:id', { schema: { tags: ['webhooks'], summary: 'A webhook subscription', params: idParams, response: { 200: webhookView, 404: problem } } }, async (req) =>
      webhooks.get(req.ctx.programId, req.params.id),
    );
    app.patch(
      '/webhooks/:id',
      { schema: { tags: ['webhooks'], summary: 'Change the URL, message types, description or active flag', params: idParams, body: webhookPatch, response: { 200: webhookView, 404: problem, 422: problem } } },
      async (req) => webhooks.update(req.ctx, req.params.id, req.body),
    );
    app.delete(
      '/webhooks/:id',
      { schema: { tags: ['webhooks'], summary: 'Deactivate a subscription (kept with its delivery log; PATCH active: true resumes it)', params: idParams, response: { 200: webhookView, 404: problem } } },
      async (req) => webhooks.deactivate(req.ctx, req.params.id),
    );
    app.post(
      '/webhooks/:id/rotate-secret',
      { schema: { tags: ['webhooks'], summary: 'A new signing secret, shown only in this answer; the old one also signs for 24 hours', params: idParams, response: { 200: webhookWithSecret, 404: problem } } },
      async (req) => webhooks.rotateSecret(req.ctx, req.params.id),
    );
    app.get(
      '/webhooks/:id/deliveries',
      { schema: { tags: ['webhooks'], summary: 'Deliveries of a subscription, newest first, with every attempt', params: idParams, querystring: deliveryListQuery, response: { 200: page(deliveryView), 404: problem } } },
      async (req) => webhooks.deliveries(req.ctx.programId, req.params.id, req.query),
    );
    app.post(
      '/webhooks/deliveries/:deliveryId/retry',
      { schema: { tags: ['webhooks'], summary: 'Send a delivery again now, with a fresh cycle of attempts', params: deliveryParams, response: { 200: deliveryView, 404: problem, 409: problem } } },
      async (req) => webhooks.retry(req.ctx, req.params.deliveryId),
    );
  };
}
