import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useAmountFormat, useCurrencyName } from '../../program/hooks/use-program';
import type { Simulation } from '../api/rules-api';

/** What the draft would have cost on the period's stored events: the number to see before saving. */
export function SimulationPanel({ result }: { result: Simulation }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const currencyName = useCurrencyName();
  return (
    <Card withBorder data-testid="simulation-result" aria-live="polite">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('rules.simulation.title', { from: f.date(result.from), to: f.date(result.to) })}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <div>
            <Text size="sm" c="dimmed">{t('rules.simulation.scanned')}</Text>
            <Text fw={600}>{f.number(result.eventsScanned)}</Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">{t('rules.simulation.matched')}</Text>
            <Text fw={600} data-testid="simulation-matched">{f.number(result.eventsMatched)}</Text>
          </div>
          {result.totals.map((x) => (
            <div key={x.currency}>
              <Text size="sm" c="dimmed">{t('rules.simulation.cost', { currency: currencyName(x.currency) })}</Text>
              <Text fw={700} data-testid={`simulation-cost-${x.currency}`}>{amount(x.amount, x.currency)}</Text>
              <Text size="xs" c="dimmed">{t('rules.simulation.awards', { count: x.awards })}</Text>
            </div>
          ))}
        </SimpleGrid>
        {!result.totals.length ? <Text c="dimmed">{t('rules.simulation.nothing')}</Text> : null}
        {result.byAccountType.length ? (
          <Group gap="lg">
            {result.byAccountType.map((x) => (
              <Text size="sm" key={`${x.accountType}-${x.currency}`}>
                {x.accountType}: <b>{amount(x.amount, x.currency)}</b>
              </Text>
            ))}
          </Group>
        ) : null}
        {result.topAccounts.length ? (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rules.simulation.topAccounts')}</Table.Th>
                <Table.Th ta="end">{t('entries.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.topAccounts.map((a) => (
                <Table.Tr key={`${a.accountId}-${a.currency}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${a.accountId}`}>{a.name}</Anchor>
                  </Table.Td>
                  <Table.Td ta="end">{amount(a.amount, a.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Card>
  );
}
