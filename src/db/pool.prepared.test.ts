import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './pool.js';

describe('embedded pool and named statements', () => {
  let db: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    db = await openPglite({ dataDir: 'memory://' });
  });
  afterAll(() => db?.close());

  it('a client that replaces an ended one runs the named statements the session already holds', async () => {
    const named = { name: 'pool_test_named', text: 'select $1::int + 1 as n', values: [1] };
    const first = await db.pool.connect();
    expect((await first.query(named)).rows[0].n).toBe(2);
    // pg-pool ends a client after an error (and lets idle ones go): the next client is new.
    first.release(true);
    for (let i = 0; i < 3; i++) {
      const next = await db.pool.connect();
      try {
        expect((await next.query({ ...named, values: [i] })).rows[0].n).toBe(i + 1);
      } finally {
        next.release(true);
      }
    }
  });
});
