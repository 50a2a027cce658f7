import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchAudit, type AuditFilters } from '../api/audit-api';

export function useAudit(filters: AuditFilters, cursor: string | undefined) {
  return useQuery({ queryKey: ['audit', filters, cursor], queryFn: () => fetchAudit(filters, cursor), placeholderData: keepPreviousData });
}
