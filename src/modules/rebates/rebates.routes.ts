import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKey, jsonOrCsv, listQuery, page, problem, ref } from '../../contracts/common.js';
import { rebateInput, rebatePatch, rebateStanding, rebateView, settlementAnswer, settlementInput, settlementLine, settlementsQuery, standingsQuery, type SettlementLine } from '../../contracts/rebates.js';
import { toCsv, type CsvCell } from '../../lib/csv.js';
import { toXlsx } from '../../lib/xlsx.js';
import { rebateError } from './rebates.errors.js';
import type { RebatesService } from './rebates.service.js';

const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional().describe('Required: the same key and body replay the first answer.') });
const params = z.object({ id: z.string().min(1).max(100) });

/** The settlement lines as the ERP imports them: one credit note per line that paid something, amounts in minor units. */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function settlementRows(lines: SettlementLine[]): CsvCell[][] {
  return [
    ['settlementId', 'period', 'final', 'accountId', 'accountExternalId', 'accountName', 'basis', 'rateBp', 'amount', 'alreadyPaid', 'paid', 'currency', 'transactionId', 'createdAt'],
    ...lines.map((l) => [l.settlementId, l.period, l.final ? 'true' : 'false', l.accountId, l.accountExternalId, l.accountName, l.basis, l.rateBp, l.amount, l.alreadyPaid, l.paid, l.currency, l.transactionId, l.createdAt]),
  ];
}

export function rebateRoutes(rebates: RebatesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/rebates',
      { schema: { tags: ['rebates'], summary: 'Create a volume rebate: thresholds with rates in basis points over a calendar quarter or year', body: rebateInput, response: { 201: rebateView, 422: problem } } },
      async (req, reply) => reply.status(201).send(await rebates.create(req.ctx, req.body)),
    );
    app.get(
      '/rebates',
      { schema: { tags: ['rebates'], summary: 'The program’s volume rebates', querystring: listQuery, response: { 200: page(rebateView) } } },
      async (req) => rebates.list(req.ctx.programId, req.query),
    );
    app.get('/rebates/:id', { schema: { tags: ['rebates'], summary: 'One rebate', params, response: { 200: rebateView, 404: problem } } }, async (req) => rebates.get(req.ctx.programId, req.params.id));
    app.patch(
      '/rebates/:id',
      { schema: { tags: ['rebates'], summary: 'Update a rebate (only the fields sent change); later settlements use the new definition', params, body: rebatePatch, response: { 200: rebateView, 404: problem, 422: problem } } },
      async (req) => rebates.update(req.ctx, req.params.id, req.body),
    );
    app.get(
      '/rebates/:id/standings',
      {
        schema: {
          tags: ['rebates'],
          summary: 'Per account: basis, bracket, accrued rebate, distance to the next threshold and the pro-rata projection for the period (default: the current one)',
          params,
          querystring: standingsQuery,
          response: { 200: z.object({ items: z.array(rebateStanding) }), 404: problem, 422: problem },
        },
      },
      async (req) => rebates.standings(req.ctx.programId, req.params.id, req.query.period, req.ctx.accountScope),
    );
    app.post(
      '/rebates/:id/settlements',
      {
        schema: {
          tags: ['rebates'],
          summary: 'Settle a period: credit each account the rebate due minus what was paid; interim (final: false) any time, final after the period and its grace days; requires Idempotency-Key',
          params,
          headers: idempotencyHeaders,
          body: settlementInput,
          response: { 200: settlementAnswer, 404: problem, 409: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const key = req.headers['idempotency-key'];
        if (!key) throw rebateError('IDEMPOTENCY_KEY_REQUIRED', 'Settlements need an Idempotency-Key header.', [{ path: 'headers.idempotency-key', message: 'required' }]);
        const r = await rebates.settle(req.ctx, req.params.id, req.body, key);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(200).send(r.body);
      },
    );
    app.get(
      '/rebates/:id/settlements',
      {
        schema: {
          tags: ['rebates'],
          summary: 'The settlement lines of a rebate, oldest first; format=csv or format=xlsx for the ERP’s credit notes',
          params,
          querystring: settlementsQuery,
          response: {
            200: { content: { ...jsonOrCsv(z.object({ items: z.array(settlementLine) })).content, [XLSX]: { schema: z.string().describe('an XLSX workbook, one sheet') } } },
            404: problem,
            422: problem,
          },
        },
      },
      async (req, reply) => {
        const r = await rebates.settlements(req.ctx.programId, req.params.id, req.query.period, req.ctx.accountScope);
        const name = `rebate-settlements-${req.params.id.replace(/[^A-Za-z0-9_-]/g, '')}${req.query.period ? `-${req.query.period}` : ''}`;
        if (req.query.format === 'csv') {
          return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(settlementRows(r.items)));
        }
        if (req.query.format === 'xlsx') {
          // Fastify sends a Buffer as it is, without the serializer; the schema declares the file for the OpenAPI document.
          const file: unknown = toXlsx('Settlements', settlementRows(r.items));
          return reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(file as string);
        }
        return r;
      },
    );
    app.get(
      '/accounts/:accountId/rebates',
      { schema: { tags: ['rebates'], summary: 'The account’s standing in the current period of every active rebate it collects for', params: z.object({ accountId: ref }), response: { 200: z.array(rebateStanding), 404: problem } } },
      async (req) => rebates.accountRebates(req.ctx.programId, req.params.accountId),
    );
    app.get(
      '/portal/rebates',
      { schema: { tags: ['portal'], summary: 'The company’s volume rebates this period: bracket, accrued, what is needed for the next rate, projection', response: { 200: z.array(rebateStanding), 401: problem } } },
      async (req) => {
        if (req.principal.type !== 'member') throw rebateError('REBATE_NOT_FOUND', 'Not a portal session.');
        return rebates.accountRebatesById(req.principal.member.programId, req.principal.member.accountId);
      },
    );
  };
}
