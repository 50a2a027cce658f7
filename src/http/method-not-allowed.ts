import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem.js';

type Pattern = { regex: RegExp; methods: Set<string> };

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** `/api/v1/accounts/:ref/members` → a regex matching one concrete path of it. */
function compile(url: string): RegExp {
  const parts = url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : escape(seg)));
  return new RegExp(`^${parts.join('/')}/?$`);
}

/**
 * Knows every route's methods, so that a known path asked with another method answers
 * `405` with `Allow` (RFC 9110) instead of a `404` that suggests the path is wrong. The web
 * app's catch-all pages (`/*`) are left out: any path would match them.
 */
export function methodsByPath(app: FastifyInstance): { allowed(path: string): string[] } {
  const patterns = new Map<string, Pattern>();
  app.addHook('onRoute', (route) => {
    if (route.url.endsWith('*')) return;
    const p = patterns.get(route.url) ?? { regex: compile(route.url), methods: new Set<string>() };
    for (const m of [route.method].flat()) p.methods.add(m);
    patterns.set(route.url, p);
  });
  return {
    allowed(path) {
      const out = new Set<string>();
      for (const p of patterns.values()) if (p.regex.test(path)) for (const m of p.methods) out.add(m);
      return [...out].sort();
    },
  };
}

export function notFoundOrNotAllowed(routes: { allowed(path: string): string[] }) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const allow = routes.allowed(path);
    if (allow.length && !allow.includes(request.method)) {
      reply.header('allow', allow.join(', '));
      return sendProblem(reply, problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allow.join(', ')}.`));
    }
    return sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${path}.`));
  };
}
