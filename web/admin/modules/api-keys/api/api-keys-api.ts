import { api } from '../../../api-client';

export type ApiKeyView = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export const fetchApiKeys = () => api.request<{ items: ApiKeyView[] }>('/api-keys').then((r) => r.items);
export const createApiKey = (name: string) => api.request<ApiKeyView & { apiKey: string }>('/api-keys', { method: 'POST', body: { name } });
export const revokeApiKey = (id: string) => api.request<void>(`/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
