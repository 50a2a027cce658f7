export { createWebhooksService, backoffMs, MAX_ATTEMPTS, type WebhooksService, type DeliverReport } from './webhooks.service.js';
export { webhookRoutes } from './webhooks.routes.js';
export { webhookErrorStatus, type WebhookErrorCode } from './webhooks.errors.js';
export { httpSender, type Sender, type SendResult } from './webhooks.sender.js';
export { generateSecret, sign, signatureHeaders } from './webhooks.signing.js';
