import type { DeliveryView, WebhookInput, WebhookView } from '@contracts/webhooks';
import { api } from '../../../api-client';

export type { DeliveryView, WebhookInput, WebhookView };

export const fetchWebhooks = () => api.request<{ items: WebhookView[]; nextCursor: string | null }>('/webhooks', { query: { limit: 100 } }).then((r) => r.items);
export const createWebhook = (body: WebhookInput) => api.request<WebhookView & { secret: string }>('/webhooks', { method: 'POST', body });
export const setWebhookActive = (id: string, active: boolean) => api.request<WebhookView>(`/webhooks/${encodeURIComponent(id)}`, { method: 'PATCH', body: { active } });
export const deleteWebhook = (id: string) => api.request<void>(`/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const fetchDeliveries = (id: string) => api.request<{ items: DeliveryView[]; nextCursor: string | null }>(`/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { limit: 20 } }).then((r) => r.items);
export const retryDelivery = (deliveryId: string) => api.request<DeliveryView>(`/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`, { method: 'POST', body: {} });
