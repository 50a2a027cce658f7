import { Badge, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useSpend } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import type { TierView } from '../api/tiers-api';
import { useEvaluateTiers, useTiers } from '../hooks/use-tiers';
import { AccumulativeEditor } from './accumulative-editor';
import { TierForm } from './tier-form';

export function TiersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const spend = useSpend();
  const { can } = useSession();
  const tiers = useTiers();
  const evaluate = useEvaluateTiers();
  // null: closed; 'new': the new-tier form; a tier: its edit form.
  const [editing, setEditing] = useState<TierView | 'new' | null>(null);
  const canWrite = can('tiers:write');
  const period = (q: TierView['qualify']) => ('rollingMonths' in q.period ? t('tiers.rolling', { count: q.period.rollingMonths }) : t(`tiers.calendar.${q.period.calendar}`));
  const items = [...(tiers.data ?? [])].sort((a, b) => a.ladder.localeCompare(b.ladder) || a.rank - b.rank);
  return (
    <Page
      title={t('nav.tiers')}
      actions={
        canWrite ? (
          <Group gap="xs">
            <Button onClick={() => setEditing('new')}>{t('tiers.form.new')}</Button>
            <Button variant="default" onClick={() => evaluate.mutate()} loading={evaluate.isPending}>
              {t('tiers.evaluate')}
            </Button>
          </Group>
        ) : null
      }
    >
      <ErrorAlert error={tiers.error ?? evaluate.error} />
      {evaluate.isSuccess ? <Text c="teal.9" role="status">{t('tiers.evaluated')}</Text> : null}
      <Stack gap="xs">
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tiers.ladder')}</Table.Th>
                <Table.Th>{t('tiers.tier')}</Table.Th>
                <Table.Th>{t('tiers.qualify')}</Table.Th>
                <Table.Th ta="end">{t('tiers.discount')}</Table.Th>
                <Table.Th ta="end">{t('tiers.multiplier')}</Table.Th>
                <Table.Th>{t('tiers.perks')}</Table.Th>
                <Table.Th ta="end">{t('tiers.grace')}</Table.Th>
                {canWrite ? <Table.Th><VisuallyHidden>{t('common.actions')}</VisuallyHidden></Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => (
                <Table.Tr key={`${x.ladder}-${x.code}`}>
                  <Table.Td>{x.ladder}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{x.name}</Badge>
                  </Table.Td>
                  <Table.Td>{t(`tiers.metric.${x.qualify.metric}`, { min: x.qualify.metric === 'spend' ? spend.format(x.qualify.min) : f.number(x.qualify.min), period: period(x.qualify) })}</Table.Td>
                  <Table.Td ta="end">{f.percent(x.benefits.discountPercent / 100)}</Table.Td>
                  <Table.Td ta="end">× {f.number(x.benefits.multiplier)}</Table.Td>
                  <Table.Td>{x.benefits.perks.join(', ')}</Table.Td>
                  <Table.Td ta="end">{t('tiers.days', { count: x.graceDays })}</Table.Td>
                  {canWrite ? (
                    <Table.Td>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(x)} aria-label={t('tiers.form.editTitle', { name: x.name })}>
                        {t('common.edit')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
              {!items.length && !tiers.isLoading ? (
                <Table.Tr>
                  <Table.Td colSpan={canWrite ? 8 : 7}>
                    <Text c="dimmed">{t('tiers.none')}</Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      <AccumulativeEditor canWrite={canWrite} />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing && editing !== 'new' ? t('tiers.form.editTitle', { name: editing.name }) : t('tiers.form.newTitle')} size="lg">
        {editing !== null ? <TierForm key={editing === 'new' ? 'new' : editing.code} tier={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Page>
  );
}
