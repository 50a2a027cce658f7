import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useAmountFormat, useCurrencyName } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import type { Owner } from '../api/wallets-api';
import { useWallets } from '../hooks/use-wallets';

export function WalletCards({ owner }: { owner: Owner }) {
  const { t } = useTranslation();
  const wallets = useWallets(owner);
  const amount = useAmountFormat();
  const currencyName = useCurrencyName();
  const f = useFormat();
  if (wallets.error) return <ErrorAlert error={wallets.error} />;
  if (!wallets.data) return null;
  if (!wallets.data.length) return <Text c="dimmed">{t('wallets.none')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
      {wallets.data.map((w) => (
        <Card key={w.currency} withBorder data-testid={`wallet-${w.currency}`}>
          <Text size="sm" c="dimmed">
            {currencyName(w.currency)}
          </Text>
          <Text size="xl" fw={700} data-testid={`wallet-${w.currency}-available`}>
            {amount(w.available, w.currency)}
          </Text>
          <Stack gap={2} mt="xs">
            <Group justify="space-between">
              <Text size="sm">{t('wallets.pending')}</Text>
              <Text size="sm">{amount(w.pending, w.currency)}</Text>
            </Group>
            <Group justify="space-between">
              <Text size="sm">{t('wallets.held')}</Text>
              <Text size="sm">{amount(w.held, w.currency)}</Text>
            </Group>
            {w.expiring[0] ? (
              <Text size="xs" c="dimmed">
                {t('wallets.nextExpiry', { amount: amount(w.expiring[0].amount, w.currency), date: f.date(w.expiring[0].expiresAt) })}
              </Text>
            ) : null}
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}
