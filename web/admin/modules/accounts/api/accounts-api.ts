import type { z } from 'zod';
import type { account, accountListQuery, member } from '@contracts/accounts';
import { api } from '../../../api-client';

export type AccountView = z.infer<typeof account>;
export type MemberView = z.infer<typeof member>;
export type AccountFilters = Omit<z.input<typeof accountListQuery>, 'cursor' | 'limit'>;
export type PageOf<T> = { items: T[]; nextCursor: string | null };

export const fetchAccounts = (filters: AccountFilters, cursor: string | undefined, limit = 25) =>
  api.request<PageOf<AccountView>>('/accounts', { query: { ...filters, cursor, limit } });
export const fetchAccount = (id: string) => api.request<AccountView>(`/accounts/${encodeURIComponent(id)}`);
export const fetchAccountMembers = (id: string) => api.request<PageOf<MemberView>>(`/accounts/${encodeURIComponent(id)}/members`, { query: { limit: 200 } });
