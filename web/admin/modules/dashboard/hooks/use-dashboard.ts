import { useQuery } from '@tanstack/react-query';
import { fetchDashboard } from '../api/dashboard-api';

export function useDashboard(months: number) {
  return useQuery({ queryKey: ['dashboard', months], queryFn: () => fetchDashboard(months), staleTime: 60_000 });
}
