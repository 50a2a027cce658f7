import type { JoinRequestView } from '@contracts/join';
import { api } from '../../../api-client';

export type { JoinRequestView };
export type JoinLink = { accountId: string; accountName: string; url: string; qrSvg: string };

export const fetchPendingJoins = () => api.request<{ items: JoinRequestView[] }>('/portal/join-requests?status=pending').then((r) => r.items);
export const decideJoin = (id: string, decision: 'approve' | 'reject') => api.request<unknown>(`/portal/join-requests/${encodeURIComponent(id)}/${decision}`, { method: 'POST', ...(decision === 'reject' ? { body: {} } : {}) });
export const fetchJoinLink = () => api.request<JoinLink>('/portal/join/link');
