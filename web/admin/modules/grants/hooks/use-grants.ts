import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createGrant, fetchGrants, fetchRecipients, previewGrant, type GrantInput } from '../api/grants-api';

/** The grants; polled every second while one is still running, for its progress bar. */
export function useGrants() {
  return useQuery({
    queryKey: ['grants'],
    queryFn: fetchGrants,
    refetchInterval: (q) => (q.state.data?.some((g) => g.status === 'queued' || g.status === 'running') ? 1000 : false),
  });
}

export function useRecipients(id: string | null, cursor?: string) {
  return useQuery({ queryKey: ['grant-recipients', id, cursor], queryFn: () => fetchRecipients(id!, cursor), enabled: !!id, placeholderData: keepPreviousData });
}

/** The live preview: asked again whenever the form's body changes (null: the form is not valid yet). */
export function useGrantPreview(body: GrantInput | null) {
  return useQuery({ queryKey: ['grant-preview', body], queryFn: () => previewGrant(body!), enabled: !!body, placeholderData: keepPreviousData, retry: false });
}

export function useCreateGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: GrantInput; key: string }) => createGrant(body, key),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['grants'] }),
  });
}
