import { Anchor, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '@shared/api/api-error';
import { AccountName, MemberName } from '../../accounts/components/owner-names';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { RedemptionAction, RedemptionStatus, RedemptionView } from '../api/rewards-api';
import { fetchFulfilmentExport } from '../api/rewards-api';
import { useRedemptionAction, useRedemptions } from '../hooks/use-rewards';

/** What the member answered to the reward's questions, as text (an address on one line). */
export function answerText(v: RedemptionView['answers'][string]): string {
  if (typeof v === 'string') return v;
  return [v.name, v.company, v.line1, v.line2, [v.postalCode, v.city].filter(Boolean).join(' '), v.region, v.country, v.phone].filter(Boolean).join(', ');
}

/**
 * The confirmation of a step (#21): what is about to happen to whom, and for fulfilment the
 * tracking number, voucher code or donation receipt the API takes.
 */
function ConfirmStep({ target, onClose }: { target: { r: RedemptionView; action: RedemptionAction } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const amount = useAmountFormat();
  const act = useRedemptionAction();
  const [tracking, setTracking] = useState('');
  const [voucher, setVoucher] = useState('');
  const [receipt, setReceipt] = useState('');
  const [reason, setReason] = useState('');
  useEffect(() => {
    setTracking('');
    setVoucher('');
    setReceipt('');
    setReason('');
    act.reset();
  }, [target?.r.id, target?.action]);
  if (!target) return null;
  const { r, action } = target;
  const kind = r.reward.kind;
  const errors = isApiError(act.error) ? act.error.fieldErrors() : {};
  const submit = async () => {
    const body = {
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(action === 'fulfil' && tracking.trim() ? { trackingNumber: tracking.trim() } : {}),
      ...(action === 'fulfil' && voucher.trim() ? { voucherCode: voucher.trim() } : {}),
      ...(action === 'fulfil' && receipt.trim() ? { receiptNumber: receipt.trim() } : {}),
    };
    await act.mutateAsync({ id: r.id, action, body });
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t(`redemptions.confirm.${action}`, { reward: r.reward.name })} size="lg">
      <Stack gap="sm">
        <Text size="sm">{t('redemptions.confirm.summary', { qty: r.qty, reward: r.reward.name, cost: amount(r.cost.amount, r.cost.currency) })}</Text>
        {Object.entries(r.answers).length ? (
          <Stack gap={2} data-testid="redemption-answers">
            {Object.entries(r.answers).map(([k, v]) => (
              <Text size="sm" key={k}>
                <b>{k}</b>: {answerText(v)}
              </Text>
            ))}
          </Stack>
        ) : null}
        {action === 'fulfil' ? (
          <>
            {kind === 'gift' || kind === 'experience' || kind === 'partner' ? (
              <TextInput label={t('redemptions.confirm.tracking')} value={tracking} onChange={(e) => setTracking(e.currentTarget.value)} error={errors.trackingNumber} data-testid="fulfil-tracking" />
            ) : null}
            {kind === 'voucher' ? (
              <TextInput label={t('redemptions.confirm.voucher')} description={t('redemptions.confirm.voucherHint')} value={voucher} onChange={(e) => setVoucher(e.currentTarget.value)} error={errors.voucherCode} data-testid="fulfil-voucher" />
            ) : null}
            {kind === 'donation' ? <TextInput label={t('redemptions.confirm.receipt')} description={t('redemptions.confirm.receiptHint')} value={receipt} onChange={(e) => setReceipt(e.currentTarget.value)} error={errors.receiptNumber} /> : null}
          </>
        ) : null}
        <Textarea label={t('redemptions.confirm.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} autosize minRows={1} />
        <Text size="xs" c="dimmed">
          {t(`redemptions.confirm.effect_${action}`)}
        </Text>
        <ErrorAlert error={act.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={action === 'approve' || action === 'fulfil' ? undefined : 'red'} onClick={() => void submit().catch(() => undefined)} loading={act.isPending} data-testid="confirm-step">
            {t(`redemptions.actions.${action}`)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const STATUSES = ['requested', 'approved', 'fulfilled', 'cancelled', 'rejected', 'pending_approval'] as const;
const ACTIONS: Record<RedemptionStatus, RedemptionAction[]> = {
  // Rights inside a company (#14): the company's partner admin decides in the portal; the console may only cancel.
  pending_approval: ['cancel'],
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
  const [confirm, setConfirm] = useState<{ r: RedemptionView; action: RedemptionAction } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const exportFile = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await fetchFulfilmentExport(format);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `fulfilment-${new Date().toISOString().slice(0, 10)}.${format}`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  const items = redemptions.data?.items ?? [];
  const wallet = (r: RedemptionView) => ('memberId' in r.wallet ? { to: `/members/${r.wallet.memberId}`, label: t('rules.to.member') } : { to: `/accounts/${r.accountId}`, label: t('rules.to.account') });

  return (
    <Page title={t('redemptions.title')}>
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          aria-label={t('redemptions.status')}
          value={status}
          onChange={setStatus}
          data={[...STATUSES.map((s) => ({ value: s, label: s === 'pending_approval' ? t('companyRights.pendingApproval') : t(`redemptions.statuses.${s}`) })), { value: 'all', label: t('rules.statuses.all') }]}
          w="fit-content"
        />
        <Group gap="xs">
          <Button variant="light" onClick={() => void exportFile('csv')} loading={exporting} data-testid="fulfilment-export">
            {t('redemptions.exportCsv')}
          </Button>
          <Button variant="default" onClick={() => void exportFile('xlsx')} disabled={exporting}>
            {t('redemptions.exportXlsx')}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {t('redemptions.exportHint')}
      </Text>
      <ErrorAlert error={redemptions.error ?? exportError} />
      <ConfirmStep target={confirm} onClose={() => setConfirm(null)} />
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
                      {Object.values(r.answers).length ? (
                        <Text size="xs" c="dimmed">
                          {Object.values(r.answers).map(answerText).join(' · ')}
                        </Text>
                      ) : null}
                      {r.trackingNumber || r.voucherCode ? (
                        <Text size="xs" c="dimmed">
                          {[r.trackingNumber ? t('redemptions.trackingShort', { n: r.trackingNumber }) : null, r.voucherCode ? t('redemptions.voucherShort', { code: r.voucherCode }) : null].filter(Boolean).join(' · ')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={w.to} size="sm">
                        {'memberId' in r.wallet ? <MemberName id={r.wallet.memberId} fallback={w.label} /> : <AccountName id={r.accountId} fallback={w.label} />}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="end">{amount(r.cost.amount, r.cost.currency)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{r.status === 'pending_approval' ? t('companyRights.pendingApproval') : t(`redemptions.statuses.${r.status}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {can('redemptions:write') ? (
                        <Group gap={4} wrap="nowrap">
                          {ACTIONS[r.status].map((a) => (
                            <Button key={a} size="compact-xs" variant={a === 'approve' || a === 'fulfil' ? 'filled' : 'default'} onClick={() => setConfirm({ r, action: a })}>
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
