import { Card, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '@shared/format/use-format';
import type { KpisView, PilotView } from '../api/analytics-api';

// Okabe–Ito, as on the dashboard.
const C = { issued: '#0072B2', redeemed: '#009E73', expired: '#D55E00', pilot: '#0072B2', control: '#E69F00' };

export function FlowChart({ months }: { months: KpisView['months'] }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rtl = i18n.dir() === 'rtl';
  const data = months.map((m) => ({ ...m, label: f.month(m.month) }));
  return (
    <Card withBorder>
      <Text fw={600} mb="xs" id="analytics-flows">{t('analytics.flowsTitle')}</Text>
      <div role="img" aria-labelledby="analytics-flows" style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" reversed={rtl} />
            <YAxis tickFormatter={(n: number) => f.compact(n)} orientation={rtl ? 'right' : 'left'} width={56} />
            <Tooltip formatter={(v) => f.number(Number(v))} />
            <Legend />
            <Line dataKey="issued" name={t('analytics.issued')} stroke={C.issued} strokeWidth={2} dot={false} />
            <Line dataKey="redeemed" name={t('analytics.redeemed')} stroke={C.redeemed} strokeWidth={2} dot={false} />
            <Line dataKey="expired" name={t('analytics.expired')} stroke={C.expired} strokeWidth={2} dot={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}

/** Each group's mean per account by month; the launch marked, so a manager sees whether the pre-period trends were parallel. */
export function TrendChart({ trend, format }: { trend: PilotView['trend']; format: (n: number) => string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rtl = i18n.dir() === 'rtl';
  const data = trend.map((m) => ({ ...m, label: f.month(m.month) }));
  const launch = data.find((m) => m.period === 'post')?.label;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs" id="analytics-trend">{t('analytics.trendTitle')}</Text>
      <div role="img" aria-labelledby="analytics-trend" style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" reversed={rtl} />
            <YAxis tickFormatter={(n: number) => format(n)} orientation={rtl ? 'right' : 'left'} width={84} />
            <Tooltip formatter={(v) => format(Number(v))} />
            <Legend />
            {launch ? <ReferenceLine x={launch} stroke="#555" strokeDasharray="4 4" label={t('analytics.launch')} /> : null}
            <Line dataKey="pilot" name={t('analytics.pilot')} stroke={C.pilot} strokeWidth={2} />
            <Line dataKey="control" name={t('analytics.control')} stroke={C.control} strokeWidth={2} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}
