import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, listQuery, page, problem, ref } from '../../contracts/common.js';
import { accountFundView, allocationInput, allocationView, fundInput, fundView } from './funds.contracts.js';
import { fundError } from './funds.errors.js';
import type { FundsService } from './funds.service.js';

const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional().describe('Required: the same key and body replay the first answer.') });
const fundParams = z.object({ id: z.string().min(1).max(100) });

export function fundRoutes(funds: FundsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/funds',
      { schema: { tags: ['funds'], summary: 'Create a marketing fund (MDF / co-op) with its budget, period and reimbursement rule', body: fundInput, response: { 201: fundView, 422: problem } } },
      async (req, reply) => reply.status(201).send(await funds.create(req.ctx, req.body)),
    );
    app.get(
      '/funds',
      { schema: { tags: ['funds'], summary: 'The program’s funds with budget and allocated totals', querystring: listQuery, response: { 200: page(fundView) } } },
      async (req) => funds.list(req.ctx.programId, req.query),
    );
    app.get(
      '/funds/:id',
      { schema: { tags: ['funds'], summary: 'One fund', params: fundParams, response: { 200: fundView, 404: problem } } },
      async (req) => funds.get(req.ctx.programId, req.params.id),
    );
    app.get(
      '/funds/:id/allocations',
      { schema: { tags: ['funds'], summary: 'The allocations of a fund, oldest first', params: fundParams, response: { 200: z.array(allocationView), 404: problem } } },
      async (req) => funds.allocations(req.ctx.programId, req.params.id),
    );
    app.post(
      '/funds/:id/allocations',
      {
        schema: {
          tags: ['funds'],
          summary: 'Allocate part of the fund to a partner account (a ledger credit); over budget → 409; requires Idempotency-Key',
          params: fundParams,
          headers: idempotencyHeaders,
          body: allocationInput,
          response: { 200: allocationView, 201: allocationView, 404: problem, 409: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw fundError('IDEMPOTENCY_KEY_REQUIRED', 'Allocations need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await funds.allocate(req.ctx, req.params.id, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status as 200 | 201).send(r.body);
      },
    );
    app.get(
      '/accounts/:accountId/funds',
      { schema: { tags: ['funds'], summary: 'Per fund: allocated, reserved, claimed, paid, available and expiry of the account', params: z.object({ accountId: ref }), response: { 200: z.array(accountFundView), 404: problem } } },
      async (req) => funds.accountFunds(req.ctx.programId, req.params.accountId),
    );
  };
}
