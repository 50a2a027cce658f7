import type { PublicSurvey, ResponseView } from '@contracts/surveys';
import { api } from '../../../api-client';

export type { PublicSurvey, ResponseView };
export type PendingSurvey = { invitationId: string; surveyId: string; name: string; token: string; expiresAt: string };
export type Answer = { questionId: string; value: number | string | string[] };

/** My pending surveys; an empty list on a server without surveys. */
export const fetchPending = () => api.request<{ items: PendingSurvey[] }>('/portal/surveys').then((r) => r.items).catch(() => [] as PendingSurvey[]);
export const fetchSurvey = (token: string, lang: string) => api.request<PublicSurvey>(`/s/${encodeURIComponent(token)}/survey`, { query: { lang } });
export const sendAnswers = (token: string, answers: Answer[]) => api.request<ResponseView>(`/portal/surveys/${encodeURIComponent(token)}/answers`, { method: 'POST', body: { answers } });
