import type { CurrencyInfo } from '@shared/format/format';
import { api } from '../../../api-client';

export type ProgramView = {
  id: string;
  name: string;
  defaultLocale: string;
  timeZone: string;
  accountShare: number;
  allowNegative: boolean;
  autoCreateAccounts: boolean;
  createdAt: string;
  currencies: (CurrencyInfo & { name: string; expiry: { months: number } | null })[];
  roles: { code: string; name: string }[];
};

export type EventTypeView = { code: string; name: string; builtIn: boolean };

export const fetchProgram = () => api.request<ProgramView>('/program');
export const fetchEventTypes = () => api.request<{ items: EventTypeView[] }>('/event-types').then((r) => r.items);
