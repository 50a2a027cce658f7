import type { ClaimView } from '@contracts/claims';
import { api } from '../../../api-client';

export type { ClaimView };
export type PortalFund = { fundId: string; name: string; currency: string; allocated: number; reserved: number; claimed: number; paid: number; available: number; expiresAt: string };
export type NewClaim = { kind: 'mdf'; fundId: string; activity: { type: string; description: string }; cost: number; manufacturersShown?: number };

/** My company's funds; an empty list when it has none. */
export const fetchFunds = () => api.request<PortalFund[]>('/portal/funds');
export const fetchClaims = () => api.request<{ items: ClaimView[]; nextCursor: string | null }>('/portal/claims', { query: { limit: 50 } }).then((r) => r.items);
export const createClaim = (body: NewClaim) => api.request<ClaimView>('/portal/claims', { method: 'POST', body });
export const uploadProof = (id: string, file: File) =>
  api.request<{ documentId: string }>(`/portal/claims/${encodeURIComponent(id)}/documents`, { method: 'POST', query: { fileName: file.name.slice(0, 200) }, file: { data: file, contentType: file.type || 'application/octet-stream' } });
export const submitClaim = (id: string) => api.request<ClaimView>(`/portal/claims/${encodeURIComponent(id)}/submit`, { method: 'POST', body: {} });
export const cancelClaim = (id: string) => api.request<ClaimView>(`/portal/claims/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} });
