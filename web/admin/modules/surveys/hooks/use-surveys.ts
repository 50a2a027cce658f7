import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { closeSurvey, createSurvey, fetchResponses, fetchResults, fetchSurveys, fetchTasks, tagResponse, updateTask } from '../api/surveys-api';

export const useSurveys = () => useQuery({ queryKey: ['surveys'], queryFn: fetchSurveys });
export const useSurveyResults = (id: string, by: 'month' | 'quarter') => useQuery({ queryKey: ['survey-results', id, by], queryFn: () => fetchResults(id, by) });
export const useSurveyResponses = (id: string) => useQuery({ queryKey: ['survey-responses', id], queryFn: () => fetchResponses(id) });
export const useTasks = (status?: string, accountId?: string) => useQuery({ queryKey: ['survey-tasks', status ?? '', accountId ?? ''], queryFn: () => fetchTasks(status, accountId) });

export function useSurveyMutations() {
  const qc = useQueryClient();
  return {
    create: useMutation({ mutationFn: createSurvey, onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }) }),
    close: useMutation({ mutationFn: closeSurvey, onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }) }),
    task: useMutation({
      mutationFn: ({ id, ...body }: { id: string; status?: 'open' | 'contacted' | 'resolved'; note?: string; tellRespondent?: boolean }) => updateTask(id, body),
      onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['survey-tasks'] }), qc.invalidateQueries({ queryKey: ['account-health'] })]),
    }),
    tag: useMutation({ mutationFn: ({ id, tags }: { id: string; tags: string[] }) => tagResponse(id, tags), onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['survey-results'] }), qc.invalidateQueries({ queryKey: ['survey-tasks'] })]) }),
  };
}
