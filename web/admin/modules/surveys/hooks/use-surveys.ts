import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { closeSurvey, createSurvey, fetchResults, fetchSurveys, fetchTasks, updateTask } from '../api/surveys-api';

export const useSurveys = () => useQuery({ queryKey: ['surveys'], queryFn: fetchSurveys });
export const useSurveyResults = (id: string, by: 'month' | 'quarter') => useQuery({ queryKey: ['survey-results', id, by], queryFn: () => fetchResults(id, by) });
export const useTasks = (status?: string) => useQuery({ queryKey: ['survey-tasks', status ?? ''], queryFn: () => fetchTasks(status) });

export function useSurveyMutations() {
  const qc = useQueryClient();
  return {
    create: useMutation({ mutationFn: createSurvey, onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }) }),
    close: useMutation({ mutationFn: closeSurvey, onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }) }),
    task: useMutation({ mutationFn: ({ id, ...body }: { id: string; status?: 'open' | 'contacted' | 'resolved'; note?: string; tellRespondent?: boolean }) => updateTask(id, body), onSuccess: () => qc.invalidateQueries({ queryKey: ['survey-tasks'] }) }),
  };
}
