import type { z } from 'zod';
import type { userInput, userPatch, userView } from '@contracts/auth';
import { api } from '../../../api-client';

export type UserView = z.infer<typeof userView>;
export type UserBody = z.infer<typeof userInput>;
export type UserPatchBody = z.infer<typeof userPatch>;

export const fetchUsers = (cursor: string | undefined, q?: string) => api.request<{ items: UserView[]; nextCursor: string | null }>('/users', { query: { cursor, q: q || undefined, limit: 50 } });
export const fetchUser = (id: string) => api.request<UserView>(`/users/${encodeURIComponent(id)}`);
export const createUser = (body: UserBody) => api.request<UserView & { initialPassword?: string }>('/users', { method: 'POST', body });
export const updateUser = (id: string, body: UserPatchBody) => api.request<UserView>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });
