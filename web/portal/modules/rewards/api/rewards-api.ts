import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';

export type Reward = { id: string; kind: string; name: string; description: string | null; category: string | null; images: string[]; cost: { currency: string; amount: number }; stock: number | null; availableNow: boolean };
export type Redemption = { id: string; reward: { name: string; kind: string }; qty: number; cost: { currency: string; amount: number }; status: string; voucherCode: string | null; createdAt: string };

export const fetchRewards = (locale: string) => api.request<{ items: Reward[] }>('/portal/rewards', { query: { locale } }).then((r) => r.items);
export const fetchRedemptions = () => api.request<{ items: Redemption[]; nextCursor: string | null }>('/portal/redemptions', { query: { limit: 20 } }).then((r) => r.items);
export const redeem = (rewardId: string, key = newIdempotencyKey()) => api.request<Redemption>('/portal/redemptions', { method: 'POST', body: { rewardId, qty: 1 }, idempotencyKey: key });
