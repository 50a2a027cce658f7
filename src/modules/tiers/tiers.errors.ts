import { errorFactory } from '../../lib/domain-error.js';

export const tierErrorStatus = {
  TIER_NOT_FOUND: 404,
  TIER_EXISTS: 409,
  TIER_INVALID: 422,
  TIER_UNKNOWN: 422,
  LADDER_INVALID: 422,
  ACCUMULATIVE_INVALID: 422,
  OVERRIDE_INVALID: 422,
  OVERRIDE_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type TierErrorCode = keyof typeof tierErrorStatus;
export const tierError = errorFactory<TierErrorCode>(tierErrorStatus);
