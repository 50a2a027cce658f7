import { errorFactory } from '../../lib/domain-error.js';

export const rebateErrorStatus = {
  REBATE_NOT_FOUND: 404,
  REBATE_INVALID: 422,
  REBATE_PERIOD_INVALID: 422,
  REBATE_PERIOD_OPEN: 409,
  REBATE_ARCHIVED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type RebateErrorCode = keyof typeof rebateErrorStatus;
export const rebateError = errorFactory<RebateErrorCode>(rebateErrorStatus);
