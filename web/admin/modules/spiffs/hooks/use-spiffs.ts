import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createSpiff, fetchSpiffReport, fetchSpiffs, updateSpiff, type SpiffPatch } from '../api/spiffs-api';

export function useSpiffs() {
  return useQuery({ queryKey: ['spiffs'], queryFn: fetchSpiffs });
}

export function useSpiffReport(id: string | null) {
  return useQuery({ queryKey: ['spiff-report', id], queryFn: () => fetchSpiffReport(id!), enabled: id !== null });
}

export function useSpiffMutations() {
  const qc = useQueryClient();
  const done = () => {
    qc.invalidateQueries({ queryKey: ['spiffs'] });
    qc.invalidateQueries({ queryKey: ['spiff-report'] });
    qc.invalidateQueries({ queryKey: ['rules'] });
  };
  return {
    create: useMutation({ mutationFn: createSpiff, onSuccess: done }),
    update: useMutation({ mutationFn: ({ id, body }: { id: string; body: SpiffPatch }) => updateSpiff(id, body), onSuccess: done }),
  };
}
