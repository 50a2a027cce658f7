import { errorFactory } from '../../lib/domain-error.js';

export const walletErrorStatus = {
  WALLET_OWNER_MISMATCH: 422,
  WALLET_OWNER_UNKNOWN: 422,
  CURSOR_INVALID: 422,
  IDEMPOTENCY_KEY_REQUIRED: 422,
} as const satisfies Record<string, number>;

export type WalletErrorCode = keyof typeof walletErrorStatus;
export const walletError = errorFactory<WalletErrorCode>(walletErrorStatus);
