import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { code, idempotencyKey, listQuery, page, problem, ref } from '../../contracts/common.js';
import { adjustmentInput, entryView, transferInput, valueMovement, walletView } from '../../contracts/wallets.js';
import { fastResponseSerializer } from '../../lib/fast-response.js';
import type { WalletsService } from './wallets.service.js';
import { walletError } from './wallets.errors.js';

const idempotencyHeaders = z.object({
  'idempotency-key': idempotencyKey.optional().describe('Repeat a request safely: the same key and body replay the first answer. Keys starting with "portal:" are refused (422).'),
});
const entriesQuery = listQuery.extend({ currency: code.optional() }).strict();
const errors = { 404: problem, 409: problem, 422: problem };

export function walletRoutes(wallets: WalletsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/accounts/:accountId/wallets',
      { schema: { tags: ['value'], summary: "The company's wallets: available, pending, held and expiring per currency", params: z.object({ accountId: ref }), response: { 200: z.array(walletView), 404: problem } }, serializerCompiler: fastResponseSerializer },
      async (req) => wallets.walletsOf(req.ctx.programId, { accountId: req.params.accountId }),
    );
    app.get(
      '/members/:memberId/wallets',
      { schema: { tags: ['value'], summary: "An employee's wallets", params: z.object({ memberId: ref }), response: { 200: z.array(walletView), 404: problem } }, serializerCompiler: fastResponseSerializer },
      async (req) => wallets.walletsOf(req.ctx.programId, { memberId: req.params.memberId }),
    );
    app.get(
      '/accounts/:accountId/entries',
      { schema: { tags: ['value'], summary: "Ledger history of the company's wallets, newest first", params: z.object({ accountId: ref }), querystring: entriesQuery, response: { 200: page(entryView), 404: problem } } },
      async (req) => wallets.entriesOf(req.ctx.programId, { accountId: req.params.accountId }, req.query),
    );
    app.get(
      '/members/:memberId/entries',
      { schema: { tags: ['value'], summary: "Ledger history of an employee's wallets, newest first", params: z.object({ memberId: ref }), querystring: entriesQuery, response: { 200: page(entryView), 404: problem } } },
      async (req) => wallets.entriesOf(req.ctx.programId, { memberId: req.params.memberId }, req.query),
    );

    app.post(
      '/adjustments',
      {
        schema: {
          tags: ['value'],
          summary: 'Manual credit (positive amount) or debit (negative amount) with a reason; requires Idempotency-Key',
          headers: idempotencyHeaders,
          body: adjustmentInput,
          response: { 200: valueMovement, 201: valueMovement, ...errors },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw walletError('IDEMPOTENCY_KEY_REQUIRED', 'Adjustments need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await wallets.adjust(req.ctx, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/transfers',
      {
        schema: {
          tags: ['value'],
          summary: 'Move value between the company wallet and its employees’ wallets (same account only); requires Idempotency-Key',
          headers: idempotencyHeaders,
          body: transferInput,
          response: { 200: valueMovement, 201: valueMovement, ...errors },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        // Required, like adjustments: a transfer retried after a lost answer must not move value twice.
        if (!key) throw walletError('IDEMPOTENCY_KEY_REQUIRED', 'Transfers need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await wallets.transfer(req.ctx, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.status).send(r.body);
      },
    );
  };
}
