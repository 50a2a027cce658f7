import { errorFactory } from '../../lib/domain-error.js';

export const claimErrorStatus = {
  CLAIM_NOT_FOUND: 404,
  CLAIM_DOCUMENT_NOT_FOUND: 404,
  CLAIM_INVALID: 422,
  CLAIM_STATE: 409,
  CLAIM_DUPLICATE: 409,
  CLAIM_OVER_RULE: 422,
  CLAIM_FILE_REFUSED: 415,
  CLAIM_FILE_EMPTY: 422,
  CLAIM_LATE: 422,
} as const satisfies Record<string, number>;

export type ClaimErrorCode = keyof typeof claimErrorStatus;
export const claimError = errorFactory<ClaimErrorCode>(claimErrorStatus);
