import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, problem } from '../../../contracts/common.js';
import { fulfilmentExportQuery, fulfilmentImportReport } from '../../../contracts/rewards.js';
import type { FulfilmentService } from './fulfilment.service.js';

const importBody = z.union([z.string().min(1, 'the file is empty'), z.object({ csv: z.string().min(1, 'the file is empty') }).strict()]);

export function fulfilmentRoutes(fulfilment: FulfilmentService): FastifyPluginAsyncZod {
  return async (app) => {
    // The import takes the file as it is; this parser is scoped to this plugin's routes.
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get(
      '/redemptions/fulfilment-export',
      {
        schema: {
          tags: ['rewards'],
          summary: 'Approved redemptions for the warehouse (CSV, or XLSX with format=xlsx): quantities, delivery addresses, empty voucher/tracking columns to fill in',
          querystring: fulfilmentExportQuery,
        },
      },
      async (req, reply) => {
        const file = await fulfilment.exportApproved(req.ctx.programId, req.query);
        return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
      },
    );

    app.post(
      '/redemptions/fulfilment-import',
      {
        schema: {
          tags: ['rewards'],
          summary: 'Mark redemptions fulfilled from a CSV file (text/csv, or JSON {csv}) with a redemption_id column and optional voucher_code, tracking_number, receipt_number; answers a row-numbered report',
          headers: z.object({ 'idempotency-key': idempotencyKey.optional() }),
          body: importBody,
          response: { 200: fulfilmentImportReport, 409: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const csv = typeof req.body === 'string' ? req.body : req.body.csv;
        const r = await fulfilment.importFulfilled(req.ctx, csv, req.headers['idempotency-key']);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(200).send(r.body);
      },
    );
  };
}
