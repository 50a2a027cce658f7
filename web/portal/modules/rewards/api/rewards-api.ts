import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';

/** A question the member answers when redeeming (#21). */
export type Question = { key: string; kind: 'address' | 'choice' | 'text'; label: string; labels?: Record<string, string>; options?: string[]; required?: boolean; maxLength?: number };
export type Answer = string | Record<string, string>;
export type Reward = { id: string; kind: string; name: string; description: string | null; category: string | null; images: string[]; cost: { currency: string; amount: number }; stock: number | null; availableNow: boolean; questions: Question[] };
export type Redemption = { id: string; reward: { name: string; kind: string }; qty: number; cost: { currency: string; amount: number }; status: string; wallet?: 'own' | 'company'; voucherCode: string | null; trackingNumber: string | null; createdAt: string; answers: Record<string, Answer> };

export const fetchRewards = (locale: string) => api.request<{ items: Reward[] }>('/portal/rewards', { query: { locale } }).then((r) => r.items);
export const fetchRedemptions = (limit = 20) => api.request<{ items: Redemption[]; nextCursor: string | null }>('/portal/redemptions', { query: { limit } }).then((r) => r.items);
export const redeem = (rewardId: string, key = newIdempotencyKey(), answers?: Record<string, Answer>, wallet: 'own' | 'company' = 'own') =>
  api.request<Redemption>('/portal/redemptions', { method: 'POST', body: { rewardId, qty: 1, ...(answers && Object.keys(answers).length ? { answers } : {}), ...(wallet === 'company' ? { wallet } : {}) }, idempotencyKey: key });
