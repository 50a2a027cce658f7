import type { SpiffInput, SpiffPatch, SpiffReport, SpiffView } from '@contracts/spiffs';
import { api } from '../../../api-client';

export type { SpiffInput, SpiffPatch, SpiffReport, SpiffView };

export const fetchSpiffs = () => api.request<{ items: SpiffView[]; nextCursor: string | null }>('/spiffs', { query: { limit: 200 } }).then((r) => r.items);
export const fetchSpiffReport = (id: string) => api.request<SpiffReport>(`/spiffs/${encodeURIComponent(id)}/report`);
export const createSpiff = (body: SpiffInput) => api.request<SpiffView>('/spiffs', { method: 'POST', body });
export const updateSpiff = (id: string, body: SpiffPatch) => api.request<SpiffView>(`/spiffs/${encodeURIComponent(id)}`, { method: 'PATCH', body });
