import type { ResponseListItem, SurveyInput, SurveyResults, SurveyView, TaskView } from '@contracts/surveys';
import { api } from '../../../api-client';

export type { ResponseListItem, SurveyInput, SurveyResults, SurveyView, TaskView };

export const fetchSurveys = () => api.request<{ items: SurveyView[] }>('/surveys').then((r) => r.items);
export const fetchResults = (id: string, by: 'month' | 'quarter') => api.request<SurveyResults>(`/surveys/${encodeURIComponent(id)}/results`, { query: { by } });
export const fetchResponses = (id: string) => api.request<{ items: ResponseListItem[] }>(`/surveys/${encodeURIComponent(id)}/responses`, { query: { withComment: 'true', limit: 100 } }).then((r) => r.items);
export const tagResponse = (id: string, tags: string[]) => api.request<{ id: string; tags: string[] }>(`/survey-responses/${encodeURIComponent(id)}/tags`, { method: 'PUT', body: { tags } });
export const createSurvey = (body: SurveyInput) => api.request<SurveyView>('/surveys', { method: 'POST', body });
export const closeSurvey = (id: string) => api.request<SurveyView>(`/surveys/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status: 'closed' } });
export const fetchTasks = (status?: string, accountId?: string) => api.request<{ items: TaskView[] }>('/tasks', { query: { ...(status ? { status } : {}), ...(accountId ? { accountId } : {}) } }).then((r) => r.items);
export const updateTask = (id: string, body: { status?: TaskView['status']; note?: string; tellRespondent?: boolean }) => api.request<TaskView>(`/tasks/${encodeURIComponent(id)}`, { method: 'PATCH', body });
