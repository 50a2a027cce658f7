import type { CurrencyInfo } from '@shared/format/format';
import { api } from '../../../api-client';
import type { OffboardingPolicy } from '@contracts/accounts';

export type ProgramView = {
  id: string;
  name: string;
  defaultLocale: string;
  timeZone: string;
  accountShare: number;
  allowNegative: boolean;
  autoCreateAccounts: boolean;
  /** Offboarding (#14): what a leaving member's balance becomes. */
  offboardingPolicy: OffboardingPolicy;
  /** Spend currency (#21): ISO 4217 code of purchase amounts, spend and tier thresholds (minor units). */
  spendCurrency: string;
  createdAt: string;
  currencies: (CurrencyInfo & { name: string; expiry: { months: number } | null })[];
  roles: { code: string; name: string }[];
};

export type EventTypeView = { code: string; name: string; builtIn: boolean };

export const fetchProgram = () => api.request<ProgramView>('/program');
export const fetchEventTypes = () => api.request<{ items: EventTypeView[] }>('/event-types').then((r) => r.items);

// Program settings from the console (#21)
/** The settings `PATCH /program` takes; the server validates (time zone, country, code) and answers field errors. */
export type ProgramSettingsBody = Partial<{
  name: string;
  code: string;
  phoneCountry: string | null;
  timeZone: string;
  defaultLocale: string;
  accountShare: number;
  allowNegative: boolean;
  autoCreateAccounts: boolean;
  offboardingPolicy: OffboardingPolicy;
  spendCurrency: string;
}>;
export type ProgramSettingsView = ProgramView & { code: string; phoneCountry: string | null };
export type CurrencyBody = { code: string; name: string; kind: 'points' | 'money' | 'stamps'; moneyCurrency?: string; expiry?: { months: number } };

export const fetchProgramSettings = () => api.request<ProgramSettingsView>('/program');
export const patchProgram = (body: ProgramSettingsBody) => api.request<ProgramSettingsView>('/program', { method: 'PATCH', body });
export const postCurrency = (body: CurrencyBody) => api.request<unknown>('/currencies', { method: 'POST', body });
export const postRole = (body: { code: string; name: string }) => api.request<unknown>('/roles', { method: 'POST', body });
export const postEventType = (body: { code: string; name: string }) => api.request<unknown>('/event-types', { method: 'POST', body });

// Rights inside a company (#14)
export type CompanyRightsView = {
  role: string;
  redeem: boolean;
  limits: { currency: string; perRedemption: number | null; perMonth: number | null }[];
  rewards: 'all' | { rewardIds: string[]; categories: string[] };
  updatedAt: string | null;
};
export const fetchCompanyRights = () => api.request<{ items: CompanyRightsView[] }>('/company-rights').then((r) => r.items);
export const putCompanyRights = (role: string, body: Omit<CompanyRightsView, 'role' | 'updatedAt'>) =>
  api.request<CompanyRightsView>(`/roles/${encodeURIComponent(role)}/rights`, { method: 'PUT', body });
