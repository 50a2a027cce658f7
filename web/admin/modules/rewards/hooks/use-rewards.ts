import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createReward, fetchPartners, fetchRedemptions, fetchRewards, patchReward, transitionRedemption, type RedemptionAction, type RedemptionStatus, type TransitionBody, type RewardInput, type RewardPatch } from '../api/rewards-api';

export function useRewards(cursor: string | undefined) {
  return useQuery({ queryKey: ['rewards', cursor], queryFn: () => fetchRewards(cursor), placeholderData: keepPreviousData });
}

export function usePartners() {
  return useQuery({ queryKey: ['partners'], queryFn: fetchPartners, staleTime: 60_000 });
}

export function useRedemptions(status: RedemptionStatus | undefined, cursor: string | undefined) {
  return useQuery({ queryKey: ['redemptions', status, cursor], queryFn: () => fetchRedemptions(status, cursor), placeholderData: keepPreviousData });
}

export function useRedemptionAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: RedemptionAction; body?: TransitionBody }) => transitionRedemption(id, action, body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['redemptions'] });
      qc.invalidateQueries({ queryKey: ['wallets'] });
    },
  });
}

/** Creates a reward (no `id`) or changes one (`id`); refreshes the catalog. */
export function useSaveReward(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RewardInput | RewardPatch) => (id ? patchReward(id, body as RewardPatch) : createReward(body as RewardInput)),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['rewards'] }),
  });
}
