import { Anchor, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { moneyDigits } from '@shared/format/format';
import { useFormat } from '@shared/format/use-format';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useDashboard } from '../hooks/use-dashboard';

// The charts library is most of this screen's weight: the figures show first, the charts follow.
const ValueCharts = lazy(() => import('./value-charts').then((m) => ({ default: m.ValueCharts })));

function Stat({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <Card withBorder data-testid={testId}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text size="xl" fw={700}>{value}</Text>
      <Text size="xs" c="dimmed">{hint}</Text>
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const program = useProgram().data;
  const [months, setMonths] = useState('12');
  const dashboard = useDashboard(Number(months));
  const [currency, setCurrency] = useState<string | null>(null);
  useEffect(() => {
    if (!currency && program?.currencies[0]) setCurrency(program.currencies[0].code);
  }, [currency, program]);
  const d = dashboard.data;
  const share = (n: number, total: number) => (total ? f.percent(n / total) : '—');
  const info = program?.currencies.find((c) => c.code === currency);
  const digits = moneyDigits(info);
  // Money carries its symbol; points and stamps say which currency they are.
  const withUnit = (n: number, code: string) => {
    const c = program?.currencies.find((x) => x.code === code);
    return moneyDigits(c) === null ? t('dashboard.amountWithUnit', { amount: amount(n, code), unit: c?.name ?? code }) : amount(n, code);
  };
  const tick = (n: number) =>
    digits === null || !info?.moneyCurrency
      ? f.compact(n)
      : new Intl.NumberFormat(f.locale, { style: 'currency', currency: info.moneyCurrency, notation: 'compact', maximumFractionDigits: 1 }).format(n / 10 ** digits);

  return (
    <Page
      title={t('dashboard.title')}
      actions={
        <SegmentedControl
          aria-label={t('dashboard.period')}
          value={months}
          onChange={setMonths}
          data={['6', '12', '24'].map((m) => ({ value: m, label: t('dashboard.months', { count: Number(m) }) }))}
        />
      }
    >
      <ErrorAlert error={dashboard.error} />
      {d ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <Stat testId="stat-accounts-30" label={t('dashboard.accounts30')} value={f.number(d.accounts.last30)} hint={t('dashboard.ofAccounts', { share: share(d.accounts.last30, d.accounts.total), count: d.accounts.total, total: f.number(d.accounts.total) })} />
            <Stat testId="stat-accounts-90" label={t('dashboard.accounts90')} value={f.number(d.accounts.last90)} hint={t('dashboard.ofAccounts', { share: share(d.accounts.last90, d.accounts.total), count: d.accounts.total, total: f.number(d.accounts.total) })} />
            <Stat testId="stat-members-30" label={t('dashboard.members30')} value={f.number(d.members.last30)} hint={t('dashboard.ofMembers', { share: share(d.members.last30, d.members.total), count: d.members.total, total: f.number(d.members.total) })} />
            <Stat testId="stat-members-90" label={t('dashboard.members90')} value={f.number(d.members.last90)} hint={t('dashboard.ofMembers', { share: share(d.members.last90, d.members.total), count: d.members.total, total: f.number(d.members.total) })} />
          </SimpleGrid>
          <Group>
            <Select
              label={t('rules.currency')}
              data={(program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }))}
              value={currency}
              onChange={setCurrency}
              allowDeselect={false}
              w={260}
            />
          </Group>
          {currency ? (
            <Suspense fallback={<Card withBorder h={560} aria-busy="true" />}>
              <ValueCharts months={d.months.filter((m) => m.currency === currency)} format={(n) => withUnit(n, currency)} tick={tick} unit={info?.name ?? currency} />
            </Suspense>
          ) : null}
          {currency ? (
            <Text data-testid="stat-debt" c="dimmed">
              {t('dashboard.debt', { amount: withUnit(d.debt.find((x) => x.currency === currency)?.amount ?? 0, currency) })}
            </Text>
          ) : null}
          <Card withBorder>
            <Text fw={600} mb="xs">{t('dashboard.topAccounts', { unit: info?.name ?? currency ?? '' })}</Text>
            <Table>
              <Table.Tbody>
                {d.topAccounts.filter((a) => a.currency === currency).map((a) => (
                  <Table.Tr key={`${a.accountId}-${a.currency}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/accounts/${a.accountId}`}>{a.name}</Anchor>
                    </Table.Td>
                    <Table.Td ta="end" data-testid="top-account-earned">{withUnit(a.earned, a.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {!d.topAccounts.some((a) => a.currency === currency) ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
          </Card>
        </Stack>
      ) : null}
    </Page>
  );
}
