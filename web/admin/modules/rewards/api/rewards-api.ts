import type { z } from 'zod';
import type { partnerView, redemptionStatus, redemptionView, rewardInput, rewardPatch, rewardView } from '@contracts/rewards';
import { api } from '../../../api-client';

export type RewardView = z.infer<typeof rewardView>;
export type RedemptionView = z.infer<typeof redemptionView>;
export type RedemptionStatus = z.infer<typeof redemptionStatus>;
export type PartnerView = z.infer<typeof partnerView>;
export type RedemptionAction = 'approve' | 'fulfil' | 'cancel' | 'reject';

export const fetchRewards = (cursor: string | undefined) => api.request<{ items: RewardView[]; nextCursor: string | null }>('/rewards', { query: { cursor, limit: 25 } });
export const fetchRedemptions = (status: RedemptionStatus | undefined, cursor: string | undefined) =>
  api.request<{ items: RedemptionView[]; nextCursor: string | null }>('/redemptions', { query: { status, cursor, limit: 25 } });
export const transitionRedemption = (id: string, action: RedemptionAction) =>
  api.request<RedemptionView>(`/redemptions/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: {} });

export type RewardInput = z.infer<typeof rewardInput>;
export type RewardPatch = z.infer<typeof rewardPatch>;
export const createReward = (body: RewardInput) => api.request<RewardView>('/rewards', { method: 'POST', body });
export const patchReward = (id: string, body: RewardPatch) => api.request<RewardView>(`/rewards/${encodeURIComponent(id)}`, { method: 'PATCH', body });

/** Coalition partners for the reward form's picker (the first 500 active ones: a catalog has few). */
export const fetchPartners = () => api.request<{ items: PartnerView[]; nextCursor: string | null }>('/partners', { query: { limit: 500, active: 'true' } }).then((r) => r.items);
