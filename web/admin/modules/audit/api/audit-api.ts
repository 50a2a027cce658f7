import { api } from '../../../api-client';

export type AuditEntry = {
  id: string;
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export type AuditFilters = { objectType?: string; action?: string; objectId?: string };

export const fetchAudit = (filters: AuditFilters, cursor: string | undefined) =>
  api.request<{ items: AuditEntry[]; nextCursor: string | null }>('/audit', { query: { ...filters, cursor, limit: 25 } });
