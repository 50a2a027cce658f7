import type { z } from 'zod';
import type { account, accountFacets, accountListQuery, accountPage, member } from '@contracts/accounts';
import { api } from '../../../api-client';

export type AccountView = z.infer<typeof account>;
export type MemberView = z.infer<typeof member>;
export type AccountFilters = Omit<z.input<typeof accountListQuery>, 'cursor' | 'limit'>;
export type AccountPageView = z.infer<typeof accountPage>;
export type AccountFacetsView = z.infer<typeof accountFacets>;
export type PageOf<T> = { items: T[]; nextCursor: string | null };

export const fetchAccounts = (filters: AccountFilters, cursor: string | undefined, limit = 25) =>
  api.request<AccountPageView>('/accounts', { query: { ...filters, cursor, limit } });
export const fetchAccountFacets = () => api.request<AccountFacetsView>('/accounts/facets');
export const fetchAccount = (id: string) => api.request<AccountView>(`/accounts/${encodeURIComponent(id)}`);
export const fetchAccountMembers = (id: string) => api.request<PageOf<MemberView>>(`/accounts/${encodeURIComponent(id)}/members`, { query: { limit: 200 } });

/** Every account matching the filters, page after page (the CSV export). */
export async function fetchAllAccounts(filters: AccountFilters, signal?: AbortSignal): Promise<AccountView[]> {
  const all: AccountView[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.request<AccountPageView>('/accounts', { query: { ...filters, cursor, limit: 500 }, signal });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
