import { api } from '../../../api-client';

export type Wallet = { currency: string; available: number; pending: number; held: number; expiring: { amount: number; expiresAt: string }[] };
export type Entry = { id: string; at: string; currency: string; amount: number; bucket: 'available' | 'pending' | 'held'; kind: string; memo: string | null; eventId: string | null; redemptionId?: string | null };

/** Tier and progress (the tiers module); absent (404) on a server without it. */
export type PortalTier = {
  tier: string | null;
  name: string | null;
  metric: 'spend' | 'units' | 'points' | null;
  metricValue: number;
  discountPercent: number;
  next: { tier: string; name: string; metric: 'spend' | 'units' | 'points'; remaining: number } | null;
  graceEndsAt: string | null;
};

export const fetchWallets = () => api.request<{ items: Wallet[] }>('/portal/wallets').then((r) => r.items);
export const fetchEntries = (cursor?: string, limit = 20) => api.request<{ items: Entry[]; nextCursor: string | null }>('/portal/entries', { query: { cursor, limit } });
export const fetchTier = () => api.request<PortalTier>('/portal/tier').catch(() => null);
