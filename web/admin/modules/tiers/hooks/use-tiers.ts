import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { evaluateTiers, fetchAccountTier, fetchTiers } from '../api/tiers-api';

export function useTiers() {
  return useQuery({ queryKey: ['tiers'], queryFn: fetchTiers });
}

export function useAccountTier(accountId: string) {
  return useQuery({ queryKey: ['account-tier', accountId], queryFn: () => fetchAccountTier(accountId) });
}

export function useEvaluateTiers() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: evaluateTiers, onSuccess: () => qc.invalidateQueries({ queryKey: ['account-tier'] }) });
}
