import type { z } from 'zod';
import type { adjustmentInput, adjustmentRequest, adjustmentThreshold, entryView, transferInput, walletView } from '@contracts/wallets';
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

// Four eyes on large adjustments (#21)
export type AdjustmentRequestView = z.infer<typeof adjustmentRequest>;
export type AdjustmentThresholdView = z.infer<typeof adjustmentThreshold>;
export const fetchAdjustmentThresholds = () => api.request<{ items: AdjustmentThresholdView[] }>('/adjustment-thresholds');
export const putAdjustmentThreshold = (currency: string, amount: number | null) => api.request<{ items: AdjustmentThresholdView[] }>('/adjustment-thresholds', { method: 'PUT', body: { currency, amount } });
export const postAdjustmentRequest = (body: z.infer<typeof adjustmentInput>, idempotencyKey = newIdempotencyKey()) =>
  api.request<AdjustmentRequestView>('/adjustment-requests', { method: 'POST', body, idempotencyKey });
export const fetchAdjustmentRequests = (status: 'pending' | 'approved' | 'rejected' | undefined, cursor: string | undefined) =>
  api.request<{ items: AdjustmentRequestView[]; nextCursor: string | null }>('/adjustment-requests', { query: { status, cursor, limit: 50 } });
export const decideAdjustmentRequest = (id: string, decision: 'approve' | 'reject', note?: string) =>
  api.request<AdjustmentRequestView>(`/adjustment-requests/${encodeURIComponent(id)}/${decision}`, { method: 'POST', body: note ? { note } : {} });
