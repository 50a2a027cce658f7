export { createMessagingService, backoffMs, MAX_ATTEMPTS, type MessagingService, type MessagingDeps, type DeliverReport, type Notification } from './messaging.service.js';
export { createCampaignsService, type CampaignsService } from './campaigns.service.js';
export { messagingRoutes } from './messaging.routes.js';
export { messagingErrorStatus, type MessagingErrorCode } from './messaging.errors.js';
export { messagingCodeSender, SIGN_IN_CODE, CODE_MASK } from './sign-in-codes.js';
