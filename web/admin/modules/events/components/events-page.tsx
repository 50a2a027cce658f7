import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEventTypes } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { EventFilters } from '../api/events-api';
import { useEvents } from '../hooks/use-events';
import { EventsTable } from './events-table';

export function EventsPage() {
  const { t } = useTranslation();
  const types = useEventTypes().data ?? [];
  const [type, setType] = useState<string | null>(null);
  const [accountId, setAccountId] = useState('');
  const [debouncedAccount] = useDebouncedValue(accountId, 400);
  const filters = useMemo<EventFilters>(() => ({ type: type ?? undefined, accountId: debouncedAccount.trim() || undefined }), [type, debouncedAccount]);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const events = useEvents(filters, pages.cursor);
  return (
    <Page title={t('events.title')}>
      <Group align="flex-end">
        <Select label={t('events.type')} data={types.map((x) => ({ value: x.code, label: x.name }))} value={type} onChange={setType} clearable w={220} />
        <TextInput label={t('events.account')} placeholder="ext:C-1001" value={accountId} onChange={(e) => setAccountId(e.currentTarget.value)} w={220} />
      </Group>
      <ErrorAlert error={events.error} />
      <EventsTable items={events.data?.items ?? []} nextCursor={events.data?.nextCursor} pages={pages} loading={events.isLoading} />
    </Page>
  );
}
