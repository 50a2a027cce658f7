import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { discountView } from '../contracts/tiers.js';
import { walletView } from '../contracts/wallets.js';
import { fastResponseSerializer } from './fast-response.js';

const route = (schema: z.ZodType, httpStatus = '200') => ({ schema, method: 'GET', url: '/x', httpStatus });
const zod = (schema: z.ZodType, data: unknown) => serializerCompiler(route(schema) as Parameters<typeof serializerCompiler>[0])(data);

describe('fastResponseSerializer', () => {
  it('writes the discount exactly as the zod serialiser does, a null source included', () => {
    const write = fastResponseSerializer(route(discountView));
    for (const d of [{ discountPercent: 7.5, source: 'tier' }, { discountPercent: 0, source: null }, { discountPercent: 2, source: 'accumulative' }]) {
      expect(write(d)).toBe(zod(discountView, d));
    }
  });

  it('writes wallets with their expiries as the zod serialiser does, and only the schema fields', () => {
    const schema = z.array(walletView);
    const write = fastResponseSerializer(route(schema));
    const wallets = [
      { currency: 'points', available: 120, pending: 30, held: 5, expiring: [{ amount: 100, expiresAt: '2027-01-01T00:00:00.000Z' }, { amount: 20, expiresAt: '2027-03-01T00:00:00.000Z' }] },
      { currency: 'miles', available: 0, pending: 0, held: 0, expiring: [] },
    ];
    expect(write(wallets)).toBe(zod(schema, wallets));
    expect(JSON.parse(write([{ ...wallets[1], internalId: 'w_1' }]))).toEqual([wallets[1]]);
    expect(write([])).toBe('[]');
  });

  it('still refuses, under tests, an answer that breaks its schema', () => {
    const write = fastResponseSerializer(route(discountView));
    expect(() => write({ discountPercent: 'seven', source: 'tier' })).toThrow();
    expect(() => write({ discountPercent: 1, source: 'somewhere' })).toThrow();
  });

  it('keeps the zod serialiser for schemas it cannot compile and for other statuses', () => {
    const record = z.object({ counts: z.record(z.string(), z.number()) });
    expect(fastResponseSerializer(route(record))({ counts: { a: 1, b: 2 } })).toBe('{"counts":{"a":1,"b":2}}');
    const union = z.union([z.object({ a: z.number() }), z.object({ b: z.string() })]);
    expect(fastResponseSerializer(route(union))({ b: 'x' })).toBe('{"b":"x"}');
    const problem = z.object({ title: z.string() });
    expect(fastResponseSerializer(route(problem, '404'))({ title: 'Not found' })).toBe('{"title":"Not found"}');
  });
});
