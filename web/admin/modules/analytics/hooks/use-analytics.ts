import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchCohorts, fetchKpis, fetchPilot, fetchPlan, savePlan, type KpiBy, type PilotParams } from '../api/analytics-api';

export function useKpis(q: { from: string; to: string; by?: KpiBy }) {
  return useQuery({ queryKey: ['kpis', q], queryFn: () => fetchKpis(q), staleTime: 60_000, enabled: q.from < q.to });
}

export function usePilot(q: PilotParams | null) {
  return useQuery({ queryKey: ['pilot', q], queryFn: () => fetchPilot(q!), enabled: !!q, staleTime: 60_000 });
}

export function useCohorts(months: number) {
  return useQuery({ queryKey: ['cohorts', months], queryFn: () => fetchCohorts(months), staleTime: 60_000 });
}

export function usePlan() {
  return useQuery({ queryKey: ['analytics-plan'], queryFn: fetchPlan });
}

export function useSavePlan() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: savePlan, onSuccess: (plan) => qc.setQueryData(['analytics-plan'], plan) });
}
