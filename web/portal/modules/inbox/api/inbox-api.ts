import type { InboxView, PreferencesPatch, PreferencesView } from '@contracts/messaging';
import { api } from '../../../api-client';

export type { InboxView, PreferencesView };

export const fetchInbox = (limit = 30) => api.request<InboxView>('/portal/inbox', { query: { limit } });
export const markRead = (id: string) => api.request<{ unread: number }>(`/portal/inbox/${encodeURIComponent(id)}/read`, { method: 'POST', body: {} });
export const fetchPreferences = () => api.request<PreferencesView>('/portal/preferences');
export const savePreferences = (body: PreferencesPatch) => api.request<PreferencesView>('/portal/preferences', { method: 'PATCH', body });
