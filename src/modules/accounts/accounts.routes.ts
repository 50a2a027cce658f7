import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  account,
  accountFacets,
  accountInput,
  accountListQuery,
  accountMemberListQuery,
  accountPage,
  accountPatch,
  member,
  memberInput,
  memberListQuery,
  memberPatch,
} from '../../contracts/accounts.js';
import { page, ref } from '../../contracts/common.js';
import type { AccountsService } from './accounts.service.js';

const accountParams = z.object({ accountId: ref.describe('the account id, or ext:<externalId>') }).strict();
const memberParams = z.object({ memberId: ref.describe('the member id, or ext:<externalId>') }).strict();

export function accountRoutes(accounts: AccountsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/accounts', { schema: { tags: ['accounts'], summary: 'Create an account (a company)', body: accountInput, response: { 201: account } } }, async (req, reply) =>
      reply.status(201).send(await accounts.createAccount(req.ctx, req.body)),
    );

    app.get(
      '/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'List accounts, filtered by type, segment, region, parent, manager, status or text',
          description: 'Type, segment and region match case-insensitively. `total` counts the matching accounts over all pages.',
          querystring: accountListQuery,
          response: { 200: accountPage },
        },
      },
      async (req) => accounts.listAccounts(req.ctx.programId, req.query, req.ctx.accountScope),
    );

    // Registered before /accounts/:accountId; the router prefers the static path anyway, and no account id is "facets".
    app.get(
      '/accounts/facets',
      { schema: { tags: ['accounts'], summary: 'The account types, segments and regions in use, with their counts (the values to filter by)', response: { 200: accountFacets } } },
      async (req) => accounts.accountFacets(req.ctx.programId, req.ctx.accountScope),
    );

    app.get('/accounts/:accountId', { schema: { tags: ['accounts'], summary: 'Read an account', params: accountParams, response: { 200: account } } }, async (req) =>
      accounts.getAccount(req.ctx.programId, req.params.accountId),
    );

    app.patch(
      '/accounts/:accountId',
      { schema: { tags: ['accounts'], summary: 'Update an account (only the fields sent change)', params: accountParams, body: accountPatch, response: { 200: account } } },
      async (req) => accounts.updateAccount(req.ctx, req.params.accountId, req.body),
    );

    app.post(
      '/accounts/:accountId/members',
      { schema: { tags: ['members'], summary: 'Add a member (a person) to an account', params: accountParams, body: memberInput, response: { 201: member } } },
      async (req, reply) => reply.status(201).send(await accounts.createMember(req.ctx, req.params.accountId, req.body)),
    );

    app.get(
      '/accounts/:accountId/members',
      { schema: { tags: ['members'], summary: "List an account's members", params: accountParams, querystring: accountMemberListQuery, response: { 200: page(member) } } },
      async (req) => accounts.listAccountMembers(req.ctx.programId, req.params.accountId, req.query),
    );

    app.get(
      '/members',
      { schema: { tags: ['members'], summary: 'List members, filtered by account, role, status or text', querystring: memberListQuery, response: { 200: page(member) } } },
      async (req) => accounts.listMembers(req.ctx.programId, req.query, req.ctx.accountScope),
    );

    app.get('/members/:memberId', { schema: { tags: ['members'], summary: 'Read a member', params: memberParams, response: { 200: member } } }, async (req) =>
      accounts.getMember(req.ctx.programId, req.params.memberId),
    );

    app.patch(
      '/members/:memberId',
      { schema: { tags: ['members'], summary: 'Update a member: role, contact, consent, status (only the fields sent change)', params: memberParams, body: memberPatch, response: { 200: member } } },
      async (req) => accounts.updateMember(req.ctx, req.params.memberId, req.body),
    );
  };
}
