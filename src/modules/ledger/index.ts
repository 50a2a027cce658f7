export { createLedgerService, type LedgerService, type LedgerResult, type WalletOwner, type CreditLeg, type PostingView, type TransactionKind, type PostedDetails, type OnPosted } from './ledger.service.js';
export { ledgerErrorStatus, type LedgerErrorCode } from './ledger.errors.js';
export { activeWalletOwners, outstandingAt, outstandingDebt, systemFlowsByMonth, topEarningAccounts, participantFlowsByDay, issueCohorts, activeWalletAccountsBetween, type ParticipantFlow } from './ledger.reports.js';
export { ledgerChecks, ledgerSize, overdueLots, PROBLEM_LIMIT, type LedgerCheck, type LedgerProblem } from './ledger.doctor.js';
export { exportLedgerPostings, resolvePeriodBound, LEDGER_EXPORT_COLUMNS, type LedgerExportRow } from './ledger.export.js';
export { creditMany, type CreditInput, type SystemWalletMemo } from './ledger.batch.js';
export { walletsByRef, type WalletBalances } from './ledger.wallet-reads.js';
export type { OnPostedMany } from './ledger.due.js';
export type { DueOptions } from './ledger.expiry.js';
export { publicEntryKind, type PublicEntryKind } from './ledger.types.js'; // offboarding (#14)
