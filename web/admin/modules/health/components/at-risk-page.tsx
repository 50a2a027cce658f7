import { Anchor, Group, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useHealthList } from '../hooks/use-health';
import { CycleStatusBadge } from './status-badge';

/** "At risk" (#16): accounts by churn risk, highest first, with filters. */
export function AtRiskPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [status, setStatus] = useState<string | null>(null);
  const [minScore, setMinScore] = useState<number | string>(40);
  const [segment, setSegment] = useState('');
  const q = useHealthList({ status: status ?? undefined, minScore: typeof minScore === 'number' ? minScore : undefined, segment: segment.trim() || undefined });
  return (
    <Page title={t('health.listTitle')}>
      <Text c="dimmed" size="sm">
        {t('health.listIntro')}
      </Text>
      <Group align="end">
        <Select
          label={t('health.statusLabel')}
          clearable
          value={status}
          onChange={setStatus}
          data={(['ok', 'at_risk', 'lapsed'] as const).map((s) => ({ value: s, label: t(`health.status.${s}`) }))}
        />
        <NumberInput label={t('health.minScore')} min={0} max={100} value={minScore} onChange={setMinScore} w={120} />
        <TextInput label={t('health.segment')} value={segment} onChange={(e) => setSegment(e.currentTarget.value)} />
      </Group>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      {q.data ? (
        <>
          <Text size="sm" data-testid="revenue-at-risk">
            {t('health.totalAtRisk', { amount: f.number(q.data.revenueAtRisk) })}
          </Text>
          <Table striped data-testid="at-risk-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('health.account')}</Table.Th>
                <Table.Th>{t('health.score')}</Table.Th>
                <Table.Th>{t('health.statusLabel')}</Table.Th>
                <Table.Th>{t('health.reasons')}</Table.Th>
                <Table.Th>{t('health.revenueAtRisk')}</Table.Th>
                <Table.Th>{t('health.lastPurchase')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((i) => (
                <Table.Tr key={i.accountId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${i.accountId}`}>
                      {i.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {[i.type, i.segment].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{i.score}</Table.Td>
                  <Table.Td>
                    <CycleStatusBadge status={i.status} />
                  </Table.Td>
                  <Table.Td>{i.reasons.map((r) => t(`health.reason.${r.code}`)).join(', ')}</Table.Td>
                  <Table.Td>{f.number(i.revenueAtRisk)}</Table.Td>
                  <Table.Td>{i.lastPurchaseAt ? f.date(i.lastPurchaseAt) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {!q.data.items.length ? <Text c="dimmed">{t('health.empty')}</Text> : null}
        </>
      ) : null}
    </Page>
  );
}
