import type { StoryView } from '@contracts/club';
import { api } from '../../../api-client';

export type { StoryView };
export type PortalClubEvent = {
  id: string;
  title: string;
  kind: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string | null;
  url: string | null;
  capacity: number;
  going: number;
  waitlisted: number;
  maybe: number;
  myStatus: 'going' | 'waitlisted' | 'declined' | 'maybe' | null;
  ticket: { token: string } | null;
  checkedInAt: string | null;
};

const e = encodeURIComponent;
/** Events open to me; an empty list on a server without the club. */
export const fetchClubEvents = () => api.request<PortalClubEvent[]>('/portal/club-events').catch(() => [] as PortalClubEvent[]);
export const answerEvent = (id: string, answer: 'yes' | 'no' | 'maybe') => api.request<{ status: string; ticket?: { token: string } }>(`/portal/club-events/${e(id)}/rsvp`, { method: 'POST', body: { answer } });
export const ticketUrl = (id: string) => `/api/v1/portal/club-events/${e(id)}/ticket`;
export const icsUrl = (id: string) => `/api/v1/portal/club-events/${e(id)}/event.ics`;
export const fetchStories = () => api.request<{ published: StoryView[]; mine: StoryView[] }>('/portal/club-stories');
export const submitStory = (body: { title: string; text: string }) => api.request<StoryView>('/portal/club-stories', { method: 'POST', body });
export const addPhoto = (id: string, file: File) => api.request<StoryView>(`/portal/club-stories/${e(id)}/photos`, { method: 'POST', file: { data: file, contentType: file.type || 'application/octet-stream' } });
export const photoUrl = (id: string, photoId: string) => `/api/v1/portal/club-stories/${e(id)}/photos/${e(photoId)}`;
