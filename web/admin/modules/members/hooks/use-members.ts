import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchMember, fetchMembers, type MemberFilters } from '../api/members-api';

export function useMembers(filters: MemberFilters, cursor: string | undefined) {
  return useQuery({ queryKey: ['members', filters, cursor], queryFn: () => fetchMembers(filters, cursor), placeholderData: keepPreviousData });
}

export function useMember(id: string) {
  return useQuery({ queryKey: ['member', id], queryFn: () => fetchMember(id) });
}
