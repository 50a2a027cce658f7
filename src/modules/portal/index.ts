export { createPortalService, CODE_TTL_MS, CODE_MAX_ATTEMPTS, PORTAL_LIMITS, type PortalService, type MemberPrincipal, type Contact } from './portal.service.js';
export { portalRoutes } from './portal.routes.js';
export { portalErrorStatus, type PortalErrorCode } from './portal.errors.js';
