import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { Owner } from '../api/wallets-api';
import { useEntries } from '../hooks/use-wallets';

/** The ledger history of a wallet owner, newest first, paginated on the server. */
export function EntriesTable({ owner }: { owner: Owner }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const entries = useEntries(owner, pages.cursor);
  const amount = useAmountFormat();
  const f = useFormat();
  if (entries.error) return <ErrorAlert error={entries.error} />;
  const items = entries.data?.items ?? [];
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={640}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('entries.at')}</Table.Th>
              <Table.Th>{t('entries.kind')}</Table.Th>
              <Table.Th>{t('entries.bucket')}</Table.Th>
              <Table.Th ta="end">{t('entries.amount')}</Table.Th>
              <Table.Th>{t('entries.source')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{f.dateTime(e.at)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={e.amount >= 0 ? 'teal' : 'gray'}>
                    {t(`entries.kinds.${e.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{t(`wallets.buckets.${e.bucket}`)}</Table.Td>
                <Table.Td ta="end" c={e.amount < 0 ? 'red.9' : undefined}>
                  {amount(e.amount, e.currency)}
                </Table.Td>
                <Table.Td>
                  {e.eventId ? (
                    <Anchor component={Link} to={`/events/${encodeURIComponent(e.eventId)}`} size="sm">
                      {e.eventId}
                    </Anchor>
                  ) : (
                    <Text size="sm">{e.memo ?? ''}</Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
            {!items.length && !entries.isLoading ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text c="dimmed">{t('entries.none')}</Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CursorPager pages={pages} nextCursor={entries.data?.nextCursor} count={items.length} />
    </Stack>
  );
}
