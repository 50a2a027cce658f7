import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { DomainError } from '../lib/domain-error.js';

/** The public sign-in endpoints: throttled per client address, tighter than the rest of the API. */
const SIGN_IN = new Set(['/api/v1/auth/login', '/api/v1/portal/auth/request', '/api/v1/portal/auth/verify']);

/** Join by QR (#17): the public registration endpoints, on the same per-address limit in their own bucket. */
const JOIN = new Set(['/api/v1/j/:code', '/api/v1/j/:code/challenge', '/api/v1/j/:code/requests']);

const isJoin = (req: FastifyRequest) => req.method === 'POST' && JOIN.has(req.routeOptions.url ?? '');
const isSignIn = (req: FastifyRequest) => (req.method === 'POST' && SIGN_IN.has(req.routeOptions.url ?? '')) || isJoin(req);

/** Who a request counts against: its API key (hashed, never kept in clear), else its session, else its address. */
function keyOf(req: FastifyRequest): string {
  if (isJoin(req)) return `join:${req.ip}`;
  if (isSignIn(req)) return `sign-in:${req.ip}`;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return `key:${createHash('sha256').update(auth.slice(7)).digest('base64url').slice(0, 22)}`;
  return `ip:${req.ip}`;
}

/**
 * Rate limits on /api/v1 (@fastify/rate-limit, counted in this process's memory): `perMinute`
 * requests per API key (or per client address without a key), `signInPerMinute` sign-in attempts
 * per client address, and as many registrations on the join pages (counted apart). Over the limit: `429` problem+json with `Retry-After`. Health, metrics and
 * the web app's files are not counted. A limit of 0 turns that limit off.
 */
export async function registerRateLimits(app: FastifyInstance, opts: { perMinute: number; signInPerMinute: number }): Promise<void> {
  if (!opts.perMinute && !opts.signInPerMinute) return;
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (req) => (isSignIn(req) ? opts.signInPerMinute : opts.perMinute) || 1_000_000_000,
    keyGenerator: keyOf,
    allowList: (req) => {
      const url = req.routeOptions.url ?? req.url;
      return !url.startsWith('/api/v1/') || url === '/api/v1/health' || (isSignIn(req) ? !opts.signInPerMinute : !opts.perMinute);
    },
    errorResponseBuilder: (_req, context) =>
      new DomainError('RATE_LIMITED', 429, `Too many requests: at most ${context.max} a minute; retry in ${context.after}.`),
  });
}
