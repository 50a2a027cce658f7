import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiKey, fetchApiKeys, revokeApiKey } from '../api/api-keys-api';

export function useApiKeys() {
  return useQuery({ queryKey: ['api-keys'], queryFn: fetchApiKeys });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createApiKey, onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys'] }) });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: revokeApiKey, onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys'] }) });
}
