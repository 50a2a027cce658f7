import { useQuery } from '@tanstack/react-query';
import { fetchCohorts, fetchKpis, fetchPilot, type KpiBy, type PilotParams } from '../api/analytics-api';

export function useKpis(q: { from: string; to: string; by?: KpiBy }) {
  return useQuery({ queryKey: ['kpis', q], queryFn: () => fetchKpis(q), staleTime: 60_000, enabled: q.from < q.to });
}

export function usePilot(q: PilotParams | null) {
  return useQuery({ queryKey: ['pilot', q], queryFn: () => fetchPilot(q!), enabled: !!q, staleTime: 60_000 });
}

export function useCohorts(months: number) {
  return useQuery({ queryKey: ['cohorts', months], queryFn: () => fetchCohorts(months), staleTime: 60_000 });
}
