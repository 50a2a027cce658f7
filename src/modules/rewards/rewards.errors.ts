import { errorFactory } from '../../lib/domain-error.js';

/** The closed list of the rewards module's expected failures (catalog, redemptions, stamp cards, partners, fulfilment). */
export const rewardErrorStatus = {
  REWARD_NOT_FOUND: 404,
  REWARD_UNKNOWN: 422,
  REWARD_INVALID: 422,
  REWARD_EXTERNAL_ID_TAKEN: 409,
  CURRENCY_UNKNOWN: 422,
  ROLE_UNKNOWN: 422,
  PARTNER_NOT_FOUND: 404,
  PARTNER_UNKNOWN: 422,
  PARTNER_EXTERNAL_ID_TAKEN: 409,
  REDEMPTION_NOT_FOUND: 404,
  REDEMPTION_OWNER_UNKNOWN: 422,
  IDEMPOTENCY_KEY_REQUIRED: 422,
  INSUFFICIENT_BALANCE: 409,
  OUT_OF_STOCK: 409,
  NOT_ELIGIBLE: 409,
  WRONG_STATE: 409,
  VOUCHER_CODE_TAKEN: 409,
  FORBIDDEN: 403,
  STAMP_CARD_INVALID: 422,
  STAMP_CARD_NOT_FOUND: 404,
  IMPORT_INVALID: 422,
  CURSOR_INVALID: 422,
  // Reward questions (#21)
  REDEMPTION_ANSWERS_INVALID: 422,
  // Rights inside a company (#14)
  ROLE_NOT_FOUND: 404,
  COMPANY_WALLET_NOT_ALLOWED: 403,
  COMPANY_WALLET_REWARD_NOT_ALLOWED: 403,
} as const satisfies Record<string, number>;

export type RewardErrorCode = keyof typeof rewardErrorStatus;
export const rewardError = errorFactory<RewardErrorCode>(rewardErrorStatus);
