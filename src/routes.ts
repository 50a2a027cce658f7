import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from './services.js';
import { accountRoutes } from './modules/accounts/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { eventRoutes } from './modules/events/index.js';
import { importRoutes } from './modules/imports/index.js';
import { messagingRoutes } from './modules/messaging/index.js';
import { portalRoutes } from './modules/portal/index.js';
import { programRoutes } from './modules/programs/index.js';
import { reportRoutes } from './modules/reports/index.js';
import { rewardRoutes } from './modules/rewards/index.js';
import { ruleRoutes } from './modules/rules/index.js';
import { tierRoutes } from './modules/tiers/index.js';
import { userRoutes } from './modules/users/index.js';
import { adjustmentApprovalRoutes, walletRoutes } from './modules/wallets/index.js';
import { claimRoutes, fundRoutes } from './modules/funds/index.js';
import { webhookRoutes } from './modules/webhooks/index.js';
import { rebateRoutes } from './modules/rebates/index.js';
import { spiffRoutes } from './modules/spiffs/index.js';
// Bulk grants (#14)
import { grantRoutes } from './modules/grants/index.js';
import { healthRoutes } from './modules/health/index.js';
import { clubRoutes } from './modules/club/index.js';
import { surveyRoutes } from './modules/surveys/index.js';
import { courseRoutes } from './modules/courses/index.js';
import { cardRoutes } from './modules/cards/index.js';
import { joinRoutes } from './modules/join/index.js';

/** Every route under /api/v1, module by module; who may call each is in src/http/route-access.ts. */
export function apiRoutes(s: Services, opts: { testEndpoints?: boolean } = {}): FastifyPluginAsyncZod {
  return async (api) => {
    await api.register(userRoutes(s.users, s.sessions));
    await api.register(portalRoutes(s.portal, s.sessions, { testEndpoints: opts.testEndpoints === true }));
    await api.register(programRoutes(s.programs));
    await api.register(accountRoutes(s.accounts));
    await api.register(walletRoutes(s.wallets));
    await api.register(ruleRoutes(s.rules));
    await api.register(eventRoutes(s.events, s));
    await api.register(rewardRoutes(s.rewards));
    await api.register(tierRoutes(s.tiers));
    await api.register(auditRoutes(s.audit));
    await api.register(reportRoutes(s.reports));
    await api.register(webhookRoutes(s.webhooks));
    await api.register(importRoutes(s.imports));
    await api.register(messagingRoutes(s.messaging, s.campaigns));
    await api.register(fundRoutes(s.funds));
    await api.register(claimRoutes(s.claims, s.funds));
    // Volume rebates (#14)
    await api.register(rebateRoutes(s.rebates));
    // SPIFFs (#13)
    await api.register(spiffRoutes(s.spiffs));
    // Account health (#16)
    await api.register(healthRoutes(s.health));
    // Club events and success stories (#19)
    await api.register(clubRoutes(s.club));
    // Four eyes on large adjustments (#21)
    await api.register(adjustmentApprovalRoutes(s.adjustmentApprovals));
    // Surveys and follow-up tasks (#16)
    await api.register(surveyRoutes(s.surveys));
    // Courses (#19)
    await api.register(courseRoutes(s.courses));
    // Virtual loyalty cards (#17)
    await api.register(cardRoutes(s.cards));
    // Join by QR (#17)
    await api.register(joinRoutes(s.join));
    // Bulk grants (#14)
    await api.register(grantRoutes(s.grants));
  };
}
