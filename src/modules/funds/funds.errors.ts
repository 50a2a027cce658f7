import { errorFactory } from '../../lib/domain-error.js';

export const fundErrorStatus = {
  FUND_NOT_FOUND: 404,
  FUND_INVALID: 422,
  FUND_ACCOUNT_UNKNOWN: 422,
  FUND_OVER_BUDGET: 409,
  FUND_CLOSED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type FundErrorCode = keyof typeof fundErrorStatus;
export const fundError = errorFactory<FundErrorCode>(fundErrorStatus);
