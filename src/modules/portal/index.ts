export { createPortalService, CODE_TTL_MS, CODE_MAX_ATTEMPTS, PORTAL_LIMITS, type PortalService, type MemberPrincipal, type Contact, type ProgramChoice } from './portal.service.js';
export { portalRoutes } from './portal.routes.js';
export { portalErrorStatus, type PortalErrorCode } from './portal.errors.js';
export { logOnlyCodeSender, type SignInCodeSender, type SignInCode, type CodeRecipient, type CodeLog } from './portal.code-sender.js';
