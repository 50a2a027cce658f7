import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../lib/domain-error.js';
import { problem, sendProblem } from './problem.js';

/** Where U+0000 hides in a parsed value, in strings or in object keys: `attributes.note`, `lines.0.sku`. */
function nulPaths(value: unknown, path: string[], out: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path.join('.'));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulPaths(v, [...path, String(i)], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) out.push([...path, k].join('.'));
      else nulPaths(v, [...path, k], out);
    }
  }
}

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so such a string would fail deep inside a
 * query as a 500. It is refused at the edge instead, as an invalid field (422) like any other.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  // A callback hook: the usual request has nothing to refuse and goes on without a promise.
  app.addHook('preValidation', (request, reply, done) => {
    const errors: FieldError[] = [];
    const parts: [prefix: string, value: unknown][] = [['', request.body], ['query', request.query], ['params', request.params]];
    for (const [prefix, value] of parts) {
      const found: string[] = [];
      nulPaths(value, [], found);
      for (const p of found) errors.push({ path: prefix ? (p ? `${prefix}.${p}` : prefix) : p || '(body)', message: 'must not contain the NUL character (U+0000)' });
    }
    if (!errors.length) return done();
    sendProblem(reply, problem(422, 'VALIDATION_FAILED', 'The request has invalid fields.', errors));
  });
}
