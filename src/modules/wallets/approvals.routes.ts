import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, page, problem } from '../../contracts/common.js';
import { adjustmentDecisionInput, adjustmentInput, adjustmentRequest, adjustmentRequestListQuery, adjustmentThreshold, adjustmentThresholdInput } from '../../contracts/wallets.js';
import type { AdjustmentApprovalsService } from './approvals.service.js';
import { walletError } from './wallets.errors.js';

const headers = z.object({ 'idempotency-key': idempotencyKey.optional().describe('Required: the same key and body replay the first answer.') });
const params = z.object({ id: z.string().min(1).max(100) }).strict();
const thresholds = z.object({ items: z.array(adjustmentThreshold) });
const errors = { 404: problem, 409: problem, 422: problem };

/** Four eyes on large adjustments (#21). Access rules: src/http/route-access.ts. */
export function adjustmentApprovalRoutes(approvals: AdjustmentApprovalsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/adjustment-thresholds', { schema: { tags: ['value'], summary: 'Per currency, the amount above which an adjustment needs a second person’s approval', response: { 200: thresholds } } }, async (req) =>
      approvals.listThresholds(req.ctx.programId),
    );
    app.put(
      '/adjustment-thresholds',
      { schema: { tags: ['value'], summary: 'Set (or with amount null remove) the approval threshold of a currency', body: adjustmentThresholdInput, response: { 200: thresholds, 422: problem } } },
      async (req) => approvals.setThreshold(req.ctx, req.body),
    );
    app.post(
      '/adjustment-requests',
      {
        schema: {
          tags: ['value'],
          summary: 'Ask for an adjustment that another console user must approve; requires Idempotency-Key',
          headers,
          body: adjustmentInput,
          response: { 200: adjustmentRequest, 201: adjustmentRequest, ...errors },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw walletError('IDEMPOTENCY_KEY_REQUIRED', 'Adjustment requests need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await approvals.request(req.ctx, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );
    app.get(
      '/adjustment-requests',
      { schema: { tags: ['value'], summary: 'Adjustment requests, newest first (status=pending: those waiting for a decision)', querystring: adjustmentRequestListQuery, response: { 200: page(adjustmentRequest) } } },
      async (req) => approvals.list(req.ctx.programId, req.query),
    );
    app.get('/adjustment-requests/:id', { schema: { tags: ['value'], summary: 'Read an adjustment request', params, response: { 200: adjustmentRequest, 404: problem } } }, async (req) =>
      approvals.get(req.ctx.programId, req.params.id),
    );
    app.post(
      '/adjustment-requests/:id/approve',
      {
        schema: {
          tags: ['value'],
          summary: 'Approve and post an adjustment request: not by its requester (422 ADJUSTMENT_SELF_APPROVAL); a decided one answers 409',
          params,
          body: adjustmentDecisionInput.optional(),
          response: { 200: adjustmentRequest, ...errors },
        },
      },
      async (req) => approvals.approve(req.ctx, req.params.id, req.body?.note),
    );
    app.post(
      '/adjustment-requests/:id/reject',
      { schema: { tags: ['value'], summary: 'Reject an adjustment request (its requester may withdraw it); a decided one answers 409', params, body: adjustmentDecisionInput.optional(), response: { 200: adjustmentRequest, ...errors } } },
      async (req) => approvals.reject(req.ctx, req.params.id, req.body?.note),
    );
  };
}
