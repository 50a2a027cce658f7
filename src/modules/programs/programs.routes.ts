import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isSupportedCountry } from 'libphonenumber-js';
import { code, isoCurrency } from '../../contracts/common.js';
import { offboardingPolicy } from '../../contracts/accounts.js';
import { programCode } from '../../contracts/portal.js';
import { PERMISSIONS } from '../../contracts/permissions.js';
import type { ProgramsService } from './programs.service.js';

const program = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().describe("The program's public code: members of this program sign in at /portal/<code>/."),
  phoneCountry: z.string().nullable().describe('ISO 3166-1 alpha-2 country of phone numbers written without a country code; null: such numbers are refused (422).'),
  defaultLocale: z.string(),
  timeZone: z.string(),
  accountShare: z.number().int(),
  allowNegative: z.boolean(),
  autoCreateAccounts: z.boolean(),
  offboardingPolicy,
  spendCurrency: z.string().describe('ISO 4217 code of the money purchase amounts are in (event `amount`, spend, tier thresholds), in its minor units: 125000 with EUR is €1,250.00.'),
  createdAt: z.string(),
});
const currency = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['points', 'money', 'stamps']),
  moneyCurrency: z.string().nullable(),
  expiry: z.object({ months: z.number().int() }).nullable(),
});
const role = z.object({ code: z.string(), name: z.string() });
const apiKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(PERMISSIONS)).describe('What the key may do (console permission names); every permission for an unrestricted key.'),
  unrestricted: z.boolean().describe('The key acts as the program itself (every permission, owners included): keys made before scopes existed, and keys made without scopes by an owner.'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe('When the key was last used, to the minute.'),
  revokedAt: z.string().nullable(),
});

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Kyiv').meta({ format: 'iana-time-zone', description: 'An IANA time zone name (tz database), e.g. Europe/Kyiv.', examples: ['Europe/Kyiv'] });

const phoneCountry = z
  .string()
  .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), 'must be an ISO 3166-1 alpha-2 country code with a phone numbering plan, such as FR')
  .describe('The country of phone numbers written without + or 00 (national format), e.g. FR for "06 39 98 12 34".');

export const programPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    code: programCode.optional().describe('Changes the portal sign-in address /portal/<code>/ (old links stop working); unique, 409 PROGRAM_CODE_TAKEN.'),
    phoneCountry: phoneCountry.nullable().optional(),
    timeZone: timeZone.optional(),
    defaultLocale: z.string().min(2).max(20).optional(),
    accountShare: z.number().int().min(0).max(100).optional(),
    allowNegative: z.boolean().optional(),
    autoCreateAccounts: z.boolean().optional(),
    offboardingPolicy: offboardingPolicy.optional().describe('What a leaving member\'s personal balance becomes: moveToCompany (default), keepUntilExpiry or forfeit.'),
    spendCurrency: isoCurrency
      .optional()
      .describe('The money purchase amounts are in (default EUR). Changing it relabels amounts, it converts nothing.'),
  })
  .strict();

export const currencyInput = z
  .object({
    code,
    name: z.string().min(1).max(200),
    kind: z.enum(['points', 'money', 'stamps']),
    moneyCurrency: isoCurrency.optional(),
    expiry: z.object({ months: z.number().int().min(1).max(120) }).strict().optional(),
  })
  .strict();

export const roleInput = z.object({ code, name: z.string().min(1).max(200) }).strict();

export function programRoutes(programs: ProgramsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/program', { schema: { tags: ['program'], summary: 'The program of the key: settings, currencies and roles', response: { 200: program.extend({ currencies: z.array(currency), roles: z.array(role) }) } } }, async (req) => {
      const [p, currencies, roles] = [await programs.getProgram(req.ctx.programId), await programs.listCurrencies(req.ctx.programId), await programs.listRoles(req.ctx.programId)];
      return { ...p, currencies, roles };
    });

    app.patch('/program', { schema: { tags: ['program'], summary: 'Update program settings', body: programPatch, response: { 200: program } } }, async (req) =>
      programs.updateProgram(req.ctx, req.body),
    );

    app.post('/currencies', { schema: { tags: ['program'], summary: 'Define a value currency (points, money or stamps)', body: currencyInput, response: { 201: currency } } }, async (req, reply) =>
      reply.status(201).send(await programs.createCurrency(req.ctx, req.body)),
    );
    app.get('/currencies', { schema: { tags: ['program'], summary: 'List currencies', response: { 200: z.object({ items: z.array(currency) }) } } }, async (req) => ({
      items: await programs.listCurrencies(req.ctx.programId),
    }));

    app.post('/roles', { schema: { tags: ['program'], summary: 'Define a member role', body: roleInput, response: { 201: role } } }, async (req, reply) =>
      reply.status(201).send(await programs.createRole(req.ctx, req.body)),
    );
    app.get('/roles', { schema: { tags: ['program'], summary: 'List roles', response: { 200: z.object({ items: z.array(role) }) } } }, async (req) => ({
      items: await programs.listRoles(req.ctx.programId),
    }));

    const eventType = z.object({ code: z.string(), name: z.string(), builtIn: z.boolean() });
    app.post('/event-types', { schema: { tags: ['program'], summary: 'Declare a custom event type (e.g. cartridge_recycled)', body: roleInput, response: { 201: eventType } } }, async (req, reply) =>
      reply.status(201).send(await programs.createEventType(req.ctx, req.body)),
    );
    app.get('/event-types', { schema: { tags: ['program'], summary: 'Built-in and custom event types', response: { 200: z.object({ items: z.array(eventType) }) } } }, async (req) => ({
      items: await programs.listEventTypes(req.ctx.programId),
    }));

    app.post(
      '/api-keys',
      {
        schema: {
          tags: ['program'],
          summary: 'Create an API key; the key is shown only in this answer',
          body: z
            .object({
              name: z.string().min(1).max(200),
              scopes: z
                .array(z.enum(PERMISSIONS))
                .min(1)
                .max(PERMISSIONS.length)
                .refine((a) => new Set(a).size === a.length, 'must not repeat a permission')
                .optional()
                .describe('Permissions the key holds, e.g. ["events:write"] for an ERP feed; at most what the creator holds (403 API_KEY_SCOPE_EXCEEDS_CREATOR). Absent: all the creator holds.'),
            })
            .strict(),
          response: { 201: apiKeyInfo.extend({ apiKey: z.string() }) },
        },
      },
      async (req, reply) => {
        const { apiKey, key } = await programs.createApiKey(req.ctx, req.body.name, undefined, req.body.scopes);
        return reply.status(201).send({ ...key, apiKey });
      },
    );
    app.get('/api-keys', { schema: { tags: ['program'], summary: 'List API keys (prefix only)', response: { 200: z.object({ items: z.array(apiKeyInfo) }) } } }, async (req) => ({
      items: await programs.listApiKeys(req.ctx.programId),
    }));
    app.delete(
      '/api-keys/:keyId',
      { schema: { tags: ['program'], summary: 'Revoke an API key', params: z.object({ keyId: z.string() }), response: { 200: apiKeyInfo } } },
      async (req) => programs.revokeApiKey(req.ctx, req.params.keyId),
    );
  };
}
