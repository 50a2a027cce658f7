import { errorFactory } from '../../lib/domain-error.js';

export const cardErrorStatus = {
  CARD_DESIGN_NOT_FOUND: 404,
  CARD_DESIGN_INVALID: 422,
  CARD_IMAGE_INVALID: 422,
  CARD_TOKEN_INVALID: 404,
  CARD_ISSUER_INVALID: 422,
  CARD_ISSUER_NOT_SET: 409,
  CARD_SECRET_KEY_MISSING: 409,
  CARD_NOT_FOUND: 404,
  CARD_UNAUTHORIZED: 401,
} as const satisfies Record<string, number>;

export type CardErrorCode = keyof typeof cardErrorStatus;
export const cardError = errorFactory<CardErrorCode>(cardErrorStatus);
