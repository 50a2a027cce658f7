import type { z } from 'zod';
import type { member, memberListQuery } from '@contracts/accounts';
import { api } from '../../../api-client';

export type MemberView = z.infer<typeof member>;
export type MemberFilters = Omit<z.input<typeof memberListQuery>, 'cursor' | 'limit'>;

export const fetchMembers = (filters: MemberFilters, cursor: string | undefined, limit = 25) =>
  api.request<{ items: MemberView[]; nextCursor: string | null }>('/members', { query: { ...filters, cursor, limit } });
export const fetchMember = (id: string) => api.request<MemberView>(`/members/${encodeURIComponent(id)}`);
