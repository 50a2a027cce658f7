import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cohortsQuery, cohortsView, planPut, planView, dashboardQuery, dashboardView, kpisQuery, kpisView, pilotQuery, pilotView } from '../../contracts/reports.js';
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
    // Analytics (#18)
    app.get(
      '/reports/kpis',
      {
        schema: {
          tags: ['reports'],
          summary: 'KPIs over [from, to): participation, issued/redeemed/expired/reversed, redemption rate, liability and breakage from cohorts, revenue, cost and its share of revenue; sliced by type, segment, region, tier or currency',
          querystring: kpisQuery,
          response: { 200: kpisView },
        },
      },
      async (req) => reports.kpis(req.ctx.programId, req.query),
    );
    app.get(
      '/reports/pilot',
      {
        schema: {
          tags: ['reports'],
          summary: 'Pilot against control: per-account difference-in-differences of spend or purchases, with a 95 % interval from standard errors clustered by account, and both groups\' monthly trends',
          querystring: pilotQuery,
          response: { 200: pilotView },
        },
      },
      async (req) => reports.pilot(req.ctx.programId, req.query),
    );
    app.get(
      '/reports/cohorts',
      {
        schema: {
          tags: ['reports'],
          summary: 'Accounts by month of joining: retention (the share active by month since joining) and mean cumulative spend',
          querystring: cohortsQuery,
          response: { 200: cohortsView },
        },
      },
      async (req) => reports.cohorts(req.ctx.programId, req.query),
    );
    app.get(
      '/reports/plan',
      { schema: { tags: ['reports'], summary: "The program's KPI targets and rollout checklist (research → concept → platform → pilot → marketing → training → launch → monitoring)", response: { 200: planView } } },
      async (req) => reports.plan(req.ctx.programId),
    );
    app.put(
      '/reports/plan',
      { schema: { tags: ['reports'], summary: "Sets the program's KPI targets and which rollout steps are done (idempotent, audited)", body: planPut, response: { 200: planView } } },
      async (req) => reports.putPlan(req.ctx, req.body),
    );
  };
}
