import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useEvents } from '../hooks/use-events';
import { EventsTable } from './events-table';

export function AccountEvents({ accountId }: { accountId: string }) {
  const pages = useCursorPages();
  const events = useEvents({ accountId }, pages.cursor);
  if (events.error) return <ErrorAlert error={events.error} />;
  return <EventsTable items={events.data?.items ?? []} nextCursor={events.data?.nextCursor} pages={pages} loading={events.isLoading} />;
}
