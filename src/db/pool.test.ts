import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The switch is read once, when the module loads: set it before the first import of this file's run.
process.env.FEALTY_COUNT_QUERIES = 'on';
const { openPglite, queriesSent } = await import('./pool.js');
const { registerMetrics } = await import('../http/metrics.js');
const Fastify = (await import('fastify')).default;

describe('FEALTY_COUNT_QUERIES=on', () => {
  let db: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    db = await openPglite({ dataDir: 'memory://' });
  });
  afterAll(() => db?.close());

  it('counts every statement on the pool, transactions included, and shows the count on /metrics', async () => {
    const before = queriesSent();
    await db.pool.query('select 1');
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('select 2');
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(queriesSent() - before).toBe(4);

    const app = Fastify();
    registerMetrics(app);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    await app.close();
    expect(Number(/^fealty_db_queries_total (\d+)$/m.exec(text)?.[1])).toBe(queriesSent());
  });
});
