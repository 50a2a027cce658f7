import { newIdempotencyKey } from '@shared/api/client';
import { api } from '../../../api-client';
import type { PortalAccount, PortalMember } from '../../auth/api/portal-auth-api';
import type { Wallet } from '../../home/api/wallets-api';

export type Company = { account: PortalAccount; wallets: Wallet[]; staff: { member: PortalMember; wallets: Wallet[] }[] };

export const fetchCompany = () => api.request<Company>('/portal/company');
export const allocate = (body: { toMemberId: string; currency: string; amount: number; memo?: string }, key = newIdempotencyKey()) =>
  api.request<unknown>('/portal/transfers', { method: 'POST', body, idempotencyKey: key });
