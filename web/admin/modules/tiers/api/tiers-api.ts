import type { z } from 'zod';
import type { accountTierView, tierView } from '@contracts/tiers';
import { api } from '../../../api-client';

export type TierView = z.infer<typeof tierView>;
export type AccountTierView = z.infer<typeof accountTierView>;

export const fetchTiers = () => api.request<{ items: TierView[] }>('/tiers').then((r) => r.items);
export const fetchAccountTier = (accountId: string) => api.request<AccountTierView>(`/accounts/${encodeURIComponent(accountId)}/tier`);
export const evaluateTiers = () => api.request<unknown>('/tiers/evaluate', { method: 'POST', body: {} });
