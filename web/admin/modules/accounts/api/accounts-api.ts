import type { z } from 'zod';
import type { account, accountFacets, accountInput, accountListQuery, accountPage, accountPatch, member, memberInput, memberPatch } from '@contracts/accounts';
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

// Administering accounts and members from the console (#21)
export type AccountBody = z.infer<typeof accountInput>;
export type AccountPatchBody = z.infer<typeof accountPatch>;
export type MemberBody = z.infer<typeof memberInput>;
export type MemberPatchBody = z.infer<typeof memberPatch>;

export const createAccount = (body: AccountBody) => api.request<AccountView>('/accounts', { method: 'POST', body });
export const updateAccount = (id: string, body: AccountPatchBody) => api.request<AccountView>(`/accounts/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const createMember = (accountId: string, body: MemberBody) => api.request<MemberView>(`/accounts/${encodeURIComponent(accountId)}/members`, { method: 'POST', body });
export const updateMember = (id: string, body: MemberPatchBody) => api.request<MemberView>(`/members/${encodeURIComponent(id)}`, { method: 'PATCH', body });
/** Accounts or members whose name or external id matches `q`: the picker's options. */
export const searchAccounts = (q: string) => api.request<AccountPageView>('/accounts', { query: { q: q || undefined, limit: 20 } });
export const searchMembers = (q: string) => api.request<PageOf<MemberView>>('/members', { query: { q: q || undefined, limit: 20 } });
