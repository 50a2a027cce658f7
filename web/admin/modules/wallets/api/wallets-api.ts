import type { z } from 'zod';
import type { adjustmentInput, entryView, transferInput, walletView } from '@contracts/wallets';
import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';

export type WalletView = z.infer<typeof walletView>;
export type EntryView = z.infer<typeof entryView>;
export type Owner = { kind: 'account' | 'member'; id: string };

const base = (o: Owner) => `/${o.kind === 'account' ? 'accounts' : 'members'}/${encodeURIComponent(o.id)}`;

export const fetchWallets = (o: Owner) => api.request<WalletView[]>(`${base(o)}/wallets`);
export const fetchEntries = (o: Owner, cursor: string | undefined, limit = 20) =>
  api.request<{ items: EntryView[]; nextCursor: string | null }>(`${base(o)}/entries`, { query: { cursor, limit } });

export const postAdjustment = (body: z.infer<typeof adjustmentInput>, idempotencyKey = newIdempotencyKey()) =>
  api.request<{ transactionId: string }>('/adjustments', { method: 'POST', body, idempotencyKey });

export const postTransfer = (body: z.infer<typeof transferInput>) => api.request<unknown>('/transfers', { method: 'POST', body, idempotencyKey: newIdempotencyKey() });
