import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, page, problem } from '../../../contracts/common.js';
import { fulfilInput, redemptionInput, redemptionListQuery, redemptionView, transitionInput } from '../../../contracts/rewards.js';
import { rewardError } from '../rewards.errors.js';
import type { Action, RedemptionsService } from './redemptions.service.js';

const idempotencyHeaders = z.object({
  'idempotency-key': idempotencyKey.optional().describe('Repeat a request safely: the same key and body replay the first answer. Keys starting with "portal:" are refused (422).'),
});
const params = z.object({ redemptionId: z.string().min(1).max(100) }).strict();
const errors = { 404: problem, 409: problem, 422: problem };

const STEPS: { action: Action; body: z.ZodType<z.infer<typeof fulfilInput>>; summary: string }[] = [
  { action: 'approve', body: transitionInput, summary: 'Approve a requested redemption (requested → approved)' },
  { action: 'fulfil', body: fulfilInput, summary: 'Mark an approved redemption delivered: the held value is spent; a voucher gets its code (approved → fulfilled)' },
  { action: 'cancel', body: transitionInput, summary: 'Cancel a requested or approved redemption: the hold is released and the stock returned' },
  { action: 'reject', body: transitionInput, summary: 'Reject a requested or approved redemption: the hold is released and the stock returned' },
];

export function redemptionRoutes(redemptions: RedemptionsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/redemptions',
      {
        schema: {
          tags: ['rewards'],
          summary: "Redeem a reward from a member's or the company's wallet: checks eligibility, stock and balance and holds the cost; requires Idempotency-Key",
          headers: idempotencyHeaders,
          body: redemptionInput,
          response: { 200: redemptionView, 201: redemptionView, 403: problem, ...errors },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw rewardError('IDEMPOTENCY_KEY_REQUIRED', 'Redemptions need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await redemptions.redeem(req.ctx, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );

    app.get(
      '/redemptions',
      { schema: { tags: ['rewards'], summary: 'List redemptions, newest first, filtered by status, member, account, reward or partner', querystring: redemptionListQuery, response: { 200: page(redemptionView), 422: problem } } },
      async (req) => redemptions.list(req.ctx.programId, req.query),
    );

    app.get('/redemptions/:redemptionId', { schema: { tags: ['rewards'], summary: 'Read a redemption with its status history', params, response: { 200: redemptionView, 404: problem } } }, async (req) =>
      redemptions.get(req.ctx.programId, req.params.redemptionId),
    );

    for (const step of STEPS) {
      app.post(
        `/redemptions/:redemptionId/${step.action}`,
        { schema: { tags: ['rewards'], summary: step.summary, params, headers: idempotencyHeaders, body: step.body.nullish(), response: { 200: redemptionView, ...errors } } },
        async (req, reply) => {
          const r = await redemptions.transition(req.ctx, req.params.redemptionId, step.action, req.body ?? {}, req.headers['idempotency-key']);
          if (r.replayed) reply.header('idempotent-replay', 'true');
          return reply.status(200).send(r.body);
        },
      );
    }
  };
}
