import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { useRewards } from '../hooks/use-rewards';

export function RewardsPage() {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const rewards = useRewards(pages.cursor);
  const amount = useAmountFormat();
  const items = rewards.data?.items ?? [];
  return (
    <Page title={t('rewards.title')}>
      <ErrorAlert error={rewards.error} />
      <Stack gap="xs">
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rewards.name')}</Table.Th>
                <Table.Th>{t('rewards.kind')}</Table.Th>
                <Table.Th>{t('rewards.category')}</Table.Th>
                <Table.Th ta="end">{t('rewards.cost')}</Table.Th>
                <Table.Th ta="end">{t('rewards.stock')}</Table.Th>
                <Table.Th>{t('rewards.available')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{t(`rewards.kinds.${r.kind}`)}</Table.Td>
                  <Table.Td>{r.category ?? ''}</Table.Td>
                  <Table.Td ta="end">{amount(r.cost.amount, r.cost.currency)}</Table.Td>
                  <Table.Td ta="end">{r.stock === null ? '∞' : r.stock}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={r.availableNow ? 'teal' : 'gray'}>
                      {r.availableNow ? t('common.yes') : t('common.no')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
              {!items.length && !rewards.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed">{t('rewards.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <CursorPager pages={pages} nextCursor={rewards.data?.nextCursor} count={items.length} />
      </Stack>
    </Page>
  );
}
