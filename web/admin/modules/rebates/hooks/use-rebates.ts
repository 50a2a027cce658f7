import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRebate, fetchRebates, fetchStandings, settleRebate } from '../api/rebates-api';

export function useRebates() {
  return useQuery({ queryKey: ['rebates'], queryFn: fetchRebates });
}

export function useStandings(id: string) {
  return useQuery({ queryKey: ['rebate-standings', id], queryFn: () => fetchStandings(id) });
}

export function useRebateMutations() {
  const qc = useQueryClient();
  return {
    create: useMutation({ mutationFn: createRebate, onSuccess: () => qc.invalidateQueries({ queryKey: ['rebates'] }) }),
    settle: useMutation({
      mutationFn: ({ id, period, final, key }: { id: string; period: string; final: boolean; key: string }) => settleRebate(id, { period, final }, key),
      onSuccess: () => {
        qc.invalidateQueries({ queryKey: ['rebate-standings'] });
        qc.invalidateQueries({ queryKey: ['wallets'] });
      },
    }),
  };
}
