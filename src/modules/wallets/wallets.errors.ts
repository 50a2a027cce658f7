import { errorFactory } from '../../lib/domain-error.js';

export const walletErrorStatus = {
  WALLET_OWNER_MISMATCH: 422,
  WALLET_OWNER_UNKNOWN: 422,
  CURSOR_INVALID: 422,
  IDEMPOTENCY_KEY_REQUIRED: 422,
  // Four eyes on large adjustments (#21)
  ADJUSTMENT_APPROVAL_REQUIRED: 422,
  ADJUSTMENT_REQUEST_NOT_FOUND: 404,
  ADJUSTMENT_REQUEST_NOT_PENDING: 409,
  ADJUSTMENT_SELF_APPROVAL: 422,
  CURRENCY_UNKNOWN: 422,
  // Employee incentives switched off by the company (#14)
  EMPLOYEE_INCENTIVES_OFF: 409,
} as const satisfies Record<string, number>;

export type WalletErrorCode = keyof typeof walletErrorStatus;
export const walletError = errorFactory<WalletErrorCode>(walletErrorStatus);
