import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchAccount, fetchAccountMembers, fetchAccounts, type AccountFilters } from '../api/accounts-api';

export function useAccounts(filters: AccountFilters, cursor: string | undefined) {
  return useQuery({ queryKey: ['accounts', filters, cursor], queryFn: () => fetchAccounts(filters, cursor), placeholderData: keepPreviousData });
}

export function useAccount(id: string) {
  return useQuery({ queryKey: ['account', id], queryFn: () => fetchAccount(id) });
}

export function useAccountMembers(id: string) {
  return useQuery({ queryKey: ['account-members', id], queryFn: () => fetchAccountMembers(id) });
}
