import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import type { CursorPages } from '../../ui/hooks/use-cursor-pages';
import { CursorPager } from '../../ui/components/cursor-pager';
import type { EventSummary } from '../api/events-api';

export function EventsTable({ items, nextCursor, pages, loading }: { items: EventSummary[]; nextCursor: string | null | undefined; pages: CursorPages; loading: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const money = (e: EventSummary) => (e.amount === null ? '' : e.currency ? f.amount(e.amount, { code: e.currency, kind: 'money', moneyCurrency: e.currency }) : f.number(e.amount));
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={680}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('events.id')}</Table.Th>
              <Table.Th>{t('events.type')}</Table.Th>
              <Table.Th>{t('events.occurredAt')}</Table.Th>
              <Table.Th ta="end">{t('events.amount')}</Table.Th>
              <Table.Th ta="end">{t('events.awards')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/events/${encodeURIComponent(e.id)}`} className="mono">
                    {e.id}
                  </Anchor>
                </Table.Td>
                <Table.Td>{e.type}</Table.Td>
                <Table.Td>{f.dateTime(e.occurredAt)}</Table.Td>
                <Table.Td ta="end">{money(e)}</Table.Td>
                <Table.Td ta="end">{f.number(e.awards)}</Table.Td>
              </Table.Tr>
            ))}
            {!items.length && !loading ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text c="dimmed">{t('events.none')}</Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager pages={pages} nextCursor={nextCursor} count={items.length} />
    </Stack>
  );
}
