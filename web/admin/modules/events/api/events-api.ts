import type { z } from 'zod';
import type { eventInput, listEventsQuery } from '@contracts/events';
import { api } from '../../../api-client';

export type EventSummary = {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  accountId: string;
  memberId: string | null;
  amount: number | null;
  currency: string | null;
  awards: number;
};

export type Award = {
  id: string;
  wallet: { accountId: string } | { memberId: string };
  currency: string;
  amount: number;
  reversed: number;
  debt: number;
  ruleId: string;
  ruleVersion: number;
  availableAt: string;
  transactionId: string;
};

/** One step of the evaluation trace, as the events service writes it (docs/recipes.md, "How a rule is evaluated"). */
export type TraceStep = {
  ruleId?: string;
  version?: number;
  name?: string;
  matched?: boolean;
  reason?: string;
  detail?: string;
  effects?: { index: number; currency: string; to: string; amount: number | string; note?: string; multiplier?: number }[];
  awards?: { to: 'account' | 'member'; currency: string; amount: number; effectIndex: number }[];
  limits?: { effectIndex: number; kind: 'cap' | 'budget'; wanted: number; granted: number; detail: string }[];
  skipped?: string;
  return?: { originalEventId: string; amount: number };
};

export type EventDetail = Omit<EventSummary, 'awards'> & {
  returnedAmount: number;
  payload: Record<string, unknown>;
  answer: Record<string, unknown>;
  trace: TraceStep[];
  awards: Award[];
};

export type EventFilters = Omit<z.input<typeof listEventsQuery>, 'cursor' | 'limit'>;

export const fetchEvents = (filters: EventFilters, cursor: string | undefined, limit = 25) =>
  api.request<{ items: EventSummary[]; nextCursor: string | null }>('/events', { query: { ...filters, cursor, limit } });
export const fetchEvent = (id: string) => api.request<EventDetail>(`/events/${encodeURIComponent(id)}`);
export const postEvent = (body: z.infer<typeof eventInput>) => api.request<unknown>('/events', { method: 'POST', body });
