import type { SurveyInput, SurveyResults, SurveyView, TaskView } from '@contracts/surveys';
import { api } from '../../../api-client';

export type { SurveyInput, SurveyResults, SurveyView, TaskView };

export const fetchSurveys = () => api.request<{ items: SurveyView[] }>('/surveys').then((r) => r.items);
export const fetchResults = (id: string, by: 'month' | 'quarter') => api.request<SurveyResults>(`/surveys/${encodeURIComponent(id)}/results`, { query: { by } });
export const createSurvey = (body: SurveyInput) => api.request<SurveyView>('/surveys', { method: 'POST', body });
export const closeSurvey = (id: string) => api.request<SurveyView>(`/surveys/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status: 'closed' } });
export const fetchTasks = (status?: string) => api.request<{ items: TaskView[] }>('/tasks', { query: status ? { status } : {} }).then((r) => r.items);
export const updateTask = (id: string, body: { status?: TaskView['status']; note?: string; tellRespondent?: boolean }) => api.request<TaskView>(`/tasks/${encodeURIComponent(id)}`, { method: 'PATCH', body });
