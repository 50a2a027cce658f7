import type { ClubEventInput, ClubEventUpdate, ClubEventView, StoryView } from '@contracts/club';
import { api } from '../../../api-client';

export type { ClubEventInput, ClubEventUpdate, ClubEventView, StoryView };
export type RsvpRow = { memberId: string; memberName: string; accountId: string; accountName: string; status: 'going' | 'waitlisted' | 'declined' | 'maybe'; answeredAt: string; checkedInAt: string | null };
export type NoShowRow = { accountId: string; accountName: string; going: number; attended: number; noShows: number; noShowRateBp: number };
export type CheckInAnswer = { eventId: string; memberId: string; memberName: string; accountName: string; checkedInAt: string };

const e = encodeURIComponent;
export const fetchClubEvents = (when: 'upcoming' | 'past' | 'all') => api.request<{ items: ClubEventView[]; nextCursor: string | null }>('/club-events', { query: { when, limit: 100 } }).then((r) => r.items);
export const fetchClubEvent = (id: string) => api.request<ClubEventView>(`/club-events/${e(id)}`);
export const fetchRsvps = (id: string) => api.request<RsvpRow[]>(`/club-events/${e(id)}/rsvps`);
export const fetchNoShows = () => api.request<NoShowRow[]>('/club-events/no-shows');
export const createClubEvent = (body: ClubEventInput) => api.request<ClubEventView>('/club-events', { method: 'POST', body });
export const updateClubEvent = (id: string, body: ClubEventUpdate) => api.request<ClubEventView>(`/club-events/${e(id)}`, { method: 'PATCH', body });
export const inviteAudience = (id: string) => api.request<{ queued: number }>(`/club-events/${e(id)}/invitations`, { method: 'POST' });
export const checkIn = (id: string, ticket: string) => api.request<CheckInAnswer>(`/club-events/${e(id)}/check-in`, { method: 'POST', body: { ticket } });
export const icsUrl = (id: string) => `/api/v1/club-events/${e(id)}/event.ics`;
export const fetchStories = (status?: StoryView['status']) => api.request<{ items: StoryView[]; nextCursor: string | null }>('/club-stories', { query: { limit: 100, ...(status ? { status } : {}) } }).then((r) => r.items);
export const photoUrl = (id: string, photoId: string) => `/api/v1/club-stories/${e(id)}/photos/${e(photoId)}`;
export const publishStory = (id: string, body: { audience?: { segments?: string[]; tiers?: string[]; roles?: string[] }; awardPoints?: boolean }) => api.request<StoryView>(`/club-stories/${e(id)}/publish`, { method: 'POST', body });
export const rejectStory = (id: string, reason: string) => api.request<StoryView>(`/club-stories/${e(id)}/reject`, { method: 'POST', body: { reason } });
