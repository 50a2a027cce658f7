import { Card, Group, ScrollArea, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useCohorts } from '../hooks/use-analytics';
import type { ExportTable } from '../table-export';
import { ExportButtons } from './export-buttons';

/** Program analytics (#18): accounts by month of joining, retention or cumulative spend by month since joining; exportable. */
export function CohortsCard({ moneyCurrency }: { moneyCurrency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [view, setView] = useState<'retention' | 'spend'>('retention');
  const cohorts = useCohorts(12);
  const rows = cohorts.data?.cohorts ?? [];
  const width = Math.max(0, ...rows.map((c) => c.retentionBp.length));
  const ks = Array.from({ length: width }, (_, k) => k);
  const table: ExportTable = {
    name: view === 'retention' ? 'cohort-retention' : 'cohort-spend',
    columns: [
      { key: 'cohort', header: t('analytics.cohort'), kind: 'text' },
      { key: 'accounts', header: t('analytics.accounts'), kind: 'number' },
      ...ks.map((k) => ({ key: `m${k}`, header: t('analytics.monthN', { n: k }), kind: view === 'retention' ? ('percentBp' as const) : { money: moneyCurrency } })),
    ],
    rows: rows.map((c) => ({ cohort: c.cohort, accounts: c.accounts, ...Object.fromEntries(ks.map((k) => [`m${k}`, (view === 'retention' ? c.retentionBp : c.cumulativeSpend)[k] ?? null])) })),
  };
  const show = (v: string | number | null) => (v === null ? '' : view === 'retention' ? f.percent(Number(v) / 10000) : f.amount(Number(v), { code: moneyCurrency, kind: 'money', moneyCurrency }));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('analytics.cohortsTitle')}</Text>
        <Group>
          <SegmentedControl size="xs" value={view} onChange={(v) => setView(v === 'spend' ? 'spend' : 'retention')} data={[{ value: 'retention', label: t('analytics.retention') }, { value: 'spend', label: t('analytics.cumulativeSpend') }]} />
          <ExportButtons table={table} />
        </Group>
      </Group>
      <ErrorAlert error={cohorts.error} />
      <ScrollArea>
        <Table data-testid="cohorts-table">
          <Table.Thead>
            <Table.Tr>{table.columns.map((c) => <Table.Th key={c.key}>{c.header}</Table.Th>)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.rows.map((r) => (
              <Table.Tr key={String(r.cohort)}>
                <Table.Td>{f.month(String(r.cohort))}</Table.Td>
                <Table.Td>{f.number(Number(r.accounts))}</Table.Td>
                {ks.map((k) => <Table.Td key={k}>{show(r[`m${k}`] ?? null)}</Table.Td>)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}
