import { errorFactory } from '../../lib/domain-error.js';

export const webhookErrorStatus = {
  WEBHOOK_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  /** A delivery of a deactivated subscription cannot be retried until the subscription is active again. */
  WEBHOOK_INACTIVE: 409,
} as const satisfies Record<string, number>;

export type WebhookErrorCode = keyof typeof webhookErrorStatus;
export const webhookError = errorFactory<WebhookErrorCode>(webhookErrorStatus);
