import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { catalogRoutes } from './catalog/catalog.routes.js';
import { companyRightsRoutes } from './company-rights/company-rights.routes.js';
import { fulfilmentRoutes } from './fulfilment/fulfilment.routes.js';
import { partnerRoutes } from './partners/partners.routes.js';
import { redemptionRoutes } from './redemptions/redemptions.routes.js';
import type { RewardsService } from './rewards.service.js';
import { stampCardRoutes } from './stamp-cards/stamp-cards.routes.js';

/** `/rewards`, `/redemptions`, `/partners` and `/currencies/:code/stamp-card`. */
export function rewardRoutes(rewards: RewardsService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(catalogRoutes(rewards.catalog));
    await app.register(partnerRoutes(rewards.partners));
    await app.register(redemptionRoutes(rewards.redemptions));
    await app.register(fulfilmentRoutes(rewards.fulfilment));
    await app.register(stampCardRoutes(rewards.stampCards));
    await app.register(companyRightsRoutes(rewards.companyRights));
  };
}
