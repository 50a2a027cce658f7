import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page, problem } from '../../contracts/common.js';
import { batchInput, eventAnswer, eventInput, listEventsQuery } from '../../contracts/events.js';
import { simulateInput } from '../../contracts/rules.js';
import type { Database } from '../../db/database.js';
import type { ProgramsService } from '../programs/index.js';
import type { RulesService } from '../rules/index.js';
import type { EventsService } from './events.service.js';
import { simulateRule } from './events.simulate.js';

const eventDetail = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  accountId: z.string(),
  memberId: z.string().nullable(),
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  returnedAmount: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  answer: z.record(z.string(), z.unknown()),
  /** Per rule: whether it matched, why not (out_of_window, not_targeted, condition_false, condition_error, excluded), caps and budget hit, awards. */
  trace: z.array(z.unknown()),
  awards: z.array(
    z.object({
      id: z.string(),
      wallet: z.union([z.object({ accountId: z.string() }), z.object({ memberId: z.string() })]),
      currency: z.string(),
      amount: z.number().int(),
      reversed: z.number().int(),
      debt: z.number().int(),
      ruleId: z.string(),
      ruleVersion: z.number().int(),
      availableAt: z.string(),
      transactionId: z.string(),
    }),
  ),
});
const eventSummary = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  accountId: z.string(),
  memberId: z.string().nullable(),
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  awards: z.number().int(),
});
const simulation = z.object({
  ruleId: z.string(),
  from: z.string(),
  to: z.string(),
  eventsScanned: z.number().int(),
  eventsMatched: z.number().int(),
  totals: z.array(z.object({ currency: z.string(), amount: z.number().int(), awards: z.number().int() })),
  byAccountType: z.array(z.object({ accountType: z.string(), currency: z.string(), amount: z.number().int() })),
  byRole: z.array(z.object({ role: z.string().nullable(), currency: z.string(), amount: z.number().int() })),
  topAccounts: z.array(z.object({ accountId: z.string(), externalId: z.string(), name: z.string(), currency: z.string(), amount: z.number().int() })),
  sample: z.array(z.object({ eventId: z.string(), occurredAt: z.string(), accountId: z.string(), memberId: z.string().nullable(), to: z.enum(['account', 'member']), currency: z.string(), amount: z.number().int() })),
});

export function eventRoutes(events: EventsService, sim: { database: Database; programs: ProgramsService; rules: RulesService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/events',
      { schema: { tags: ['events'], summary: 'Post one event; idempotent by its id. Answers every award.', body: eventInput, response: { 200: eventAnswer, 201: eventAnswer, 409: problem, 422: problem } } },
      async (req, reply) => {
        const r = await events.process(req.ctx, req.body);
        if (r.replayed) reply.header('idempotent-replay', 'true');
        return reply.status(r.replayed ? 200 : 201).send(r.answer);
      },
    );
    app.post(
      '/events/batch',
      {
        schema: {
          tags: ['events'],
          summary: 'Post up to 1,000 events; each is atomic; one answer per event in input order',
          body: batchInput,
          response: { 200: z.object({ items: z.array(eventAnswer.extend({ problem: problem.optional() })) }), 422: problem },
        },
      },
      async (req) => events.processBatch(req.ctx, req.body.events),
    );
    app.get('/events', { schema: { tags: ['events'], summary: 'Events, newest first', querystring: listEventsQuery, response: { 200: page(eventSummary) } } }, async (req) =>
      events.list(req.ctx.programId, req.query, req.ctx.accountScope),
    );
    app.get(
      '/events/:eventId',
      { schema: { tags: ['events'], summary: 'An event with its answer, awards and the rule evaluation trace', params: z.object({ eventId: z.string().min(1).max(200) }), response: { 200: eventDetail, 404: problem } } },
      async (req) => events.get(req.ctx.programId, req.params.eventId),
    );
    app.post(
      '/rules/:id/simulate',
      {
        schema: {
          tags: ['rules'],
          summary: 'What a rule (or a draft in `rule`) would have awarded on the stored events of a period; writes nothing',
          params: z.object({ id: z.string().min(1).max(100) }),
          body: simulateInput,
          response: { 200: simulation, 404: problem, 422: problem },
        },
      },
      async (req) =>
        simulateRule(sim.database, sim, req.ctx.programId, {
          ruleId: req.params.id,
          draft: req.body.rule,
          from: new Date(req.body.from),
          to: new Date(req.body.to),
          sampleSize: req.body.sampleSize ?? 20,
        }),
    );
  };
}
