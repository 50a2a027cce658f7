import type { AccountHealthView, HealthListItem } from '@contracts/health';
import { api } from '../../../api-client';

export type { AccountHealthView, HealthListItem };
export type HealthFilters = { status?: string; minScore?: number; segment?: string };

export const fetchAccountHealth = (accountId: string) => api.request<AccountHealthView>(`/accounts/${encodeURIComponent(accountId)}/health`);
export const fetchHealthList = (f: HealthFilters) =>
  api.request<{ items: HealthListItem[]; nextCursor: string | null; revenueAtRisk: number }>('/health/accounts', {
    query: { limit: 200, ...(f.status ? { status: f.status } : {}), ...(f.minScore !== undefined ? { minScore: f.minScore } : {}), ...(f.segment ? { segment: f.segment } : {}) },
  });
