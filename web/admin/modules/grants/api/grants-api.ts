import type { GrantInput, GrantPreview, GrantRecipient, GrantView } from '@contracts/grants';
import { api } from '../../../api-client';

export type { GrantInput, GrantPreview, GrantRecipient, GrantView };

export const fetchGrants = () => api.request<{ items: GrantView[]; nextCursor: string | null }>('/grants', { query: { limit: 100 } }).then((r) => r.items);
export const fetchRecipients = (id: string, cursor?: string) =>
  api.request<{ items: GrantRecipient[]; nextCursor: string | null }>(`/grants/${encodeURIComponent(id)}/recipients`, { query: { limit: 100, ...(cursor ? { cursor } : {}) } });
export const previewGrant = (body: GrantInput) => api.request<GrantPreview>('/grants/preview', { method: 'POST', body });
export const createGrant = (body: GrantInput, idempotencyKey: string) => api.request<GrantView>('/grants', { method: 'POST', body, idempotencyKey });
