import type { Permission } from '../contracts/permissions.js';

/**
 * How an account manager limited to their own accounts is kept to them on a route:
 * - `list`: the handler narrows its list with `request.ctx.accountScope`;
 * - `accountParam` / `memberParam` / `eventParam`: the path parameter naming the object, whose account is checked;
 * - `walletBody`: `accountId` / `memberId` in the body (adjustments);
 * - `transferBody`: `from` / `to` wallet references in the body.
 * An unassigned object answers exactly as an unknown one would (404, or 422 for a body reference).
 * A route of an account-bound permission without a scope is refused to such a manager (fail closed).
 */
export type AccountScope = { list: true } | { accountParam: string } | { memberParam: string } | { eventParam: string } | { walletBody: true } | { transferBody: true };

/**
 * What a route needs:
 * - `public`: nothing (sign-in, health);
 * - `session`: a browser session, of a console user (`user`) or of anyone (`any`);
 * - `portal`: a partner-portal member (a partner admin if `partnerAdmin`);
 * - `permission`: an API key (every permission) or a console user whose role has it.
 */
export type RouteAccess =
  | { public: true }
  | { session: 'user' | 'any' }
  | { portal: true; partnerAdmin?: true }
  | { permission: Permission; scope?: AccountScope };

const read = (permission: Permission, scope?: AccountScope): RouteAccess => ({ permission, ...(scope ? { scope } : {}) });
const write = read;

/**
 * Every route under /api/v1, by `METHOD path` as registered (without the /api/v1 prefix). A route
 * missing here is refused to every console user and member (API keys still pass), and fails the
 * route-table test: a new route cannot slip through without saying who may call it.
 */
export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  'GET /health': { public: true },
  'GET /openapi.json': { public: true },

  // Console users and sessions (src/modules/users)
  'POST /auth/login': { public: true },
  'POST /auth/logout': { session: 'any' },
  'GET /auth/me': { session: 'user' },
  'POST /users': write('users:write'),
  'GET /users': read('users:read'),
  'GET /users/:userId': read('users:read'),
  'PATCH /users/:userId': write('users:write'),

  // Program setup
  'GET /program': read('program:read'),
  'PATCH /program': write('program:write'),
  'POST /currencies': write('program:write'),
  'GET /currencies': read('program:read'),
  'POST /roles': write('program:write'),
  'GET /roles': read('program:read'),
  'POST /event-types': write('program:write'),
  'GET /event-types': read('program:read'),
  'POST /api-keys': write('api_keys:manage'),
  'GET /api-keys': read('api_keys:manage'),
  'DELETE /api-keys/:keyId': write('api_keys:manage'),

  // Accounts and members
  'POST /accounts': write('accounts:write'),
  'GET /accounts': read('accounts:read', { list: true }),
  'GET /accounts/facets': read('accounts:read', { list: true }),
  'GET /accounts/:accountId': read('accounts:read', { accountParam: 'accountId' }),
  'PATCH /accounts/:accountId': write('accounts:write', { accountParam: 'accountId' }),
  'POST /accounts/:accountId/members': write('accounts:write', { accountParam: 'accountId' }),
  'GET /accounts/:accountId/members': read('accounts:read', { accountParam: 'accountId' }),
  'GET /members': read('accounts:read', { list: true }),
  'GET /members/:memberId': read('accounts:read', { memberParam: 'memberId' }),
  'PATCH /members/:memberId': write('accounts:write', { memberParam: 'memberId' }),

  // Value
  'GET /accounts/:accountId/wallets': read('accounts:read', { accountParam: 'accountId' }),
  'GET /accounts/:accountId/entries': read('accounts:read', { accountParam: 'accountId' }),
  'GET /members/:memberId/wallets': read('accounts:read', { memberParam: 'memberId' }),
  'GET /members/:memberId/entries': read('accounts:read', { memberParam: 'memberId' }),
  'POST /adjustments': write('value:adjust', { walletBody: true }),
  'POST /transfers': write('value:adjust', { transferBody: true }),

  // Funds (src/modules/funds)
  'POST /funds': write('program:write'),
  'GET /funds': read('program:read'),
  'GET /funds/:id': read('program:read'),
  'GET /funds/:id/allocations': read('program:read'),
  'POST /funds/:id/allocations': write('value:adjust', { walletBody: true }),
  'GET /accounts/:accountId/funds': read('accounts:read', { accountParam: 'accountId' }),

  // Claims against funds, sales claims (src/modules/funds/claims.*)
  'POST /claims': write('claims:write'),
  'GET /claims': read('claims:read'),
  'GET /claims/:id': read('claims:read'),
  'POST /claims/:id/documents': write('claims:write'),
  'GET /claims/:id/documents/:documentId': read('claims:read'),
  'POST /claims/:id/documents/:documentId/decision': write('claims:write'),
  'POST /claims/:id/submit': write('claims:write'),
  'POST /claims/:id/approve': write('claims:write'),
  'POST /claims/:id/reject': write('claims:write'),
  'POST /claims/:id/request-info': write('claims:write'),
  'POST /claims/:id/pay': write('claims:write'),
  'POST /claims/:id/cancel': write('claims:write'),
  'POST /claims/valid-serials': write('claims:write'),
  'POST /claims/bulk-approve': write('claims:write'),
  'GET /portal/funds': { portal: true },
  'GET /portal/claims': { portal: true },
  'POST /portal/claims': { portal: true },
  'GET /portal/claims/:id': { portal: true },
  'POST /portal/claims/:id/documents': { portal: true },
  'GET /portal/claims/:id/documents/:documentId': { portal: true },
  'POST /portal/claims/:id/submit': { portal: true },
  'POST /portal/claims/:id/cancel': { portal: true },
  // Volume rebates (src/modules/rebates, #14)
  'POST /rebates': write('program:write'),
  'GET /rebates': read('program:read'),
  'GET /rebates/:id': read('program:read'),
  'PATCH /rebates/:id': write('program:write'),
  'GET /rebates/:id/standings': read('accounts:read', { list: true }),
  'POST /rebates/:id/settlements': write('program:write'),
  'GET /rebates/:id/settlements': read('accounts:read', { list: true }),
  'GET /accounts/:accountId/rebates': read('accounts:read', { accountParam: 'accountId' }),
  'GET /portal/rebates': { portal: true },
  // SPIFFs (src/modules/spiffs, #13)
  'POST /spiffs': write('program:write'),
  'GET /spiffs': read('program:read'),
  'GET /spiffs/:id': read('program:read'),
  'PATCH /spiffs/:id': write('program:write'),
  'GET /spiffs/:id/report': read('accounts:read', { list: true }),
  'GET /portal/spiffs': { portal: true },
  // Account health (src/modules/health, #16)
  'GET /accounts/:accountId/health': read('accounts:read', { accountParam: 'accountId' }),
  'GET /health/accounts': read('accounts:read', { list: true }),
  // Courses (src/modules/courses, #19)
  'POST /courses': write('program:write'),
  'GET /courses': read('program:read'),
  'GET /courses/:id': read('program:read'),
  'PATCH /courses/:id': write('program:write'),
  'POST /courses/files': write('program:write'),
  'GET /courses/:id/files/:fileId': read('program:read'),
  'POST /courses/:id/attempts': write('program:write'),
  'GET /courses/:id/report': read('reports:read'),
  'GET /portal/courses': { portal: true },
  'GET /portal/courses/:id': { portal: true },
  'POST /portal/courses/:id/lessons/:lessonId/done': { portal: true },
  'POST /portal/courses/:id/attempts': { portal: true },
  'GET /portal/courses/:id/files/:fileId': { portal: true },
  'GET /portal/courses/:id/certificate': { portal: true },
  'GET /certificates/:token': { public: true },

  // Events and rules
  'POST /events': write('events:write'),
  'POST /events/batch': write('events:write'),
  'GET /events': read('events:read', { list: true }),
  'GET /events/:eventId': read('events:read', { eventParam: 'eventId' }),
  'POST /rules': write('rules:write'),
  'GET /rules': read('rules:read'),
  'GET /rules/:id': read('rules:read'),
  'PATCH /rules/:id': write('rules:write'),
  'DELETE /rules/:id': write('rules:write'),
  'GET /rules/:id/versions': read('rules:read'),
  // Writes nothing, but runs a rule over months of events: for those who design rules.
  'POST /rules/:id/simulate': write('rules:write'),

  // Tiers and discounts
  'POST /tiers': write('tiers:write'),
  'GET /tiers': read('tiers:read'),
  'GET /tiers/:code': read('tiers:read'),
  'PATCH /tiers/:code': write('tiers:write'),
  'POST /tiers/evaluate': write('tiers:write'),
  'GET /tier-ladders': read('tiers:read'),
  'PUT /tier-ladders/:ladder': write('tiers:write'),
  'GET /discounts/accumulative': read('tiers:read'),
  'PUT /discounts/accumulative': write('tiers:write'),
  'GET /accounts/:accountId/discount': read('tiers:read', { accountParam: 'accountId' }),
  'GET /accounts/:accountId/tier': read('tiers:read', { accountParam: 'accountId' }),
  'GET /accounts/:accountId/tier-changes': read('tiers:read', { accountParam: 'accountId' }),
  'PUT /accounts/:accountId/tier-override': write('tiers:write', { accountParam: 'accountId' }),
  'DELETE /accounts/:accountId/tier-override': write('tiers:write', { accountParam: 'accountId' }),

  // Rewards
  'POST /rewards': write('rewards:write'),
  'GET /rewards': read('rewards:read'),
  'GET /rewards/categories': read('rewards:read'),
  'GET /rewards/:rewardId': read('rewards:read'),
  'PATCH /rewards/:rewardId': write('rewards:write'),
  'POST /partners': write('rewards:write'),
  'GET /partners': read('rewards:read'),
  'GET /partners/:partnerId': read('rewards:read'),
  'PATCH /partners/:partnerId': write('rewards:write'),
  'GET /partners/:partnerId/settlement': read('rewards:read'),
  'PUT /currencies/:currency/stamp-card': write('rewards:write'),
  'GET /currencies/:currency/stamp-card': read('rewards:read'),
  'DELETE /currencies/:currency/stamp-card': write('rewards:write'),
  'POST /redemptions': write('redemptions:write'),
  'GET /redemptions': read('redemptions:read'),
  'GET /redemptions/fulfilment-export': read('redemptions:read'),
  'POST /redemptions/fulfilment-import': write('redemptions:write'),
  'GET /redemptions/:redemptionId': read('redemptions:read'),
  'POST /redemptions/:redemptionId/approve': write('redemptions:write'),
  'POST /redemptions/:redemptionId/fulfil': write('redemptions:write'),
  'POST /redemptions/:redemptionId/cancel': write('redemptions:write'),
  'POST /redemptions/:redemptionId/reject': write('redemptions:write'),

  // Operations and reports
  'GET /audit': read('audit:read'),
  'GET /reports/dashboard': read('reports:read'),
  // analytics (#18)
  'GET /reports/kpis': read('reports:read'),
  'GET /reports/pilot': read('reports:read'),
  'GET /reports/cohorts': read('reports:read'),
  'GET /reports/plan': read('reports:read'),
  'PUT /reports/plan': write('program:write'),
  'POST /webhooks': write('webhooks:write'),
  'GET /webhooks': read('webhooks:read'),
  'GET /webhooks/:id': read('webhooks:read'),
  'PATCH /webhooks/:id': write('webhooks:write'),
  'DELETE /webhooks/:id': write('webhooks:write'),
  // Answers a new secret: for those who may change the subscription, not for readers.
  'POST /webhooks/:id/rotate-secret': write('webhooks:write'),
  'GET /webhooks/:id/deliveries': read('webhooks:read'),
  'POST /webhooks/deliveries/:deliveryId/retry': write('webhooks:write'),
  // File imports (src/modules/imports); running one also takes events:write or accounts:write, checked by kind in the route
  'POST /imports': write('imports:write'),
  'GET /imports': read('imports:read'),
  'GET /imports/:importId': read('imports:read'),
  'POST /imports/:importId/preview': read('imports:read'),
  'POST /imports/:importId/run': write('imports:write'),
  'GET /imports/:importId/rejects': read('imports:read'),

  // Messaging (src/modules/messaging); a member's messages and preferences are one account's data
  'POST /channels': write('messaging:write'),
  'GET /channels': read('messaging:read'),
  'GET /channels/:id': read('messaging:read'),
  'PATCH /channels/:id': write('messaging:write'),
  'POST /templates': write('messaging:write'),
  'GET /templates': read('messaging:read'),
  'PUT /templates/:key/:channel/:locale': write('messaging:write'),
  // Writes nothing, but is where templates are written.
  'POST /templates/preview': read('messaging:read'),
  'GET /messaging/settings': read('messaging:read'),
  'PUT /messaging/settings': write('messaging:write'),
  'GET /members/:memberId/preferences': read('accounts:read', { memberParam: 'memberId' }),
  'PATCH /members/:memberId/preferences': write('accounts:write', { memberParam: 'memberId' }),
  'GET /members/:memberId/messages': read('accounts:read', { memberParam: 'memberId' }),
  'GET /messages/:id': read('messaging:read'),
  'GET /messaging/dev-mailbox': read('messaging:read'),
  'POST /campaigns': write('messaging:write'),
  'GET /campaigns': read('messaging:read'),
  'GET /campaigns/:id': read('messaging:read'),
  'POST /campaigns/:id/preview': read('messaging:read'),
  'POST /campaigns/:id/send': write('messaging:write'),
  'POST /campaigns/:id/cancel': write('messaging:write'),
  'GET /campaigns/:id/reach': read('messaging:read'),
  'GET /reach': read('messaging:read'),
  // Signed links in messages: the signature is the credential.
  'GET /t/o/:token': { public: true },
  'GET /t/c/:token': { public: true },
  'GET /messaging/unsubscribe': { public: true },
  'POST /messaging/unsubscribe': { public: true },

  // Partner portal (src/modules/portal): members only, each sees only themselves and their company
  'POST /portal/auth/request': { public: true },
  'POST /portal/auth/verify': { public: true },
  'GET /portal/auth/test-code': { public: true },
  'GET /portal/programs/:code': { public: true },
  'POST /portal/auth/logout': { session: 'any' },
  'GET /portal/me': { portal: true },
  'GET /portal/wallets': { portal: true },
  'GET /portal/entries': { portal: true },
  'GET /portal/company': { portal: true, partnerAdmin: true },
  'POST /portal/transfers': { portal: true, partnerAdmin: true },
  'GET /portal/rewards': { portal: true },
  'GET /portal/redemptions': { portal: true },
  'POST /portal/redemptions': { portal: true },
  'GET /portal/tier': { portal: true },
  'GET /portal/inbox': { portal: true },
  'POST /portal/inbox/:id/read': { portal: true },
  'GET /portal/preferences': { portal: true },
  'PATCH /portal/preferences': { portal: true },

  // Web Push opt-in in the portal (#12)
  'GET /portal/push': { portal: true },
  'PUT /portal/push/subscription': { portal: true },
  'DELETE /portal/push/subscription': { portal: true },

  // Club events and success stories (src/modules/club, #19)
  'POST /club-events': write('club:write'),
  'GET /club-events': read('club:read'),
  'GET /club-events/no-shows': read('club:read'),
  'GET /club-events/:id': read('club:read'),
  'PATCH /club-events/:id': write('club:write'),
  'GET /club-events/:id/rsvps': read('club:read'),
  'POST /club-events/:id/rsvp': write('club:write'),
  'POST /club-events/:id/invitations': write('club:write'),
  'POST /club-events/:id/check-in': write('club:write'),
  'GET /club-events/:id/event.ics': read('club:read'),
  'GET /club-stories': read('club:read'),
  'GET /club-stories/:id': read('club:read'),
  'GET /club-stories/:id/photos/:photoId': read('club:read'),
  'POST /club-stories/:id/publish': write('club:write'),
  'POST /club-stories/:id/reject': write('club:write'),
  'GET /portal/club-events': { portal: true },
  'POST /portal/club-events/:id/rsvp': { portal: true },
  'GET /portal/club-events/:id/ticket': { portal: true },
  'GET /portal/club-events/:id/event.ics': { portal: true },
  'GET /portal/club-stories': { portal: true },
  'POST /portal/club-stories': { portal: true },
  'POST /portal/club-stories/:id/photos': { portal: true },
  'GET /portal/club-stories/:id/photos/:photoId': { portal: true },
  // Four eyes on large adjustments (#21). Anyone who adjusts may ask; listing and deciding is
  // `adjustments:approve` (owners, program managers, keys given it), program-wide, so never an account manager.
  'GET /adjustment-thresholds': read('program:read'),
  'PUT /adjustment-thresholds': write('program:write'),
  'POST /adjustment-requests': write('value:adjust', { walletBody: true }),
  'GET /adjustment-requests': read('adjustments:approve'),
  'GET /adjustment-requests/:id': read('adjustments:approve'),
  'POST /adjustment-requests/:id/approve': write('adjustments:approve'),
  'POST /adjustment-requests/:id/reject': write('adjustments:approve'),
  // Surveys and follow-up tasks (src/modules/surveys, #16)
  'POST /surveys': write('surveys:write'),
  'GET /surveys': read('surveys:read'),
  'GET /surveys/:id': read('surveys:read'),
  'PATCH /surveys/:id': write('surveys:write'),
  'POST /surveys/:id/responses': write('surveys:write'),
  'GET /surveys/:id/results': read('surveys:read'),
  'POST /surveys/:id/links': write('surveys:write'),
  'GET /surveys/:id/responses': read('surveys:read', { list: true }),
  'PUT /survey-responses/:id/tags': write('surveys:write'),
  'GET /tasks': read('surveys:read', { list: true }),
  'PATCH /tasks/:id': write('tasks:write', { list: true }),
  'GET /s/:token': { public: true },
  'POST /s/:token': { public: true },
  'GET /s/:token/survey': { public: true },
  'GET /portal/surveys': { portal: true },
  'POST /portal/surveys/:token/answers': { portal: true },
  // Virtual loyalty cards (src/modules/cards, #17)
  'POST /card-designs': write('program:write'),
  'GET /card-designs': read('program:read'),
  'GET /card-designs/:id/preview': read('program:write'),
  'GET /cards/resolve/:token': read('program:read'),
  'PUT /card-issuers/apple': write('program:write'),
  'GET /card-issuers/apple': read('program:read'),
  'PUT /card-issuers/google': write('program:write'),
  'GET /card-issuers/google': read('program:read'),
  'GET /members/:memberId/card.pkpass': read('accounts:read', { memberParam: 'memberId' }),
  'GET /members/:memberId/card/google': read('accounts:read', { memberParam: 'memberId' }),
  'GET /portal/card.pkpass': { portal: true },
  'GET /portal/card/google': { portal: true },
  // Apple's PassKit web service: each call proves itself with the pass's ApplePass token.
  'POST /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber': { public: true },
  'DELETE /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber': { public: true },
  'GET /passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier': { public: true },
  'GET /passkit/v1/passes/:passTypeIdentifier/:serialNumber': { public: true },
  'POST /passkit/v1/log': { public: true },

  // Join by QR (src/modules/join, #17): the page and its JSON twin are public (proof of work, rate limit); decisions in the console and by the company's partner admin
  'GET /join/settings': read('join:read'),
  'PUT /join/settings': write('join:write'),
  'GET /accounts/:accountId/join-link': read('join:read', { accountParam: 'accountId' }),
  'GET /join-requests': read('join:read'),
  'GET /join-requests/:id': read('join:read'),
  'POST /join-requests/:id/approve': write('join:write'),
  'POST /join-requests/:id/reject': write('join:write'),
  'GET /portal/join-requests': { portal: true, partnerAdmin: true },
  'POST /portal/join-requests/:id/approve': { portal: true, partnerAdmin: true },
  'POST /portal/join-requests/:id/reject': { portal: true, partnerAdmin: true },
  'GET /portal/join/link': { portal: true, partnerAdmin: true },
  'GET /j/pow.js': { public: true },
  'GET /j/:code': { public: true },
  'POST /j/:code': { public: true },
  'GET /j/:code/form': { public: true },
  'POST /j/:code/challenge': { public: true },
  'POST /j/:code/requests': { public: true },

  // Rights inside a company (#14): roles' rights on the company wallet; the partner admin's approvals in the portal
  'GET /company-rights': read('program:read'),
  'GET /roles/:code/rights': read('program:read'),
  'PUT /roles/:code/rights': write('program:write'),
  'GET /portal/company-rights': { portal: true },
  'GET /portal/approvals': { portal: true, partnerAdmin: true },
  'POST /portal/approvals/:id/approve': { portal: true, partnerAdmin: true },
  'POST /portal/approvals/:id/refuse': { portal: true, partnerAdmin: true },
  // Bulk grants (src/modules/grants, #14)
  'POST /grants/preview': read('grants:write'),
  'POST /grants': write('grants:write'),
  'GET /grants': read('grants:read'),
  'GET /grants/:id': read('grants:read'),
  'GET /grants/:id/recipients': read('grants:read'),
};

/** The access rule of a route; HEAD follows its GET. `url` is the path as registered, with or without /api/v1. */
export function routeAccess(method: string, url: string): RouteAccess | undefined {
  const path = url.startsWith('/api/v1/') ? url.slice('/api/v1'.length) : url;
  return ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}
