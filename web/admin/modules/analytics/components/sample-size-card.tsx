import { Card, Group, NumberInput, Select, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minimumDetectableEffect, sampleSize } from '@contracts/analytics-stats';
import { useFormat } from '@shared/format/use-format';

/**
 * Program analytics (#18): how many accounts a pilot needs to detect an uplift, and the smallest
 * uplift detectable with the accounts one has (two-sided 5 % test; docs/analytics.md).
 */
export function SampleSizeCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const [sd, setSd] = useState<number>(2000);
  const [effect, setEffect] = useState<number>(800);
  const [power, setPower] = useState('0.8');
  const [accounts, setAccounts] = useState<number>(100);
  const n = sd > 0 && effect > 0 ? sampleSize({ sd, effect, power: Number(power) }).pilot : null;
  const mde = sd > 0 && accounts > 0 ? minimumDetectableEffect({ sd, pilot: accounts, control: accounts, power: Number(power) }) : null;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('analytics.sampleTitle')}</Text>
      <Text size="sm" c="dimmed" mb="xs">{t('analytics.def.sample')}</Text>
      <Group align="end">
        <NumberInput label={t('analytics.sd')} value={sd} min={1} onChange={(v) => setSd(Number(v) || 0)} w={180} />
        <NumberInput label={t('analytics.effect')} value={effect} min={1} onChange={(v) => setEffect(Number(v) || 0)} w={180} />
        <Select label={t('analytics.power')} value={power} allowDeselect={false} onChange={(v) => setPower(v ?? '0.8')} data={['0.8', '0.9']} w={100} />
        <NumberInput label={t('analytics.perGroupHave')} value={accounts} min={2} onChange={(v) => setAccounts(Number(v) || 0)} w={180} />
      </Group>
      <SimpleGrid cols={2} mt="sm">
        <Text data-testid="sample-size">{t('analytics.perGroup', { n: n === null ? '—' : f.number(n) })}</Text>
        <Text data-testid="sample-mde">{t('analytics.mde', { mde: mde === null ? '—' : f.number(Math.ceil(mde)) })}</Text>
      </SimpleGrid>
    </Card>
  );
}
