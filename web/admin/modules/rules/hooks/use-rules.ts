import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRule, fetchRule, fetchRules, simulateRule, updateRule, type RuleInput } from '../api/rules-api';

export function useRules(cursor: string | undefined, status?: string) {
  return useQuery({ queryKey: ['rules', cursor, status], queryFn: () => fetchRules(cursor, status), placeholderData: keepPreviousData });
}

export function useRule(id: string | undefined) {
  return useQuery({ queryKey: ['rule', id], queryFn: () => fetchRule(id ?? ''), enabled: Boolean(id) });
}

export function useSaveRule(id: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RuleInput) => (id ? updateRule(id, body) : createRule(body)),
    onSuccess: (rule) => {
      qc.invalidateQueries({ queryKey: ['rules'] });
      qc.setQueryData(['rule', rule.id], rule);
    },
  });
}

export function useSimulateRule(id: string | undefined) {
  return useMutation({ mutationFn: (body: { from: string; to: string; rule: RuleInput }) => simulateRule(id, body) });
}
