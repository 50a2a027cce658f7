import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createTier, evaluateTiers, fetchAccountTier, fetchAccumulative, fetchTiers, patchTier, putAccumulative, type TierInput, type TierPatch } from '../api/tiers-api';

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

/** Creates a tier (no `code`) or changes one (`code`); refreshes the list. */
export function useSaveTier(code: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TierInput | TierPatch) => (code ? patchTier(code, body as TierPatch) : createTier(body as TierInput)),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tiers'] }),
  });
}

export function useAccumulative() {
  return useQuery({ queryKey: ['accumulative'], queryFn: fetchAccumulative });
}

export function useSaveAccumulative() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: putAccumulative, onSuccess: (data) => qc.setQueryData(['accumulative'], data) });
}
