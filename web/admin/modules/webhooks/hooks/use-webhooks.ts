import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createWebhook, deleteWebhook, fetchDeliveries, fetchWebhooks, retryDelivery, setWebhookActive } from '../api/webhooks-api';

export function useWebhooks() {
  return useQuery({ queryKey: ['webhooks'], queryFn: fetchWebhooks });
}

export function useDeliveries(id: string | null) {
  return useQuery({ queryKey: ['webhook-deliveries', id], queryFn: () => fetchDeliveries(id ?? ''), enabled: Boolean(id) });
}

export function useWebhookMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ['webhooks'] });
  return {
    create: useMutation({ mutationFn: createWebhook, onSuccess: refresh }),
    toggle: useMutation({ mutationFn: ({ id, active }: { id: string; active: boolean }) => setWebhookActive(id, active), onSuccess: refresh }),
    remove: useMutation({ mutationFn: deleteWebhook, onSuccess: refresh }),
    retry: useMutation({ mutationFn: retryDelivery, onSuccess: () => qc.invalidateQueries({ queryKey: ['webhook-deliveries'] }) }),
  };
}
