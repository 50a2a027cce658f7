import { errorFactory } from '../../lib/domain-error.js';

export const spiffErrorStatus = {
  SPIFF_NOT_FOUND: 404,
  SPIFF_INVALID: 422,
  SPIFF_ARCHIVED: 409,
  SPIFF_NAME_TAKEN: 409,
} as const satisfies Record<string, number>;

export type SpiffErrorCode = keyof typeof spiffErrorStatus;
export const spiffError = errorFactory<SpiffErrorCode>(spiffErrorStatus);
