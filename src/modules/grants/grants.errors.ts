import { errorFactory } from '../../lib/domain-error.js';

export const grantErrorStatus = {
  GRANT_NOT_FOUND: 404,
  GRANT_INVALID: 422,
  GRANT_CURRENCY_UNKNOWN: 422,
  GRANT_NO_RECIPIENTS: 422,
  GRANT_TOO_LARGE: 422,
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type GrantErrorCode = keyof typeof grantErrorStatus;
export const grantError = errorFactory<GrantErrorCode>(grantErrorStatus);
