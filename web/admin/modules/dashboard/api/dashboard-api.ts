import type { DashboardView } from '@contracts/reports';
import { api } from '../../../api-client';

export type { DashboardView };

export const fetchDashboard = (months: number) => api.request<DashboardView>('/reports/dashboard', { query: { months } });
