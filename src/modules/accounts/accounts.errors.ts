import { errorFactory } from '../../lib/domain-error.js';

export const accountErrorStatus = {
  ACCOUNT_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  ACCOUNT_EXTERNAL_ID_TAKEN: 409,
  MEMBER_EXTERNAL_ID_TAKEN: 409,
  ACCOUNT_CLOSED: 409,
  PARENT_NOT_FOUND: 422,
  PARENT_CYCLE: 422,
  ROLE_UNKNOWN: 422,
  /** Not a possible number, or national format in a program without a phone country. */
  PHONE_INVALID: 422,
} as const satisfies Record<string, number>;

export type AccountErrorCode = keyof typeof accountErrorStatus;
export const accountError = errorFactory<AccountErrorCode>(accountErrorStatus);
