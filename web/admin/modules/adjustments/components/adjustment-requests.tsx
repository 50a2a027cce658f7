import { Anchor, Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useAccount } from '../../accounts/hooks/use-accounts';
import { useSession } from '../../auth/components/session-provider';
import { useMember } from '../../members/hooks/use-members';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { decideAdjustmentRequest, fetchAdjustmentRequests, fetchAdjustmentThresholds, putAdjustmentThreshold, type AdjustmentRequestView } from '../../wallets/api/wallets-api';

export function useAdjustmentThresholds() {
  return useQuery({ queryKey: ['adjustment-thresholds'], queryFn: fetchAdjustmentThresholds, staleTime: 60_000 });
}

function OwnerName({ r }: { r: AdjustmentRequestView }) {
  const account = useAccount(r.accountId).data;
  const member = useMember(r.memberId ?? '');
  return (
    <>
      {r.memberId ? (
        <>
          <Anchor component={Link} to={`/members/${r.memberId}`}>
            {member.data?.name ?? '…'}
          </Anchor>
          {' · '}
        </>
      ) : null}
      <Anchor component={Link} to={`/accounts/${r.accountId}`}>
        {account?.name ?? '…'}
      </Anchor>
    </>
  );
}

/** Adjustments waiting for a second person: approve (not one's own) or reject; and the decided ones. */
export function AdjustmentRequests() {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const { session, can } = useSession();
  const me = session.status === 'signedIn' ? session.user?.id : undefined;
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['adjustment-requests', status], queryFn: () => fetchAdjustmentRequests(status, undefined), placeholderData: keepPreviousData });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) => decideAdjustmentRequest(id, decision),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['adjustment-requests'] });
      qc.invalidateQueries({ queryKey: ['wallets'] });
      qc.invalidateQueries({ queryKey: ['entries'] });
    },
  });
  const items = list.data?.items ?? [];
  return (
    <Card withBorder data-testid="adjustment-requests">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('admin.approvals.title')}
          </Title>
          <Select
            aria-label={t('members.status')}
            data={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`admin.approvals.statuses.${s}`) }))}
            value={status}
            onChange={(v) => setStatus(v === 'approved' || v === 'rejected' ? v : 'pending')}
            allowDeselect={false}
            w={180}
          />
        </Group>
        <ErrorAlert error={list.error ?? decide.error} />
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.approvals.when')}</Table.Th>
                <Table.Th>{t('adjustments.wallet')}</Table.Th>
                <Table.Th>{t('entries.amount')}</Table.Th>
                <Table.Th>{t('adjustments.reason')}</Table.Th>
                <Table.Th>{t('admin.approvals.requestedBy')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id} data-testid="adjustment-request-row">
                  <Table.Td>{f.date(r.createdAt)}</Table.Td>
                  <Table.Td>
                    <OwnerName r={r} />
                  </Table.Td>
                  <Table.Td>{amount(r.amount, r.currency)}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{r.requestedBy.name ?? t('admin.approvals.apiKey')}</Table.Td>
                  <Table.Td>
                    {r.status === 'pending' && can('adjustments:approve') ? (
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        {r.requestedBy.type === 'user' && r.requestedBy.id === me ? (
                          <Text size="xs" c="dimmed">
                            {t('admin.approvals.waitingForOther')}
                          </Text>
                        ) : (
                          <Button size="xs" color="teal" loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'approve' })} data-testid="adjustment-request-approve">
                            {t('admin.approvals.approve')}
                          </Button>
                        )}
                        <Button size="xs" variant="subtle" color="red" loading={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: 'reject' })}>
                          {t('admin.approvals.reject')}
                        </Button>
                      </Group>
                    ) : r.status !== 'pending' ? (
                      <Badge color={r.status === 'approved' ? 'teal' : 'gray'} variant="light">
                        {t(`admin.approvals.statuses.${r.status}`)}
                        {r.decidedBy?.name ? ` · ${r.decidedBy.name}` : ''}
                      </Badge>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
              {!items.length && !list.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed">{t('admin.approvals.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}

/** Per currency, above which amount an adjustment needs a second person (whole units as the ledger counts them). */
export function AdjustmentThresholds() {
  const { t } = useTranslation();
  const program = useProgram().data;
  const amount = useAmountFormat();
  const thresholds = useAdjustmentThresholds();
  const qc = useQueryClient();
  const [currency, setCurrency] = useState<string | null>(null);
  const [value, setValue] = useState<number | string>('');
  const save = useMutation({
    mutationFn: () => putAdjustmentThreshold(currency ?? '', typeof value === 'number' && value > 0 ? value : null),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['adjustment-thresholds'] }),
  });
  return (
    <Card withBorder maw={640}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('admin.approvals.thresholds')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.approvals.thresholdsHint')}
        </Text>
        {(thresholds.data?.items ?? []).map((x) => (
          <Text key={x.currency} size="sm">
            {program?.currencies.find((c) => c.code === x.currency)?.name ?? x.currency}: {t('admin.approvals.above', { amount: amount(x.amount, x.currency) })}
          </Text>
        ))}
        <Group align="flex-end">
          <Select label={t('rules.currency')} data={(program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }))} value={currency} onChange={setCurrency} w={200} />
          <NumberInput label={t('admin.approvals.thresholdAmount')} description={t('admin.approvals.thresholdUnits')} value={value} onChange={setValue} min={1} allowDecimal={false} w={220} />
          <Button variant="default" disabled={!currency} loading={save.isPending} onClick={() => save.mutate()}>
            {t('admin.save')}
          </Button>
        </Group>
        <ErrorAlert error={save.error} />
      </Stack>
    </Card>
  );
}
