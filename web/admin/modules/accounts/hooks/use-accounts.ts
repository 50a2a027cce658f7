import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchAccount, fetchAccountFacets, fetchAccountMembers, fetchAccounts, type AccountFilters } from '../api/accounts-api';

export function useAccounts(filters: AccountFilters, cursor: string | undefined) {
  return useQuery({ queryKey: ['accounts', filters, cursor], queryFn: () => fetchAccounts(filters, cursor), placeholderData: keepPreviousData });
}

/** The types, segments and regions in use: the values the filters offer. */
export function useAccountFacets() {
  return useQuery({ queryKey: ['account-facets'], queryFn: fetchAccountFacets, staleTime: 60_000 });
}

export function useAccount(id: string) {
  return useQuery({ queryKey: ['account', id], queryFn: () => fetchAccount(id), enabled: id !== '' });
}

export function useAccountMembers(id: string) {
  return useQuery({ queryKey: ['account-members', id], queryFn: () => fetchAccountMembers(id) });
}
