import type { InboxView, PortalPushView, PreferencesPatch, PreferencesView, PushSubscriptionInput } from '@contracts/messaging';
import { api } from '../../../api-client';

export type { InboxView, PreferencesView };

export const fetchInbox = (limit = 30) => api.request<InboxView>('/portal/inbox', { query: { limit } });
export const markRead = (id: string) => api.request<{ unread: number }>(`/portal/inbox/${encodeURIComponent(id)}/read`, { method: 'POST', body: {} });
export const fetchPreferences = () => api.request<PreferencesView>('/portal/preferences');
export const savePreferences = (body: PreferencesPatch) => api.request<PreferencesView>('/portal/preferences', { method: 'PATCH', body });

// Web Push opt-in (#12)
export type { PortalPushView, PushSubscriptionInput } from '@contracts/messaging';
export const fetchPush = () => api.request<PortalPushView>('/portal/push');
export const putPushSubscription = (body: PushSubscriptionInput) => api.request<PortalPushView>('/portal/push/subscription', { method: 'PUT', body });
export const deletePushSubscription = () => api.request<PortalPushView>('/portal/push/subscription', { method: 'DELETE' });
