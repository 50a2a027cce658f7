import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { actOnClaim, addValidSerials, bulkApprove, decideDocument, fetchClaims, type ClaimAction, type ClaimStatus } from '../api/claims-api';

export function useClaims(status: ClaimStatus | undefined, flagged: boolean, cursor: string | undefined) {
  return useQuery({ queryKey: ['claims', status, flagged, cursor], queryFn: () => fetchClaims({ status, flagged: flagged ? 'true' : undefined, cursor }), placeholderData: keepPreviousData });
}

export function useClaimAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: ClaimAction; body?: Record<string, unknown> }) => actOnClaim(id, action, body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['claims'] });
      qc.invalidateQueries({ queryKey: ['wallets'] });
    },
  });
}

export function useDocumentDecision() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, documentId, decision }: { id: string; documentId: string; decision: 'accepted' | 'refused' }) => decideDocument(id, documentId, decision),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['claims'] }),
  });
}

export function useBulkApprove() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (ids: string[]) => bulkApprove(ids), onSuccess: () => qc.invalidateQueries({ queryKey: ['claims'] }) });
}

export function useAddValidSerials() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: addValidSerials, onSuccess: () => qc.invalidateQueries({ queryKey: ['claims'] }) });
}
