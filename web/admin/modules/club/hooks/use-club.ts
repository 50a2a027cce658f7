import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { checkIn, createClubEvent, fetchClubEvent, fetchClubEvents, fetchNoShows, fetchRsvps, fetchStories, inviteAudience, publishStory, updateClubEvent, type ClubEventUpdate, rejectStory, type StoryView } from '../api/club-api';

export const useClubEvents = (when: 'upcoming' | 'past' | 'all') => useQuery({ queryKey: ['club-events', when], queryFn: () => fetchClubEvents(when) });
export const useClubEvent = (id: string) => useQuery({ queryKey: ['club-event', id], queryFn: () => fetchClubEvent(id) });
export const useRsvps = (id: string | null) => useQuery({ queryKey: ['club-rsvps', id], queryFn: () => fetchRsvps(id!), enabled: !!id });
export const useNoShows = () => useQuery({ queryKey: ['club-no-shows'], queryFn: fetchNoShows });
export const useStories = (status?: StoryView['status']) => useQuery({ queryKey: ['club-stories', status ?? 'all'], queryFn: () => fetchStories(status) });

export function useClubMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['club-events'] });
    qc.invalidateQueries({ queryKey: ['club-event'] });
    qc.invalidateQueries({ queryKey: ['club-rsvps'] });
  };
  return {
    create: useMutation({ mutationFn: createClubEvent, onSuccess: refresh }),
    update: useMutation({ mutationFn: ({ id, body }: { id: string; body: ClubEventUpdate }) => updateClubEvent(id, body), onSuccess: refresh }),
    invite: useMutation({ mutationFn: inviteAudience, onSuccess: refresh }),
    checkIn: useMutation({ mutationFn: ({ id, ticket }: { id: string; ticket: string }) => checkIn(id, ticket), onSuccess: refresh }),
    publish: useMutation({
      mutationFn: ({ id, segments, tiers, roles, awardPoints }: { id: string; segments: string[]; tiers: string[]; roles: string[]; awardPoints: boolean }) =>
        publishStory(id, { audience: { ...(segments.length ? { segments } : {}), ...(tiers.length ? { tiers } : {}), ...(roles.length ? { roles } : {}) }, awardPoints }),
      onSuccess: () => qc.invalidateQueries({ queryKey: ['club-stories'] }),
    }),
    reject: useMutation({ mutationFn: ({ id, reason }: { id: string; reason: string }) => rejectStory(id, reason), onSuccess: () => qc.invalidateQueries({ queryKey: ['club-stories'] }) }),
  };
}
