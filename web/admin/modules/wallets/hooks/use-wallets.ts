import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchEntries, fetchWallets, type Owner } from '../api/wallets-api';

export function useWallets(owner: Owner) {
  return useQuery({ queryKey: ['wallets', owner.kind, owner.id], queryFn: () => fetchWallets(owner) });
}

export function useEntries(owner: Owner, cursor: string | undefined) {
  return useQuery({ queryKey: ['entries', owner.kind, owner.id, cursor], queryFn: () => fetchEntries(owner, cursor), placeholderData: keepPreviousData });
}
