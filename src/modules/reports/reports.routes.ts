import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dashboardQuery, dashboardView } from '../../contracts/reports.js';
import type { ReportsService } from './reports.service.js';

export function reportRoutes(reports: ReportsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/dashboard',
      {
        schema: {
          tags: ['reports'],
          summary: "The console's dashboard: active accounts and members (30/90 days), value issued, redeemed, expired and outstanding by month, top accounts",
          querystring: dashboardQuery,
          response: { 200: dashboardView },
        },
      },
      async (req) => reports.dashboard(req.ctx.programId, req.query, req.ctx.accountScope),
    );
  };
}
