import { errorFactory } from '../../lib/domain-error.js';

export const portalErrorStatus = {
  /** Wrong, expired or used up: one answer for all, so a guesser learns nothing. */
  CODE_INVALID: 401,
  RATE_LIMITED: 429,
  MEMBER_NOT_FOUND: 404,
  /** The partner opted out of incentives for its staff: company value cannot go to them. */
  EMPLOYEE_INCENTIVES_OFF: 409,
  MEMBER_NOT_ACTIVE: 409,
  /** A partner admin gives company value to colleagues, never to themself. */
  SELF_ALLOCATION: 422,
  TEST_CODE_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type PortalErrorCode = keyof typeof portalErrorStatus;
export const portalError = errorFactory<PortalErrorCode>(portalErrorStatus);
