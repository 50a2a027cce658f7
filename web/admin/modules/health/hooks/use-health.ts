import { useQuery } from '@tanstack/react-query';
import { fetchAccountHealth, fetchHealthList, type HealthFilters } from '../api/health-api';

export function useAccountHealth(accountId: string) {
  return useQuery({ queryKey: ['account-health', accountId], queryFn: () => fetchAccountHealth(accountId) });
}

export function useHealthList(f: HealthFilters) {
  return useQuery({ queryKey: ['health-list', f], queryFn: () => fetchHealthList(f) });
}
