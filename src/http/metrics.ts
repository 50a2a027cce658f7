import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import { countingQueries, queriesSent } from '../db/pool.js';
import { problem, sendProblem } from './problem.js';

/** Prometheus metrics: process defaults plus request latency by route and status. */
export function registerMetrics(app: FastifyInstance, opts: { token?: string } = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fealty_' });
  const duration = new Histogram({
    name: 'fealty_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  if (countingQueries) {
    new Counter({
      name: 'fealty_db_queries_total',
      help: 'Statements sent on the database pools (FEALTY_COUNT_QUERIES=on)',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(queriesSent());
      },
    });
  }
  // A callback hook: no promise per request for a counter.
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  const expected = opts.token ? createHash('sha256').update(opts.token).digest() : null;
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (expected) {
      // Compared as digests, in constant time: the token is a secret the scraper holds.
      const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(createHash('sha256').update(sent).digest(), expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        return sendProblem(reply, problem(401, 'UNAUTHENTICATED', 'GET /metrics needs Authorization: Bearer <FEALTY_METRICS_TOKEN>.'));
      }
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
