import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AccountName, MemberName } from '../../accounts/components/owner-names';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { RedemptionAction, RedemptionStatus, RedemptionView } from '../api/rewards-api';
import { useRedemptionAction, useRedemptions } from '../hooks/use-rewards';

const STATUSES = ['requested', 'approved', 'fulfilled', 'cancelled', 'rejected'] as const;
const ACTIONS: Record<RedemptionStatus, RedemptionAction[]> = {
  requested: ['approve', 'reject', 'cancel'],
  approved: ['fulfil', 'cancel'],
  fulfilled: [],
  cancelled: [],
  rejected: [],
};

export function RedemptionsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const { can } = useSession();
  const [status, setStatus] = useState<string>('requested');
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [status, reset]);
  const redemptions = useRedemptions(STATUSES.find((s) => s === status), pages.cursor);
  const act = useRedemptionAction();
  const items = redemptions.data?.items ?? [];
  const wallet = (r: RedemptionView) => ('memberId' in r.wallet ? { to: `/members/${r.wallet.memberId}`, label: t('rules.to.member') } : { to: `/accounts/${r.accountId}`, label: t('rules.to.account') });

  return (
    <Page title={t('redemptions.title')}>
      <SegmentedControl
        aria-label={t('redemptions.status')}
        value={status}
        onChange={setStatus}
        data={[...STATUSES.map((s) => ({ value: s, label: t(`redemptions.statuses.${s}`) })), { value: 'all', label: t('rules.statuses.all') }]}
        w="fit-content"
      />
      <ErrorAlert error={redemptions.error ?? act.error} />
      <Stack gap="xs">
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('redemptions.createdAt')}</Table.Th>
                <Table.Th>{t('redemptions.reward')}</Table.Th>
                <Table.Th>{t('redemptions.wallet')}</Table.Th>
                <Table.Th ta="end">{t('rewards.cost')}</Table.Th>
                <Table.Th>{t('redemptions.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => {
                const w = wallet(r);
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td>{f.dateTime(r.createdAt)}</Table.Td>
                    <Table.Td>
                      {r.reward.name}
                      {r.qty > 1 ? ` × ${r.qty}` : ''}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={w.to} size="sm">
                        {'memberId' in r.wallet ? <MemberName id={r.wallet.memberId} fallback={w.label} /> : <AccountName id={r.accountId} fallback={w.label} />}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="end">{amount(r.cost.amount, r.cost.currency)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{t(`redemptions.statuses.${r.status}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {can('redemptions:write') ? (
                        <Group gap={4} wrap="nowrap">
                          {ACTIONS[r.status].map((a) => (
                            <Button key={a} size="compact-xs" variant={a === 'approve' || a === 'fulfil' ? 'filled' : 'default'} onClick={() => act.mutate({ id: r.id, action: a })} loading={act.isPending && act.variables?.id === r.id && act.variables.action === a}>
                              {t(`redemptions.actions.${a}`)}
                            </Button>
                          ))}
                        </Group>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              {!items.length && !redemptions.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed">{t('common.noResults')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <CursorPager pages={pages} nextCursor={redemptions.data?.nextCursor} count={items.length} />
      </Stack>
    </Page>
  );
}
