import { errorFactory } from '../../lib/domain-error.js';

export const programErrorStatus = {
  PROGRAM_NOT_FOUND: 404,
  /** Program codes are unique: they are the portal's sign-in addresses. */
  PROGRAM_CODE_TAKEN: 409,
  CURRENCY_EXISTS: 409,
  CURRENCY_NOT_FOUND: 404,
  CURRENCY_INVALID: 422,
  ROLE_EXISTS: 409,
  ROLE_NOT_FOUND: 404,
  EVENT_TYPE_EXISTS: 409,
  API_KEY_NOT_FOUND: 404,
  /** A key never holds a permission its creator does not hold. */
  API_KEY_SCOPE_EXCEEDS_CREATOR: 403,
  UNAUTHENTICATED: 401,
} as const satisfies Record<string, number>;

export type ProgramErrorCode = keyof typeof programErrorStatus;
export const programError = errorFactory<ProgramErrorCode>(programErrorStatus);
