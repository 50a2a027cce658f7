import Fastify, { LogController, type FastifyInstance, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { scopeLookups } from './account-scope.js';
import { registerAccessControl } from './auth.js';
import { clientErrors, frameworkErrors, registerErrorHandler } from './error-handler.js';
import { registerJsonBody } from './json-body.js';
import { declareErrors } from './openapi-errors.js';
import { refuseNulCharacters } from './nul-guard.js';
import { registerMetrics } from './metrics.js';
import { registerRateLimits } from './rate-limits.js';
import { registerSecurityHeaders } from './security-headers.js';
import { apiRoutes } from '../routes.js';
import { VERSION } from '../version.js';
import { registerWeb } from '../web/serve-web.js';

export type AppOptions = {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'dbKind'> & Partial<Pick<Config, 'testEndpoints' | 'trustProxy' | 'metricsToken' | 'rateLimit' | 'rateLimitSignIn'>>;
  services: Services;
  logger?: boolean;
  /** Sees every route as it is registered, hidden ones included: tests walk the route table with it. */
  onRoute?: (route: RouteOptions) => void;
  /** The built web app (web/dist): the console at /, the partner portal at /portal/. */
  webDir?: string;
};

/** FEALTY_TRUST_PROXY as Fastify takes it: a hop count becomes "trust the first n hops". */
function trustProxyOption(v: Config['trustProxy'] | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_address, hop) => hop < v;
  return v ?? false;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: opts.config.logLevel },
    bodyLimit: opts.config.bodyLimitBytes,
    // One line per request drowns the console; LOG_LEVEL=debug brings them back.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(opts.config.logLevel) }),
    genReqId: () => `req_${Math.random().toString(36).slice(2, 12)}`,
    // Unknown query fields are refused by the schemas; keep ajv out of the way.
    ajv: { customOptions: { removeAdditional: false } },
    // A path may take `ext:<externalId>` (up to 220 characters, percent-encoded up to 9 bytes each);
    // the router's default of 100 refused long external ids before the schema could see them.
    routerOptions: { maxParamLength: 2048 },
    // The one setting for who the client is: request.ip (sign-in throttles, rate limits, audit) and
    // request.protocol (the Secure cookie) read X-Forwarded-* only from the proxies named here.
    trustProxy: trustProxyOption(opts.config.trustProxy),
    frameworkErrors,
    clientErrorHandler: clientErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Added before any plugin so that it sees every route, in every encapsulated context.
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  registerErrorHandler(app);
  refuseNulCharacters(app);
  registerJsonBody(app);
  // JSON in and out: Fastify's built-in text/plain parser would hand the JSON schemas a string
  // (a puzzling 422); without it a text body is a 415. The fulfilment import adds its own for CSV files.
  app.removeContentTypeParser('text/plain');
  await registerSecurityHeaders(app);
  await registerRateLimits(app, { perMinute: opts.config.rateLimit ?? 0, signInPerMinute: opts.config.rateLimitSignIn ?? 0 });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Fealty API', version: VERSION, description: 'B2B loyalty and partner-incentive programs. See docs/api.md.' },
      servers: [{ url: '/' }],
      // Integrators send a key; the console and the portal send the session cookie (docs/auth.md).
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'fealty_session' } } },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (d) => declareErrors(('openapiObject' in d ? d.openapiObject : d.swaggerObject) as Record<string, unknown>) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerMetrics(app, { token: opts.config.metricsToken });

  const health = z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']), version: z.string() });
  const healthHandler = async () => {
    await opts.services.database.handle.pool.query('select 1');
    return { status: 'ok' as const, db: opts.config.dbKind, version: VERSION };
  };
  app.get('/health', { schema: { tags: ['operations'], summary: 'Liveness and database check', security: [], response: { 200: health } } }, healthHandler);

  await app.register(
    async (api) => {
      // First, so that it guards every route of this prefix; public ones are declared so in route-access.ts.
      const s = opts.services;
      registerAccessControl(api, {
        authenticateKey: s.programs.authenticate,
        resolveSession: s.sessions.resolve,
        userPrincipal: s.users.principal,
        memberPrincipal: s.portal.principal,
        scope: scopeLookups(s),
      });
      api.get('/health', { schema: { hide: true, response: { 200: health } } }, healthHandler);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(apiRoutes(s, { testEndpoints: opts.config.testEndpoints === 'on' }));
    },
    { prefix: '/api/v1' },
  );
  if (opts.webDir) await registerWeb(app, opts.webDir);

  return app;
}
