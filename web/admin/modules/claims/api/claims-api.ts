import type { ClaimStatus, ClaimView } from '@contracts/claims';
import { api } from '../../../api-client';

export type { ClaimStatus, ClaimView };
export type ClaimAction = 'approve' | 'reject' | 'request-info' | 'pay' | 'cancel';

export const fetchClaims = (q: { status?: ClaimStatus; flagged?: 'true'; cursor?: string }) => api.request<{ items: ClaimView[]; nextCursor: string | null }>('/claims', { query: { ...q, limit: 25 } });
export const actOnClaim = (id: string, action: ClaimAction, body: Record<string, unknown> = {}) => api.request<ClaimView>(`/claims/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
export const decideDocument = (id: string, documentId: string, decision: 'accepted' | 'refused') =>
  api.request<ClaimView>(`/claims/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}/decision`, { method: 'POST', body: { decision } });
/** The stored proof, as the browser opens it (the session cookie goes along). */
export const documentUrl = (id: string, documentId: string, thumbnail = false) => `/api/v1/claims/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}${thumbnail ? '?thumbnail=true' : ''}`;
export const fetchPayoutCsv = () => api.request<Blob>('/claims', { query: { status: 'paid', format: 'csv', limit: 200 }, as: 'blob' });
export const addValidSerials = (serials: { serial: string; sku?: string }[]) => api.request<{ added: number; updated: number; total: number }>('/claims/valid-serials', { method: 'POST', body: { serials } });
export const bulkApprove = (claimIds: string[]) => api.request<{ approved: string[]; skipped: { claimId: string; reason: string; detail?: string }[] }>('/claims/bulk-approve', { method: 'POST', body: { claimIds } });
