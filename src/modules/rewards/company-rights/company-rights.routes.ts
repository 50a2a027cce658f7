import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { code, problem } from '../../../contracts/common.js';
import { companyWalletRightsInput, companyWalletRightsView } from '../../../contracts/rewards.js';
import type { CompanyRightsService } from './company-rights.service.js';

const params = z.object({ code }).strict();

/** Rights inside a company (#14): `/roles/:code/rights` and the list of every role's rights. */
export function companyRightsRoutes(rights: CompanyRightsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/company-rights',
      { schema: { tags: ['program'], summary: "Every role's rights on its company's wallet (roles never set: no redemption)", response: { 200: z.object({ items: z.array(companyWalletRightsView) }) } } },
      async (req) => ({ items: await rights.list(req.ctx.programId) }),
    );
    app.get(
      '/roles/:code/rights',
      { schema: { tags: ['program'], summary: "A role's rights on its company's wallet: may redeem, limits without approval, which rewards", params, response: { 200: companyWalletRightsView, 404: problem } } },
      async (req) => rights.get(req.ctx.programId, req.params.code),
    );
    app.put(
      '/roles/:code/rights',
      {
        schema: {
          tags: ['program'],
          summary: "Set a role's rights on its company's wallet (replaces them): over a limit a redemption waits for the partner admin's approval",
          params,
          body: companyWalletRightsInput,
          response: { 200: companyWalletRightsView, 404: problem, 422: problem },
        },
      },
      async (req) => rights.put(req.ctx, req.params.code, req.body),
    );
  };
}
