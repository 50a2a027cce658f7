import { Button, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import * as m from '../api/messaging-api';

// Okabe–Ito, as the dashboard charts: colour-blind-safe and dark enough against white.
const STEP_COLORS = ['#0B5CAB', '#0072B2', '#009E73', '#6B4E9B', '#D55E00'];
const STEPS = ['targeted', 'delivered', 'verifiedOpened', 'clicked', 'acted'] as const;

/** A campaign's reach: the funnel targeted → delivered → verified opened → clicked → acted, the breakdowns by role, segment and channel, and the CSV. */
export function ReachReport({ campaign, reach }: { campaign: m.CampaignView; reach: m.Reach }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rtl = i18n.dir() === 'rtl';
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const share = (n: number) => (reach.targeted ? f.percent(n / reach.targeted) : '—');
  const data = STEPS.map((s) => ({ step: t(`messaging.reach.${s}`), value: reach[s] }));
  const titleId = `reach-title-${campaign.id}`;

  async function download() {
    setDownloadError(null);
    try {
      const url = URL.createObjectURL(await m.fetchReachCsv(campaign.id));
      const a = document.createElement('a');
      a.href = url;
      a.download = `reach-${campaign.id}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setDownloadError(err);
    }
  }

  const table = (rows: [string, m.ReachCounts][]) => (
    <Table mt="xs" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th />
          {STEPS.map((s) => (
            <Table.Th key={s}>{t(`messaging.reach.${s}`)}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td fw={k === '' ? 600 : undefined}>{k === '' ? t('messaging.reach.all') : k}</Table.Td>
            {STEPS.map((s) => (
              <Table.Td key={s}>{f.number(v[s])}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  const all: [string, m.ReachCounts] = ['', reach];

  return (
    <Stack gap="xs" mt="xs">
      <Group justify="space-between">
        <Text fw={600} id={titleId}>
          {t('messaging.reach.title')}
        </Text>
        <Button size="xs" variant="default" onClick={() => void download()}>
          {t('messaging.reach.downloadCsv')}
        </Button>
      </Group>
      <ErrorAlert error={downloadError} />
      <div role="img" aria-labelledby={titleId} style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 20, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="step" reversed={rtl} />
            <YAxis allowDecimals={false} orientation={rtl ? 'right' : 'left'} width={48} />
            <Tooltip formatter={(v) => `${f.number(Number(v))} (${share(Number(v))})`} />
            <Bar dataKey="value" name={t('messaging.reach.members')}>
              {data.map((d, i) => (
                <Cell key={d.step} fill={STEP_COLORS[i]} />
              ))}
              <LabelList dataKey="value" position="top" formatter={(v: unknown) => f.number(Number(v))} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Text size="sm" c="dimmed">
        {campaign.offer
          ? t('messaging.reach.actedHelp', { days: campaign.actedWithinDays, opened: f.number(reach.opened) })
          : t('messaging.reach.noOffer', { opened: f.number(reach.opened) })}
      </Text>
      <Tabs defaultValue="role" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="role">{t('messaging.reach.byRole')}</Tabs.Tab>
          <Tabs.Tab value="segment">{t('messaging.reach.bySegment')}</Tabs.Tab>
          <Tabs.Tab value="channel">{t('messaging.reach.byChannel')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="role">{table([all, ...Object.entries(reach.byRole)])}</Tabs.Panel>
        <Tabs.Panel value="segment">{table([all, ...Object.entries(reach.bySegment)])}</Tabs.Panel>
        <Tabs.Panel value="channel">{table([all, ...Object.entries(reach.byChannel)])}</Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
