import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { problem, sendProblem } from '../http/problem.js';

/** Paths the single-page fallback must never answer: the API and operations keep their 404s. */
const NOT_PAGES = /^\/(api|health|metrics)(\/|$)/;
const hasExtension = (path: string) => /\.[a-z0-9]+$/i.test(path.split('/').pop() ?? '');

/**
 * Serves the built web app: the console at `/` and the partner portal at `/portal/`, each with
 * its own fallback to its index.html so deep links work after a reload. Hashed assets are cached
 * for a year; the pages and the service worker are revalidated every time. Text files go out as
 * the brotli or gzip copy the build wrote beside them (src/web/precompress.ts), whichever the
 * browser accepts, or as they are when it accepts neither.
 */
export async function registerWeb(app: FastifyInstance, distDir: string): Promise<boolean> {
  if (!existsSync(join(distDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    wildcard: false,
    index: false,
    preCompressed: true,
    // The compressed copies are chosen by Accept-Encoding, never asked for by name.
    globIgnore: ['**/*.br', '**/*.gz'],
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Only the bundler's output lives in assets/, and every name there carries a content hash.
      reply.header('cache-control', path.startsWith(join(distDir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const page = (file: string) => (_req: FastifyRequest, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile(file, distDir);
  const notFound = (req: FastifyRequest, reply: FastifyReply) => sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`));
  const hide = { schema: { hide: true } };

  app.get('/', hide, page('index.html'));
  app.get('/portal', hide, (_req, reply) => reply.redirect('/portal/'));
  app.get('/portal/', hide, page('portal/index.html'));
  app.get('/portal/*', hide, (req, reply) => (hasExtension(req.url.split('?')[0]) ? notFound(req, reply) : page('portal/index.html')(req, reply)));
  app.get('/*', hide, (req, reply) => {
    const path = req.url.split('?')[0];
    return NOT_PAGES.test(path) || hasExtension(path) ? notFound(req, reply) : page('index.html')(req, reply);
  });
  return true;
}
