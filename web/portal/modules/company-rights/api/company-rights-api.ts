import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';

/** What the member's role may take from the company wallet (#14). */
export type CompanyRights = { role: string; redeem: boolean; limits: { currency: string; perRedemption: number | null; perMonth: number | null }[]; rewards: 'all' | { rewardIds: string[]; categories: string[] } };
/** A company-wallet redemption waiting for the partner admin. */
export type Approval = { id: string; reward: { name: string; kind: string }; qty: number; cost: { currency: string; amount: number }; requester: { id: string; name: string; role: string } | null; reason: string | null; createdAt: string };

export const fetchCompanyRights = () => api.request<CompanyRights>('/portal/company-rights');
export const fetchApprovals = () => api.request<{ items: Approval[] }>('/portal/approvals').then((r) => r.items);
export const decide = (id: string, decision: 'approve' | 'refuse', reason?: string, key = newIdempotencyKey()) =>
  api.request<unknown>(`/portal/approvals/${encodeURIComponent(id)}/${decision}`, { method: 'POST', body: reason ? { reason } : {}, idempotencyKey: key });

/** Whether the rights let the member take this reward from the company wallet at all. */
export function mayTake(rights: CompanyRights | undefined, reward: { id: string; category: string | null }): boolean {
  if (!rights?.redeem) return false;
  if (rights.rewards === 'all') return true;
  return rights.rewards.rewardIds.includes(reward.id) || (!!reward.category && rights.rewards.categories.includes(reward.category));
}
