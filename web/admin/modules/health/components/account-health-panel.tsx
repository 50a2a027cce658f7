import { Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '@shared/format/use-format';
import { NpsIntervalChart } from '../../surveys/components/nps-interval-chart';
import { TasksTable } from '../../surveys/components/tasks-table';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useAccountHealth } from '../hooks/use-health';
import { CycleStatusBadge } from './status-badge';

/** The account page's health panel (#16): NPS and its trend by quarter with intervals, purchase cycle with its intervals, churn risk with reasons, the follow-up tasks. */
export function AccountHealthPanel({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const q = useAccountHealth(accountId);
  const rtl = i18n.dir() === 'rtl';
  if (q.error) return <ErrorAlert error={q.error} />;
  const h = q.data;
  if (!h) return null;
  const c = h.purchaseCycle;
  const data = c.intervals.map((days, i) => ({ n: i + 1, days }));
  return (
    <Card withBorder data-testid="account-health">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('health.title')}
          </Title>
          <CycleStatusBadge status={c.status} />
        </Group>
        <Group gap="xl" wrap="wrap">
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.score')}</Text>
            <Text fw={700} size="xl" data-testid="health-score">
              {h.churnRisk.score}/100
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.cycle')}</Text>
            <Text>{c.source === 'none' ? t('health.noCycle') : t('health.cycleDays', { median: f.number(c.medianDays), p80: f.number(c.p80Days), p90: f.number(c.p90Days) })}</Text>
            {c.source === 'segment' || c.source === 'type' ? <Text size="xs" c="dimmed">{t(`health.source.${c.source}`)}</Text> : null}
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.sinceLast')}</Text>
            <Text>{c.daysSinceLast === null ? '—' : t('health.days', { count: c.daysSinceLast })}</Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.revenueAtRisk')}</Text>
            <Text>{f.number(h.revenueAtRisk)}</Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.nps')}</Text>
            <Text data-testid="health-nps">{h.nps ? t('health.npsValue', { value: f.number(h.nps.value), n: h.nps.n, low: f.number(h.nps.ci95[0]), high: f.number(h.nps.ci95[1]) }) : t('health.noNps')}</Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">{t('health.openTasks')}</Text>
            <Text>{f.number(h.openTasks)}</Text>
          </Stack>
        </Group>
        {h.churnRisk.reasons.length ? (
          <List size="sm" data-testid="health-reasons">
            {h.churnRisk.reasons.map((r) => (
              <List.Item key={r.code}>
                <Text span fw={600}>
                  {t(`health.reason.${r.code}`)} (+{r.weight})
                </Text>{' '}
                <Text span c="dimmed" size="xs">
                  {r.detail}
                </Text>
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            {t('health.noReasons')}
          </Text>
        )}
        {data.length ? (
          <div role="img" aria-label={t('health.chart')} style={{ width: '100%', height: 200 }}>
            <ResponsiveContainer>
              <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="n" reversed={rtl} />
                <YAxis orientation={rtl ? 'right' : 'left'} width={40} />
                <Tooltip formatter={(v) => t('health.days', { count: Number(v) })} />
                <Bar dataKey="days" name={t('health.interval')} fill="#228be6" />
                {c.source === 'own' ? <ReferenceLine y={c.p80Days} stroke="orange" strokeDasharray="4 4" label="p80" /> : null}
                {c.source === 'own' ? <ReferenceLine y={c.p90Days} stroke="red" strokeDasharray="4 4" label="p90" /> : null}
              </BarChart>
            </ResponsiveContainer>
          </div>
        ) : null}
        <Text size="sm" fw={600}>{t('health.npsTrend')}</Text>
        {h.npsTrend.some((p) => p.nps !== null) ? (
          <NpsIntervalChart rows={h.npsTrend.map((p) => ({ ...p, label: p.period }))} label={t('health.npsTrend')} testId="health-nps-trend" />
        ) : (
          <Text size="sm" c="dimmed">{t('health.noNps')}</Text>
        )}
        <TasksTable accountId={accountId} />
      </Stack>
    </Card>
  );
}
