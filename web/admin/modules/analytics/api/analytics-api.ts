import type { KpisView, PilotView } from '@contracts/reports';
import { api } from '../../../api-client';

export type { KpisView, PilotView };
export type KpiBy = 'type' | 'segment' | 'region' | 'tier' | 'currency';
export type PilotParams = { group: string; control: string; preFrom: string; preTo: string; from: string; to: string; metric: 'spend' | 'purchases' };

export const fetchKpis = (q: { from: string; to: string; by?: KpiBy }) => api.request<KpisView>('/reports/kpis', { query: { from: q.from, to: q.to, ...(q.by ? { by: q.by } : {}) } });
export const fetchPilot = (q: PilotParams) => api.request<PilotView>('/reports/pilot', { query: q });
export type { CohortsView } from '@contracts/reports';
export const fetchCohorts = (months: number) => api.request<import('@contracts/reports').CohortsView>('/reports/cohorts', { query: { months } });
export type { PlanView, PlanPut } from '@contracts/reports';
export const fetchPlan = () => api.request<import('@contracts/reports').PlanView>('/reports/plan');
export const savePlan = (body: import('@contracts/reports').PlanPut) => api.request<import('@contracts/reports').PlanView>('/reports/plan', { method: 'PUT', body });
