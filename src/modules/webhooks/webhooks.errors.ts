import { errorFactory } from '../../lib/domain-error.js';

export const webhookErrorStatus = {
  WEBHOOK_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  /** A delivery of a deactivated subscription cannot be retried until the subscription is active again. */
  WEBHOOK_INACTIVE: 409,
  /** The URL's host is (or resolves to) a private, loopback or link-local address, and the operator does not allow those. */
  WEBHOOK_TARGET_PRIVATE: 422,
} as const satisfies Record<string, number>;

export type WebhookErrorCode = keyof typeof webhookErrorStatus;
export const webhookError = errorFactory<WebhookErrorCode>(webhookErrorStatus);
