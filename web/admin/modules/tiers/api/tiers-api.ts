import type { z } from 'zod';
import type { accountTierView, accumulativeInput, accumulativeView, tierInput, tierPatch, tierView } from '@contracts/tiers';
import { api } from '../../../api-client';

export type TierView = z.infer<typeof tierView>;
export type AccountTierView = z.infer<typeof accountTierView>;

export const fetchTiers = () => api.request<{ items: TierView[] }>('/tiers').then((r) => r.items);
export const fetchAccountTier = (accountId: string) => api.request<AccountTierView>(`/accounts/${encodeURIComponent(accountId)}/tier`);
export const evaluateTiers = () => api.request<unknown>('/tiers/evaluate', { method: 'POST', body: {} });

export type TierInput = z.infer<typeof tierInput>;
export type TierPatch = z.infer<typeof tierPatch>;
export const createTier = (body: TierInput) => api.request<TierView>('/tiers', { method: 'POST', body });
export const patchTier = (code: string, body: TierPatch) => api.request<TierView>(`/tiers/${encodeURIComponent(code)}`, { method: 'PATCH', body });

export type AccumulativeView = z.infer<typeof accumulativeView>;
export type AccumulativeInput = z.infer<typeof accumulativeInput>;
export const fetchAccumulative = () => api.request<AccumulativeView>('/discounts/accumulative');
export const putAccumulative = (body: AccumulativeInput) => api.request<AccumulativeView>('/discounts/accumulative', { method: 'PUT', body });
