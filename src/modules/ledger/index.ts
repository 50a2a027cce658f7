export { createLedgerService, type LedgerService, type LedgerResult, type WalletOwner, type CreditLeg, type PostingView, type TransactionKind, type PostedDetails, type OnPosted } from './ledger.service.js';
export { ledgerErrorStatus, type LedgerErrorCode } from './ledger.errors.js';
export { activeWalletOwners, outstandingAt, systemFlowsByMonth, topEarningAccounts } from './ledger.reports.js';
