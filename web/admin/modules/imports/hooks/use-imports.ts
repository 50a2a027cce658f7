import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { rememberFile } from '../file-memory';
import { fetchImport, fetchImports, previewImport, runImport, uploadImport, type ImportFilters, type ImportKind, type ImportMapping } from '../api/imports-api';

export function useImports(filters: ImportFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['imports', filters, cursor],
    queryFn: () => fetchImports(filters, cursor),
    placeholderData: keepPreviousData,
    // The list shows running imports moving too, at a slower pace than the detail page.
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'running') ? 3000 : false),
  });
}

/**
 * One import; polled every second while it runs, for live progress. `starting`: a run was just
 * asked for, so an import still `uploaded` (queued behind another) is polled too.
 */
export function useImport(id: string, starting = false) {
  return useQuery({
    queryKey: ['import', id],
    queryFn: () => fetchImport(id),
    refetchInterval: (q) => (q.state.data?.status === 'running' || (starting && q.state.data?.status === 'uploaded') ? 1000 : false),
  });
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: ImportKind; file: File }) => uploadImport(kind, file),
    onSuccess: (view, { file }) => {
      rememberFile(view.id, file);
      qc.setQueryData(['import', view.id], view);
      void qc.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}

export function usePreviewImport(id: string) {
  return useMutation({ mutationFn: ({ mapping, limit }: { mapping: ImportMapping; limit?: number }) => previewImport(id, mapping, limit) });
}

export function useRunImport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ mapping, dryRun }: { mapping: ImportMapping; dryRun: boolean }) => runImport(id, mapping, dryRun),
    onSuccess: (view) => {
      qc.setQueryData(['import', id], view);
      void qc.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}
