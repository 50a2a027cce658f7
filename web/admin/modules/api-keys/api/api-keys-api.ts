import type { Permission } from '@contracts/permissions';
import { api } from '../../../api-client';

/** As `GET /api-keys` answers it: `unrestricted` keys act as the program itself (every permission). */
export type ApiKeyView = { id: string; name: string; prefix: string; scopes: Permission[]; unrestricted: boolean; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export const fetchApiKeys = () => api.request<{ items: ApiKeyView[] }>('/api-keys').then((r) => r.items);
/** `scopes` absent: the key holds everything its creator holds. */
export const createApiKey = (input: { name: string; scopes?: Permission[] }) => api.request<ApiKeyView & { apiKey: string }>('/api-keys', { method: 'POST', body: input });
export const revokeApiKey = (id: string) => api.request<void>(`/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
