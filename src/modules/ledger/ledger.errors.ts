import { errorFactory } from '../../lib/domain-error.js';

export const ledgerErrorStatus = {
  INSUFFICIENT_BALANCE: 409,
  BALANCE_OUT_OF_RANGE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 422,
  CURRENCY_UNKNOWN: 422,
  AMOUNT_INVALID: 422,
  UNBALANCED: 500,
  HOLD_NOT_FOUND: 404,
  HOLD_NOT_OPEN: 409,
  TRANSACTION_NOT_FOUND: 404,
  NOT_REVERSIBLE: 409,
  TRANSFER_ACROSS_ACCOUNTS: 422,
  TRANSFER_SAME_WALLET: 422,
  WALLET_OWNER_INVALID: 422,
} as const satisfies Record<string, number>;

export type LedgerErrorCode = keyof typeof ledgerErrorStatus;
export const ledgerError = errorFactory<LedgerErrorCode>(ledgerErrorStatus);
