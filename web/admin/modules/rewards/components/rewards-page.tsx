import { Badge, Button, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { RewardView } from '../api/rewards-api';
import { useRewards } from '../hooks/use-rewards';
import { RewardForm } from './reward-form';

export function RewardsPage() {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const rewards = useRewards(pages.cursor);
  const amount = useAmountFormat();
  const items = rewards.data?.items ?? [];
  const { can } = useSession();
  const canWrite = can('rewards:write');
  // null: closed; 'new': the new-reward form; a reward: its edit form.
  const [editing, setEditing] = useState<RewardView | 'new' | null>(null);
  return (
    <Page title={t('rewards.title')} actions={canWrite ? <Button onClick={() => setEditing('new')}>{t('rewards.form.new')}</Button> : null}>
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
                {canWrite ? (
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                ) : null}
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
                  {canWrite ? (
                    <Table.Td>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(r)} aria-label={t('rewards.form.editTitle', { name: r.name })}>
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
              {!items.length && !rewards.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={canWrite ? 7 : 6}>
                    <Text c="dimmed">{t('rewards.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <CursorPager pages={pages} nextCursor={rewards.data?.nextCursor} count={items.length} />
      </Stack>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing && editing !== 'new' ? t('rewards.form.editTitle', { name: editing.name }) : t('rewards.form.newTitle')} size="lg">
        {editing !== null ? <RewardForm key={editing === 'new' ? 'new' : editing.id} reward={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Page>
  );
}
