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
  /** `GET /portal/programs/:code`: no program has this public code. */
  PROGRAM_NOT_FOUND: 404,
  /** Not a possible number, or a national number where no phone country is known. */
  PHONE_INVALID: 422,
  /** Value moves from the portal only with an Idempotency-Key, so a retry on a weak network never moves it twice. */
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type PortalErrorCode = keyof typeof portalErrorStatus;
export const portalError = errorFactory<PortalErrorCode>(portalErrorStatus);
