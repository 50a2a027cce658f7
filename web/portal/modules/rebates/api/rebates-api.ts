import type { RebateStanding } from '@contracts/rebates';
import { api } from '../../../api-client';

export type { RebateStanding };

/** The company's rebates this period; an empty list on a server without rebates. */
export const fetchRebates = () => api.request<RebateStanding[]>('/portal/rebates').catch(() => [] as RebateStanding[]);
