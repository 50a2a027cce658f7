import { Card, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '@shared/format/use-format';
import type { DashboardView } from '../api/dashboard-api';

// Colour-blind-safe palette (Okabe–Ito), dark enough against white.
const COLORS = { issued: '#0072B2', redeemed: '#009E73', expired: '#D55E00', adjusted: '#6B4E9B', outstanding: '#0B5CAB' };

/**
 * `format` writes an amount with its unit for the tooltips ("12,500 AquaPoints", "€125.00");
 * `tick` a short one for the axis ("12.5K", "€125"); `unit` names the currency in the titles.
 */
export function ValueCharts({ months, format, tick, unit }: { months: DashboardView['months']; format: (n: number) => string; tick: (n: number) => string; unit: string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rtl = i18n.dir() === 'rtl';
  const data = months.map((m) => ({ ...m, label: f.month(m.month) }));
  return (
    <>
      <Card withBorder>
        <Text fw={600} mb="xs" id="flows-title">
          {t('dashboard.flowsTitle', { unit })}
        </Text>
        <div role="img" aria-labelledby="flows-title" style={{ width: '100%', height: 280 }}>
          <ResponsiveContainer>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" reversed={rtl} />
              <YAxis tickFormatter={tick} orientation={rtl ? 'right' : 'left'} width={rtl ? 84 : 56} />
              <Tooltip formatter={(v) => format(Number(v))} />
              <Legend />
              <Bar dataKey="issued" name={t('dashboard.issued')} fill={COLORS.issued} />
              <Bar dataKey="redeemed" name={t('dashboard.redeemed')} fill={COLORS.redeemed} />
              <Bar dataKey="expired" name={t('dashboard.expired')} fill={COLORS.expired} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs" id="outstanding-title">
          {t('dashboard.outstandingTitle', { unit })}
        </Text>
        <div role="img" aria-labelledby="outstanding-title" style={{ width: '100%', height: 220 }}>
          <ResponsiveContainer>
            <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" reversed={rtl} />
              <YAxis tickFormatter={tick} orientation={rtl ? 'right' : 'left'} width={rtl ? 84 : 56} />
              <Tooltip formatter={(v) => format(Number(v))} />
              <Line type="monotone" dataKey="outstanding" name={t('dashboard.outstanding')} stroke={COLORS.outstanding} strokeWidth={2} dot={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Card>
    </>
  );
}
