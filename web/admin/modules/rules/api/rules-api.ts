import type { z } from 'zod';
import type { ruleInput, rulePatch } from '@contracts/rules';
import { api } from '../../../api-client';

export type RuleInput = z.infer<typeof ruleInput>;
export type RuleView = RuleInput & { id: string; version: number; status: 'active' | 'draft' | 'paused'; budgetUsed: number | null; createdAt: string; updatedAt: string };

export type Simulation = {
  ruleId: string;
  from: string;
  to: string;
  eventsScanned: number;
  eventsMatched: number;
  totals: { currency: string; amount: number; awards: number }[];
  byAccountType: { accountType: string; currency: string; amount: number }[];
  byRole: { role: string | null; currency: string; amount: number }[];
  topAccounts: { accountId: string; externalId: string; name: string; currency: string; amount: number }[];
  sample: { eventId: string; occurredAt: string; accountId: string; memberId: string | null; to: 'account' | 'member'; currency: string; amount: number }[];
};

export const fetchRules = (cursor: string | undefined, status?: string) =>
  api.request<{ items: RuleView[]; nextCursor: string | null }>('/rules', { query: { cursor, status, limit: 50 } });
export const fetchRule = (id: string) => api.request<RuleView>(`/rules/${encodeURIComponent(id)}`);
export const createRule = (body: RuleInput) => api.request<RuleView>('/rules', { method: 'POST', body });
export const updateRule = (id: string, body: z.infer<typeof rulePatch>) => api.request<RuleView>(`/rules/${encodeURIComponent(id)}`, { method: 'PATCH', body });

/** Simulates the draft in the form (saved or not); a new rule has no id yet and is simulated as `draft`. */
export const simulateRule = (id: string | undefined, body: { from: string; to: string; rule: RuleInput }) =>
  api.request<Simulation>(`/rules/${encodeURIComponent(id ?? 'draft')}/simulate`, { method: 'POST', body: { ...body, sampleSize: 10 } });
