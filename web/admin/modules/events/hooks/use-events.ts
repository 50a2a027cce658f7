import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchEvent, fetchEvents, type EventFilters } from '../api/events-api';

export function useEvents(filters: EventFilters, cursor: string | undefined) {
  return useQuery({ queryKey: ['events', filters, cursor], queryFn: () => fetchEvents(filters, cursor), placeholderData: keepPreviousData });
}

export function useEvent(id: string) {
  return useQuery({ queryKey: ['event', id], queryFn: () => fetchEvent(id) });
}
