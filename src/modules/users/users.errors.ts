import { errorFactory } from '../../lib/domain-error.js';

export const userErrorStatus = {
  USER_NOT_FOUND: 404,
  USER_EMAIL_TAKEN: 409,
  /** A program manager may not create, change or promote owners. */
  OWNER_REQUIRED: 403,
  /** The last active owner cannot be disabled or demoted: nobody could manage the program then. */
  LAST_OWNER: 409,
  INVALID_CREDENTIALS: 401,
  RATE_LIMITED: 429,
} as const satisfies Record<string, number>;

export type UserErrorCode = keyof typeof userErrorStatus;
export const userError = errorFactory<UserErrorCode>(userErrorStatus);
