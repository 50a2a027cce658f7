import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../lib/context.js';
import { problem, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export type Authenticate = (key: string) => Promise<{ programId: string; keyId: string } | null>;

/** Every route of the plugin this is registered in needs `Authorization: Bearer <key>`. */
export function requireApiKey(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('ctx', undefined as unknown as RequestContext);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      return sendProblem(reply.header('www-authenticate', 'Bearer'), problem(401, 'UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".'));
    }
    const who = await authenticate(match[1]);
    if (!who) {
      return sendProblem(reply.header('www-authenticate', 'Bearer'), problem(401, 'UNAUTHENTICATED', 'The API key is unknown or revoked.'));
    }
    request.ctx = { programId: who.programId, actor: { type: 'key', id: who.keyId }, requestId: request.id };
  });
}
