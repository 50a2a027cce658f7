import type { Bucket } from './ledger.repo.js';

/** The ledger's write and answer shapes, shared by the one-at-a-time ledger (ledger.service.ts) and the batch path (ledger.batch.ts). */

/** The owner of a wallet that holds value for someone: a company or one of its employees. */
export type WalletOwner = { type: 'account'; accountId: string } | { type: 'member'; memberId: string; accountId: string };

/** `offboard_transfer` / `offboard_forfeit`: a leaving member's balance moved to the company or removed (ledger.offboard.ts). */
export type TransactionKind = 'earn' | 'adjust' | 'redeem' | 'transfer' | 'hold' | 'release' | 'expire' | 'mature' | 'reverse' | 'offboard_transfer' | 'offboard_forfeit';

/** What every write carries: the idempotency key and what the posting set refers to. */
export type WriteCommon = {
  idempotencyKey: string;
  memo?: string | null;
  eventId?: string | null;
  redemptionId?: string | null;
  metadata?: Record<string, unknown>;
  /** When the change happens; defaults to now. Tests and jobs set it. */
  at?: Date;
};

export type CreditLeg = {
  to: WalletOwner;
  currency: string;
  amount: bigint;
  /** A date in the future makes the credit pending until then. */
  availableAt?: Date | null;
  /** Absent: the currency's expiry rule decides; null: never expires. */
  expiresAt?: Date | null;
  ruleId?: string | null;
};

export type PostingView = {
  walletId: string;
  ownerType: 'account' | 'member' | 'system';
  ownerId: string;
  accountId: string | null;
  bucket: Bucket;
  currency: string;
  amount: bigint;
  ruleId: string | null;
};

export type LedgerResult = {
  transactionId: string;
  kind: TransactionKind;
  at: Date;
  replayed: boolean;
  holdId: string | null;
  postings: PostingView[];
  /** For a reversal that was told to take only what is there: what it could not take back. */
  shortfall?: bigint;
};

/** The kinds of the public entry list (API.md): offboarding shows as the transfer or expiry it is, its memo saying why. */
export type PublicEntryKind = Exclude<TransactionKind, 'offboard_transfer' | 'offboard_forfeit'>;

export function publicEntryKind(kind: string): PublicEntryKind {
  if (kind === 'offboard_transfer') return 'transfer';
  if (kind === 'offboard_forfeit') return 'expire';
  return kind as PublicEntryKind;
}
