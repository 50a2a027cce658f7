import type { RebateInput, RebateStanding, RebateView, SettlementAnswer } from '@contracts/rebates';
import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';

export type { RebateInput, RebateStanding, RebateView, SettlementAnswer };

export const fetchRebates = () => api.request<{ items: RebateView[]; nextCursor: string | null }>('/rebates', { query: { limit: 100 } }).then((r) => r.items);
export const fetchStandings = (id: string) => api.request<{ items: RebateStanding[] }>(`/rebates/${encodeURIComponent(id)}/standings`).then((r) => r.items);
export const createRebate = (body: RebateInput) => api.request<RebateView>('/rebates', { method: 'POST', body });
export const settleRebate = (id: string, body: { period: string; final: boolean }, idempotencyKey = newIdempotencyKey()) =>
  api.request<SettlementAnswer>(`/rebates/${encodeURIComponent(id)}/settlements`, { method: 'POST', body, idempotencyKey });
