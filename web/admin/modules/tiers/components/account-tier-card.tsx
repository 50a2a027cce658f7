import { Badge, Card, Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useSpend } from '../../program/hooks/use-program';
import { useAccountTier } from '../hooks/use-tiers';

/** The account's tier, its discount and what it takes to reach the next one. */
export function AccountTierCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const spend = useSpend();
  const tier = useAccountTier(accountId).data;
  if (!tier) return null;
  const done = tier.next ? tier.metricValue / (tier.metricValue + tier.next.remaining) : 1;
  return (
    <Card withBorder data-testid="account-tier">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">{t('tiers.tier')}</Text>
        {tier.discountPercent ? <Badge variant="light">{t('tiers.discountNow', { percent: f.number(tier.discountPercent) })}</Badge> : null}
      </Group>
      <Text size="xl" fw={700}>{tier.name ?? t('tiers.noTier')}</Text>
      {tier.next ? (
        <>
          <Progress value={Math.round(done * 100)} mt="xs" aria-label={t('tiers.progressTo', { name: tier.next.name })} />
          <Text size="sm" mt={4}>{t(`tiers.remaining.${tier.next.metric}`, { amount: tier.next.metric === 'spend' ? spend.format(tier.next.remaining) : f.number(tier.next.remaining), name: tier.next.name })}</Text>
        </>
      ) : null}
      {tier.graceEndsAt ? <Text size="xs" c="orange.9">{t('tiers.graceUntil', { date: f.date(tier.graceEndsAt) })}</Text> : null}
    </Card>
  );
}
