import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problem, ref } from '../../contracts/common.js';
import { accountHealthView, healthListAnswer, healthListQuery } from '../../contracts/health.js';
import type { HealthService } from './health.service.js';

const accountParams = z.object({ accountId: ref });

export function healthRoutes(health: HealthService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/accounts/:accountId/health',
      {
        schema: {
          tags: ['health'],
          summary: 'An account’s health now: NPS, purchase cycle (median, p80, p90, days since the last purchase, status), churn risk with its reasons, revenue at risk, open tasks',
          params: accountParams,
          response: { 200: accountHealthView, 404: problem },
        },
      },
      async (req) => health.get(req.ctx.programId, req.params.accountId),
    );
    app.get(
      '/health/accounts',
      {
        schema: {
          tags: ['health'],
          summary: 'Accounts by churn risk, highest first, from the latest snapshot (daily job, last purchase); filters: status, minScore, segment, type, managerId',
          querystring: healthListQuery,
          response: { 200: healthListAnswer, 422: problem },
        },
      },
      async (req) => health.list(req.ctx.programId, req.query, req.ctx.accountScope),
    );
  };
}
