import type { JoinRequestView, JoinSettingsInput, JoinSettingsView } from '@contracts/join';
import { api } from '../../../api-client';

export type { JoinRequestView, JoinSettingsInput, JoinSettingsView };
export type JoinLink = { accountId: string; accountName: string; url: string; qrSvg: string };

export const fetchJoinSettings = () => api.request<JoinSettingsView>('/join/settings');
export const saveJoinSettings = (body: JoinSettingsInput) => api.request<JoinSettingsView>('/join/settings', { method: 'PUT', body });
export const fetchJoinRequests = (status: string) => api.request<{ items: JoinRequestView[]; nextCursor: string | null }>(`/join-requests?limit=100${status ? `&status=${status}` : ''}`);
export const decideJoinRequest = (id: string, decision: 'approve' | 'reject', reason?: string) =>
  api.request<{ request: JoinRequestView; memberId: string | null }>(`/join-requests/${encodeURIComponent(id)}/${decision}`, { method: 'POST', ...(decision === 'reject' ? { body: reason ? { reason } : {} } : {}) });
export const fetchAccountJoinLink = (accountRef: string) => api.request<JoinLink>(`/accounts/${encodeURIComponent(accountRef)}/join-link`);
/** An SVG document as an image address (the CSP admits data: images). */
export const svgSrc = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
