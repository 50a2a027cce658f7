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
/** One step of a redemption; fulfil takes the tracking number, voucher code or receipt number (#21). */
export type TransitionBody = { reason?: string; trackingNumber?: string; voucherCode?: string; receiptNumber?: string };
export const transitionRedemption = (id: string, action: RedemptionAction, body: TransitionBody = {}) =>
  api.request<RedemptionView>(`/redemptions/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
/** The warehouse file of approved redemptions (#21). */
export const fetchFulfilmentExport = (format: 'csv' | 'xlsx') => api.request<Blob>('/redemptions/fulfilment-export', { query: { format }, as: 'blob' });

export type RewardInput = z.infer<typeof rewardInput>;
export type RewardPatch = z.infer<typeof rewardPatch>;
export const createReward = (body: RewardInput) => api.request<RewardView>('/rewards', { method: 'POST', body });
export const patchReward = (id: string, body: RewardPatch) => api.request<RewardView>(`/rewards/${encodeURIComponent(id)}`, { method: 'PATCH', body });

/** Coalition partners for the reward form's picker (the first 500 active ones: a catalog has few). */
export const fetchPartners = () => api.request<{ items: PartnerView[]; nextCursor: string | null }>('/partners', { query: { limit: 500, active: 'true' } }).then((r) => r.items);
