import { Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import type { KpiBy, PilotParams } from '../api/analytics-api';
import { useKpis, usePilot, usePlan } from '../hooks/use-analytics';
import type { ExportTable } from '../table-export';
import { ExportButtons } from './export-buttons';
import { CohortsCard } from './cohorts-card';
import { PlanCard } from './plan-card';
import { SampleSizeCard } from './sample-size-card';

const FlowChart = lazy(() => import('./analytics-charts').then((m) => ({ default: m.FlowChart })));
const TrendChart = lazy(() => import('./analytics-charts').then((m) => ({ default: m.TrendChart })));

const day = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (k: number) => { const n = new Date(); return day(new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + k, 1))); };

function Kpi({ label, value, definition, testId, target }: { label: string; value: string; definition: string; testId: string; target?: string | null }) {
  return (
    <Tooltip label={definition} multiline w={280} withArrow>
      <Card withBorder data-testid={testId} tabIndex={0} aria-description={definition}>
        <Text size="sm" c="dimmed">{label}</Text>
        <Text size="xl" fw={700}>{value}</Text>
        {target ? <Text size="xs" c="dimmed">{target}</Text> : null}
      </Card>
    </Tooltip>
  );
}

export function AnalyticsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const program = useProgram().data;
  const [from, setFrom] = useState(monthStart(-12));
  const [to, setTo] = useState(day(new Date(Date.now() + 86_400_000)));
  const [by, setBy] = useState<KpiBy | null>(null);
  const kpis = useKpis({ from, to, ...(by ? { by } : {}) });
  const [form, setForm] = useState<PilotParams>({ group: 'pilot', control: 'control', preFrom: monthStart(-6), preTo: monthStart(-3), from: monthStart(-3), to: monthStart(0), metric: 'spend' });
  const [asked, setAsked] = useState<PilotParams | null>(null);
  const pilot = usePilot(asked);
  const plan = usePlan().data;
  const target = (bp: number | undefined, actual: number | null | undefined) =>
    bp === undefined ? null : t(actual !== null && actual !== undefined && actual >= bp ? 'analytics.targetMet' : 'analytics.targetNotMet', { target: f.percent(bp / 10000) });
  const k = kpis.data;
  const pct = (bp: number | null) => (bp === null ? '—' : f.percent(bp / 10000));
  const all = k?.slices;
  const points = k?.liability[0];
  const eur = program?.currencies.find((c) => c.kind === 'money');
  const money = (n: number, iso: string) => f.amount(n, { code: iso, kind: 'money', moneyCurrency: iso });
  const spendFormat = (n: number) => (form.metric === 'spend' ? money(n, eur?.moneyCurrency ?? 'EUR') : f.number(n));

  const slicesTable: ExportTable | null = all
    ? {
        name: 'kpis',
        columns: [
          { key: 'slice', header: t('analytics.slice'), kind: 'text' },
          { key: 'enrolled', header: t('analytics.enrolled'), kind: 'number' },
          { key: 'active', header: t('analytics.active'), kind: 'number' },
          { key: 'participation', header: t('analytics.participation'), kind: 'percentBp' },
          { key: 'currency', header: t('analytics.currency'), kind: 'text' },
          { key: 'issued', header: t('analytics.issued'), kind: 'number' },
          { key: 'redeemed', header: t('analytics.redeemed'), kind: 'number' },
          { key: 'expired', header: t('analytics.expired'), kind: 'number' },
          { key: 'reversed', header: t('analytics.reversed'), kind: 'number' },
          { key: 'rate', header: t('analytics.redemptionRate'), kind: 'percentBp' },
        ],
        rows: all.flatMap((s) => (s.value.length ? s.value : [null]).map((v) => ({ slice: s.slice, enrolled: s.enrolled, active: s.active, participation: s.participationBp, currency: v?.currency ?? null, issued: v?.issued ?? null, redeemed: v?.redeemed ?? null, expired: v?.expired ?? null, reversed: v?.reversed ?? null, rate: v?.redemptionRateBp ?? null }))),
      }
    : null;
  const p = pilot.data;
  const trendTable: ExportTable | null = p
    ? { name: 'pilot-trend', columns: [{ key: 'month', header: t('analytics.month'), kind: 'text' }, { key: 'period', header: t('analytics.period'), kind: 'text' }, { key: 'pilot', header: t('analytics.pilot'), kind: 'number' }, { key: 'control', header: t('analytics.control'), kind: 'number' }], rows: p.trend }
    : null;
  const program0 = all?.find((s) => s.slice === 'all') ?? all?.[0];
  const value0 = program0?.value.find((v) => v.currency === points?.currency) ?? program0?.value[0];
  const money0 = program0?.money[0];

  return (
    <Page title={t('analytics.title')}>
      {plan ? <PlanCard plan={plan} /> : null}
      <Group align="end">
        <TextInput type="date" label={t('analytics.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('analytics.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Select
          label={t('analytics.by')}
          clearable
          value={by}
          onChange={(v) => setBy(v as KpiBy | null)}
          data={(['type', 'segment', 'region', 'tier', 'currency'] as const).map((d) => ({ value: d, label: t(`analytics.dim.${d}`) }))}
          w={200}
        />
      </Group>
      <ErrorAlert error={kpis.error} />
      {k && program0 ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
            <Kpi testId="kpi-participation" label={t('analytics.participation')} value={pct(program0.participationBp)} definition={t('analytics.def.participation', { days: k.windowDays })} target={target(plan?.targets.participationBp, program0.participationBp)} />
            <Kpi testId="kpi-redemption" label={t('analytics.redemptionRate')} value={value0 ? pct(value0.redemptionRateBp) : '—'} definition={t('analytics.def.redemptionRate')} target={target(plan?.targets.redemptionRateBp, value0?.redemptionRateBp)} />
            <Kpi testId="kpi-liability" label={t('analytics.liability')} value={points ? `${f.number(points.liability)} ${points.currency}` : '—'} definition={t('analytics.def.liability')} />
            <Kpi testId="kpi-breakage" label={t('analytics.breakage')} value={points ? pct(points.breakageBp) : '—'} definition={t('analytics.def.breakage')} />
            <Kpi testId="kpi-cost-share" label={t('analytics.costShare')} value={money0 ? pct(money0.costShareBp) : '—'} definition={t('analytics.def.costShare')} />
          </SimpleGrid>
          <Suspense fallback={<Card withBorder h={300} aria-busy="true" />}>
            <FlowChart months={k.months.filter((m) => m.currency === (value0?.currency ?? m.currency))} />
          </Suspense>
          <Card withBorder>
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('analytics.slicesTitle')}</Text>
              {slicesTable ? <ExportButtons table={slicesTable} /> : null}
            </Group>
            <Table data-testid="kpi-table">
              <Table.Thead>
                <Table.Tr>{slicesTable?.columns.map((c) => <Table.Th key={c.key}>{c.header}</Table.Th>)}</Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {slicesTable?.rows.map((r, i) => (
                  <Table.Tr key={i}>
                    {slicesTable.columns.map((c) => (
                      <Table.Td key={c.key}>{r[c.key] === null ? '—' : c.kind === 'percentBp' ? pct(Number(r[c.key])) : c.kind === 'number' ? f.number(Number(r[c.key])) : String(r[c.key])}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Stack>
      ) : null}

      <Card withBorder>
        <Text fw={600} mb="xs">{t('analytics.pilotTitle')}</Text>
        <Group align="end">
          <TextInput label={t('analytics.pilotGroup')} value={form.group} onChange={(e) => setForm({ ...form, group: e.currentTarget.value })} w={140} />
          <TextInput label={t('analytics.controlGroup')} value={form.control} onChange={(e) => setForm({ ...form, control: e.currentTarget.value })} w={140} />
          <TextInput type="date" label={t('analytics.preFrom')} value={form.preFrom} onChange={(e) => setForm({ ...form, preFrom: e.currentTarget.value })} />
          <TextInput type="date" label={t('analytics.preTo')} value={form.preTo} onChange={(e) => setForm({ ...form, preTo: e.currentTarget.value })} />
          <TextInput type="date" label={t('analytics.postFrom')} value={form.from} onChange={(e) => setForm({ ...form, from: e.currentTarget.value })} />
          <TextInput type="date" label={t('analytics.postTo')} value={form.to} onChange={(e) => setForm({ ...form, to: e.currentTarget.value })} />
          <Select label={t('analytics.metric')} value={form.metric} allowDeselect={false} onChange={(v) => setForm({ ...form, metric: v === 'purchases' ? 'purchases' : 'spend' })} data={[{ value: 'spend', label: t('analytics.spend') }, { value: 'purchases', label: t('analytics.purchases') }]} w={140} />
          <Button onClick={() => setAsked({ ...form })}>{t('analytics.compare')}</Button>
        </Group>
      </Card>
      <ErrorAlert error={pilot.error} />
      {p ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <Kpi testId="pilot-did" label={t('analytics.uplift')} value={spendFormat(p.did)} definition={t('analytics.def.did')} />
            <Kpi testId="pilot-ci" label={t('analytics.ci95')} value={p.ci95[0] === null || p.ci95[1] === null ? '—' : `${spendFormat(p.ci95[0])} … ${spendFormat(p.ci95[1])}`} definition={t('analytics.def.ci95')} />
            <Kpi testId="pilot-relative" label={t('analytics.relative')} value={pct(p.relativeBp)} definition={t('analytics.def.relative')} target={target(plan?.targets.upliftBp, p.ci95[0] !== null && p.ci95[0] > 0 ? p.relativeBp : null)} />
            <Kpi testId="pilot-accounts" label={t('analytics.accounts')} value={`${f.number(p.pilot.accounts)} / ${f.number(p.control.accounts)}`} definition={t('analytics.def.accounts')} />
          </SimpleGrid>
          <Suspense fallback={<Card withBorder h={300} aria-busy="true" />}>
            <TrendChart trend={p.trend} format={spendFormat} />
          </Suspense>
          {trendTable ? <ExportButtons table={trendTable} /> : null}
        </Stack>
      ) : null}
      <CohortsCard moneyCurrency={eur?.moneyCurrency ?? 'EUR'} />
      <SampleSizeCard />
    </Page>
  );
}
